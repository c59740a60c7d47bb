"""Settings come from the environment; production refuses to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_check(**env):
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "kaleh_portal.settings.production"}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, capture_output=True,
                          text=True, env={**base, **env})


def test_production_without_a_secret_key_fails():
    result = run_check(DJANGO_ALLOWED_HOSTS="kaleh.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production." in result.stderr


def test_production_with_a_secret_key_starts():
    result = run_check(DJANGO_SECRET_KEY="s" * 60 + "-not-a-real-key-but-long-enough-123456",
                       DJANGO_ALLOWED_HOSTS="kaleh.example")
    assert result.returncode == 0, result.stderr


def test_defaults_are_persian_tehran_sqlite_and_eager_celery():
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='kaleh_portal.settings.local'; django.setup();"
            "from django.conf import settings as s;"
            "print(s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ, s.DATABASES['default']['ENGINE'],"
            "      s.CELERY_TASK_ALWAYS_EAGER)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    assert result.stdout.split() == ["fa", "Asia/Tehran", "True", "django.db.backends.sqlite3", "True"]
