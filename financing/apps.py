from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "financing"
    verbose_name = _("حمایت مالی از طرح‌ها")

    def ready(self):
        from django.db.models.signals import post_save

        from sectors.models import PrioritySector

        from .priority import priority_sector_saved

        # A sector's rank is an input of its province's priority scores (financing.priority).
        post_save.connect(priority_sector_saved, sender=PrioritySector, dispatch_uid="financing.priority_sector_saved")
