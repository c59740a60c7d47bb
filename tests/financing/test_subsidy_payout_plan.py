"""The subsidy's payout plan (issue 7, "Payout"): in one go, or per period of the schedule as
configured (``KALEH_SUBSIDY_PAYOUT_MONTHS``); the payout form proposes the amount due."""

from django.urls import reverse

from common.templatetags.persian import fa_number
from financing.models import ApplicationState
from financing.schedule import subsidy_due, subsidy_schedule
from tests.factories import Figures
from tests.web import as_user

S = ApplicationState
EXAMPLE = subsidy_schedule(10_000_000_000, "18", "12", 60, 12)  # the worked example


def test_in_one_go_the_whole_unpaid_subsidy_is_due():
    assert subsidy_due(EXAMPLE, 0) == 4_027_185_866
    assert subsidy_due(EXAMPLE, 1_000_000_000) == 3_027_185_866
    assert subsidy_due(EXAMPLE, 4_027_185_866) == 0


def test_per_year_each_twelve_months_of_the_schedule_are_due_in_turn():
    # The first 12 months are grace: 12 × (150,000,000 − 50,000,000) rials of subsidy.
    assert subsidy_due(EXAMPLE, 0, 12) == 1_200_000_000
    second_year = sum(m.subsidy for m in EXAMPLE.months[12:24])
    assert subsidy_due(EXAMPLE, 1_200_000_000, 12) == second_year
    # A partial payout leaves the rest of the same period due.
    assert subsidy_due(EXAMPLE, 1_000_000_000, 12) == 200_000_000
    last_year = sum(m.subsidy for m in EXAMPLE.months[48:])
    assert subsidy_due(EXAMPLE, 4_027_185_866 - last_year, 12) == last_year


def test_the_payout_form_proposes_what_is_due(client, advance_to, world, settings):
    app = advance_to(S.OPERATING)
    as_user(client, world.secretary_a)
    page = client.get(reverse("financing:application", args=[app.pk])).content.decode()
    assert f'value="{fa_number(Figures.SUBSIDY)}"' in page  # ۱٬۸۶۳٬۳۷۰٬۱۹۷

    settings.KALEH_SUBSIDY_PAYOUT_MONTHS = 12
    contract = app.contract
    first_year = sum(m.subsidy for m in subsidy_schedule(
        contract.principal_rials, contract.interest_rate_percent, contract.subsidy_rate_percent,
        contract.term_months, contract.grace_months).months[:12])
    assert first_year == 12 * (82_650_000 - 36_733_333)  # 5,510,000,000 × 1.5 % and × 8/1200, rounded
    page = client.get(reverse("financing:application", args=[app.pk])).content.decode()
    assert f'value="{fa_number(first_year)}"' in page
