from django.urls import path

from unionworks.relations import views

app_name = "relations"
urlpatterns = [
    path("", views.contract_list, name="contracts"),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:contract_id>/", views.contract_detail, name="contract"),
    path("contracts/<int:contract_id>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:contract_id>/submit/", views.contract_submit, name="contract_submit"),
    path("contracts/<int:contract_id>/object/", views.contract_object, name="contract_object"),
    path("contracts/<int:contract_id>/publish/", views.contract_publish, name="contract_publish"),
    path("congresses/", views.congress_list, name="congresses"),
    path("congresses/new/", views.congress_create, name="congress_create"),
    path("congresses/idle-units/", views.units_without_session, name="idle_units"),
    path("congresses/<int:congress_id>/", views.congress_detail, name="congress"),
    path("congresses/<int:congress_id>/sessions/", views.session_create, name="session_create"),
    path("congresses/<int:congress_id>/proposals/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:proposal_id>/status/", views.proposal_status, name="proposal_status"),
    path(
        "congresses/<int:congress_id>/representatives/",
        views.representative_create,
        name="representative_create",
    ),
    path("openness/", views.openness_list, name="openness"),
    path("openness/new/", views.openness_create, name="openness_create"),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/new/", views.assessment_create, name="assessment_create"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:assessment_id>/score/", views.assessment_score, name="assessment_score"),
    path(
        "assessments/<int:assessment_id>/notice/", views.assessment_notice, name="assessment_notice"
    ),
    path(
        "assessments/<int:assessment_id>/commend/",
        views.assessment_commend,
        name="assessment_commend",
    ),
    path("score-sheets/<int:year>/", views.score_sheet, name="score_sheet"),
    path("disputes/", views.dispute_list, name="disputes"),
    path("disputes/new/", views.dispute_create, name="dispute_create"),
    path("disputes/<int:dispute_id>/", views.dispute_detail, name="dispute"),
    path("disputes/<int:dispute_id>/close/", views.dispute_close, name="dispute_close"),
    path("committees/", views.committee_list, name="committees"),
    path("committees/new/", views.committee_create, name="committee_create"),
]
