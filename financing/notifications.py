"""What the applicant is told when their application changes state: the Persian email and SMS.

This module composes the texts; ``accounts.services.notification_queue`` stores and sends them
(after commit). The tracking code is written in ASCII digits in groups of four (as on the public
tracking page's input and in bank systems) and wrapped in LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL
ISOLATE, the plain-text form of ``<bdi dir="ltr">``, so its groups keep their order inside the
Persian sentence (C13). The SMS carries no amounts, national IDs or officers' reasons, and a long
title is shortened; the email adds the action and the reason given.
"""

from django.contrib.auth import get_user_model
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.services import notification_queue

from . import tracking
from .workflow import ApplicationState

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
SMS_TITLE_CHARS = 60


def ltr_isolate(text: str) -> str:
    """``text`` between U+2066 and U+2069: left to right whatever surrounds it (C13)."""
    return f"{LRI}{text}{PDI}"


def _status_line(title, state, action, changed):
    if changed:
        return _("وضعیت طرح «%(title)s» به «%(state)s» تغییر کرد.") % {"title": title, "state": state}
    return _("برای طرح «%(title)s» «%(action)s» ثبت شد؛ وضعیت: «%(state)s».") % {
        "title": title, "action": action, "state": state}


def application_message(application, *, event, from_state="", reason=""):
    """The texts about ``event`` (an action code, e.g. ``approve_by_agency``) that moved
    ``application`` from ``from_state`` ("" for the submission) to its current state.

    Returns ``(subject, email_body, sms_body)``, plain text.
    """
    state = str(ApplicationState(application.state).label)
    action = str(application.action_label(event))
    changed = from_state != application.state
    code_line = ""
    if application.tracking_code:
        code_line = _("کد رهگیری: %(code)s") % {
            "code": ltr_isolate(tracking.grouped(application.tracking_code, persian=False))}

    subject = _("سامانه برنامه کاله: %(action)s") % {"action": action}
    email_lines = [_status_line(application.title, state, action, changed), _("اقدام: %(action)s") % {"action": action}]
    if code_line:
        email_lines.append(code_line)
    if reason:
        email_lines.append(_("توضیح: %(reason)s") % {"reason": reason})
    email_lines.append(_("جزئیات در صفحه طرح شما در سامانه برنامه کاله است. این پیام خودکار است."))

    short_title = Truncator(application.title).chars(SMS_TITLE_CHARS)
    sms_lines = [_status_line(short_title, state, action, changed)]
    if code_line:
        sms_lines.append(code_line)
    sms_lines.append(_("سامانه برنامه کاله"))
    return subject, "\n".join(email_lines) + "\n", "\n".join(sms_lines)


def application_notify(application, *, event, from_state="", reason=""):
    """Queue the applicant's email and SMS about ``event`` on ``application`` (see
    ``application_message``). Call inside the transition's transaction, after its audit record:
    the messages leave only if it commits. Returns the ``Notification`` rows."""
    user = get_user_model().objects.get(applicant__id=application.applicant_id)
    subject, body, sms_body = application_message(application, event=event, from_state=from_state, reason=reason)
    return notification_queue(user=user, target=application, event=event, subject=subject, body=body,
                              sms_body=sms_body)
