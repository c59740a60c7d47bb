"""The bank API's own records: keys, idempotency keys and the audit of API calls (issue 8).

Registered through ``financing.models`` (which imports this module), so the app label is
``financing``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

from programs.models import Bank


class BankApiKey(AbstractAPIKey):
    """An API key issued to a bank officer's account (djangorestframework-api-key stores only its
    hash). Requests with it act as ``user``: scoped to the user's bank, audited under the user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_keys",
                             verbose_name=_("کاربر بانک"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("صادرکننده"))

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("کلید API بانک")
        verbose_name_plural = _("کلیدهای API بانک")


class IdempotencyRecord(models.Model):
    """A POST's ``Idempotency-Key`` and the response it got (C21): the same key with the same body
    gets the stored response again; with another body, 422. Scoped to the API key. Kept at least
    24 hours."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("در حال انجام")
        DONE = "done", _("انجام‌شده")

    api_key = models.ForeignKey(BankApiKey, on_delete=models.CASCADE, related_name="idempotency_records",
                                verbose_name=_("کلید API"))
    key = models.CharField(_("کلید تکرار"), max_length=255)
    method = models.CharField(_("روش"), max_length=10)
    path = models.CharField(_("مسیر"), max_length=500)
    request_hash = models.CharField(_("چکیده درخواست"), max_length=64)
    status = models.CharField(_("وضعیت"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(_("کد پاسخ"), null=True, blank=True)
    response_body = models.BinaryField(_("بدنه پاسخ"), null=True, blank=True)
    response_content_type = models.CharField(_("نوع پاسخ"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("زمان"), default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "key"], name="idempotency_key_once_per_api_key")]
        verbose_name = _("کلید تکرار API")
        verbose_name_plural = _("کلیدهای تکرار API")

    def __str__(self):
        return self.key


class ApiCallRecord(models.Model):
    """One API call that changed something, or tried to: key, bank, user, endpoint, idempotency
    key and outcome (HTTP status and the error code, if any)."""

    api_key = models.ForeignKey(BankApiKey, on_delete=models.PROTECT, related_name="calls",
                                verbose_name=_("کلید API"))
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("بانک"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("کاربر"))
    method = models.CharField(_("روش"), max_length=10)
    endpoint = models.CharField(_("نقطه پایانی"), max_length=200)
    path = models.CharField(_("مسیر"), max_length=500)
    idempotency_key = models.CharField(_("کلید تکرار"), max_length=255, blank=True)
    status_code = models.PositiveSmallIntegerField(_("کد پاسخ"))
    outcome = models.CharField(_("نتیجه"), max_length=60, blank=True)
    at = models.DateTimeField(_("زمان"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("فراخوانی API")
        verbose_name_plural = _("فراخوانی‌های API")

    def __str__(self):
        return f"{self.method} {self.path} {self.status_code}"
