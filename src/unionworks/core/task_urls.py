from django.urls import path

from unionworks.core import views

app_name = "tasks"
urlpatterns = [
    path("<int:task_id>/progress/", views.task_progress, name="progress"),
    path("<int:task_id>/download/", views.task_download, name="download"),
    path("export/<slug:name>/", views.export_start, name="export"),
    path("export/task/<int:task_id>/", views.export_status, name="export_status"),
]
