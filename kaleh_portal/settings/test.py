"""Test settings: fast hashing, in-memory email, files in a temporary folder, the demo app.
``make test`` sets ``DATABASE_URL`` to PostgreSQL; without it tests use SQLite. Celery is eager."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, REST_FRAMEWORK, SQLITE_URL, STORAGES, celery_broker, database_settings, env

SECRET_KEY = "kaleh-test-only"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kaleh-private-"))
STORAGES["default"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)
ALLOWED_HOSTS = ["*"]
DATABASES = database_settings(env.db("DATABASE_URL", default=SQLITE_URL))
CELERY_BROKER_URL, CELERY_TASK_ALWAYS_EAGER = celery_broker("")
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
# Each test starts with an empty private cache (tests/support.py clears it); the Redis tests
# switch to the real server themselves.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kaleh-tests"}}
# The bank API's rate limit raised, so schemathesis and the API tests are not throttled; the
# throttle's own test lowers it.
REST_FRAMEWORK = {**REST_FRAMEWORK,
                  "DEFAULT_THROTTLE_RATES": {**REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "bank_api": "100000/minute"}}
# Eager webhooks walk their whole retry policy in the tests (bounded by each endpoint's attempts).
WEBHOOK_EAGER_TRIES = 100
