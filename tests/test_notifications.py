"""Notifications to the applicant: every state change of an application (the submission and each
transition of ``financing.services``) queues one email and one SMS in the change's transaction;
they leave after commit through Celery (eager here), and a failed send never undoes the change.

Texts are Persian; the tracking code sits in U+2066 … U+2069 (LRI … PDI), ASCII digits in groups of
four (C13). The SMS carries no amounts and no national IDs. Only the owner sees them on the page.
"""

import datetime
import re
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import sms
from accounts.models import AuditRecord, Notification
from accounts.selectors import notifications_for
from accounts.services import notification_queue
from accounts.tasks import MAX_TRIES, RETRY_DELAYS
from common.errors import NotAllowed, RuleBroken, StaleState, TransitionNotAllowed
from financing import services, tracking
from financing.models import ApplicationState, InvestmentApplication
from financing.notifications import LRI, PDI, application_message
from kaleh_portal.celery import app as celery_app
from tests.conftest import submit
from tests.factories import Figures
from tests.sms_backends import FailingSmsBackend, FlakySmsBackend

S = ApplicationState
EMAIL = Notification.Channel.EMAIL
SMS = Notification.Channel.SMS
OWNER_EMAIL = "ali.karimi@example.ir"
OWNER_MOBILE = "09120000000"


@pytest.fixture(autouse=True)
def _clean_outboxes():
    sms.outbox.clear()
    FailingSmsBackend.calls = FlakySmsBackend.calls = 0


@pytest.fixture
def owner(world):
    """applicant_1's account, with an email address as well as the mobile number it registered."""
    user = world.owner
    user.email = OWNER_EMAIL
    user.save(update_fields=["email"])
    return user


def rows(application, channel=None):
    qs = Notification.objects.filter(object_id=application.pk, content_type__model="investmentapplication")
    return list(qs.filter(channel=channel) if channel else qs)


def events(application, channel):
    return [n.event for n in Notification.objects.filter(
        object_id=application.pk, content_type__model="investmentapplication", channel=channel).order_by("id")]


def audit_actions(application):
    return list(AuditRecord.objects.filter(object_id=application.pk, content_type__model="investmentapplication")
                .exclude(action="add_document").order_by("id").values_list("action", flat=True))


def isolated_code(application):
    return LRI + tracking.grouped(application.tracking_code, persian=False) + PDI


# --- one email and one SMS per state change ----------------------------------------------------

@pytest.mark.parametrize("target", [S.CLOSED, S.RETURNED, S.REJECTED, S.WITHDRAWN])
def test_every_state_change_queues_one_email_and_one_sms(owner, advance_to, target):
    app = advance_to(target)

    changes = audit_actions(app)
    assert changes[0] == "submit" and len(changes) >= 2
    assert events(app, EMAIL) == changes
    assert events(app, SMS) == changes
    assert {n.recipient for n in rows(app, EMAIL)} == {OWNER_EMAIL}
    assert {n.recipient for n in rows(app, SMS)} == {OWNER_MOBILE}
    assert {n.user_id for n in rows(app)} == {owner.pk}


def test_the_whole_chain_notifies_each_of_its_steps(owner, advance_to):
    app = advance_to(S.CLOSED)

    assert events(app, SMS) == [
        "submit", "start_agency_review", "approve_by_agency", "start_working_group_review", "refer_to_bank",
        "start_bank_review", "approve_by_bank", "sign_contract", "record_disbursement", "record_disbursement",
        "declare_operation", "confirm_operation", "pay_subsidy", "pay_subsidy",
    ]


def test_the_approval_text_is_persian_with_the_code_in_a_left_to_right_isolate(owner, advance_to):
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


def test_a_step_that_keeps_the_state_says_what_happened(owner, advance_to, world):
    app = advance_to(S.DISBURSING)
    services.application_record_disbursement(
        actor=world.bank_officer_1, application_id=app.pk, amount_rials=1_000_000_000,
        paid_on=timezone.localdate() - datetime.timedelta(days=45), bank_reference="BNK-T1b")

    latest = Notification.objects.filter(object_id=app.pk, channel=SMS).latest("id")
    assert latest.body.startswith(
        "برای طرح «پرورش دام سبک» «پرداخت قسط تسهیلات» ثبت شد؛ وضعیت: «در حال پرداخت تسهیلات».")


def test_the_reason_of_a_return_is_in_the_email_not_in_the_sms(owner, advance_to):
    app = advance_to(S.RETURNED)
    email = Notification.objects.get(object_id=app.pk, event="return_by_agency", channel=EMAIL)
    text = Notification.objects.get(object_id=app.pk, event="return_by_agency", channel=SMS)

    assert "وضعیت طرح «پرورش دام سبک» به «بازگشت برای اصلاح» تغییر کرد." in email.body
    assert "توضیح: جدول هزینه‌ها ناقص است." in email.body
    assert "جدول هزینه‌ها" not in text.body


def test_no_sms_carries_an_amount_or_a_national_id(owner, advance_to, world):
    app = advance_to(S.CLOSED)
    amounts = [Figures.REQUESTED, Figures.OWN_CONTRIBUTION, Figures.PRINCIPAL, Figures.FIRST_TRANCHE,
               Figures.SUBSIDY, Figures.FIRST_PAYOUT, Figures.PRINCIPAL - Figures.FIRST_TRANCHE,
               Figures.SUBSIDY - Figures.FIRST_PAYOUT]
    national_id = world.applicant_1.national_id

    for text in rows(app, SMS):
        digits = re.sub(r"\D", "", text.body.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
        assert "ریال" not in text.body
        assert national_id not in digits
        assert all(str(amount) not in digits for amount in amounts)
        # Digits only from the tracking code.
        assert digits in ("", app.tracking_code), text.body


def test_a_long_title_is_shortened_in_the_sms_only(owner, world):
    title = "طرح " + "توسعه " * 40
    app = submit(world, title=title)
    email, text = rows(app, EMAIL)[0], rows(app, SMS)[0]

    assert app.title in email.body
    assert app.title not in text.body and "…" in text.body


def test_sms_only_with_a_mobile_and_email_only_with_an_address(world):
    # applicant_2 registered a mobile and no email address.
    app = submit(world, applicant=world.applicant_2)
    assert [n.channel for n in rows(app)] == [SMS]

    world.applicant_2.user.mobile = ""
    world.applicant_2.user.save(update_fields=["mobile"])
    services.application_withdraw(actor=world.applicant_2.user, application_id=app.pk)
    assert [n.event for n in rows(app)] == ["submit"]


# --- only after commit --------------------------------------------------------------------------

def test_the_messages_leave_after_commit_and_are_marked_sent(owner, advance_to, world,
                                                             django_capture_on_commit_callbacks):
    app = advance_to(S.AGENCY_REVIEW)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk)
    queued = Notification.objects.filter(object_id=app.pk, event="approve_by_agency")
    assert len(callbacks) == 2
    assert mail.outbox == [] and list(sms.outbox) == []
    assert {n.status for n in queued} == {Notification.Status.QUEUED}

    for callback in callbacks:
        callback()

    app.refresh_from_db()
    [message] = mail.outbox
    assert message.to == [OWNER_EMAIL]
    assert message.subject == "سامانه برنامه کاله: تأیید دستگاه اجرایی و صدور کد رهگیری"
    assert f"کد رهگیری: {isolated_code(app)}\n" in message.body
    assert "وضعیت طرح «پرورش دام سبک» به «تأییدشده توسط دستگاه اجرایی» تغییر کرد." in message.body
    [(message_id, mobile, text)] = list(sms.outbox)
    assert mobile == OWNER_MOBILE and isolated_code(app) in text
    for row in queued.all():
        assert (row.status, row.attempts, row.last_error) == (Notification.Status.SENT, 1, "")
        assert row.sent_at is not None
    assert queued.get(channel=SMS).provider_message_id == message_id


def test_a_refused_step_queues_nothing(owner, advance_to, world, django_capture_on_commit_callbacks):
    app = advance_to(S.AGENCY_REVIEW)
    before = len(rows(app))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(NotAllowed):
            services.application_approve_by_agency(actor=world.secretary_a, application_id=app.pk)
        with pytest.raises(TransitionNotAllowed):
            services.application_approve_by_bank(actor=world.agency_officer_a, application_id=app.pk,
                                                 approved_loan_rials=Figures.PRINCIPAL)
        with pytest.raises(StaleState):
            services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk,
                                                   expected_state=S.SUBMITTED)
        with pytest.raises(RuleBroken):
            services.application_reject_by_agency(actor=world.agency_officer_a, application_id=app.pk, reason="")

    assert callbacks == []
    assert len(rows(app)) == before
    assert mail.outbox == [] and list(sms.outbox) == []


def test_a_rolled_back_step_sends_nothing(owner, advance_to, world, django_capture_on_commit_callbacks):
    app = advance_to(S.AGENCY_REVIEW)
    before = len(rows(app))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk)
            assert len(rows(app)) == before + 2
            raise RuntimeError("something after the step failed")

    assert callbacks == []
    assert len(rows(app)) == before
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.AGENCY_REVIEW
    assert mail.outbox == [] and list(sms.outbox) == []


def test_a_repeated_tranche_notifies_once(owner, advance_to, world):
    """C18: the bank's retry with the same idempotency key changes nothing, so it tells nothing."""
    app = advance_to(S.CONTRACTED)

    for _attempt in range(2):
        services.application_record_disbursement(
            actor=world.bank_officer_1, application_id=app.pk, amount_rials=Figures.PRINCIPAL,
            paid_on=app.contract.signed_on, bank_reference="BNK-7781", idempotency_key="retry-7781")

    assert events(app, SMS).count("record_disbursement") == 1


# --- failures -----------------------------------------------------------------------------------

@override_settings(SMS_BACKEND="tests.sms_backends.FailingSmsBackend")
def test_a_failing_sms_gateway_is_recorded_and_the_step_stands(owner, advance_to, world,
                                                                django_capture_on_commit_callbacks):
    app = advance_to(S.AGENCY_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk)

    text = Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=SMS)
    # Eager Celery runs each retry at once (no countdown) and stops after the last try.
    assert (text.status, text.attempts, text.sent_at) == (Notification.Status.FAILED, MAX_TRIES, None)
    assert text.last_error == "SmsError: gateway unreachable"
    assert FailingSmsBackend.calls == MAX_TRIES == 5
    email = Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=EMAIL)
    assert email.status == Notification.Status.SENT and len(mail.outbox) == 1
    fresh = InvestmentApplication.objects.get(pk=app.pk)
    assert fresh.state == S.AGENCY_APPROVED and tracking.is_valid(fresh.tracking_code)


@override_settings(SMS_BACKEND="tests.sms_backends.FlakySmsBackend")
def test_a_send_that_fails_once_is_retried(owner, advance_to, world, django_capture_on_commit_callbacks):
    app = advance_to(S.AGENCY_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk)

    text = Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=SMS)
    assert (text.status, text.attempts, text.provider_message_id) == (Notification.Status.SENT, 2, "gw-42")
    assert text.last_error == "SmsError: timeout"
    assert text.sent_at is not None


@override_settings(SMS_BACKEND="tests.sms_backends.FailingSmsBackend")
def test_with_a_broker_a_failed_try_is_retried_later_with_backoff(owner, advance_to):
    """The worker's path (not eager): ``self.retry`` with 1, 2, 4, 8 minutes; the fifth try is the last."""
    app = advance_to(S.SUBMITTED)
    row = Notification.objects.get(object_id=app.pk, event="submit", channel=SMS)
    task = celery_app.tasks["accounts.tasks.notification_send"]

    def run_as_worker(retries):
        task.push_request(id=f"try-{retries}", retries=retries, is_eager=False)
        try:
            return task.run(row.pk)
        finally:
            task.pop_request()

    with mock.patch.object(task, "retry", side_effect=lambda exc, countdown: Retry(exc=exc, when=countdown)) as retry:
        for retries, delay in enumerate(RETRY_DELAYS):
            with pytest.raises(Retry):
                run_as_worker(retries)
            assert retry.call_args.kwargs["countdown"] == delay
            row.refresh_from_db()
            assert (row.status, row.attempts) == (Notification.Status.QUEUED, retries + 1)
        run_as_worker(len(RETRY_DELAYS))

    row.refresh_from_db()
    assert retry.call_count == 4 == MAX_TRIES - 1
    assert (row.status, row.attempts) == (Notification.Status.FAILED, 5)
    assert row.last_error == "SmsError: gateway unreachable"


@pytest.mark.django_db(transaction=True)
@override_settings(SMS_BACKEND="tests.sms_backends.FailingSmsBackend")
def test_a_failing_gateway_does_not_break_the_officers_request(client, owner, advance_to, world):
    """A real commit (no test transaction): the task runs after it, fails five times, and the
    officer still gets the usual redirect with the application approved."""
    app = advance_to(S.AGENCY_REVIEW)
    client.force_login(world.agency_officer_a)

    response = client.post(reverse("financing:application_action", args=[app.pk, "approve_by_agency"]),
                           {"approve_by_agency-expected_state": S.AGENCY_REVIEW})

    assert response.status_code == 302
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.AGENCY_APPROVED
    text = Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=SMS)
    assert (text.status, text.attempts) == (Notification.Status.FAILED, MAX_TRIES)
    assert Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=EMAIL).status == "sent"
    assert [m.to for m in mail.outbox if "تأیید دستگاه اجرایی" in m.subject] == [[OWNER_EMAIL]]


# --- the applicant's page -------------------------------------------------------------------------

def test_the_owner_sees_the_messages_on_the_application_page(client, owner, advance_to):
    app = advance_to(S.AGENCY_APPROVED)
    client.force_login(owner)

    page = client.get(reverse("financing:application", args=[app.pk])).content.decode()

    section = page.split('data-testid="notifications"', 1)[1].split("</table>", 1)[0]
    assert section.count('data-channel="email"') == 3
    assert section.count('data-channel="sms"') == 3
    assert "پیامک" in section and "ایمیل" in section
    assert "تأیید دستگاه اجرایی و صدور کد رهگیری" in section
    assert "در صف ارسال" in section  # nothing was committed in this test, so nothing left yet
    created = Notification.objects.filter(object_id=app.pk).first().created_at
    assert timezone.localtime(created).strftime("%H:%M").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in section


def test_officers_do_not_see_the_applicants_messages(client, owner, advance_to, world):
    app = advance_to(S.AGENCY_APPROVED)
    client.force_login(world.agency_officer_a)

    page = client.get(reverse("financing:application", args=[app.pk])).content.decode()

    assert 'data-testid="notifications"' not in page


def test_the_selector_returns_only_the_users_own_messages(owner, advance_to, world):
    app = advance_to(S.AGENCY_REVIEW)

    assert len(notifications_for(owner, app)) == 4
    assert list(notifications_for(world.agency_officer_a, app)) == []
    assert list(notifications_for(world.other_owner, app)) == []


def test_the_page_query_count_does_not_grow_with_the_messages(client, owner, advance_to):
    app = advance_to(S.AGENCY_APPROVED)
    client.force_login(owner)
    url = reverse("financing:application", args=[app.pk])

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(10):
        notification_queue(user=owner, target=app, event="approve_by_agency", subject="s", body=f"متن {number}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()

    assert page.count('data-channel="sms"') == 13
    assert len(many) == len(few)


# --- the admin ------------------------------------------------------------------------------------

def test_ministry_staff_read_notifications_in_the_admin_and_change_nothing(client, owner, advance_to, world):
    app = advance_to(S.AGENCY_REVIEW)
    row = Notification.objects.filter(object_id=app.pk).first()
    client.force_login(world.ministry)

    assert client.get(reverse("admin:accounts_notification_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_notification_change", args=[row.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_notification_add")).status_code == 403
    assert client.post(reverse("admin:accounts_notification_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    client.force_login(world.agency_officer_a)
    assert client.get(reverse("admin:accounts_notification_changelist")).status_code == 302


def test_the_referral_text_names_the_new_state(owner, advance_to):
    app = advance_to(S.REFERRED_TO_BANK)
    subject, body, sms_body = application_message(app, event="refer_to_bank", from_state=S.WORKING_GROUP_REVIEW)

    assert sms_body.splitlines()[0] == "وضعیت طرح «پرورش دام سبک» به «ارجاع‌شده به بانک عامل» تغییر کرد."
    assert sms_body.splitlines()[1] == f"کد رهگیری: {isolated_code(app)}"


def test_an_applicant_may_give_an_email_address_when_registering(client, db):
    response = client.post(reverse("financing:register"), {
        "username": "sara", "name": "سارا رحیمی", "person_kind": "natural", "ownership": "private",
        "national_id": "۰۰۴۲۱۵۸۷۳۷", "mobile": "۰۹۱۲۱۲۳۴۵۶۷", "email": "sara@example.ir",
        "password1": "Kaleh-pass-1398", "password2": "Kaleh-pass-1398",
    })

    assert response.status_code == 302
    user = response.wsgi_request.user
    assert (user.email, user.mobile) == ("sara@example.ir", "09121234567")
