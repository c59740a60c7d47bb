"""The Celery app. The local and test settings run tasks eagerly when no CELERY_BROKER_URL is set."""

import os

from celery import Celery

# A server or worker started without DJANGO_SETTINGS_MODULE runs the production settings, which
# refuse to start without their environment (fail closed); manage.py defaults to the local ones.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaleh_portal.settings.production")

app = Celery("kaleh_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
