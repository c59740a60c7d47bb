"""The Celery task that delivers one webhook, with retries (policy: ``delivery``).

With a broker, a failed try is retried by ``self.retry`` after ``delivery.retry_countdown`` seconds
(30 s, doubling, at most an hour) until the endpoint's ``max_attempts``; the count lives on the
delivery, so a re-send from the admin starts afresh. In eager mode (no broker: tests and
``make run``) Celery cannot wait, so the task tries again at once, in the same call, up to the same
bound, as ``accounts.tasks.notification_send`` does. A stray or duplicated task finds the delivery
no longer ``pending`` and sends nothing.
"""

from celery import shared_task

from .delivery import deliver_once


@shared_task(bind=True, acks_late=True, max_retries=None)
def webhook_deliver(self, delivery_id):
    """Deliver ``WebhookDelivery`` ``delivery_id``; returns its state when no try is due."""
    while True:
        outcome = deliver_once(delivery_id)
        if outcome.retry_in is None:
            return outcome.state
        if not self.request.is_eager:
            raise self.retry(countdown=outcome.retry_in)
