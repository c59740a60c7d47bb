from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """The shared tools at the bottom of the layers: no models, imports no app of the portal."""

    name = "common"
    verbose_name = _("ابزارهای مشترک")
