"""The bank guide (``docs/bank-api.md``) works as written: its commands, run in order with bash
against a live portal, take one application through the bank's whole side, and its webhook check
accepts the event the portal really sent. What the guide leaves to others (the applicant's
uploads and declaration) is done here between its steps, through the services."""

import datetime
import io
import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command

from financing import services
from financing.models import ApplicationDocument, ApplicationState, Disbursement, InvestmentApplication
from financing.webhooks.models import WebhookEndpoint
from tests.uploads import pdf
from tests.world import advance

S = ApplicationState
GUIDE = Path(__file__).resolve().parents[3] / "docs" / "bank-api.md"
STEP = re.compile(r"<!-- test: (?P<name>[^>]+?) -->\n```(?P<language>sh|python)\n(?P<code>.*?)```", re.S)
KEEP = ("APP", "TODAY")  # the variables one step hands to the next

pytestmark = [pytest.mark.django_db(transaction=True)]


def guide_steps():
    """``[(name, language, code)]``: the guide's runnable blocks, in order."""
    return [(m["name"], m["language"], m["code"]) for m in STEP.finditer(GUIDE.read_text(encoding="utf-8"))]


class Receiver(BaseHTTPRequestHandler):
    """A bank's webhook endpoint: keeps each request's raw body and signature."""

    received = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((self.headers["X-Kaleh-Signature"], body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/kaleh-events"
    server.shutdown()


def run_shell(code, env, cwd):
    keep = " ".join(KEEP)
    script = (f"set -euo pipefail\nif [ -f state.sh ]; then source state.sh; fi\n{code}\n"
              f"for v in {keep}; do if [ -n \"${{!v:-}}\" ]; then declare -p \"$v\"; fi; done > state.sh\n")
    done = subprocess.run(["bash", "-c", script], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_bank_guide_takes_one_application_through_the_bank_side(live_server, world, receiver, tmp_path):
    endpoint = WebhookEndpoint.objects.create(bank=world.bank_1, url=receiver)
    application = advance(world, S.REFERRED_TO_BANK)
    out = io.StringIO()
    call_command("bank_api_key", "issue", world.bank_officer_1.username, "--name", "core banking", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "KALEH": live_server.url, "KEY": key,
           "SECRET": endpoint.secret, "LC_ALL": "C.UTF-8"}
    steps = guide_steps()
    assert [name for name, _language, _code in steps] == [
        "set KALEH, KEY", "verify the webhook received", "list", "detail", "review and approve", "contract",
        "tranches", "confirm and subsidy"]
    outputs = {}
    for name, _language, code in steps:
        if name == "set KALEH, KEY":
            continue  # placeholders: the test sets them
        if name == "verify the webhook received":
            signature, body = Receiver.received[0]
            assert json.loads(body)["type"] == "application.referred"
            (tmp_path / "event.json").write_bytes(body)
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                                  env={**env, "SIGNATURE": signature, "BODY_FILE": str(tmp_path / "event.json")})
            assert done.returncode == 0, done.stderr
            continue
        if name == "contract":  # the applicant has uploaded the bank's documents
            services.document_add(actor=world.owner, application_id=application.pk,
                                  kind=ApplicationDocument.Kind.BANK_DOCUMENT, uploaded_file=pdf("bank.pdf"))
        if name == "confirm and subsidy":  # the applicant declares the project operating
            services.application_declare_operation(
                actor=world.owner, application_id=application.pk, operation_started_on=datetime.date.today(),
                actual_new_jobs=12, actual_retained_jobs=4)
        outputs[name] = run_shell(code, env, tmp_path)

    application.refresh_from_db()
    assert application.state == S.OPERATING
    assert (tmp_path / "study.pdf").read_bytes().startswith(b"%PDF")
    assert outputs["contract"].endswith("8\n1863370197\n")  # the applicant's rate, the computed subsidy
    assert outputs["tranches"].endswith("}0\n")  # the two answers are the same bytes; nothing left to pay
    assert Disbursement.objects.filter(application=application).count() == 2  # the retried tranche paid once
    assert outputs["confirm and subsidy"].endswith("}1863370197\n0\n1863370197\n")  # committed, paid, left
    # Every step the bank took was announced to its webhook, and each announcement verified.
    types = [json.loads(body)["type"] for _signature, body in Receiver.received]
    assert types[0] == "application.referred" and len(types) >= 7
    assert InvestmentApplication.objects.filter(pk=application.pk, bank=world.bank_1).exists()
