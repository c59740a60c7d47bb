"""The demo's progress against the programme's timetable (§13, §14), recorded through
``monitoring.services`` by each province's working-group secretary: the status of stages 1–9, their
dates and responsible bodies, the meetings the stages ask for, and a few PDF evidence files.

The plan ended in 1401 and the provinces lag it, each its own way (``PROFILES``): the early stages
are done, some later ones in progress (so late against the plan), the final report not started.
A stage's dates are its planned periods (``programs.calendar``) delayed and stretched per province.
Stage 1 has its two meetings with provincial officials, stages 4 and 6 their public meeting, stage 7
a coordination meeting, and stage 8 (monitoring, run by monthly meetings since the province set up
its monitoring committee about a year ago) a meeting in most months, a few missing. Every date is
past and after the programme's start; rows, audit records and files carry their invented times.
"""

import datetime

import jdatetime
from django.utils import timezone

from accounts.models import User
from common.jalali import MONTH_NAMES
from common.normalization import to_persian_digits
from monitoring import services
from monitoring.models import Meeting, StageEvidence, StageProgress
from programs import calendar
from programs.models import Stage

from .interventions import dated, pdf_upload
from .staff import MINISTRY_USERNAME

D, P, N = StageProgress.Status.DONE, StageProgress.Status.IN_PROGRESS, StageProgress.Status.NOT_STARTED
# Stages 1–9 of a province; the provinces take these in an order the seed's draw decides.
PROFILES = ((D, D, D, D, D, D, P, P, N), (D, D, D, D, D, P, P, P, N), (D, D, D, D, P, P, N, P, N),
            (D, D, D, P, P, P, N, P, N))
MONITORING_STAGE = 8
RESPONSIBLE = {
    1: "دبیرخانه کارگروه اشتغال و سرمایه‌گذاری استان {province}", 2: "سازمان مدیریت و برنامه‌ریزی استان {province}",
    3: "سازمان مدیریت و برنامه‌ریزی استان {province} با همکاری دانشگاه", 4: "اتاق بازرگانی استان {province}",
    5: "کارگروه اشتغال و سرمایه‌گذاری استان {province}", 6: "دستگاه‌های اجرایی رسته‌های اولویت‌دار استان {province}",
    7: "معاونت هماهنگی امور اقتصادی استانداری {province}",
    8: "دبیرخانه کارگروه اشتغال و سرمایه‌گذاری استان {province}",
    9: "دفتر برنامه کاله در معاونت توسعه کارآفرینی و اشتغال",
}
NOTES = {D: "مرحله با تأیید کارگروه اشتغال استان پایان یافت.",
         P: "در حال انجام؛ گزارش پیشرفت در جلسه ماهانه مسئولان استان ارائه می‌شود.",
         N: "پس از پیشرفت مراحل پیاده‌سازی آغاز می‌شود."}
MONITORING_NOTE = "پایش منظم با تشکیل کمیته پایش استان و جلسات ماهانه آغاز شد؛ پیش از آن گزارش‌ها فصلی بود."
OFFICIALS = ("معاون هماهنگی امور اقتصادی استانداری (رئیس جلسه)\nدبیر کارگروه اشتغال و سرمایه‌گذاری استان\n"
             "مدیران کل دستگاه‌های اجرایی عضو کارگروه\nنماینده اتاق بازرگانی استان")
PUBLIC = OFFICIALS + "\nفعالان اقتصادی و نمایندگان تشکل‌های رسته‌های اولویت‌دار"
# (stage, share of the stage's time it is held at, title, attendees, minutes)
MEETINGS = (
    (1, 0.15, "نشست آغاز برنامه کاله با مدیران دستگاه‌های اجرایی استان", OFFICIALS,
     "اهداف و مراحل برنامه کاله معرفی شد.\nمقرر شد هر دستگاه تا دو هفته کارشناس رابط معرفی کند."),
    (1, 0.65, "نشست هم‌اندیشی با نمایندگان بخش خصوصی و اتاق بازرگانی", OFFICIALS,
     "دیدگاه بخش خصوصی درباره مزیت‌های استان شنیده شد.\nپیشنهادهای حاضران به مرحله دوم سپرده شد."),
    (4, 0.6, "جلسه عمومی شناسایی موانع کسب‌وکار (Red Tape) استان", PUBLIC,
     "۳۲ مانع اداری و مقرراتی از سوی فعالان اقتصادی مطرح شد.\nفهرست موانع برای پیگیری به دستگاه‌های مسئول ارسال شد."),
    (6, 0.5, "جلسه عمومی ارائه تحلیل زنجیره ارزش رسته‌های اولویت‌دار", PUBLIC,
     "تحلیل زنجیره ارزش رسته‌ها ارائه و نقاط مداخله با حاضران اعتبارسنجی شد.\nپیشنهادها در گزارش مرحله لحاظ می‌شود."),
    (7, 0.3, "جلسه هماهنگی تعیین مدیران پروژه‌ها و نقاط کانونی (Focal points)", OFFICIALS,
     "مدیر هر پروژه و نقطه کانونی هر دستگاه تعیین شد.\nتخصیص اعتبار اقدامات مصوب در دستور جلسه بعد است."),
)
MONTHLY_TITLE = "جلسه ماهانه مسئولان استان، {month}"
MONTHLY_MINUTES = ("گزارش پیشرفت مراحل برنامه و اقدامات توسعه‌ای استان ارائه شد.\n{done} مورد از مصوبات جلسه قبل "
                   "انجام شده است.\nپیگیری تأمین اعتبار اقدامات مصوب به دبیرخانه سپرده شد.")
# (stage, title): a PDF on stage 1 (the first meeting's minutes), and on stages 3 and 5 once done.
EVIDENCE = ((1, "صورت‌جلسه نشست آغاز برنامه"), (3, "گزارش تحلیل مزیت‌های نسبی و رقابتی استان"),
            (5, "سند برنامه عمل مشترک استانی"))


class ProvinceTimetable:
    """One province's stages: their planned dates delayed by ``delay`` and stretched by ``stretch``,
    recorded by ``actor`` up to ``latest`` (an aware datetime, not after the real now)."""

    def __init__(self, province, profile, *, actor, latest, rng, stages):
        self.province, self.profile, self.actor, self.latest, self.rng = province, profile, actor, latest, rng
        self.stages = stages
        self.today = timezone.localtime(latest).date()
        self.start = calendar.programme_start()
        self.delay = datetime.timedelta(days=rng.randint(30, 240))
        self.stretch = rng.uniform(1.6, 2.6)
        self.meetings = {}  # stage number: the meetings recorded for it

    def _actual(self, day: datetime.date) -> datetime.date:
        return self.start + self.delay + (day - self.start) * self.stretch

    def _at(self, day: datetime.date) -> datetime.datetime:
        """A working-hours time on ``day`` (Tehran), never after ``latest``."""
        moment = datetime.datetime.combine(day, datetime.time(9)) + datetime.timedelta(minutes=self.rng.randint(0, 420))
        return min(timezone.make_aware(moment), self.latest)

    def dates(self, stage, status) -> tuple:
        """``(started_on, finished_on)`` of ``stage`` in ``status``: past dates, in order."""
        if status == N:
            return None, None
        limit = self.today - datetime.timedelta(days=20)
        if stage.number == MONITORING_STAGE:
            now = jdatetime.date.fromgregorian(date=self.today)
            year, month = divmod(now.year * 12 + now.month - 1 - self.rng.randint(10, 14), 12)
            return jdatetime.date(year, month + 1, self.rng.randint(1, 5)).togregorian(), None
        started = self._actual(calendar.period_start(stage.planned_first_period, self.start))
        finished = self._actual(calendar.period_end(stage.planned_last_period, self.start))
        started = max(self.start, min(started, limit))
        return (min(started, finished, limit), min(finished, limit)) if status == D else (started, None)

    def build(self) -> None:
        for stage, status in zip(self.stages, self.profile, strict=True):
            started, finished = self.dates(stage, status)
            self._progress(stage, status, started, finished)
            if started:
                for number, share, title, attendees, minutes in MEETINGS:
                    if number == stage.number:
                        end = finished or self.today
                        held = min(started + (end - started) * share, self.today)
                        self._meeting(stage, held, title, attendees, minutes)
                if stage.monthly_meetings:
                    self._monthly(stage, started)
        for number, title in EVIDENCE:
            stage = self.stages[number - 1]
            progress = StageProgress.objects.get(province=self.province, stage=stage)
            if number == 1 or progress.status == D:
                meeting = (self.meetings.get(number) or [None])[0]
                day = meeting.held_on if meeting else progress.finished_on
                self._evidence(stage, title, day + datetime.timedelta(days=2), meeting)

    def _progress(self, stage, status, started, finished):
        """One record (a stage not started or in progress), or two (started, then done)."""
        words = {"province": self.province.name}
        note = MONITORING_NOTE if stage.number == MONITORING_STAGE else NOTES[status]
        steps = [(P, started, None, started), (D, started, finished, finished)] if status == D else [
            (status, started, None, started or self.today - datetime.timedelta(days=self.rng.randint(3, 60)))]
        previous = None
        for recorded_status, started_on, finished_on, day in steps:
            at = self._at(day + datetime.timedelta(days=1))
            at = previous = at if previous is None else max(at, previous)  # the done record after the start's
            with dated(at):
                progress = services.stage_progress_update(
                    actor=self.actor, province_id=self.province.pk, stage_id=stage.pk, status=recorded_status,
                    started_on=started_on, finished_on=finished_on, notes=note,
                    responsible_body=RESPONSIBLE[stage.number].format(**words))
            StageProgress.objects.filter(pk=progress.pk).update(updated_at=at)

    def _meeting(self, stage, held, title, attendees, minutes):
        at = self._at(held + datetime.timedelta(days=self.rng.randint(1, 3)))
        with dated(at):
            meeting = services.meeting_record(actor=self.actor, province_id=self.province.pk, stage_id=stage.pk,
                                              kind=stage.meeting_kind, held_on=held, title=title,
                                              attendees=attendees, minutes=minutes)
        Meeting.objects.filter(pk=meeting.pk).update(recorded_at=at)
        self.meetings.setdefault(stage.number, []).append(meeting)

    def _monthly(self, stage, started):
        """A meeting in each Jalali month since ``started`` but two or three (not the first or the
        last), and none yet this month before its 4th."""
        first, now = jdatetime.date.fromgregorian(date=started), jdatetime.date.fromgregorian(date=self.today)
        months = [divmod(index, 12) for index in range(first.year * 12 + first.month - 1, now.year * 12 + now.month)]
        missed = set(self.rng.sample(range(1, len(months) - 1), self.rng.randint(2, 3))) if len(months) > 4 else set()
        for position, (year, month) in enumerate(months):
            day = self.rng.randint(max(6, first.day), 25)
            if (year, month + 1) == (now.year, now.month):
                if now.day < 4:
                    continue
                day = self.rng.randint(1, now.day - 1)
            if position in missed:
                continue
            label = to_persian_digits(f"{MONTH_NAMES[month]} {year}")
            self._meeting(stage, jdatetime.date(year, month + 1, day).togregorian(), MONTHLY_TITLE.format(month=label),
                          OFFICIALS, MONTHLY_MINUTES.format(done=to_persian_digits(str(self.rng.randint(2, 9)))))

    def _evidence(self, stage, title, day, meeting):
        at = self._at(min(day, self.today))
        with dated(at):
            evidence = services.stage_evidence_add(
                actor=self.actor, province_id=self.province.pk, stage_id=stage.pk, title=title,
                uploaded_file=pdf_upload(f"stage-{stage.number}.pdf", title), meeting_id=meeting and meeting.pk)
        StageEvidence.objects.filter(pk=evidence.pk).update(uploaded_at=at)


def build_timetable(demo_start, staff) -> list:
    """Record stages 1–9 of every province (``ProvinceTimetable``), inside the seeding transaction
    after the staff exist; draws from ``demo_start.rng``. Returns notes for the person seeding."""
    stages = list(Stage.objects.order_by("number"))
    if [stage.number for stage in stages] != list(range(1, len(PROFILES[0]) + 1)):
        return ["No demo timetable progress: the 9 stages are not loaded (load_programme)."]
    rng = demo_start.rng
    latest = min(demo_start.now, timezone.now())
    ministry = User.objects.filter(username=MINISTRY_USERNAME).first()
    profiles = list(PROFILES)
    rng.shuffle(profiles)
    for index, province in enumerate(demo_start.provinces):
        actor = staff.secretaries.get(province.pk) or ministry
        ProvinceTimetable(province, profiles[index % len(profiles)], actor=actor, latest=latest, rng=rng,
                          stages=stages).build()
    return []


def timetable_counts() -> dict:
    """What the timetable holds: stage records, the provinces they cover, meetings, evidence files."""
    return {"stages": StageProgress.objects.count(),
            "provinces": StageProgress.objects.values("province").distinct().count(),
            "meetings": Meeting.objects.count(), "evidence": StageEvidence.objects.count()}
