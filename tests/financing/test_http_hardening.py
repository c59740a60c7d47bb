"""Faults a first user found through the UI, each fixed for its whole kind:
payment forms sent twice (C18), Gregorian dates read as Jalali (C02), junk ids in choice fields,
calls for another agency's sectors, number inputs that drop Persian digits, and upload forms that
offer what the state refuses. (Browsers asking for English: ``tests/kaleh_portal/test_language.py``.)"""

import re

import jdatetime
import pytest
from django.urls import reverse

from common.errors import NotAllowed
from financing import services
from financing.models import ApplicationState as S
from financing.models import Call, Disbursement, SubsidyPayout
from tests.factories import EconomicSectorFactory, Figures, PrioritySectorFactory
from tests.web import act

pytestmark = pytest.mark.django_db

TODAY = jdatetime.date.today().strftime("%Y/%m/%d")


def shown_key(client, application, action):
    """The idempotency key the page put in the action's form."""
    page = client.get(reverse("financing:application", args=[application.pk])).content.decode()
    marker = f'name="{action}-idempotency_key" value="'
    start = page.index(marker) + len(marker)
    return page[start : start + 36]


def test_a_tranche_form_sent_twice_pays_once(client, world, advance_to):
    application = advance_to(S.CONTRACTED)
    client.force_login(world.bank_officer_1)
    key = shown_key(client, application, "record_disbursement")
    fields = {"amount_rials": "۱۰۰٬۰۰۰٬۰۰۰", "paid_on": TODAY, "bank_reference": " BNK-۷۷۸۱‌ ", "idempotency_key": key,
              "expected_state": S.CONTRACTED}
    assert act(client, application, "record_disbursement", **fields).status_code == 302
    assert act(client, application, "record_disbursement", **fields).status_code == 302
    assert list(Disbursement.objects.filter(application=application).values_list("amount_rials", "bank_reference")) == [
        (100_000_000, "BNK-7781")]
    # A new form (a new key) is a new tranche.
    fields["idempotency_key"] = shown_key(client, application, "record_disbursement")
    fields["expected_state"] = S.DISBURSING
    assert act(client, application, "record_disbursement", **fields).status_code == 302
    assert Disbursement.objects.filter(application=application).count() == 2


def test_a_subsidy_form_sent_twice_pays_once(client, world, advance_to):
    application = advance_to(S.OPERATING)
    client.force_login(world.secretary_a)
    key = shown_key(client, application, "pay_subsidy")
    fields = {"amount_rials": "10", "paid_on": TODAY, "idempotency_key": key}
    assert act(client, application, "pay_subsidy", **fields).status_code == 302
    fields["expected_state"] = S.OPERATING  # the stale page sends the old state again
    assert act(client, application, "pay_subsidy", **fields).status_code == 302
    assert list(SubsidyPayout.objects.filter(application=application).values_list("amount_rials", flat=True)) == [10]
    fields.update(amount_rials="11", expected_state=S.SUBSIDY_IN_PAYMENT)
    response = act(client, application, "pay_subsidy", **fields)
    assert response.status_code == 400
    assert SubsidyPayout.objects.filter(application=application).count() == 1


@pytest.mark.parametrize("signed_on, message", [
    ("2025-03-20", "سال باید شمسی و بین ۱۳۹۸ و ۱۴۵۰ باشد."),
    ("1300/01/01", "سال باید شمسی و بین ۱۳۹۸ و ۱۴۵۰ باشد."),
    ("1449/01/01", "این تاریخ نباید بعد از امروز باشد."),
    ("1404/12/30", "این تاریخ در تقویم شمسی وجود ندارد."),
])
def test_contract_dates_must_be_real_jalali_days_not_in_the_future(client, world, advance_to, signed_on, message):
    application = advance_to(S.BANK_APPROVED)
    client.force_login(world.bank_officer_1)
    response = act(client, application, "sign_contract", principal_rials=str(Figures.PRINCIPAL),
                           interest_rate_percent="18", subsidy_rate_percent="10", term_months="60",
                           grace_months="6", planned_tranches="2",
                           signed_on=signed_on, bank_reference="C-1")
    assert response.status_code == 400
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.BANK_APPROVED


@pytest.mark.parametrize("junk", ["9223372036854775808", "-1", "abc", "۱۲"])
def test_junk_ids_in_choice_fields_get_a_persian_error(client, world, junk):
    client.force_login(world.agency_officer_a)
    response = client.post(reverse("financing:call_create"), {
        "title": "فراخوان", "priority_sectors": [junk], "opens_on": "1404/01/01", "closes_on": "1405/01/01"})
    assert response.status_code == 400
    assert "گزینه انتخاب‌شده معتبر نیست." in response.content.decode()


def test_an_agency_cannot_call_for_another_agencys_sector(client, world):
    other = EconomicSectorFactory(code="industry", name="صنعت آزمایشی", name_en="Industry")
    foreign = PrioritySectorFactory(province=world.province_a, rank=50, name="صنایع فلزی", economic_sector=other)
    client.force_login(world.agency_officer_a)
    form = client.get(reverse("financing:call_create")).content.decode()
    assert f'value="{foreign.pk}"' not in form
    before = Call.objects.count()
    response = client.post(reverse("financing:call_create"), {
        "title": "فراخوان", "priority_sectors": [foreign.pk], "opens_on": "1404/01/01", "closes_on": "1405/01/01"})
    assert response.status_code == 400
    assert Call.objects.count() == before


def test_rate_fields_are_text_inputs_so_persian_digits_survive(client, world, advance_to):
    """A browser empties an <input type=number> holding ۱۸; the rates are text inputs."""
    application = advance_to(S.BANK_APPROVED)
    client.force_login(world.bank_officer_1)
    page = client.get(reverse("financing:application", args=[application.pk])).content.decode()
    for name in ("interest_rate_percent", "subsidy_rate_percent", "term_months", "principal_rials"):
        tag = re.search(rf'<input[^>]*name="sign_contract-{name}"[^>]*>', page).group()
        assert 'type="text"' in tag, tag
    assert 'type="number"' not in page


def test_the_upload_form_offers_only_what_the_state_accepts(client, world, advance_to):
    closed = advance_to(S.CLOSED)
    approved = advance_to(S.BANK_APPROVED)
    client.force_login(world.owner)
    assert 'name="doc-file"' not in client.get(reverse("financing:application", args=[closed.pk])).content.decode()
    page = client.get(reverse("financing:application", args=[approved.pk])).content.decode()
    kinds = re.findall(r'<option value="(\w+)"', page[page.index('name="doc-kind"'):page.index('name="doc-file"')])
    assert kinds == ["bank_document"]


def test_only_the_bank_gets_a_repeated_tranche_back(world, advance_to):
    application = advance_to(S.CONTRACTED)
    first = services.application_record_disbursement(
        actor=world.bank_officer_1, application_id=application.pk, amount_rials=100,
        paid_on=application.contract.signed_on, bank_reference="BNK-1", idempotency_key="k-1")
    with pytest.raises(NotAllowed):
        services.application_record_disbursement(
            actor=world.owner, application_id=application.pk, amount_rials=100,
            paid_on=application.contract.signed_on, bank_reference="BNK-1", idempotency_key="k-1")
    again = services.application_record_disbursement(
        actor=world.bank_officer_1, application_id=application.pk, amount_rials=100,
        paid_on=application.contract.signed_on, bank_reference="BNK-1", idempotency_key="k-1")
    assert again.pk == first.pk
    assert Disbursement.objects.filter(application=application).count() == 1
