from django.urls import path

from unionworks.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.receipt_list, name="receipts"),
    path("receipts/new/", views.receipt_create, name="receipt_create"),
    path("receipts/<int:receipt_id>/", views.receipt_detail, name="receipt"),
    path("ledger/", views.ledger, name="ledger"),
    path("arrears/", views.arrears, name="arrears"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("assets/", views.asset_list, name="assets"),
    path("assets/new/", views.asset_create, name="asset_create"),
    path("assets/<int:asset_id>/", views.asset_detail, name="asset"),
    path("assets/<int:asset_id>/dispose/", views.asset_dispose, name="asset_dispose"),
    path("assets/<int:asset_id>/approve/", views.asset_approve, name="asset_approve"),
    path("asset-rules/", views.asset_rule_list, name="asset_rules"),
    path("asset-rules/new/", views.asset_rule_create, name="asset_rule_create"),
    path("institutions/", views.institution_list, name="institutions"),
    path("institutions/new/", views.institution_create, name="institution_create"),
    path("institutions/<int:institution_id>/", views.institution_detail, name="institution"),
    path("assessment-schemes/", views.assessment_scheme_list, name="assessment_schemes"),
    path(
        "assessment-schemes/new/",
        views.assessment_scheme_create,
        name="assessment_scheme_create",
    ),
    path(
        "assessment-schemes/<int:scheme_id>/",
        views.assessment_scheme_detail,
        name="assessment_scheme",
    ),
    path(
        "assessment-schemes/<int:scheme_id>/items/",
        views.assessment_scheme_items,
        name="assessment_scheme_items",
    ),
    path(
        "assessment-schemes/<int:scheme_id>/assess/",
        views.assessment_create,
        name="assessment_create",
    ),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
]
