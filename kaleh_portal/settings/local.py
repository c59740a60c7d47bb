"""Local development: DEBUG on, a fixed development secret, SQLite unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="kaleh-local-development-only-not-secret")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
