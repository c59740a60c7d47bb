"""Test settings: fast hashing, in-memory email, files in a temporary folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import STORAGES

SECRET_KEY = "kaleh-test-only"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kaleh-private-"))
STORAGES["default"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)
ALLOWED_HOSTS = ["*"]
# Each test starts with an empty private cache (tests/support.py clears it); the Redis tests
# switch to the real server themselves.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kaleh-tests"}}
