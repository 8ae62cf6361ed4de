from django.urls import path

from unionworks.stats import views

app_name = "stats"
urlpatterns = [
    path("dashboards/", views.dashboard_overview, name="overview"),
    path("dashboards/<slug:project_code>/", views.dashboard, name="dashboard"),
    path("dashboards/<slug:project_code>/trend/", views.dashboard_trend, name="dashboard_trend"),
    path("indicators/", views.indicator_table, name="indicators"),
    path("indicators/export/", views.indicator_export, name="indicators_export"),
    path("indicators/catalogue/", views.indicator_catalogue, name="catalogue"),
    path("targets/", views.targets, name="targets"),
]
