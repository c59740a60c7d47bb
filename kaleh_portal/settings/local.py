"""Local development: DEBUG on, a fixed development secret, SQLite unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="kaleh-local-development-only-not-secret")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The demo's SMS go to the log backend: show them in the server's output.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"accounts.sms": {"level": "INFO"}},
}
