"""Local development (``make run``): DEBUG on, a fixed development secret, SQLite and eager Celery
unless ``DATABASE_URL`` and ``CELERY_BROKER_URL`` say otherwise, and the demo data app."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, SQLITE_URL, celery_broker, database_settings, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="kaleh-local-development-only-not-secret")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

DATABASES = database_settings(env.db("DATABASE_URL", default=SQLITE_URL))
CELERY_BROKER_URL, CELERY_TASK_ALWAYS_EAGER = celery_broker(env("CELERY_BROKER_URL", default=""))

# Invented accounts and applications (``manage.py seed_demo``): never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

# The demo's SMS go to the log backend: show them in the server's output.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"accounts.sms": {"level": "INFO"}},
}
