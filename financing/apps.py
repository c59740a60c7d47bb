from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "financing"
    verbose_name = _("حمایت مالی از طرح‌ها")

    def ready(self):
        from accounts import labels

        from .models import ApplicationState
        from .templatetags.workflow import ACTION_LABELS

        labels.register(actions=ACTION_LABELS, states=dict(ApplicationState.choices))
