"""Who may use which part of the Django admin, by role (roles.md).

- Ministry staff manage reference data, budgets and accounts and read the workflow records.
- System administrators manage accounts only: no business data without a ministry role.
Superusers keep Django's defaults. Every account with one of these roles is ``is_staff``.
"""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from programs.fields import JalaliDateField, PersianCharField, RialField
from programs.templatetags.persian import fa, fa_number, jdate, jdatetime_fa

from .models import Role

ADMIN_ROLES = (Role.MINISTRY_STAFF, Role.SYSTEM_ADMIN)


def _is_ministry(request):
    return request.user.is_active and request.user.role == Role.MINISTRY_STAFF


def _persian_column(model, name):
    """A change-list column showing the field ``name`` with Jalali dates (Tehran time) and Persian
    digits; ``None`` when the field needs no conversion."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, models.DateTimeField):
        show = jdatetime_fa
    elif isinstance(field, models.DateField):
        show = jdate
    elif isinstance(field, models.IntegerField | models.DecimalField) and not field.primary_key:
        show = fa_number if name.endswith(("_rials", "jobs", "employment")) else fa
    else:
        return None

    def column(obj):
        return show(getattr(obj, name))

    column.short_description = field.verbose_name
    column.admin_order_field = name
    column.__name__ = f"{name}_fa"
    return column


class PersianListMixin:
    """Change lists show Jalali dates and Persian digits, and forms take input the way the rest
    of the portal does (the one normalisation layer): text with Arabic letters folded, rials with
    any digits and separators, Jalali dates."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        common = {"label": db_field.verbose_name, "required": not db_field.blank,
                  "help_text": db_field.help_text}
        if db_field.choices or getattr(db_field, "remote_field", None) or not db_field.editable:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
            return JalaliDateField(**common)
        if isinstance(db_field, models.BigIntegerField) and db_field.name.endswith("_rials"):
            return RialField(min_value=0, **common)
        if isinstance(db_field, models.CharField | models.TextField) and db_field.name not in ("password", "code"):
            kwargs.setdefault("form_class", PersianCharField)  # a form that names its own class keeps it
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_list_display(self, request):
        columns = []
        for name in super().get_list_display(request):
            column = _persian_column(self.model, name) if isinstance(name, str) else None
            columns.append(column or name)
        return columns


class MinistryAdmin(PersianListMixin, admin.ModelAdmin):
    """Reference data and budgets: ministry staff may view, add and change; nobody deletes but superusers."""

    def has_module_permission(self, request):
        return request.user.is_superuser or _is_ministry(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or _is_ministry(request)

    def has_add_permission(self, request):
        return request.user.is_superuser or _is_ministry(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or _is_ministry(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class MinistryReadOnlyAdmin(MinistryAdmin):
    """Workflow records: states change only through the services, so the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccountsAdmin(MinistryAdmin):
    """Accounts: ministry staff and system administrators."""

    def _allowed(self, request):
        user = request.user
        return user.is_superuser or (user.is_active and user.role in ADMIN_ROLES)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)
