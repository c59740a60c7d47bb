"""One try at delivering a webhook, and the retry policy (``tasks.webhook_deliver`` loops over it).

A try POSTs the stored body bytes, signed now, to the endpoint's URL (``urllib``; redirects are
not followed, since a redirected POST would lose its body), logs a ``WebhookAttempt`` and updates
the delivery: a 2xx answer makes it ``delivered``; anything else (another status, a refused
connection, a timeout) leaves it ``pending`` with a retry due after ``retry_countdown`` seconds,
or makes it ``failed`` once it has had the endpoint's ``max_attempts``.
"""

import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import WebhookAttempt, WebhookDelivery
from .signing import signed_headers

TIMEOUT_SECONDS = 5  # the guide asks banks to answer at once; a slow one is retried later
RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 60 * 60
ERROR_CHARS = 500


@dataclass(frozen=True)
class Outcome:
    """What a try left: the delivery's ``state`` (``None`` when nothing was tried: an unknown
    delivery, or one another worker is sending) and ``retry_in``, the seconds to wait before the
    next try, or ``None`` when no try is due."""

    state: str | None
    retry_in: int | None = None


def retry_countdown(attempts_made: int) -> int:
    """Seconds to wait after the ``attempts_made``-th failed try: 30, 60, 120, … doubling, at most
    an hour."""
    return min(RETRY_BASE_SECONDS * 2 ** max(attempts_made - 1, 0), RETRY_CAP_SECONDS)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx is the answer: a failed try


_opener = urllib.request.build_opener(_NoRedirect)


def http_post(url: str, body: bytes, headers: dict, *, timeout=TIMEOUT_SECONDS) -> tuple[int | None, str]:
    """POST ``body`` to ``url``: ``(status code, "")`` for a 2xx answer, ``(status code or None,
    error text)`` otherwise. Never raises for a network failure."""
    request = urllib.request.Request(url, data=bytes(body), headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(4096)
            status = response.status
    except urllib.error.HTTPError as error:
        try:
            snippet = error.read(ERROR_CHARS).decode("utf-8", "replace")
        except OSError:
            snippet = ""
        finally:
            error.close()
        return error.code, f"HTTP {error.code}: {snippet}".strip()[:ERROR_CHARS]
    except (OSError, ValueError) as error:  # URLError, refused, timeout, TLS; ValueError: a bad URL
        reason = getattr(error, "reason", error)
        return None, f"{type(error).__name__}: {reason}"[:ERROR_CHARS]
    if 200 <= status < 300:
        return status, ""
    return status, f"HTTP {status}"


def deliver_once(delivery_id: int, *, now=None) -> Outcome:
    """Try once to send delivery ``delivery_id`` (signed at ``now``, default the clock).

    Only a ``pending`` delivery is sent: a ``delivered`` or ``failed`` one is left alone, so a
    stray retry sends nothing. The row stays locked during the POST (at most ``TIMEOUT_SECONDS``)
    and a delivery locked by another worker is skipped, so one event is never sent by two at once.
    A delivery whose endpoint was made inactive becomes ``failed`` without a try.
    """
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("endpoint").filter(pk=delivery_id).first())
        if delivery is None:
            return Outcome(None)
        if delivery.state != WebhookDelivery.State.PENDING:
            return Outcome(delivery.state)
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            delivery.state = WebhookDelivery.State.FAILED
            delivery.last_error = "endpoint inactive"
            delivery.save(update_fields=["state", "last_error"])
            return Outcome(delivery.state)

        now = now or timezone.now()
        body = bytes(delivery.body)
        headers = signed_headers(secret=endpoint.secret, timestamp=int(now.timestamp()), body=body,
                                 event_id=delivery.event_id, event_type=delivery.event_type)
        started = time.monotonic()
        status_code, error = http_post(endpoint.url, body, headers)
        duration_ms = round((time.monotonic() - started) * 1000)
        WebhookAttempt.objects.create(delivery=delivery, at=now, status_code=status_code, error=error,
                                      duration_ms=duration_ms)

        delivery.attempts += 1
        delivery.last_status_code = status_code
        delivery.last_error = error
        retry_in = None
        if not error:
            delivery.state = WebhookDelivery.State.DELIVERED
            delivery.delivered_at = timezone.now()
        elif delivery.attempts >= max(endpoint.max_attempts, 1):
            delivery.state = WebhookDelivery.State.FAILED
        else:
            retry_in = retry_countdown(delivery.attempts)
        delivery.save(update_fields=["attempts", "last_status_code", "last_error", "state", "delivered_at"])
        return Outcome(delivery.state, retry_in)
