from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "budgets"
    verbose_name = _("بودجه")

    def ready(self):
        from django.db.models.signals import post_save

        from programs.models import ProvinceAllocation
        from sectors.models import SectorAllocation

        from .services import budget_lines_for_allocation

        # Every allocation has its three lines, so a line can be locked before anything is
        # committed against it (services.budget_commit).
        for model in (ProvinceAllocation, SectorAllocation):
            post_save.connect(budget_lines_for_allocation, sender=model, dispatch_uid=f"budget_lines_{model.__name__}")
