"""One settings module, driven by environment variables with demo-safe defaults.

UNIONWORKS_ENV=production makes SECRET_KEY and the data-protection key mandatory;
anything else (the default, ``demo``) runs on an SQLite file with fixed demo keys.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("UNIONWORKS_VAR_DIR", PROJECT_DIR / "var"))

ENVIRONMENT = os.environ.get("UNIONWORKS_ENV", "demo")
PRODUCTION = ENVIRONMENT == "production"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "生产环境必须设置 SECRET_KEY 环境变量 (SECRET_KEY is required in production)."
        )
    SECRET_KEY = "demo-only-secret-key-not-for-production-use-0123456789abcdef"

# Off unless asked for (DEBUG=1), in the demo too: a user who mistypes an address gets the
# Chinese 404 page, never Django's debug page with the URL list and settings.
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "unionworks.core",
    "unionworks.accounts",
    "unionworks.orgs",
    "unionworks.members",
    "unionworks.stats",
    "unionworks.assistance",
    "unionworks.relations",
    "unionworks.achievement",
    "unionworks.cadres",
    "unionworks.finance",
    "unionworks.workbench",
    "unionworks.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "unionworks.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "unionworks.core.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "unionworks.urls"
WSGI_APPLICATION = "unionworks.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "unionworks.core.context_processors.navigation",
            ],
        },
    },
]

# SQLite file by default so the demo needs nothing else; PostgreSQL via DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'unionworks.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    # A password like the username, name or email is among the first an attacker tries.
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Login lockout: five failures lock the username from that address for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions expire after 8 working hours or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS: once a browser has seen the site over HTTPS it never speaks plain HTTP to it again
# (a year by default whenever DEBUG is off; sent only on HTTPS responses). Set
# SECURE_HSTS_SECONDS=0 for a site still reached over plain HTTP (docs/deployment.md).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
CONTENT_SECURITY_POLICY = os.environ.get("CONTENT_SECURITY_POLICY", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
# ECharts comes from npm (package-lock.json) and is served from our own static files.
STATICFILES_DIRS = [BASE_DIR / "static"]
_ECHARTS_DIST = PROJECT_DIR / "node_modules" / "echarts" / "dist"
if _ECHARTS_DIST.is_dir():
    STATICFILES_DIRS.append(("echarts", _ECHARTS_DIST))
WHITENOISE_USE_FINDERS = not PRODUCTION
# The demo runs without DEBUG: WhiteNoise serves the static files and sees them change.
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

PAGE_SIZE = 50

# Personal data key (base64 of 32 bytes). Demo and tests fall back to a fixed demo key;
# production refuses to start without it (checked in CoreConfig.ready).
DATA_KEY = os.environ.get("UNIONWORKS_DATA_KEY", "")
if PRODUCTION and not DATA_KEY:
    raise ImproperlyConfigured(
        "生产环境必须设置 UNIONWORKS_DATA_KEY（个人信息加密密钥）；丢失密钥将无法读取身份证号和手机号。"
    )

# Figures are kept per process and brought up to date from the change notes in the
# database (core.changes, stats.values), so they are fresh in every worker whatever the
# cache. The cache (Redis with REDIS_URL, shared by the workers; per-process memory
# otherwise) holds only what may be shared, never what freshness depends on.
REDIS_URL = os.environ.get("REDIS_URL", "")
# With a cache the workers share, a worker takes the figures another has counted (and
# brings them up to date from the notes) instead of counting the province again.
SHARE_KEPT_FIGURES = bool(REDIS_URL)
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 24 * 3600,
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    )
}

# Background tasks (imports, reports): "thread" runs them in the web process (the demo),
# "worker" leaves them to `manage.py run_tasks`, "eager" runs them inline (tests).
TASKS_MODE = os.environ.get("TASKS_MODE", "thread")
# manage.py run_tasks lowers its CPU priority by this much (imports yield to the pages).
TASK_NICENESS = int(os.environ.get("TASK_NICENESS", "10"))
# Uploaded spreadsheets and task files (rejected rows, exports, reports) hold personal
# data: `manage.py purge_task_files` (daily, from cron) removes those older than this.
TASK_FILES_KEEP_DAYS = int(os.environ.get("TASK_FILES_KEEP_DAYS", "30"))
