"""The Celery task that delivers one webhook, with retries (policy: ``delivery``).

With a broker, a failed try is retried by ``self.retry`` after ``delivery.retry_countdown`` seconds
(30 s, doubling, at most an hour) until the endpoint's ``max_attempts``; the count lives on the
delivery, so a re-send from the admin starts afresh. In eager mode (no broker: tests and
``make run``) Celery cannot wait: the task tries ``WEBHOOK_EAGER_TRIES`` times at once (1 by
default, so a slow receiver cannot hold an officer's request; the tests raise it to walk the whole
policy). A stray or duplicated task finds the delivery no longer ``pending`` and sends nothing.
"""

from celery import shared_task
from django.conf import settings

from .delivery import deliver_once


@shared_task(bind=True, acks_late=True, max_retries=None)
def webhook_deliver(self, delivery_id):
    """Deliver ``WebhookDelivery`` ``delivery_id``; returns its state when no try is due."""
    tries = 1
    while True:
        outcome = deliver_once(delivery_id)
        if outcome.retry_in is None:
            return outcome.state
        if not self.request.is_eager:
            raise self.retry(countdown=outcome.retry_in)
        # Eager (no broker) nothing can wait: at most WEBHOOK_EAGER_TRIES tries in the request (1 in
        # the local demo, so a slow receiver cannot hold an officer's page), then it stays pending.
        if tries >= settings.WEBHOOK_EAGER_TRIES:
            return outcome.state
        tries += 1
