from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Invented demo data (``manage.py seed_demo``). Installed only in the local and test settings;
    no product module imports it."""

    name = "demo"
    verbose_name = "Demo data"
