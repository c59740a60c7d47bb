"""The Celery app. With no CELERY_BROKER_URL the settings make tasks run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaleh_portal.settings.local")

app = Celery("kaleh_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
