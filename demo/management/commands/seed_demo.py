"""``manage.py seed_demo``: invented demo accounts, calls and applications in every state, with
budget allocations marked as demo data for the years they span and the budget ledger they move,
development interventions in every state of the §8 chain and each province's timetable progress.

Needs the programme data (``manage.py load_programme``). Runs once: a second run says
"demo data already present", writes nothing, and prints the existing logins and tracking codes.
Up to ``demo.bulk.BULK_THRESHOLD`` applications it builds them through the services
(``demo.builder``); above, in bulk (``demo.bulk``): 100,000 take minutes instead of most of an hour.
"""

import logging
import time

from django.core.management.base import BaseCommand, CommandError

from demo import builder, bulk
from demo.report import existing_demo
from demo.staff import ALREADY_PRESENT, DemoDataPresent, ReferenceDataMissing
from financing import tracking


class Command(BaseCommand):
    help = "Create demo accounts (one per role), calls and invented applications in every state of the §9 chain."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=300,
                            help="How many applications to invent (default 300; above "
                                 f"{bulk.BULK_THRESHOLD} they are built in bulk).")
        parser.add_argument("--seed", type=int, default=1404, help="Seed of the random choices (default 1404).")

    def handle(self, *args, applications, seed, **options):
        # Thousands of demo SMS would bury the logins this command prints.
        logging.getLogger("accounts.sms").setLevel(logging.WARNING)
        if applications < 0:
            raise CommandError("--applications must be 0 or more")
        started = time.monotonic()
        try:
            if applications > bulk.BULK_THRESHOLD:
                report = bulk.seed_demo_bulk(applications=applications, seed=seed, progress=self._progress)
            else:
                report = builder.seed_demo(applications=applications, seed=seed)
        except DemoDataPresent:
            self.stdout.write(self.style.WARNING(f"{ALREADY_PRESENT}: nothing was added."))
            report = existing_demo()
        except ReferenceDataMissing as exc:
            raise CommandError(str(exc)) from None
        else:
            elapsed = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(
                f"Demo data created in {elapsed:.1f} s: {report.applications} applications, "
                f"{len(report.logins)} listed accounts."))
        self._print_summary(report)

    def _progress(self, done, total):
        if done % 10_000 == 0 or done == total:
            self.stdout.write(f"  {done:>7} of {total} applications", ending="\n")

    def _print_summary(self, report):
        self.stdout.write(f"Password of every demo account: {report.password}")
        width = max((len(username) for username, _role, _scope in report.logins), default=10)
        for username, role, scope in report.logins:
            self.stdout.write(f"  {username:<{width}}  {role:<24} {scope}")
        self.stdout.write("Applications by state:")
        for state, count in sorted(report.states.items()):
            self.stdout.write(f"  {state:<22} {count}")
        self.stdout.write("Some tracking codes (for the public tracking page):")
        for code, state in report.tracking_codes:
            self.stdout.write(f"  {tracking.grouped(code, persian=False)}  ({state})")
        self.stdout.write(report.development_line())
        for note in report.notes:
            self.stdout.write(note)
