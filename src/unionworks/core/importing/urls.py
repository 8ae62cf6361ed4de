from django.urls import path

from unionworks.core.importing import views

app_name = "imports"
urlpatterns = [
    path("task/<int:task_id>/", views.status, name="status"),
    path("<slug:kind>/", views.upload, name="upload"),
    path("<slug:kind>/template/", views.template, name="template"),
]
