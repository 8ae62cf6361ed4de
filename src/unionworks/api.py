"""The API under /api/v1/: django-ninja, session or bearer-token auth, scoped like the pages.

Docs at /api/v1/docs load Swagger UI from our own /static/ (``ninja`` is in
INSTALLED_APPS); the online spec validator is switched off so the page calls nothing
outside the intranet.
"""

from django.utils import timezone
from ninja import NinjaAPI, Swagger
from ninja.security import HttpBearer, django_auth

from unionworks.accounts.models import ApiToken
from unionworks.achievement.api import router as achievement_router
from unionworks.assistance.api import router as assistance_router
from unionworks.cadres.api import router as cadres_router
from unionworks.core.api import install_error_handlers
from unionworks.core.export_api import router as exports_router
from unionworks.core.importing.api import router as imports_router
from unionworks.finance.api import router as finance_router
from unionworks.members.api import router as members_router
from unionworks.orgs.api import router as orgs_router
from unionworks.relations.api import router as relations_router
from unionworks.stats.api import router as stats_router
from unionworks.workbench.api import router as workbench_router


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        try:
            api_token = ApiToken.objects.select_related("user", "user__org").get(
                key_hash=ApiToken.hash_key(token)
            )
        except ApiToken.DoesNotExist:
            return None
        user = api_token.user
        if not user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = user
        return user


api = NinjaAPI(
    title="UnionWorks 工会工作综合管理平台 API",
    version="1",
    description=(
        "按本账号所属组织及其下级组织范围读写。认证：已登录的会话（写操作须带 CSRF 令牌），"
        "或 `Authorization: Bearer <令牌>`（令牌由 `manage.py issue_token <用户名>` 签发）。"
    ),
    # Bearer first: a script's token request never meets the session's CSRF check;
    # a browser without the header falls through to the session (CSRF enforced on writes).
    auth=[BearerToken(), django_auth],
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
install_error_handlers(api)
api.add_router("", orgs_router)
api.add_router("", members_router)
api.add_router("", stats_router)
api.add_router("", assistance_router)
api.add_router("", relations_router)
api.add_router("", achievement_router)
api.add_router("", cadres_router)
api.add_router("", finance_router)
api.add_router("", imports_router)
api.add_router("", exports_router)
api.add_router("", workbench_router)
