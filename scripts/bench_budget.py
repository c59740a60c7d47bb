#!/usr/bin/env python3
"""Count the queries and time the budget page and /program/ at volume (a benchmark, not a test).

Run it against a database that holds the demo, e.g. 100 or 100,000 applications::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaleh_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_programme
    .venv/bin/python manage.py seed_demo --applications 100000
    .venv/bin/python scripts/bench_budget.py [--requests 20]

It logs in (``force_login``, Django's test client, no server) the demo's ministry account and a
working-group secretary, requests ``/budgets/?year=all`` and ``/program/``, and prints the number of
applications and ledger entries, the SQL queries of one request and the median time of
``--requests`` requests in milliseconds. It writes nothing to the database but sessions.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaleh_portal.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role, User
    from budgets.models import LedgerEntry
    from financing.models import InvestmentApplication

    print(f"applications: {InvestmentApplication.objects.count():,}  ledger entries: "
          f"{LedgerEntry.objects.count():,}")
    readers = [User.objects.filter(role=role, is_active=True).order_by("id").first()
               for role in (Role.MINISTRY_STAFF, Role.WORKING_GROUP_SECRETARY)]
    for user in [u for u in readers if u] + [None]:
        client = Client(HTTP_HOST="localhost")
        if user:
            client.force_login(user)
        for url in (["/budgets/?year=all"] if user else []) + ["/program/"]:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            count = len(queries)  # now: the next request empties the log it reads
            assert response.status_code == 200, (url, response.status_code)
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            who = f"{user.role} {user.username}" if user else "anonymous"
            print(f"{who:40} {url:22} {count:3} queries  median {statistics.median(times):6.1f} ms")


if __name__ == "__main__":
    main()
