"""The bank API in the admin (registered by ``financing.admin``): ministry staff issue a key to a
bank officer's account and revoke it; the key is shown once, on creation (only its hash is kept).
The calls that changed something (``ApiCallRecord``) are read-only.

The library's own ``APIKey`` model is unregistered: the portal's keys are ``BankApiKey``.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from common.admin import PersianAdminMixin, ReadOnlyModelAdmin
from common.fields import JalaliDateField
from common.normalization import to_persian_digits

from .keys import api_key_revoke, bank_officers
from .models import ApiCallRecord, BankApiKey

if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


class BankApiKeyForm(forms.ModelForm):
    """A key's name, its bank officer and, optionally, the last Jalali day it is valid."""

    expires_on = JalaliDateField(label=_("معتبر تا (تاریخ شمسی، اختیاری)"), required=False,
                                 help_text=_("خالی: تا زمان ابطال معتبر است."))

    class Meta:
        model = BankApiKey
        fields = ["name", "user", "revoked"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.expiry_date:
            self.initial["expires_on"] = timezone.localtime(self.instance.expiry_date).date() - datetime.timedelta(
                days=1)

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("تاریخ اعتبار نباید پیش از امروز باشد."))
        return day

    def save(self, commit=True):
        if "expires_on" in self.changed_data:
            day = self.cleaned_data.get("expires_on")
            # Valid through that whole day in Tehran: it expires at the next midnight.
            self.instance.expiry_date = timezone.make_aware(
                datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)) if day else None
        return super().save(commit)


@admin.register(BankApiKey)
class BankApiKeyAdmin(PersianAdminMixin, APIKeyModelAdmin):
    form = BankApiKeyForm
    list_display = ["prefix", "name", "user", "bank", "created", "expiry_date", "_has_expired", "revoked"]
    list_filter = ["revoked", "user__bank"]
    list_select_related = ["user__bank"]
    search_fields = ["name", "prefix", "user__username"]
    actions = ["revoke"]

    @admin.display(description=_("بانک"))
    def bank(self, obj):
        return obj.user.bank

    def get_fields(self, request, obj=None):
        if obj is not None and obj.revoked:
            return ["prefix", "name", "user", "expiry_date", "revoked", "created", "created_by"]
        return ["name", "user", "expires_on", "revoked", "prefix", "created", "created_by"] if obj else \
            ["name", "user", "expires_on"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.revoked:
            return self.get_fields(request, obj)
        return ["prefix", "user", "created", "created_by"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = bank_officers().select_related("bank").order_by("bank__name", "username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form=None, change=False):
        if change:
            obj.save()
            return
        key = BankApiKey.objects.assign_key(obj)
        obj.created_by = request.user
        obj.save()
        self.message_user(request, _(
            "کلید API «%(name)s» برای %(user)s: %(key)s — این کلید فقط همین یک بار نشان داده می‌شود؛ "
            "آن را در جای امنی نگه دارید و به بانک بدهید.") % {"name": obj.name, "user": obj.user, "key": key},
            messages.WARNING)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the calls and idempotency records keep pointing at the key

    @admin.action(description=_("ابطال کلیدهای انتخاب‌شده"), permissions=["change"])
    def revoke(self, request, queryset):
        done = sum(api_key_revoke(api_key=api_key) for api_key in queryset)
        self.message_user(request, _("%(n)s کلید باطل شد.") % {"n": to_persian_digits(done)}, messages.SUCCESS)


@admin.register(ApiCallRecord)
class ApiCallRecordAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "method", "endpoint", "status_code", "outcome", "bank", "user", "api_key",
                    "idempotency_key"]
    list_filter = ["bank", "method", "status_code", "outcome"]
    list_select_related = ["bank", "user", "api_key"]
    search_fields = ["idempotency_key", "path", "api_key__prefix"]
