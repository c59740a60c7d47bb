"""Webhooks to the agent banks (issue 8): where each bank wants its events, and the log of every
event and delivery attempt. Registered through ``financing.models``."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Bank


def new_secret():
    """A signing secret: 32 random bytes, hex."""
    return secrets.token_hex(32)


class WebhookEndpoint(models.Model):
    """A bank's webhook URL and its signing secret, set by ministry staff in the admin."""

    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="webhook_endpoints",
                             verbose_name=_("بانک"))
    url = models.URLField(_("نشانی"), max_length=500)
    secret = models.CharField(_("رمز امضا"), max_length=128, default=new_secret)
    is_active = models.BooleanField(_("فعال"), default=True)
    max_attempts = models.PositiveSmallIntegerField(_("حداکثر تلاش"), default=8)
    created_at = models.DateTimeField(_("زمان ثبت"), default=timezone.now)

    class Meta:
        ordering = ["bank__name", "id"]
        verbose_name = _("وب‌هوک بانک")
        verbose_name_plural = _("وب‌هوک‌های بانک‌ها")

    def __str__(self):
        return f"{self.bank}: {self.url}"


class WebhookDelivery(models.Model):
    """One event for one endpoint. ``body`` holds the exact bytes sent and signed (C22); the
    event id lets the bank drop duplicates."""

    class State(models.TextChoices):
        PENDING = "pending", _("در انتظار ارسال")
        DELIVERED = "delivered", _("تحویل‌شده")
        FAILED = "failed", _("ناموفق")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries",
                                 verbose_name=_("وب‌هوک"))
    event_id = models.CharField(_("شناسه رویداد"), max_length=64, unique=True)
    event_type = models.CharField(_("نوع رویداد"), max_length=60)
    application = models.ForeignKey("financing.InvestmentApplication", on_delete=models.PROTECT,
                                    related_name="webhook_deliveries", verbose_name=_("طرح"))
    body = models.BinaryField(_("بدنه"))
    state = models.CharField(_("وضعیت"), max_length=20, choices=State.choices, default=State.PENDING,
                             db_index=True)
    attempts = models.PositiveSmallIntegerField(_("تعداد تلاش"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("آخرین کد پاسخ"), null=True, blank=True)
    last_error = models.TextField(_("آخرین خطا"), blank=True)
    created_at = models.DateTimeField(_("زمان ایجاد"), default=timezone.now)
    delivered_at = models.DateTimeField(_("زمان تحویل"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ارسال وب‌هوک")
        verbose_name_plural = _("ارسال‌های وب‌هوک")

    def __str__(self):
        return self.event_id


class WebhookAttempt(models.Model):
    """One try at delivering: when, the HTTP status (none if the connection failed), the error."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log",
                                 verbose_name=_("ارسال"))
    at = models.DateTimeField(_("زمان"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("کد پاسخ"), null=True, blank=True)
    error = models.TextField(_("خطا"), blank=True)
    duration_ms = models.PositiveIntegerField(_("مدت (میلی‌ثانیه)"), default=0)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("تلاش ارسال وب‌هوک")
        verbose_name_plural = _("تلاش‌های ارسال وب‌هوک")

    def __str__(self):
        return f"{self.delivery_id}: {self.status_code or self.error[:40]}"
