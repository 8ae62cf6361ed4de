"""The annual review pages, mounted at /stats/reports/."""

from django.urls import path

from unionworks.stats import report_views

app_name = "reports"
urlpatterns = [
    path("", report_views.review_list, name="list"),
    path("<int:review_id>/", report_views.review_detail, name="detail"),
    path("<int:review_id>/<str:fmt>/", report_views.review_download, name="download"),
]
