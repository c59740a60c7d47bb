"""Fixtures of the webhooks' tests: an endpoint for each of the world's banks, and a receiving
server of our own on 127.0.0.1 that checks each signature as a bank would (``signing.verify``)."""

import http.server
import threading
from dataclasses import dataclass, field

import pytest

from financing.webhooks.models import WebhookEndpoint
from financing.webhooks.signing import EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, verify


@dataclass
class Received:
    """One POST the receiver got: the raw body, its headers, and whether the signature held."""

    body: bytes
    headers: dict
    verified: bool

    @property
    def event_id(self):
        return self.headers[EVENT_ID_HEADER]


@dataclass
class Receiver:
    """A bank's webhook receiver. ``url`` to register; ``status`` is what it answers (200 unless a
    test changes it); ``received`` every request in order. It verifies with ``secret``."""

    url: str = ""
    secret: str = ""
    status: int = 200
    received: list = field(default_factory=list)

    @property
    def bodies(self):
        return [r.body for r in self.received]


def _handler(receiver):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {name: self.headers[name] for name in (EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER,
                                                             "Content-Type")}
            ok = verify(receiver.secret, self.headers[SIGNATURE_HEADER] or "", body)
            receiver.received.append(Received(body=body, headers=headers, verified=ok))
            status = receiver.status if ok else 401
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    """A running ``Receiver`` on a free port of 127.0.0.1 (its ``secret`` set by ``endpoints``)."""
    receiver = Receiver()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/kaleh/events"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoints(world, receiver):
    """``(endpoint of bank_1, endpoint of bank_2)``: bank_1's posts to ``receiver`` (whose secret it
    shares), 3 attempts at most; bank_2's to an address nothing listens on."""
    bank_1 = WebhookEndpoint.objects.create(bank=world.bank_1, url=receiver.url, max_attempts=3)
    bank_2 = WebhookEndpoint.objects.create(bank=world.bank_2, url="http://127.0.0.1:9/nothing", max_attempts=2)
    receiver.secret = bank_1.secret
    return bank_1, bank_2
