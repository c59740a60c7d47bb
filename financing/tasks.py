"""The chain's Celery tasks, here so that the worker's ``autodiscover_tasks`` registers them."""

from .webhooks.tasks import webhook_deliver

__all__ = ["webhook_deliver"]
