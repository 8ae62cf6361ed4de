from django.contrib.auth import views as auth_views
from django.urls import include, path

from unionworks.api import api

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("accounts/", include("unionworks.accounts.urls")),
    path("audit/", include("unionworks.core.urls")),
    path("tasks/", include("unionworks.core.task_urls")),
    path("imports/", include("unionworks.core.importing.urls")),
    path("members/", include("unionworks.members.urls")),
    path("stats/reports/", include("unionworks.stats.report_urls")),
    path("stats/", include("unionworks.stats.urls")),
    path("assistance/", include("unionworks.assistance.urls")),
    path("relations/", include("unionworks.relations.urls")),
    path("achievement/", include("unionworks.achievement.urls")),
    path("cadres/", include("unionworks.cadres.urls")),
    path("finance/", include("unionworks.finance.urls")),
    path("", include("unionworks.orgs.urls")),
    path("", include("unionworks.workbench.urls")),
]
