from django.urls import path

from unionworks.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("my-imports/", views.my_imports, name="imports"),
]
