from django.urls import path

from unionworks.stats import views

app_name = "stats"
urlpatterns = [
    path("targets/", views.targets, name="targets"),
]
