"""Forms of the timetable pages: a stage's progress, a meeting, an evidence file. They check the
input's shape (Jalali dates in any digits, not after today; lengths; a file); the rules (dates in
order and fitting the status, the actor's role and scope) are ``monitoring.services``'.

Each stage of the province page has its own three forms; ``auto_id`` keeps their element ids apart
(``stage3-progress-status``).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.fields import BootstrapFormMixin, JalaliDateField, PersianCharField, PersianTextField
from common.templatetags.persian import jdate
from programs.models import MeetingKind

from .models import StageProgress

NOT_A_CHOICE = _("گزینه انتخاب‌شده معتبر نیست.")


def _auto_id(stage, kind) -> str:
    return f"stage{stage.number}-{kind}-%s"


class ProgressForm(BootstrapFormMixin, forms.Form):
    """A stage's status, dates, responsible body and notes; ``version`` is the record the user saw."""

    status = forms.ChoiceField(label=_("وضعیت"), choices=StageProgress.Status.choices,
                               error_messages={"invalid_choice": NOT_A_CHOICE})
    started_on = JalaliDateField(label=_("تاریخ آغاز"), required=False, not_future=True)
    finished_on = JalaliDateField(label=_("تاریخ پایان"), required=False, not_future=True)
    responsible_body = PersianCharField(label=_("مسئول اجرا"), required=False, max_length=300)
    notes = PersianTextField(label=_("توضیحات"), required=False, max_length=4000)
    version = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, data=None, *, stage, record=None):
        progress = record.progress if record else None
        initial = {"version": record.version if record else ""}
        if progress:
            initial.update(status=progress.status, started_on=progress.started_on, finished_on=progress.finished_on,
                           responsible_body=progress.responsible_body, notes=progress.notes)
        super().__init__(data, initial=initial, auto_id=_auto_id(stage, "progress"))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"status": data["status"], "started_on": data["started_on"], "finished_on": data["finished_on"],
                "responsible_body": data["responsible_body"], "notes": data["notes"],
                "expected_version": data["version"]}


class MeetingForm(BootstrapFormMixin, forms.Form):
    """A meeting held for the stage: kind (the stage's own by default), date, subject, attendees, minutes."""

    kind = forms.ChoiceField(label=_("نوع جلسه"), choices=MeetingKind.choices,
                             error_messages={"invalid_choice": NOT_A_CHOICE})
    held_on = JalaliDateField(label=_("تاریخ برگزاری"), not_future=True)
    title = PersianCharField(label=_("موضوع"), max_length=300)
    attendees = PersianTextField(label=_("حاضران (هر نفر یا دستگاه در یک سطر)"), max_length=4000)
    minutes = PersianTextField(label=_("صورت‌جلسه"), max_length=20000, rows=5)

    def __init__(self, data=None, *, stage):
        super().__init__(data, initial={"kind": stage.meeting_kind or MeetingKind.OTHER},
                         auto_id=_auto_id(stage, "meeting"))

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("kind", "held_on", "title", "attendees", "minutes")}


class EvidenceForm(BootstrapFormMixin, forms.Form):
    """A file that shows the stage's work, optionally of one of its meetings in the province."""

    title = PersianCharField(label=_("عنوان مستند"), max_length=300)
    file = forms.FileField(label=_("فایل (PDF، XLSX، DOCX، JPEG یا PNG؛ حداکثر ۱۰ مگابایت)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xlsx,.docx,.jpg,.jpeg,.png"}))
    meeting = forms.TypedChoiceField(label=_("جلسه (اختیاری)"), required=False, coerce=int, empty_value=None,
                                     error_messages={"invalid_choice": NOT_A_CHOICE})

    def __init__(self, data=None, files=None, *, stage, meetings=()):
        """``meetings``: the stage's meetings in the province, offered as choices."""
        super().__init__(data, files, auto_id=_auto_id(stage, "evidence"))
        self.fields["meeting"].choices = [("", "---------")] + [
            (str(meeting.pk), f"{jdate(meeting.held_on)} · {meeting.title}") for meeting in meetings]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "uploaded_file": data["file"], "meeting_id": data["meeting"]}
