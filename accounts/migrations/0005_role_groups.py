"""The admin groups of the roles that work in the Django admin (ministry staff, system
administrators), with their model permissions (``accounts.models.ROLE_PERMISSIONS``); the
accounts of those roles join their group. ``accounts.services.role_groups_sync`` runs again after
every ``migrate``, so later models are covered too."""

from django.db import migrations


def create_role_groups(apps, schema_editor):
    from accounts.services import role_groups_sync

    role_groups_sync(apps=apps, using=schema_editor.connection.alias)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["ministry_staff", "system_admin"]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_audit_time_set_when_built"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programs", "0002_budget_year_range"),
        ("sectors", "0001_initial"),
        ("financing", "0006_document_time_set_when_built"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
