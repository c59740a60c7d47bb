"""The webhook signature (C22): HMAC-SHA256 over the timestamp and the exact bytes on the wire, and
the receiver's check (``signing.verify``), which the bank guide shows."""

import hashlib
import hmac
import json

import pytest

from financing.webhooks.signing import event_body, parse_signature_header, sign, signature_header, verify

C22_EVENT = {"event_id": "evt_01", "amount": 12345678901234567, "applicant": "علی"}
SECRET = "s3cr3t"
T = 1750000000
C22_BODY = b'{"event_id":"evt_01","amount":12345678901234567,"applicant":"\xd8\xb9\xd9\x84\xdb\x8c"}'
C22_SIGNATURE = "53e85ea71fba1e095707d4a0bc464d6ed04c3744a4f8928f269e41c6c1b38627"


def test_c22_the_body_is_serialised_once_compact_and_in_utf8():
    body = event_body(C22_EVENT)
    assert body == C22_BODY
    assert body == json.dumps(C22_EVENT, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(body) == 69


def test_c22_the_signature_is_the_hmac_of_timestamp_dot_body():
    expected = hmac.new(b"s3cr3t", b"1750000000." + C22_BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, T, C22_BODY) == expected == C22_SIGNATURE
    assert signature_header(SECRET, T, C22_BODY) == f"t=1750000000,v1={C22_SIGNATURE}"
    assert verify(SECRET, f"t=1750000000,v1={C22_SIGNATURE}", C22_BODY, now=T + 10)


def test_c22_a_re_serialised_body_gives_another_hmac_so_the_raw_body_must_be_verified():
    """What a receiver that parses the JSON and dumps it again would check: Python's defaults
    escape «علی» and add spaces, so the bytes, and the HMAC, differ from what was signed."""
    header = signature_header(SECRET, T, C22_BODY)
    reserialised = json.dumps(json.loads(C22_BODY)).encode()
    assert reserialised == b'{"event_id": "evt_01", "amount": 12345678901234567, "applicant": "\\u0639\\u0644\\u06cc"}'
    assert json.loads(reserialised) == json.loads(C22_BODY) == C22_EVENT
    assert sign(SECRET, T, reserialised) == "347c3af93dba97d9b6678922131c64be74056e3e69a3b4f59be8984fc6cb464b"
    assert not verify(SECRET, header, reserialised, now=T)
    assert verify(SECRET, header, C22_BODY, now=T)


def test_the_signature_checks_only_bytes():
    with pytest.raises(TypeError):
        sign(SECRET, T, C22_BODY.decode())
    with pytest.raises(TypeError):
        verify(SECRET, signature_header(SECRET, T, C22_BODY), json.loads(C22_BODY), now=T)


@pytest.mark.parametrize("now, ok", [(T, True), (T + 300, True), (T - 300, True), (T + 301, False), (T - 301, False)])
def test_a_timestamp_outside_the_tolerance_is_refused_either_way(now, ok):
    """A replayed (stale) or post-dated signature is refused: 300 seconds either way by default."""
    assert verify(SECRET, signature_header(SECRET, T, C22_BODY), C22_BODY, now=now) is ok


def test_the_tolerance_can_be_set():
    header = signature_header(SECRET, T, C22_BODY)
    assert not verify(SECRET, header, C22_BODY, now=T + 61, tolerance_seconds=60)
    assert verify(SECRET, header, C22_BODY, now=T + 3600, tolerance_seconds=3600)


def test_another_secret_body_or_timestamp_fails():
    header = signature_header(SECRET, T, C22_BODY)
    assert not verify("another-secret", header, C22_BODY, now=T)
    assert not verify(SECRET, header, C22_BODY.replace(b"evt_01", b"evt_02"), now=T)
    # The timestamp is signed too: moving it to look fresh breaks the signature.
    assert not verify(SECRET, header.replace("t=1750000000", "t=1750000500"), C22_BODY, now=T + 500)


@pytest.mark.parametrize("header", [
    "",
    "v1=" + C22_SIGNATURE,
    "t=1750000000",
    "t=abc,v1=" + C22_SIGNATURE,
    "t=۱۷۵۰۰۰۰۰۰۰,v1=" + C22_SIGNATURE,  # Persian digits are not a Unix time here
    "t=1750000000,v1=" + C22_SIGNATURE.upper(),
    "t=1750000000,v1=" + C22_SIGNATURE[:-1],
    "t=1750000000,v1=" + "é" * 64,
    "t=1750000000,v0=" + C22_SIGNATURE,
])
def test_a_malformed_header_fails_without_raising(header):
    assert verify(SECRET, header, C22_BODY, now=T) is False


def test_any_matching_v1_passes_and_spaces_are_allowed():
    """A header may carry several ``v1`` (a later rotation may sign with two secrets)."""
    header = f"t=1750000000, v1={'0' * 64}, v1={C22_SIGNATURE}"
    assert parse_signature_header(header) == (T, ["0" * 64, C22_SIGNATURE])
    assert verify(SECRET, header, C22_BODY, now=T)
