from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender, *, using, apps=global_apps, **kwargs):
    # ``apps`` is the migrated state after ``migrate``; ``flush`` sends none.
    from .services import role_groups_sync

    role_groups_sync(apps=apps, using=using)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("حساب‌ها و سوابق")

    def ready(self):
        # After every migrate (and a test run's flush, which empties the tables), the admin groups
        # of the roles match ROLE_PERMISSIONS again.
        post_migrate.connect(_sync_role_groups, sender=self, dispatch_uid="accounts.role_groups")
