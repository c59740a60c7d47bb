"""Notifications to the applicant: every state change of an application (the submission and each
transition of ``financing.services``) queues one email and one SMS, in Persian (C13).

The tracking code sits in U+2066 … U+2069 (LRI … PDI), ASCII digits in groups of four. The SMS
carries no amounts, no national IDs and no reasons. In the world, applicant_1 gave a mobile number
and an email address, applicant_2 a mobile number only.
"""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import Notification
from financing import services
from financing.models import ApplicationState
from financing.notifications import LRI, application_message
from tests.factories import Figures
from tests.notices import EMAIL, SMS, audit_actions, events, isolated_code, notifications
from tests.world import submit

S = ApplicationState
OWNER_EMAIL = "reza.mohammadi@example.ir"
OWNER_MOBILE = "09120000000"


@pytest.mark.parametrize("target", [S.CLOSED, S.RETURNED, S.REJECTED, S.WITHDRAWN])
def test_every_state_change_queues_one_email_and_one_sms(world, advance_to, target):
    app = advance_to(target)

    changes = audit_actions(app)
    assert changes[0] == "submit" and len(changes) >= 2
    assert events(app, EMAIL) == changes
    assert events(app, SMS) == changes
    assert {n.recipient for n in notifications(app, EMAIL)} == {OWNER_EMAIL}
    assert {n.recipient for n in notifications(app, SMS)} == {OWNER_MOBILE}
    assert {n.user_id for n in notifications(app)} == {world.owner.pk}


def test_the_whole_chain_notifies_each_of_its_steps(advance_to):
    app = advance_to(S.CLOSED)

    assert events(app, SMS) == [
        "submit", "start_agency_review", "approve_by_agency", "start_working_group_review", "refer_to_bank",
        "start_bank_review", "approve_by_bank", "sign_contract", "record_disbursement", "record_disbursement",
        "declare_operation", "confirm_operation", "pay_subsidy", "pay_subsidy",
    ]


def test_the_approval_text_is_persian_with_the_code_in_a_left_to_right_isolate(advance_to):
    app = advance_to(S.AGENCY_APPROVED)
    email = Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=EMAIL)
    text = Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=SMS)
    code = isolated_code(app)

    assert re.fullmatch(r"\u2066\d{4} \d{4} \d{4} \d{4}\u2069", code)
    assert text.body == (
        "وضعیت طرح «پرورش دام سبک» به «تأییدشده توسط دستگاه اجرایی» تغییر کرد.\n"
        f"کد رهگیری: {code}\n"
        "سامانه برنامه کاله"
    )
    assert email.subject == "سامانه برنامه کاله: تأیید دستگاه اجرایی و صدور کد رهگیری"
    assert email.body.startswith(
        "وضعیت طرح «پرورش دام سبک» به «تأییدشده توسط دستگاه اجرایی» تغییر کرد.\n"
        "اقدام: تأیید دستگاه اجرایی و صدور کد رهگیری\n"
        f"کد رهگیری: {code}\n"
    )
    # Before the code is issued there is none to show.
    submitted = Notification.objects.get(object_id=app.pk, event="submit", channel=SMS)
    assert submitted.body.startswith("وضعیت طرح «پرورش دام سبک» به «ثبت‌شده» تغییر کرد.")
    assert LRI not in submitted.body and "کد رهگیری" not in submitted.body


def test_a_step_that_keeps_the_state_says_what_happened(advance_to, world):
    app = advance_to(S.DISBURSING)
    services.application_record_disbursement(
        actor=world.bank_officer_1, application_id=app.pk, amount_rials=1_000_000_000,
        paid_on=timezone.localdate() - datetime.timedelta(days=45), bank_reference="BNK-T1b")

    latest = Notification.objects.filter(object_id=app.pk, channel=SMS).latest("id")
    assert latest.body.startswith(
        "برای طرح «پرورش دام سبک» «پرداخت قسط تسهیلات» ثبت شد؛ وضعیت: «در حال پرداخت تسهیلات».")


def test_the_reason_of_a_return_is_in_the_email_not_in_the_sms(advance_to):
    app = advance_to(S.RETURNED)
    email = Notification.objects.get(object_id=app.pk, event="return_by_agency", channel=EMAIL)
    text = Notification.objects.get(object_id=app.pk, event="return_by_agency", channel=SMS)

    assert "وضعیت طرح «پرورش دام سبک» به «بازگشت برای اصلاح» تغییر کرد." in email.body
    assert "توضیح: جدول هزینه‌ها ناقص است." in email.body
    assert "جدول هزینه‌ها" not in text.body


def test_no_sms_carries_an_amount_or_a_national_id(advance_to, world):
    app = advance_to(S.CLOSED)
    amounts = [Figures.REQUESTED, Figures.OWN_CONTRIBUTION, Figures.PRINCIPAL, Figures.FIRST_TRANCHE,
               Figures.SUBSIDY, Figures.FIRST_PAYOUT, Figures.PRINCIPAL - Figures.FIRST_TRANCHE,
               Figures.SUBSIDY - Figures.FIRST_PAYOUT]
    national_id = world.applicant_1.national_id

    for text in notifications(app, SMS):
        digits = re.sub(r"\D", "", text.body.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
        assert "ریال" not in text.body
        assert national_id not in digits
        assert all(str(amount) not in digits for amount in amounts)
        # Digits only from the tracking code.
        assert digits in ("", app.tracking_code), text.body


def test_a_long_title_is_shortened_in_the_sms_only(world):
    title = "طرح " + "توسعه " * 40
    app = submit(world, title=title)
    email, text = notifications(app, EMAIL)[0], notifications(app, SMS)[0]

    assert app.title in email.body
    assert app.title not in text.body and "…" in text.body


def test_sms_only_with_a_mobile_and_email_only_with_an_address(world):
    # applicant_2 registered a mobile and no email address.
    app = submit(world, applicant=world.applicant_2)
    assert [n.channel for n in notifications(app)] == [SMS]

    world.applicant_2.user.mobile = ""
    world.applicant_2.user.save(update_fields=["mobile"])
    services.application_withdraw(actor=world.applicant_2.user, application_id=app.pk)
    assert [n.event for n in notifications(app)] == ["submit"]


def test_the_referral_text_names_the_new_state(advance_to):
    app = advance_to(S.REFERRED_TO_BANK)
    subject, body, sms_body = application_message(app, event="refer_to_bank", from_state=S.WORKING_GROUP_REVIEW)

    assert sms_body.splitlines()[0] == "وضعیت طرح «پرورش دام سبک» به «ارجاع‌شده به بانک عامل» تغییر کرد."
    assert sms_body.splitlines()[1] == f"کد رهگیری: {isolated_code(app)}"
