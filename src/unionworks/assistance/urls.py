from django.urls import path

from unionworks.assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_id>/raisings/new/", views.raising_create, name="raising_create"),
    path("campaigns/<int:campaign_id>/propose/", views.disbursement_create, name="propose"),
    path("campaigns/<int:campaign_id>/import/", views.disbursement_import, name="import"),
    path("campaigns/<int:campaign_id>/trips/new/", views.trip_create, name="trip_create"),
    path("raisings/<int:raising_id>/delete/", views.raising_delete, name="raising_delete"),
    path("disbursements/", views.disbursement_list, name="disbursements"),
    path("disbursements/<int:disbursement_id>/", views.disbursement_detail, name="disbursement"),
    path(
        "disbursements/<int:disbursement_id>/approve/",
        views.disbursement_approve,
        name="disbursement_approve",
    ),
    path(
        "disbursements/<int:disbursement_id>/reject/",
        views.disbursement_reject,
        name="disbursement_reject",
    ),
    path(
        "disbursements/<int:disbursement_id>/pay/", views.disbursement_pay, name="disbursement_pay"
    ),
    path("review/", views.review_queue, name="review"),
    path("review/bulk/", views.review_bulk, name="review_bulk"),
    path("files/", views.file_list, name="files"),
    path("files/new/", views.file_create, name="file_create"),
    path("files/<int:file_id>/", views.file_detail, name="file"),
    path("files/<int:file_id>/review/", views.file_review, name="file_review"),
    path("files/<int:file_id>/close/", views.file_close, name="file_close"),
    path("files/<int:file_id>/household/", views.file_household, name="file_household"),
    path("centres/", views.centre_list, name="centres"),
    path("centres/new/", views.centre_create, name="centre_create"),
    path("centres/<int:centre_id>/", views.centre_detail, name="centre"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/update/", views.case_update, name="case_update"),
    path("cases/<int:case_id>/workers/", views.case_worker, name="case_worker"),
    path("trips/", views.trip_list, name="trips"),
]
