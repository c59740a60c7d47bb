"""``manage.py load_programme``: load the KALEH programme's data from ``fixtures/`` (idempotent)."""

from django.core.management.base import BaseCommand

from sectors.loading import load_programme


class Command(BaseCommand):
    help = "Load the KALEH programme data (Tables 1–4, 6, 8, counties, organisations) from fixtures/."

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="directory", default=None,
                            help="Folder of the data files (default: the project's fixtures/).")

    def handle(self, *args, directory=None, **options):
        report = load_programme(directory)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(
            f"Total: {report.total('created')} created, {report.total('updated')} updated, "
            f"{report.total('unchanged')} unchanged."
        ))
