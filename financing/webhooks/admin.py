"""The webhooks in the admin (registered by ``financing.admin``): ministry staff register each
bank's URL and hand the bank its secret; the delivery log, with every attempt, is read-only, and a
failed delivery is re-sent through ``services.webhook_redeliver``."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.admin import PersianModelAdmin, ReadOnlyModelAdmin
from common.errors import ServiceError
from common.normalization import to_persian_digits

from . import services
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

MAX_ATTEMPTS_LIMIT = 20


class WebhookEndpointForm(forms.ModelForm):
    # Django's URL field, not the admin's Persian text field: a URL is not Persian text to tidy.
    url = forms.URLField(label=_("نشانی"), max_length=500, assume_scheme="https",
                         help_text=_("نشانی HTTPS سامانه بانک که رویدادها به آن فرستاده می‌شود."))

    class Meta:
        model = WebhookEndpoint
        fields = ["bank", "url", "is_active", "max_attempts"]

    def clean_max_attempts(self):
        value = self.cleaned_data["max_attempts"]
        if not 1 <= value <= MAX_ATTEMPTS_LIMIT:
            raise forms.ValidationError(_("حداکثر تلاش باید از ۱ تا ۲۰ باشد."))
        return value


def _report(modeladmin, request, done, refused, done_text):
    if done:
        modeladmin.message_user(request, done_text % {"n": to_persian_digits(done)}, messages.SUCCESS)
    if refused:
        modeladmin.message_user(request, _("%(n)s مورد: انجام نشد.") % {"n": to_persian_digits(refused)},
                                messages.ERROR)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(PersianModelAdmin):
    form = WebhookEndpointForm
    list_display = ["bank", "url", "is_active", "max_attempts", "created_at"]
    list_filter = ["is_active", "bank"]
    list_select_related = ["bank"]
    actions = ["rotate_secret"]

    def get_fields(self, request, obj=None):
        # The secret is generated when the endpoint is saved, then shown read-only to hand to the bank.
        if obj is None:
            return ["bank", "url", "is_active", "max_attempts"]
        return ["bank", "url", "is_active", "max_attempts", "secret", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # An endpoint's bank is fixed: its delivery log belongs to that bank.
        return ["bank", "secret", "created_at"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead; the deliveries keep their endpoint

    @admin.action(description=_("تولید رمز امضای تازه"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        done = refused = 0
        for endpoint_id in queryset.values_list("pk", flat=True):
            try:
                services.webhook_endpoint_rotate_secret(actor=request.user, endpoint_id=endpoint_id)
            except ServiceError:
                refused += 1
            else:
                done += 1
        _report(self, request, done, refused,
                _("%(n)s وب‌هوک: رمز تازه ساخته شد؛ آن را از صفحه وب‌هوک به بانک بدهید."))


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["at", "status_code", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyModelAdmin):
    list_display = ["event_id", "bank", "event_type", "application", "state", "attempts", "last_status_code",
                    "created_at", "delivered_at"]
    list_filter = ["state", "endpoint__bank", "event_type"]
    list_select_related = ["endpoint__bank", "application"]
    search_fields = ["event_id", "application__tracking_code"]
    fields = ["event_id", "event_type", "endpoint", "application", "state", "attempts", "last_status_code",
              "last_error", "created_at", "delivered_at", "body_text"]
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["resend"]
    show_full_result_count = False

    @admin.display(description=_("بانک"), ordering="endpoint__bank__name")
    def bank(self, obj):
        return obj.endpoint.bank

    @admin.display(description=_("بدنه"))
    def body_text(self, obj):
        return format_html('<pre dir="ltr">{}</pre>', bytes(obj.body).decode("utf-8", "replace"))

    def has_resend_permission(self, request):
        return request.user.has_role(Role.MINISTRY_STAFF)

    @admin.action(description=_("ارسال دوباره"), permissions=["resend"])
    def resend(self, request, queryset):
        done = refused = 0
        for delivery_id in queryset.values_list("pk", flat=True):
            try:
                services.webhook_redeliver(actor=request.user, delivery_id=delivery_id)
            except ServiceError:
                refused += 1
            else:
                done += 1
        _report(self, request, done, refused, _("%(n)s ارسال: دوباره در صف قرار گرفت."))
