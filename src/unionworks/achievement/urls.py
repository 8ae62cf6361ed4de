from django.urls import path

from unionworks.achievement import views

app_name = "achievement"
urlpatterns = [
    path("", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/<str:step>/", views.proposal_step, name="proposal_step"),
    path("competitions/", views.competition_list, name="competitions"),
    path("competitions/new/", views.competition_create, name="competition_create"),
    path("competitions/<int:competition_id>/", views.competition_detail, name="competition"),
    path(
        "competitions/<int:competition_id>/register/",
        views.competition_register,
        name="competition_register",
    ),
    path(
        "competitions/<int:competition_id>/winners/new/", views.winner_create, name="winner_create"
    ),
    path("competitions/<int:competition_id>/teams/new/", views.team_create, name="team_create"),
    path(
        "participations/<int:participation_id>/decide/",
        views.participation_decide,
        name="participation_decide",
    ),
    path("savings/", views.savings_list, name="savings"),
    path("savings/new/", views.savings_create, name="savings_create"),
    path("honours/", views.honour_list, name="honours"),
    path("honours/new/", views.honour_create, name="honour_create"),
    path("model-workers/", views.model_worker_list, name="model_workers"),
    path("model-workers/new/", views.model_worker_create, name="model_worker_create"),
    path("model-workers/<int:worker_id>/", views.model_worker_detail, name="model_worker"),
    path(
        "model-workers/<int:worker_id>/review/",
        views.model_worker_review,
        name="model_worker_review",
    ),
    path(
        "model-workers/<int:worker_id>/honours/new/",
        views.model_worker_honour,
        name="model_worker_honour",
    ),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/nominate/", views.nominate, name="nominate"),
    path("rounds/<int:round_id>/submit/", views.submit_nominations, name="submit_nominations"),
    path("libraries/", views.library_list, name="libraries"),
    path("libraries/new/", views.library_create, name="library_create"),
    path("libraries/<int:library_id>/", views.library_detail, name="library"),
    path("titles/", views.title_list, name="titles"),
    path("titles/new/", views.title_create, name="title_create"),
    path("courses/", views.course_list, name="courses"),
    path("courses/new/", views.course_create, name="course_create"),
]
