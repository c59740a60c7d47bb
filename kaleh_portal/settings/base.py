"""Settings shared by every environment, read from the environment through django-environ.

The database and the Celery broker are each environment's own (``local``, ``test``: SQLite and
eager tasks unless told otherwise; ``production``: required, no default), built with
``database_settings`` and ``celery_broker`` below.

- ``REDIS_URL``: when set, the cache is Redis.
- ``SMS_BACKEND``: dotted path of the SMS backend (``accounts.sms``); by default SMS are only logged.
- ``DEFAULT_FROM_EMAIL``: the sender of the applicants' notification emails.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework_api_key",
    "common",
    "programs",
    "accounts",
    "sectors",
    "budgets",
    "financing",
    "interventions",
    "monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "common.middleware.ServiceErrorMiddleware",
]

ROOT_URLCONF = "kaleh_portal.urls"
WSGI_APPLICATION = "kaleh_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.notices",
            ],
            "builtins": ["common.templatetags.persian"],
        },
    },
]

SQLITE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"


def database_settings(config: dict) -> dict:
    """``DATABASES`` for one database ``config`` (``env.db(...)``'s dictionary)."""
    config["ATOMIC_REQUESTS"] = False
    if "sqlite" in config["ENGINE"]:
        # Take SQLite's write lock when a transaction starts and wait for it, so two officers acting at
        # once queue up (the second then gets a clear conflict) instead of "database is locked".
        config.setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    else:
        # Each test run may name its own database (two runs on one PostgreSQL server must not
        # collide); SQLite tests keep Django's private in-memory database.
        config["TEST"] = {"NAME": "test_kaleh" + env("TEST_DB_SUFFIX", default="")}
    return {"default": config}


def celery_broker(broker_url: str) -> tuple[str, bool]:
    """``(CELERY_BROKER_URL, CELERY_TASK_ALWAYS_EAGER)`` for ``broker_url``; with none, tasks run
    eagerly, in the request."""
    # Eager tasks never reach a broker, but Celery still builds a producer to serialise their
    # arguments; the in-memory transport keeps it from looking for one on localhost.
    return (broker_url or "memory://localhost/", not broker_url)


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "financing:home"
LOGOUT_REDIRECT_URL = "monitoring:program"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fa"
# One language: the portal is Persian whatever the browser asks for (no LocaleMiddleware).
LANGUAGES = [("fa", "فارسی")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages (Bootstrap RTL, Vazirmatn) are copied here from npm by `make assets`.
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files live outside the web root and are served only through scoped views.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True

# Notifications to applicants (accounts.services.notification_queue): email through EMAIL_BACKEND,
# SMS through SMS_BACKEND (see accounts/sms.py for writing a gateway backend).
SMS_BACKEND = env("SMS_BACKEND", default="accounts.sms.LogSmsBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="KALEH <no-reply@kaleh.localhost>")

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The public tracking page: this many failed look-ups per client address and window (seconds),
# then 429 (C20). Counted in the default cache, so it holds across processes with Redis.
TRACK_FAILED_LOOKUPS_LIMIT = env.int("TRACK_FAILED_LOOKUPS_LIMIT", default=10)
TRACK_FAILED_LOOKUPS_WINDOW = env.int("TRACK_FAILED_LOOKUPS_WINDOW", default=600)
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")

# Webhook tries made at once when Celery runs eagerly (no broker): 1, so a slow bank cannot hold a
# request; with a broker, failed tries are retried later (financing.webhooks.tasks).
WEBHOOK_EAGER_TRIES = env.int("WEBHOOK_EAGER_TRIES", default=1)

# The interest subsidy is paid in one go (0) or per this many months of its schedule (issue 7):
# the payout form proposes the next period's amount.
KALEH_SUBSIDY_PAYOUT_MONTHS = env.int("KALEH_SUBSIDY_PAYOUT_MONTHS", default=0)

# Eligibility at submission (§9, §10): the loan asked per planned job may be at most this many
# times the programme's rials per job (Programme.cost_per_job_rials, 551,000,000).
KALEH_MAX_COST_PER_JOB_MULTIPLE = env.float("KALEH_MAX_COST_PER_JOB_MULTIPLE", default=3)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "financing.api.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["financing.api.errors.JSONParser"],
    # Requests per API key (financing.api.base.ApiKeyThrottle).
    "DEFAULT_THROTTLE_RATES": {"bank_api": env("BANK_API_RATE", default="600/minute")},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "KALEH bank API",
    "DESCRIPTION": "The agent banks' side of the §9 chain (docs/bank-api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The interactive docs' assets are served from this machine (drf-spectacular-sidecar).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would otherwise send the schema to an online validator.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    # The state enum appears in several serializers: one name for it in the schema.
    "ENUM_NAME_OVERRIDES": {"ApplicationStateEnum": "financing.workflow.ApplicationState"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
