from django.urls import path

from unionworks.orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.tree, name="tree"),
    path("orgs/lookup/", views.org_lookup, name="lookup"),
    path("orgs/<int:org_id>/", views.detail, name="detail"),
    path("orgs/<int:org_id>/children/", views.children, name="children"),
    path("orgs/<int:org_id>/history/", views.history, name="history"),
    path("orgs/<int:org_id>/move/", views.move_org, name="move"),
    path("orgs/found/", views.found_union, name="found"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/coverage/", views.unit_coverage, name="unit_coverage"),
    path("units/<int:unit_id>/delete/", views.unit_delete, name="unit_delete"),
]
