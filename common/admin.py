"""The Persian admin base classes: Jalali dates and Persian digits in change lists, and forms that
take input the way the rest of the portal does (the one normalisation layer).

Who may see or change what is Django's own model permissions (``view_…``, ``add_…``, ``change_…``,
``delete_…``): ministry staff and system administrators get theirs through the group of their
role (``accounts``), superusers have all. This module knows no roles.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .fields import (
    IdModelChoiceField,
    IdModelMultipleChoiceField,
    JalaliDateField,
    PersianCharField,
    RialField,
    fits_int64_digits_in,
)
from .templatetags.persian import fa, fa_number, jdate, jdatetime_fa


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


class PersianAdminMixin:
    """Change lists show Jalali dates and Persian digits; forms clean text with Arabic letters
    folded, rials typed with any digits and separators, and Jalali dates. Ids too large for a
    64-bit column, in a form's choice or in a change list's filter, are refused before any query
    (the database driver would otherwise raise a 500)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist_instance(self, request):
        # Django shows its "invalid lookup" page for this, as for any other bad filter. The search
        # box is text, so a long number there is just a search.
        if not all(fits_int64_digits_in(value) for key, values in request.GET.lists() if key != SEARCH_VAR
                   for value in values):
            raise IncorrectLookupParameters("an id beyond a 64-bit column")
        return super().get_changelist_instance(request)

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


class PersianModelAdmin(PersianAdminMixin, admin.ModelAdmin):
    """Reference data: who may view, add, change or delete is the user's model permissions."""


class ReadOnlyModelAdmin(PersianModelAdmin):
    """Workflow records and audit trails: states change only through the services, so the admin
    only shows them, to users with the model's ``view`` permission. Nobody adds, changes or
    deletes here, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
