"""Users with one role and one scope (roles.md), the audit record of every state change, and the
notifications (email, SMS) sent to users about an object."""

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Agency, Bank, Province


def _target_model(content_type_id):
    """The model class of a content type (cached by Django after the first look-up)."""
    return ContentType.objects.get_for_id(content_type_id).model_class()


def action_label(content_type_id, code):
    """The Persian label of action ``code`` on an object of ``content_type_id``: its workflow
    model's (``accounts.workflow.WorkflowModel.action_label``), or the code for other models."""
    model = _target_model(content_type_id)
    return model.action_label(code) if hasattr(model, "action_label") else code


def state_label(content_type_id, code):
    """The Persian label of state ``code`` of an object of ``content_type_id``; the code itself for
    models without a workflow, empty for none."""
    model = _target_model(content_type_id)
    return model.state_label(code) if hasattr(model, "state_label") else code


class Role(models.TextChoices):
    APPLICANT = "applicant", _("متقاضی")
    AGENCY_OFFICER = "agency_officer", _("کارشناس دستگاه اجرایی")
    WORKING_GROUP_SECRETARY = "working_group_secretary", _("دبیر کارگروه اشتغال استان")
    BANK_OFFICER = "bank_officer", _("کارشناس بانک عامل")
    PROVINCIAL_MANAGER = "provincial_manager", _("مدیر استانی")
    MINISTRY_STAFF = "ministry_staff", _("کارشناس وزارت")
    SYSTEM_ADMIN = "system_admin", _("مدیر سامانه")


# Which scope field each role needs; an account has one role and one scope (roles.md).
ROLE_SCOPE = {
    Role.APPLICANT: None,
    Role.AGENCY_OFFICER: "agency",
    Role.WORKING_GROUP_SECRETARY: "province",
    Role.BANK_OFFICER: "bank",
    Role.PROVINCIAL_MANAGER: "province",
    Role.MINISTRY_STAFF: None,
    Role.SYSTEM_ADMIN: None,
}

# The roles that work in the Django admin, and the group (``django.contrib.auth``) each one's
# accounts belong to; ``accounts.services.user_role_group_sync`` keeps an account in the group of its
# role and no other.
ROLE_GROUPS = {
    Role.MINISTRY_STAFF: "ministry_staff",
    Role.SYSTEM_ADMIN: "system_admin",
}
# What each group may do in the admin, as Django model permissions: (app label, model name or
# ``None`` for every model of the app, actions). Ministry staff keep the programme's reference data
# and the accounts, and read the workflow records; system administrators manage accounts only
# (roles.md). Nobody deletes but superusers. ``accounts.services.role_groups_sync`` applies it (a
# data migration, and after every ``migrate``).
ROLE_PERMISSIONS = {
    "ministry_staff": [
        ("programs", None, ("view", "add", "change")),
        ("sectors", None, ("view", "add", "change")),
        ("accounts", "user", ("view", "add", "change")),
        ("accounts", "auditrecord", ("view",)),
        ("accounts", "notification", ("view",)),
        ("financing", None, ("view",)),
        ("financing", "webhookendpoint", ("view", "add", "change")),
        ("financing", "bankapikey", ("view", "add", "change")),
        ("budgets", None, ("view",)),
        ("interventions", None, ("view",)),
        ("interventions", "catalogueentry", ("view", "add", "change")),
        ("interventions", "fundingbody", ("view", "add", "change")),
    ],
    "system_admin": [
        ("accounts", "user", ("view", "add", "change")),
    ],
}


class User(AbstractUser):
    """A portal account. Scope: ``agency`` for agency officers, ``province`` for working-group
    secretaries and provincial managers, ``bank`` (optionally narrowed to ``bank_provinces``) for
    bank officers; none for applicants, ministry staff and system administrators."""

    role = models.CharField(_("نقش"), max_length=30, choices=Role.choices, default=Role.APPLICANT)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="users", verbose_name=_("استان"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="officers", verbose_name=_("دستگاه اجرایی"))
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="officers", verbose_name=_("بانک عامل"))
    bank_provinces = models.ManyToManyField(Province, blank=True, related_name="bank_officers",
                                            verbose_name=_("استان‌های شعبه (اختیاری)"))
    mobile = models.CharField(_("تلفن همراه"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("کاربر")
        verbose_name_plural = _("کاربران")

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        needed = ROLE_SCOPE.get(self.role)
        for field in ("province", "agency", "bank"):
            value = getattr(self, f"{field}_id")
            if field == needed and value is None:
                raise ValidationError({field: _("این نقش به این حوزه نیاز دارد.")})
            if field != needed and value is not None:
                raise ValidationError({field: _("این نقش این حوزه را ندارد.")})

    def save(self, *args, **kwargs):
        # An agency officer's province is the agency's, so province filters work for every role.
        if self.role == Role.AGENCY_OFFICER and self.agency_id:
            self.province_id = Agency.objects.only("province_id").get(pk=self.agency_id).province_id
        # Ministry staff and system administrators work in the admin; nobody else does.
        self.is_staff = self.is_superuser or self.role in ROLE_GROUPS
        adding, update_fields = self._state.adding, kwargs.get("update_fields")
        super().save(*args, **kwargs)
        # The role gives the admin group. A new account of a role without one has nothing to sync,
        # and a save that leaves the role alone (a login's last_login) has nothing to change.
        if (self.role in ROLE_GROUPS) if adding else (update_fields is None or "role" in update_fields):
            from .services import user_role_group_sync  # the services module imports this one

            user_role_group_sync(user=self)

    def has_role(self, *roles):
        return self.is_authenticated and self.is_active and self.role in roles


class AuditRecord(models.Model):
    """Who changed what, when and why: one row per state change of any workflow object.

    ``from_state``/``to_state`` are state codes; ``reason`` is required for rejections and returns.
    ``data`` holds the action's figures (amounts in rials, dates as ISO text).
    """

    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="audit_records",
                              verbose_name=_("انجام‌دهنده"))
    actor_role = models.CharField(_("نقش"), max_length=30, choices=Role.choices)
    # Set when the record is built (``accounts.services.audit_record_build``), not on insert, so a
    # loader can give each record its own time.
    at = models.DateTimeField(_("زمان"), default=timezone.now, editable=False, db_index=True)
    action = models.CharField(_("اقدام"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("نوع پرونده"))
    object_id = models.PositiveBigIntegerField(_("شناسه پرونده"))
    target = GenericForeignKey("content_type", "object_id")
    from_state = models.CharField(_("از وضعیت"), max_length=40, blank=True)
    to_state = models.CharField(_("به وضعیت"), max_length=40, blank=True)
    reason = models.TextField(_("دلیل یا توضیح"), blank=True)
    data = models.JSONField(_("داده‌ها"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="audit_target_idx")]
        verbose_name = _("سابقه")
        verbose_name_plural = _("سوابق")

    def __str__(self):
        return f"{self.action} {self.from_state}→{self.to_state}"

    def get_action_display(self):
        """The action's Persian label, from the target's workflow."""
        return action_label(self.content_type_id, self.action)

    def get_from_state_display(self):
        return state_label(self.content_type_id, self.from_state)

    def get_to_state_display(self):
        return state_label(self.content_type_id, self.to_state)


class Notification(models.Model):
    """One message to one user through one channel about one object (``target``), e.g. an
    application's state change. Staff notices (``portal``) are shown in the portal, stored as sent,
    and unread until ``read_at``. ``event`` is the action code that caused it (``approve_by_agency``).

    Created ``queued`` inside the change's transaction and sent after commit by a Celery task
    (``accounts.tasks.notification_send``); ``attempts`` counts tries, ``last_error`` keeps the last
    failure, ``recipient`` the address or mobile number it went to.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("ایمیل")
        SMS = "sms", _("پیامک")
        PORTAL = "portal", _("اعلان در سامانه")

    class Status(models.TextChoices):
        QUEUED = "queued", _("در صف ارسال")
        SENT = "sent", _("ارسال‌شده")
        FAILED = "failed", _("ناموفق")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("گیرنده"))
    channel = models.CharField(_("روش ارسال"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("نشانی یا شماره گیرنده"), max_length=254)
    subject = models.CharField(_("موضوع"), max_length=300, blank=True)
    body = models.TextField(_("متن"))
    status = models.CharField(_("وضعیت ارسال"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("دفعات تلاش"), default=0)
    last_error = models.TextField(_("آخرین خطا"), blank=True)
    provider_message_id = models.CharField(_("شناسه پیام نزد ارسال‌کننده"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    sent_at = models.DateTimeField(_("زمان ارسال"), null=True, blank=True)
    # Portal notices only: when the user opened it (unread while empty).
    read_at = models.DateTimeField(_("زمان خواندن"), null=True, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("نوع پرونده"))
    object_id = models.PositiveBigIntegerField(_("شناسه پرونده"))
    target = GenericForeignKey("content_type", "object_id")
    event = models.CharField(_("رویداد"), max_length=60)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["user", "content_type", "object_id"], name="notification_target_idx")]
        verbose_name = _("اعلان")
        verbose_name_plural = _("اعلان‌ها")

    def __str__(self):
        return f"{self.channel} {self.event} → {self.recipient}"

    def get_event_display(self):
        """The event's Persian label, from the target's workflow."""
        return action_label(self.content_type_id, self.event)
