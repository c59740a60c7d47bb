from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SectorsConfig(AppConfig):
    name = "sectors"
    verbose_name = _("بخش‌ها و رسته‌ها")
