"""Celery tasks of accounts: sending one notification, with retries.

Up to ``MAX_TRIES`` tries. With a broker, a failed try is retried by ``self.retry`` after
``RETRY_DELAYS`` seconds (1, 2, 4 and 8 minutes). In eager mode (no broker: tests and ``make run``)
Celery cannot wait, and with ``task_eager_propagates`` it raises ``Retry`` to the caller instead of
retrying; so there the task tries again at once, in the same call, up to the same bound.
After the last try the row stays ``failed`` and the task ends quietly: the failure is on the row,
and the change that caused the message was committed before the first try.
"""

from celery import shared_task

from . import services

MAX_TRIES = 5
RETRY_DELAYS = (60, 120, 240, 480)


@shared_task(bind=True, max_retries=MAX_TRIES - 1, acks_late=True)
def notification_send(self, notification_id):
    """Send notification ``notification_id`` (``accounts.models.Notification``)."""
    retries = self.request.retries or 0
    while True:
        last_attempt = retries >= self.max_retries
        try:
            services.notification_deliver(notification_id=notification_id, last_attempt=last_attempt)
            return
        except services.NotificationNotSent as error:
            if last_attempt:
                return
            if not self.request.is_eager:
                raise self.retry(exc=error, countdown=RETRY_DELAYS[retries]) from error
            retries += 1
