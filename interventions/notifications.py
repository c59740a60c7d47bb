"""Who is told when a development intervention moves, and what they read (roles.md, "Who is told").

The holders of the next step (``workflow.NEXT_ACTOR`` of the new state, through
``selectors.holders``) are told, plus those the seed names: the province's provincial managers and
working-group secretary when a plan is approved and announced to the province (§8 step 4), the
agency officers when their intervention is rejected or closed, ministry staff when a milestone is
reported (an instalment may be paid), and the provincial managers once every milestone is done
(it may be evaluated). The one who acted is not told about their own step.

This module composes the Persian texts; ``accounts.services.staff_notify`` stores the portal
notices and the emails (sent after commit). Staff get no SMS.
"""

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.services import staff_notify
from common.templatetags.persian import fa_number

from .selectors import holders
from .workflow import NEXT_ACTOR, InterventionState

S = InterventionState
SUBJECT_TITLE_CHARS = 60

# The roles told of each event besides the next step's holders (``NEXT_ACTOR`` of the new state).
EXTRA_ROLES = {
    # Announced to the province (§8 step 4): its agency, managers and working group.
    "approve": (Role.AGENCY_OFFICER, Role.PROVINCIAL_MANAGER, Role.WORKING_GROUP_SECRETARY),
    "reject": (Role.AGENCY_OFFICER,),
    "evaluate": (Role.MINISTRY_STAFF,),
    "close": (Role.AGENCY_OFFICER,),
    # Not transitions: the state stays in execution, whose next actor is the agency itself.
    "report_milestone": (Role.MINISTRY_STAFF,),
    "pay_instalment": (Role.AGENCY_OFFICER,),
}
# Events after which the state's next actor is not told (it is the agency that just acted).
WITHOUT_NEXT_ACTOR = ("report_milestone", "pay_instalment")


def _next_step(state) -> str:
    return {
        S.ANALYSIS: _("تکمیل تحلیل نظام کسب‌وکار و ارائه پیشنهاد (دستگاه اجرایی)"),
        S.PROPOSED: _("تکمیل و ارسال مستندات اجرایی (دستگاه اجرایی)"),
        S.DOCUMENTS_SUBMITTED: _("بررسی مستندات: تصویب، بازگشت برای اصلاح یا رد (کارشناس وزارت)"),
        S.RETURNED: _("اصلاح و ارسال دوباره مستندات اجرایی (دستگاه اجرایی)"),
        S.APPROVED: _("معرفی برای تخصیص منابع (کارشناس وزارت)"),
        S.REFERRED: _("ثبت کمک بلاعوض (کارشناس وزارت)"),
        S.FUNDED: _("شروع اجرا (دستگاه اجرایی)"),
        S.IN_EXECUTION: _("گزارش انجام گام‌ها (دستگاه اجرایی)، پرداخت اقساط (کارشناس وزارت) و پس از انجام "
                          "همه گام‌ها، ارزیابی (مدیر استانی یا کارشناس وزارت)"),
        S.EVALUATED: _("مختومه کردن (مدیر استانی یا کارشناس وزارت)"),
    }.get(state, "")


def all_milestones_done(intervention) -> bool:
    """Whether ``intervention`` has milestones and every one is reported done."""
    milestones = intervention.milestones.all()
    return milestones.exists() and not milestones.filter(done_on__isnull=True).exists()


def recipient_roles(intervention, *, event) -> list:
    """The roles told of ``event`` on ``intervention`` (in its new state), in a fixed order."""
    roles = []
    next_actor = NEXT_ACTOR.get(intervention.state)
    if next_actor and event not in WITHOUT_NEXT_ACTOR:
        roles.append(next_actor)
    roles.extend(EXTRA_ROLES.get(event, ()))
    if event == "report_milestone" and intervention.state == S.IN_EXECUTION and all_milestones_done(intervention):
        roles.append(Role.PROVINCIAL_MANAGER)
    return list(dict.fromkeys(roles))


def recipients(intervention, *, event, actor=None) -> list:
    """The active accounts told of ``event``: the holders of each of ``recipient_roles`` in the
    intervention's scope, each once, without ``actor``."""
    users = {}
    for role in recipient_roles(intervention, event=event):
        for user in holders(intervention, role):
            users.setdefault(user.pk, user)
    if actor is not None:
        users.pop(actor.pk, None)
    return list(users.values())


def intervention_message(intervention, *, event, from_state, reason="", milestone=None, amount_rials=None):
    """The notice about ``event`` (an action code: ``approve``, ``report_milestone``) that moved
    ``intervention`` from ``from_state`` to its current state (the same state for a step that
    changes none). Returns ``(subject, body)``, plain Persian text."""
    action = str(intervention.action_label(event))
    state = str(S(intervention.state).label)
    title = intervention.title
    subject = _("سامانه برنامه کاله: %(action)s، «%(title)s»") % {
        "action": action, "title": Truncator(title).chars(SUBJECT_TITLE_CHARS)}
    if from_state != intervention.state:
        lines = [_("وضعیت اقدام توسعه‌ای «%(title)s» به «%(state)s» تغییر کرد.") % {"title": title, "state": state}]
    else:
        lines = [_("برای اقدام توسعه‌ای «%(title)s» «%(action)s» ثبت شد؛ وضعیت: «%(state)s».") % {
            "title": title, "action": action, "state": state}]
    lines.append(_("استان: %(province)s؛ دستگاه اجرایی: %(agency)s") % {
        "province": intervention.province.name, "agency": intervention.agency.name})
    if milestone is not None:
        lines.append(_("گام: %(milestone)s") % {"milestone": milestone.title})
    if event == "record_grant" and intervention.grant_rials:
        lines.append(_("کمک بلاعوض مصوب: %(rials)s ریال") % {"rials": fa_number(intervention.grant_rials)})
    if amount_rials:
        lines.append(_("مبلغ: %(rials)s ریال") % {"rials": fa_number(amount_rials)})
    if reason:
        lines.append(_("توضیح: %(reason)s") % {"reason": reason})
    if event == "report_milestone" and intervention.state == S.IN_EXECUTION and all_milestones_done(intervention):
        lines.append(_("همه گام‌های زمان‌بندی انجام شده است؛ اقدام آماده ارزیابی است."))
    next_step = _next_step(intervention.state)
    if next_step:
        lines.append(_("گام بعد: %(step)s") % {"step": next_step})
    lines.append(_("جزئیات در صفحه این اقدام در سامانه برنامه کاله است. این پیام خودکار است."))
    return subject, "\n".join(lines) + "\n"


def intervention_notify(intervention, *, event, from_state, reason="", actor=None, milestone=None,
                        amount_rials=None):
    """Tell the holders of the next step (see the module docstring) about ``event`` on
    ``intervention``: a portal notice each and an email where they have an address. Call inside
    the step's transaction, after its audit record: nothing is stored if it rolls back. ``actor``
    (who acted) is left out. Returns the ``Notification`` rows."""
    users = recipients(intervention, event=event, actor=actor)
    if not users:
        return []
    subject, body = intervention_message(intervention, event=event, from_state=from_state, reason=reason,
                                         milestone=milestone, amount_rials=amount_rials)
    return staff_notify(users=users, target=intervention, event=event, subject=subject, body=body)
