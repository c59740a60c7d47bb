"""Production: fails closed. The secret key, allowed hosts, database and Celery broker must come
from the environment; there is no SQLite and no eager Celery here. HTTPS is enforced behind a
reverse proxy that sets ``X-Forwarded-Proto`` (cookiecutter-django's settings).

Environment: ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, ``DATABASE_URL``,
``CELERY_BROKER_URL`` (all required); ``DJANGO_SECURE_SSL_REDIRECT`` (default on),
``DJANGO_SECURE_HSTS_SECONDS`` (default 60: raise it, e.g. to 31536000, once HTTPS is known to
work), ``DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS`` and ``DJANGO_SECURE_HSTS_PRELOAD`` (default on).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, SECRET_KEY, STORAGES, celery_broker, database_settings, env


def required(name: str) -> str:
    """The environment variable ``name``; raises ``ImproperlyConfigured`` when it is missing or
    empty (an empty broker would mean eager tasks, an empty database URL no database)."""
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable: production has no default for it.")
    return value


if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
DEBUG = False
required("DJANGO_ALLOWED_HOSTS")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = database_settings(env.db_url_config(required("DATABASE_URL")))
CELERY_BROKER_URL, CELERY_TASK_ALWAYS_EAGER = celery_broker(required("CELERY_BROKER_URL"))

# HTTPS: the proxy terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# WhiteNoise serves the collected static files (run `manage.py collectstatic`) behind the app server.
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
