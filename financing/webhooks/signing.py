"""The webhooks' signature (issue 8, C22): HMAC-SHA256 over the timestamp and the exact bytes sent.

Every event is POSTed with three headers::

    X-Kaleh-Event-Id: evt_4f0c…            (the event's id: drop an id already seen)
    X-Kaleh-Event-Type: application.state_changed
    X-Kaleh-Signature: t=1750000000,v1=<hex HMAC-SHA256(secret, b"1750000000." + body)>

``t`` is the Unix time of the attempt (each retry signs again with its own time); ``v1`` is the
lower-case hex digest, keyed with the endpoint's secret (UTF-8). The body is serialised once
(``event_body``) and those bytes are stored, signed and sent: a receiver must verify the raw body
as it arrived, never a re-serialisation of the parsed JSON (``json.dumps(json.loads(body))``
escapes ``علی`` as ``\\u0639…`` and gives another HMAC). ``verify`` is the check the bank guide
shows.
"""

import hashlib
import hmac
import json
import re
import time

SIGNATURE_HEADER = "X-Kaleh-Signature"
EVENT_ID_HEADER = "X-Kaleh-Event-Id"
EVENT_TYPE_HEADER = "X-Kaleh-Event-Type"
SCHEME = "v1"
DEFAULT_TOLERANCE_SECONDS = 300

_TIMESTAMP = re.compile(r"[0-9]{1,15}")
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


def event_body(event: dict) -> bytes:
    """The one serialisation of ``event``: compact JSON, UTF-8, non-ASCII text kept as is. The
    bytes returned are what is stored, signed and sent (C22)."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256, keyed with ``secret`` (UTF-8), of ``b"<timestamp>." + body``.
    ``body`` must be the raw bytes (``TypeError`` otherwise)."""
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError("sign the raw body bytes, not a parsed or re-encoded body")
    message = str(int(timestamp)).encode("ascii") + b"." + bytes(body)
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The value of ``X-Kaleh-Signature``: ``t=<timestamp>,v1=<sign(...)>``."""
    return f"t={int(timestamp)},{SCHEME}={sign(secret, timestamp, body)}"


def signed_headers(*, secret: str, timestamp: int, body: bytes, event_id: str, event_type: str) -> dict:
    """All the headers of one POST of ``body`` (JSON, UTF-8), signed at ``timestamp``."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "KALEH-Webhooks/1",
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
        SIGNATURE_HEADER: signature_header(secret, timestamp, body),
    }


def parse_signature_header(header: str) -> tuple[int | None, list[str]]:
    """``(timestamp, [v1 digests])`` from a ``X-Kaleh-Signature`` value; ``(None, [])`` parts for
    what is missing or malformed. Unknown schemes are ignored (a later ``v2`` can be added)."""
    timestamp, digests = None, []
    for part in (header or "").split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and timestamp is None and _TIMESTAMP.fullmatch(value):
            timestamp = int(value)
        elif key == SCHEME and _HEX_DIGEST.fullmatch(value):
            digests.append(value)
    return timestamp, digests


def verify(secret: str, header: str, body: bytes, tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
           now: float | None = None) -> bool:
    """Whether ``header`` (the ``X-Kaleh-Signature`` value) signs ``body`` (the raw request bytes)
    with ``secret``, at a time within ``tolerance_seconds`` of ``now`` (Unix seconds, default the
    clock) either way. A stale or future timestamp (a replay), a malformed header or another body
    gives ``False``; digests are compared in constant time. ``TypeError`` if ``body`` is not bytes."""
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError("verify the raw body bytes as received, not a parsed or re-encoded body")
    timestamp, digests = parse_signature_header(header)
    if timestamp is None or not digests:
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance_seconds:
        return False
    expected = sign(secret, timestamp, body).encode("ascii")
    # Every candidate is compared, so the time taken does not say which one matched.
    matched = False
    for digest in digests:
        matched |= hmac.compare_digest(expected, digest.encode("ascii"))
    return matched
