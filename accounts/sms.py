"""Sending SMS: one small interface, chosen by the ``SMS_BACKEND`` setting (a dotted class path).

The default, ``LogSmsBackend``, sends nothing: it logs each message (logger ``accounts.sms``, level
INFO, below the console's default WARNING: add ``"loggers": {"accounts.sms": {"level": "INFO"}}`` to
``LOGGING`` to see them) and keeps the latest ones in ``sms.outbox`` for tests and the demo, as
Django's locmem email backend keeps ``mail.outbox``.

Writing a real gateway backend
------------------------------
Subclass ``SmsBackend`` in a module of your own and point ``SMS_BACKEND`` at it (the setting is read
from the environment variable of the same name). ``send(mobile, text)``:

- gets ``mobile`` as 11 ASCII digits starting ``09`` (the form the portal stores) and ``text`` as
  Persian Unicode; most Iranian gateways want the number as is, some as ``98…`` without the zero;
- returns the provider's message id as text (stored on the notification row);
- raises ``SmsError`` for anything that means "not sent": a refused number, an exhausted credit, a
  timeout, a network error. The task that calls it records the error and retries with backoff, so
  the backend itself does not retry and never swallows a failure.

The provider's client is the backend's business: for example a thin class around the provider
client of django-iran-sms (Kavenegar, Melipayamak, ParsianWebCo; archived on PyPI, its last
release only pulls in django-chelseru) or around the provider's own Python package. Its API key
and sender line come from settings read from the environment, never from this repository. The
package is not installed here; no gateway code ships with the portal.
"""

import itertools
import logging
from collections import deque

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# The latest messages "sent" by LogSmsBackend, newest last: (message id, mobile, text).
outbox = deque(maxlen=1000)
_ids = itertools.count(1)


class SmsError(Exception):
    """The message was not sent (refused, unreachable, out of credit, timed out)."""


class SmsBackend:
    """Sends one text message. Subclasses implement ``send``."""

    def send(self, mobile: str, text: str) -> str:
        """Send ``text`` to ``mobile`` (``09…``, 11 ASCII digits); return the provider's message id.

        Raises ``SmsError`` when the message was not sent.
        """
        raise NotImplementedError


class LogSmsBackend(SmsBackend):
    """Development and test backend: logs the message and records it in ``outbox``."""

    def send(self, mobile: str, text: str) -> str:
        message_id = f"log-{next(_ids)}"
        outbox.append((message_id, mobile, text))
        logger.info("SMS %s to %s: %s", message_id, mobile, text)
        return message_id


def get_sms_backend() -> SmsBackend:
    """A new instance of the backend named by ``settings.SMS_BACKEND``."""
    return import_string(settings.SMS_BACKEND)()
