#!/usr/bin/env python3
"""Time the inbox and the application list at volume (a benchmark, not a test).

Run it against a database that holds the demo in volume, e.g. 100,000 applications::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaleh_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_programme
    .venv/bin/python manage.py seed_demo --applications 100000
    .venv/bin/python scripts/bench_inbox.py [--requests 30] [--size 25]

It logs in (``force_login``, Django's test client, no server) the busiest agency officer, working-group
secretary and bank officer (the accounts with the most applications in their inbox) and the
ministry, and requests the first page and the last full page of their inbox and of the list of every
application they may read. For each it prints the rows behind the list, the SQL queries of one
request, and the median and 95th-percentile time of ``--requests`` requests in milliseconds.
DEBUG is off unless ``DJANGO_DEBUG`` says otherwise. It writes nothing to the database but sessions.
"""

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaleh_portal.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()


def busiest(role, key, inbox_states):
    """The active account of ``role`` whose scope (``key``: agency, province or bank) has the most
    applications in ``inbox_states``; bank officers narrowed to some provinces are left out."""
    from django.db.models import Count

    from accounts.models import User
    from financing.models import InvestmentApplication

    counts = (InvestmentApplication.objects.filter(state__in=inbox_states).values(key)
              .annotate(n=Count("id")).order_by("-n", key))
    users = User.objects.filter(role=role, is_active=True, bank_provinces=None).order_by("id")
    for row in counts:
        user = users.filter(**{key: row[key]}).first()
        if user is not None:
            return user
    return None


def measure(client, url, requests):
    """``(status, queries, median ms, p95 ms)`` of ``requests`` GETs of ``url`` after one warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    queries = len(captured)  # now: the next request empties the log it reads
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
    return status, queries, statistics.median(times), p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--size", type=int, default=25, help="rows per page, ?size= (default 25)")
    args = parser.parse_args()
    _setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Role, User
    from financing import selectors, workflow
    from financing.models import InvestmentApplication

    inbox = workflow.INBOX_STATES
    accounts = [
        busiest(Role.AGENCY_OFFICER, "agency", inbox[Role.AGENCY_OFFICER]),
        busiest(Role.WORKING_GROUP_SECRETARY, "province", inbox[Role.WORKING_GROUP_SECRETARY]),
        busiest(Role.BANK_OFFICER, "bank", inbox[Role.BANK_OFFICER]),
        User.objects.filter(role=Role.MINISTRY_STAFF, is_active=True).order_by("id").first(),
    ]
    print(f"{InvestmentApplication.objects.count()} applications on {connection.vendor} "
          f"({settings.DATABASES['default']['NAME']}), DEBUG={settings.DEBUG}, {args.requests} requests each, "
          f"size={args.size}")
    print(f"{'account':<34} {'list':<13} {'rows':>7} {'page':>6} {'status':>6} {'queries':>7} "
          f"{'median ms':>10} {'p95 ms':>8}")
    client = Client(HTTP_HOST="127.0.0.1")
    for user in filter(None, accounts):
        client.force_login(user)
        lists = [("applications", selectors.applications_visible_to(user))]
        if user.role in inbox:
            lists.insert(0, ("inbox", selectors.application_inbox(user)))
        for name, queryset in lists:
            rows = queryset.count()
            deepest = max(1, rows // args.size)  # the last full page
            for page in sorted({1, deepest}):
                url = f"{reverse('financing:' + name)}?page={page}&size={args.size}"
                status, queries, median, p95 = measure(client, url, args.requests)
                print(f"{user.username:<34} {name:<13} {rows:>7} {page:>6} {status:>6} {queries:>7} "
                      f"{median:>10.1f} {p95:>8.1f}")
        client.logout()


if __name__ == "__main__":
    main()
