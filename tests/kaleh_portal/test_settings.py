"""Settings come from the environment. Production fails closed: no secret key, database or broker,
no start; ``check --deploy`` has nothing left to say. Local and test runs default to SQLite and
eager Celery."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "s" * 60 + "-not-a-real-key-but-long-enough-123456",
    "DJANGO_ALLOWED_HOSTS": "kaleh.example",
    "DATABASE_URL": "postgres://kaleh@db.kaleh.example:5432/kaleh",
    "CELERY_BROKER_URL": "redis://redis.kaleh.example:6379/1",
}


def run_check(*args, **env):
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "kaleh_portal.settings.production"}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**base, **env})


def production_env(**changes):
    """The environment of a production process: ``PRODUCTION`` with ``changes``."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "kaleh_portal.settings.production", **PRODUCTION, **changes}


def without(name):
    return {key: value for key, value in PRODUCTION.items() if key != name}


def test_production_without_a_secret_key_fails():
    result = run_check(**without("DJANGO_SECRET_KEY"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production." in result.stderr


def test_production_without_a_database_url_fails():
    result = run_check(**without("DATABASE_URL"))
    assert result.returncode != 0
    assert "Set the DATABASE_URL environment variable" in result.stderr


def test_production_without_a_broker_fails():
    result = run_check(**without("CELERY_BROKER_URL"))
    assert result.returncode != 0
    assert "Set the CELERY_BROKER_URL environment variable" in result.stderr


@pytest.mark.parametrize("name", ["DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL"])
def test_production_with_an_empty_setting_fails(name):
    """An empty broker would mean eager tasks; an empty database URL no database; no hosts no site."""
    result = run_check(**{**PRODUCTION, name: " "})
    assert result.returncode != 0
    assert f"Set the {name} environment variable" in result.stderr


def test_a_server_started_without_a_settings_module_runs_production_and_fails_closed():
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    result = subprocess.run([sys.executable, "-c", "import kaleh_portal.wsgi"], cwd=ROOT, capture_output=True,
                            text=True, env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production." in result.stderr


def test_production_with_its_settings_passes_the_deploy_check_without_warnings():
    result = run_check("--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_sets_https_behind_the_proxy():
    code = ("import django, os; django.setup(); from django.conf import settings as s;"
            "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
            "      s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.CELERY_TASK_ALWAYS_EAGER,"
            "      s.DATABASES['default']['ENGINE'])")
    env = production_env(DJANGO_SECURE_HSTS_SECONDS="31536000")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.stdout.split() == ["('HTTP_X_FORWARDED_PROTO',", "'https')", "True", "31536000", "True", "True",
                                     "False", "django.db.backends.postgresql"], result.stderr


def test_defaults_are_persian_tehran_sqlite_and_eager_celery():
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='kaleh_portal.settings.local'; django.setup();"
            "from django.conf import settings as s;"
            "print(s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ, s.DATABASES['default']['ENGINE'],"
            "      s.CELERY_TASK_ALWAYS_EAGER, 'demo' in s.INSTALLED_APPS)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    assert result.stdout.split() == ["fa", "Asia/Tehran", "True", "django.db.backends.sqlite3", "True", "True"]


def test_production_does_not_install_the_demo():
    code = "import django; django.setup(); from django.conf import settings as s; print('demo' in s.INSTALLED_APPS)"
    env = production_env()
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.stdout.strip() == "False", result.stderr
