"""What a new user found in issue 7's first trial: a subsidy paid before operation started, a rate
typed in scientific notation, and a stale page whose form had a field error."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.errors import RuleBroken
from common.fields import DecimalPercentField
from financing import services
from financing.models import ApplicationState, InvestmentApplication
from tests.financing.actions import snapshot
from tests.web import act, as_user

S = ApplicationState


def test_a_subsidy_payout_before_operation_started_is_refused(advance_to, world):
    app = advance_to(S.OPERATING)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        services.application_pay_subsidy(actor=world.secretary_a, application_id=app.pk, amount_rials=1,
                                         paid_on=app.operation_started_on - datetime.timedelta(days=1))
    assert refused.value.field == "paid_on"
    assert snapshot(app.pk) == before
    services.application_pay_subsidy(actor=world.secretary_a, application_id=app.pk, amount_rials=1,
                                     paid_on=app.operation_started_on)
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.SUBSIDY_IN_PAYMENT


@pytest.mark.parametrize("typed", ["1e1", "1E1", "Infinity", "NaN", "۱e۱", "1.2.3", "--1"])
def test_a_rate_must_be_a_plain_decimal(typed):
    field = DecimalPercentField(min_value=0, max_value=100, max_digits=5, decimal_places=2)
    with pytest.raises(ValidationError):
        field.clean(typed)


@pytest.mark.parametrize("typed, value", [("18", "18"), ("۱۸٫۵", "18.5"), ("١٢.٢٥", "12.25"), (".5", "0.5")])
def test_plain_decimals_in_any_digits_are_read(typed, value):
    field = DecimalPercentField(min_value=0, max_value=100, max_digits=5, decimal_places=2)
    assert str(field.clean(typed)) == value


def test_a_stale_page_with_a_field_error_is_told_it_is_stale(client, advance_to, world):
    app = advance_to(S.BANK_APPROVED)
    services.application_cancel_by_bank(actor=world.bank_officer_1, application_id=app.pk,
                                        reason="متقاضی انصراف داد.")
    as_user(client, world.bank_officer_1)
    response = act(client, app, "sign_contract", expected_state=S.BANK_APPROVED, interest_rate_percent="-1")
    assert response.status_code == 409
    assert "وضعیت این طرح در این فاصله تغییر کرده است." in response.content.decode()


def test_a_field_error_on_a_current_page_keeps_the_form(client, advance_to, world):
    app = advance_to(S.BANK_APPROVED)
    as_user(client, world.bank_officer_1)
    response = act(client, app, "sign_contract", principal_rials="۱۰۰۰", interest_rate_percent="1e1")
    assert response.status_code == 400
    assert 'value="۱۰۰۰"' in response.content.decode()


def test_the_payout_form_proposes_the_amount_in_persian_digits(client, advance_to, world):
    app = advance_to(S.OPERATING)
    as_user(client, world.secretary_a)
    page = client.get(reverse("financing:application", args=[app.pk])).content.decode()
    assert 'value="۱٬۸۶۳٬۳۷۰٬۱۹۷"' in page


def test_equal_scores_wait_in_line_by_their_last_change(advance_to, world):
    from financing.selectors import application_inbox

    first, second = advance_to(S.SUBMITTED), advance_to(S.SUBMITTED)
    assert first.priority_score == second.priority_score
    InvestmentApplication.objects.filter(pk=second.pk).update(
        state_changed_at=first.state_changed_at - datetime.timedelta(hours=1))
    inbox = application_inbox(world.agency_officer_a, order="priority")
    assert [a.pk for a in inbox] == [second.pk, first.pk]
