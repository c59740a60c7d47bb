from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = _("اقدامات توسعه‌ای")

    def load_programme_data(self, directory, report):
        """Called by ``load_programme``: the §7 catalogue and the funding bodies (``interventions.loading``)."""
        from .loading import load_intervention_data

        load_intervention_data(directory, report)
