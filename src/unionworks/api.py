"""The API under /api/v1/: django-ninja, session or bearer-token auth, scoped like the pages."""

from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from unionworks.accounts.models import ApiToken


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
    auth=[django_auth, BearerToken()],
    urls_namespace="api-v1",
)
