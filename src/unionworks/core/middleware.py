from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class SiteLanguageMiddleware:
    """Chinese unless the user asked for English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; our users'
    browsers are often English-language installs, and the platform speaks Chinese by
    default (DESIGN.md §4). The switch (``/i18n/setlang/``) sets the language cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# Every asset is served from our own static files, so the policy names only 'self': no
# inline script or style, no eval, no other origin. ``data:`` images are Swagger UI's
# icons; ``frame-ancestors 'none'`` says what X-Frame-Options: DENY says. An operator may
# replace it with CONTENT_SECURITY_POLICY (e.g. to add a report-uri).
DEFAULT_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy on every response (Django 5.2 has none built in).

    The pages keep to it: scripts are files (``static/js``), behaviour is bound there, not
    in ``on…=`` attributes, and styles are classes in ``static/css/app.css``, not ``style=``
    attributes (``core/tests/test_csp.py`` checks the templates; the browser tests load the
    pages under it)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "") or DEFAULT_CSP

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
