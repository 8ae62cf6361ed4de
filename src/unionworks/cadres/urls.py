from django.urls import path

from unionworks.cadres import views

app_name = "cadres"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("events/<int:event_id>/attendees/", views.event_attendees, name="event_attendees"),
    path("events/<int:event_id>/count/", views.event_count, name="event_count"),
    path("events/<int:event_id>/held/", views.event_check_off, name="event_check_off"),
    path("series/new/", views.series_create, name="series_create"),
    path("series/<int:series_id>/", views.series_detail, name="series"),
    path("roster/", views.cadre_list, name="cadres"),
    path("roster/new/", views.cadre_create, name="cadre_create"),
    path("roster/<int:cadre_id>/", views.cadre_detail, name="cadre"),
    path("roster/<int:cadre_id>/reveal/", views.cadre_reveal, name="cadre_reveal"),
    path("roster/<int:cadre_id>/posts/", views.cadre_post, name="cadre_post"),
    path("posts/<int:post_id>/end/", views.post_end, name="post_end"),
    path("committees/<int:org_id>/", views.committee, name="committee"),
    path("vacancies/", views.vacancies, name="vacancies"),
    path("elections/", views.election_list, name="elections"),
    path("elections/new/", views.election_create, name="election_create"),
    path("elections/<int:election_id>/", views.election_detail, name="election"),
    path("elections/<int:election_id>/candidates/", views.election_candidate,
         name="election_candidate"),
    path("elections/<int:election_id>/approve-candidates/", views.election_approve_candidates,
         name="election_approve_candidates"),
    path("elections/<int:election_id>/result/", views.election_result, name="election_result"),
    path("elections/<int:election_id>/approve-result/", views.election_approve_result,
         name="election_approve_result"),
    path("recruitments/", views.recruitment_list, name="recruitments"),
    path("recruitments/new/", views.recruitment_create, name="recruitment_create"),
    path("recruitments/<int:recruitment_id>/", views.recruitment_detail, name="recruitment"),
    path("arrangements/", views.arrangement_list, name="arrangements"),
]  # fmt: skip
