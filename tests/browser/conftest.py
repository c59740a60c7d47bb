"""Fixtures for browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

- ``browser`` (session): Chromium from ``/usr/bin/chromium`` (not ``playwright install``), headless,
  with the flags that work as root on a closed network (stack.md, known trap 6).
- ``page``: a fresh page in a fresh context. Every request it makes is recorded in ``page_requests``;
  a request to any host other than 127.0.0.1/localhost is aborted and fails the test.
- ``page_requests``: the record, a list of :class:`RequestRecord` (URL, resource type, status).
- ``save_screenshot(page, name)``: writes ``artifacts/screenshots/<name>.png`` and returns its path.

Mark browser tests with ``@pytest.mark.browser`` (registered in pytest.ini) and take ``live_server``.
Playwright's sync API keeps an event loop running in the test thread, so Django's ORM needs
``DJANGO_ALLOW_ASYNC_UNSAFE`` (known trap 5); it is set here and by ``make test``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server listens on 127.0.0.1 (pytest-django's default is "localhost").
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = os.environ.get("KALEH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
# Schemes that never reach the network.
LOCAL_SCHEMES = frozenset({"data", "blob", "about", "chrome", "chrome-extension"})
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "artifacts"
SCREENSHOTS_DIR = ARTIFACTS_DIR / "screenshots"


@dataclass
class RequestRecord:
    """One request the page made: its URL, Playwright's resource type, and the HTTP status (None if none)."""

    url: str
    resource_type: str
    status: int | None = None
    failure: str | None = None

    @property
    def is_local(self) -> bool:
        """True for a request that stays on this machine (127.0.0.1 or localhost, or a data/blob URL)."""
        parts = urlsplit(self.url)
        return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


def _is_local(url: str) -> bool:
    return RequestRecord(url, "").is_local


@pytest.fixture(scope="session")
def browser(playwright):
    """Debian's Chromium, launched once per test session."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    # While Playwright runs, asyncio sees a running loop in this thread, so asgiref hands Django a
    # second, context-local set of connections. Close them while they are still reachable, or the
    # test database cannot be dropped at the end ("being accessed by other users").
    from django.db import connections

    connections.close_all()


@pytest.fixture
def page_requests() -> list[RequestRecord]:
    """The requests the ``page`` fixture's page made, in order."""
    return []


@pytest.fixture
def page(context, page_requests):
    """A page that records every request and refuses any request that would leave 127.0.0.1.

    A refused request is aborted at once (so no test waits on DNS) and fails the test at teardown.
    """
    by_request = {}

    def on_request(request):
        record = RequestRecord(request.url, request.resource_type)
        by_request[request] = record
        page_requests.append(record)

    def on_response(response):
        record = by_request.get(response.request)
        if record is not None:
            record.status = response.status

    def on_failed(request):
        record = by_request.get(request)
        if record is not None:
            record.failure = request.failure

    def guard(route):
        if _is_local(route.request.url):
            route.fallback()
        else:
            route.abort("blockedbyclient")

    context.on("request", on_request)
    context.on("response", on_response)
    context.on("requestfailed", on_failed)
    context.route("**/*", guard)
    page = context.new_page()
    yield page
    foreign = [record.url for record in page_requests if not record.is_local]
    if foreign:
        pytest.fail("the page made requests outside 127.0.0.1:\n  " + "\n  ".join(foreign))


@pytest.fixture
def save_screenshot():
    """Return ``save(page, name, *, full_page=True) -> Path`` writing ``artifacts/screenshots/<name>.png``."""

    def save(page, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save
