from django.urls import path

from unionworks.members import roll_views, views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_join, name="join"),
    path("unit-options/", views.unit_options, name="unit_options"),
    path("unions/lookup/", views.union_lookup, name="union_lookup"),
    path("<int:member_id>/", views.member_detail, name="detail"),
    path("<int:member_id>/reveal/", views.member_reveal, name="reveal"),
    path("<int:member_id>/leave/", views.member_leave, name="leave"),
    path("<int:member_id>/edit/", views.member_edit, name="edit"),
    path("<int:member_id>/transfer/", views.member_transfer, name="transfer"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/<int:transfer_id>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:transfer_id>/accept/", views.transfer_accept, name="transfer_accept"),
    path("transfers/<int:transfer_id>/reject/", views.transfer_reject, name="transfer_reject"),
    path("import/", roll_views.roll_import, name="import"),
    path("export/", roll_views.roll_export, name="export"),
    path("export/<int:task_id>/", roll_views.roll_export_status, name="export_status"),
    path("unions/<int:org_id>/dissolve/", views.union_dissolve, name="union_dissolve"),
    path("unions/<int:org_id>/merge/", views.union_merge, name="union_merge"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export/", views.coverage_export, name="coverage_export"),
]
