"""What happens against the programme's plan in each province (§13, §14): the progress of each
stage, its evidence, and the meetings the stages ask for. The plan itself (phases, stages,
planned periods) is reference data in ``programs``; these rows are recorded by officers, with
who and when, and each change leaves an audit record (``monitoring.services``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.files import StoredFile, random_file_path
from programs.models import MeetingKind, Province, Stage


class StageProgress(models.Model):
    """Where a province stands in one stage: status, the dates it started and finished (Gregorian,
    shown in Jalali), the body responsible, and notes. One row per province and stage."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("آغازنشده")
        IN_PROGRESS = "in_progress", _("در حال انجام")
        DONE = "done", _("انجام‌شده")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="stage_progress",
                                 verbose_name=_("استان"))
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="progress", verbose_name=_("مرحله"))
    status = models.CharField(_("وضعیت"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    started_on = models.DateField(_("تاریخ آغاز"), null=True, blank=True)
    finished_on = models.DateField(_("تاریخ پایان"), null=True, blank=True)
    responsible_body = models.CharField(_("مسئول اجرا"), max_length=300, blank=True)
    notes = models.TextField(_("توضیحات"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("آخرین ثبت‌کننده"))
    updated_at = models.DateTimeField(_("زمان آخرین تغییر"), auto_now=True)

    class Meta:
        ordering = ["province__code", "stage__number"]
        constraints = [
            models.UniqueConstraint(fields=["province", "stage"], name="stage_progress_unique"),
            models.CheckConstraint(
                condition=models.Q(started_on__isnull=True) | models.Q(finished_on__isnull=True)
                | models.Q(started_on__lte=models.F("finished_on")),
                name="stage_progress_dates_in_order"),
        ]
        verbose_name = _("پیشرفت مرحله")
        verbose_name_plural = _("پیشرفت مراحل")

    def __str__(self):
        return f"{self.province} · {self.stage}"


class Meeting(models.Model):
    """A meeting held for a stage in a province (§13: two meetings with provincial officials in
    stage 1, public meetings in stages 4 and 6, monthly meetings of provincial officials in stage 8):
    its date (Gregorian, shown in Jalali), attendees and minutes."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="meetings",
                                 verbose_name=_("استان"))
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("مرحله"))
    kind = models.CharField(_("نوع جلسه"), max_length=30, choices=MeetingKind.choices)
    held_on = models.DateField(_("تاریخ برگزاری"))
    title = models.CharField(_("موضوع"), max_length=300)
    attendees = models.TextField(_("حاضران"))
    minutes = models.TextField(_("صورت‌جلسه"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("ثبت‌کننده"))
    recorded_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["province", "stage", "held_on"], name="meeting_province_stage")]
        verbose_name = _("جلسه")
        verbose_name_plural = _("جلسات")

    def __str__(self):
        return self.title


def _evidence_path(instance, filename):
    return random_file_path(f"stages/{instance.province_id}/{instance.stage_id}", filename)


class StageEvidence(StoredFile):
    """A file that shows a stage's work in a province (minutes, documents), optionally of one meeting."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="stage_evidence",
                                 verbose_name=_("استان"))
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("مرحله"))
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="files",
                                verbose_name=_("جلسه"))
    title = models.CharField(_("عنوان"), max_length=300)
    file = models.FileField(_("فایل"), upload_to=_evidence_path)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("مستند مرحله")
        verbose_name_plural = _("مستندات مراحل")
