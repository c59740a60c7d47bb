"""``manage.py seed_demo``: invented demo data built through the services, in every state, once.

The programme's reference data comes from ``manage.py load_programme`` when that command exists;
otherwise a minimal stand-in of four provinces is built with the factories.
"""

import io
import random
import re

import jdatetime
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from stdnum import verhoeff

from accounts.models import AuditRecord, Role, User
from budgets.models import BudgetLine, LedgerEntry
from common.identifiers import is_valid_company_id, is_valid_national_id
from demo import builder, routes
from demo.staff import ALREADY_PRESENT, DEMO_PASSWORD
from financing import tracking
from financing.models import Applicant, ApplicationDocument, ApplicationState, Call, InvestmentApplication
from financing.schedule import subsidy_total
from financing.selectors import application_history
from programs.models import BudgetYear, Province, ProvinceAllocation
from sectors.models import SectorAllocation
from tests.demo.helpers import load_reference_data

S = ApplicationState
N = 40


def seed(applications=N):
    out = io.StringIO()
    call_command("seed_demo", applications=applications, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    load_reference_data()
    return seed()


def counts():
    return {model.__name__: model.objects.count() for model in
            (User, Applicant, Call, InvestmentApplication, AuditRecord, ApplicationDocument, ProvinceAllocation,
             SectorAllocation, BudgetLine, LedgerEntry)}


def test_every_state_occurs(seeded):
    states = set(InvestmentApplication.objects.values_list("state", flat=True))
    assert states == set(S.values)
    assert InvestmentApplication.objects.count() == N


def test_every_province_has_applications(seeded):
    assert set(InvestmentApplication.objects.values_list("province_id", flat=True)) == set(
        Province.objects.values_list("pk", flat=True))


def test_every_tracking_code_is_verhoeff_valid(seeded):
    codes = list(InvestmentApplication.objects.exclude(tracking_code=None).values_list("tracking_code", flat=True))
    assert len(codes) >= 10
    assert all(tracking.is_valid(code) and verhoeff.is_valid(code) for code in codes)
    before_approval = {S.SUBMITTED, S.AGENCY_REVIEW}
    assert not InvestmentApplication.objects.filter(state__in=before_approval).exclude(tracking_code=None).exists()


def test_every_history_starts_with_the_submission_and_ends_in_the_current_state(seeded):
    now = timezone.now()
    for app in InvestmentApplication.objects.all():
        history = list(application_history(app))
        assert (history[0].action, history[0].to_state, history[0].at) == ("submit", S.SUBMITTED, app.submitted_at)
        assert history[-1].to_state == app.state, app.pk
        assert app.state_changed_at == history[-1].at
        times = [record.at for record in history]
        assert times == sorted(times) and times[-1] <= now
        for earlier, later in zip(history, history[1:], strict=False):
            assert later.from_state == earlier.to_state, (app.pk, later.action)


def test_money_rows_match_the_states(seeded):
    """Tranches add up to the principal once fully disbursed; payouts to the commitment once closed,
    the subsidy the contract's schedule gives (never 0: the demo's subsidies are 8 to 12 points)."""
    for app in InvestmentApplication.objects.exclude(contract=None).select_related("contract"):
        c = app.contract
        assert c.subsidy_committed_rials == subsidy_total(c.principal_rials, c.interest_rate_percent,
                                                          c.subsidy_rate_percent, c.term_months, c.grace_months) > 0
    for app in InvestmentApplication.objects.filter(state__in=[S.FULLY_DISBURSED, S.CLOSED]):
        assert sum(app.disbursements.values_list("amount_rials", flat=True)) == app.contract.principal_rials
    for app in InvestmentApplication.objects.filter(state=S.CLOSED):
        paid = sum(app.subsidy_payouts.values_list("amount_rials", flat=True))
        assert paid == app.contract.subsidy_committed_rials
    for app in InvestmentApplication.objects.filter(state=S.DISBURSING):
        assert 0 < sum(app.disbursements.values_list("amount_rials", flat=True)) < app.contract.principal_rials


def test_applicants_have_valid_ids_and_every_application_a_pdf_study(seeded):
    for applicant in Applicant.objects.all():
        valid = is_valid_company_id if applicant.person_kind == Applicant.PersonKind.LEGAL else is_valid_national_id
        assert valid(applicant.national_id), applicant.national_id
    for app in InvestmentApplication.objects.all():
        study = app.documents.filter(kind=ApplicationDocument.Kind.FEASIBILITY_STUDY).first()
        assert study is not None and study.content_type == "application/pdf"
        with study.file.open("rb") as stored:
            assert stored.read(5) == b"%PDF-"


def test_one_account_per_role_at_least_and_the_demo_password_works(seeded):
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for username in ("ministry", "admin", "applicant.001"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD), username
    admin = User.objects.get(username="admin")
    assert (admin.is_superuser, admin.is_staff, admin.role) == (False, True, Role.SYSTEM_ADMIN)
    assert "ministry" in seeded and DEMO_PASSWORD in seeded


def test_kermanshah_has_every_officer_role(seeded):
    if not Province.objects.filter(code="IR-05", name_en="Kermanshah").exists():
        pytest.skip("needs the programme's provinces")
    roles = set(User.objects.filter(province__code="IR-05").values_list("role", flat=True))
    roles |= set(User.objects.filter(bank_provinces__code="IR-05").values_list("role", flat=True))
    assert {Role.AGENCY_OFFICER, Role.WORKING_GROUP_SECRETARY, Role.PROVINCIAL_MANAGER, Role.BANK_OFFICER} <= roles
    assert User.objects.get(username="agency.kermanshah").check_password(DEMO_PASSWORD)


def printed_codes(output):
    """The tracking codes the command printed, in groups of four, as plain digits."""
    return [m.replace(" ", "") for m in re.findall(r"^  ((?:\d{4} ){3}\d{4})  \(", output, re.M)]


def test_second_run_adds_nothing_and_lists_the_logins_again(seeded):
    before = counts()
    output = seed()
    assert ALREADY_PRESENT in output
    assert counts() == before
    assert "  ministry " in output and "  agency.kermanshah " in output
    assert printed_codes(output) == printed_codes(seeded) != []


def test_output_lists_tracking_codes(seeded):
    codes = printed_codes(seeded)
    assert len(codes) == 5 and all(tracking.is_valid(code) for code in codes)


def test_missing_reference_data_is_reported(db):
    with pytest.raises(CommandError, match="load_programme"):
        seed()
    assert InvestmentApplication.objects.count() == 0


def test_routes_are_deterministic_for_a_seed():
    first = [routes.make_plan(t, random.Random(5)) for t in routes.target_states(60, random.Random(5))]
    again = [routes.make_plan(t, random.Random(5)) for t in routes.target_states(60, random.Random(5))]
    assert first == again
    assert {plan.target for plan in first} == set(S.values)


def test_every_document_is_dated_by_the_step_that_added_it(seeded):
    """A file's upload time matches its audit record: the submission or the document step."""
    for application in InvestmentApplication.objects.all():
        history = application_history(application)
        step_times = [r.at for r in history if r.action in ("submit", "add_document")]
        assert [d.uploaded_at for d in application.documents.order_by("id")] == step_times


def test_every_notification_is_dated_by_its_step(seeded):
    """The applicant's page lists notifications at the (back-dated) time of the step that sent them."""
    from accounts.models import Notification

    for application in InvestmentApplication.objects.all()[:40]:
        steps = [r.at for r in application_history(application) if r.action != "add_document"]
        sent = list(Notification.objects.filter(object_id=application.pk, channel="sms").order_by("id")
                    .values_list("created_at", flat=True))
        assert sent == steps


@pytest.mark.parametrize("is_demo", [False, True])
def test_an_allocation_already_there_is_kept_unless_it_is_an_earlier_demos(db, is_demo):
    """Where a year already has a real allocation, the demo draws on it and never changes it; an
    earlier demo's row is raised to what this demo needs (here the floor: 10 billion rials a fund)."""
    load_reference_data()
    kermanshah = Province.objects.order_by("code").first()
    year = BudgetYear.objects.create(year=1405)
    ProvinceAllocation.objects.create(province=kermanshah, budget_year=year, new_jobs=5, grants_rials=7,
                                      loans_rials=11, interest_subsidy_rials=13, is_demo=is_demo)
    now = timezone.make_aware(jdatetime.datetime(1405, 3, 1, 12, 0).togregorian())
    report = builder.seed_demo(applications=0, seed=5, now=now)
    row = ProvinceAllocation.objects.get(province=kermanshah, budget_year=year)
    kept_note = f"Allocations that are not demo data were kept as they are: {kermanshah.name_en} 1405."
    if is_demo:
        assert (row.new_jobs, row.grants_rials, row.loans_rials, row.interest_subsidy_rials) == (40, *[10**10] * 3)
        assert kept_note not in report.notes
    else:
        assert (row.new_jobs, row.grants_rials, row.loans_rials, row.interest_subsidy_rials) == (5, 7, 11, 13)
        assert kept_note in report.notes
    assert ProvinceAllocation.objects.filter(budget_year=year, is_demo=True).count() == (
        Province.objects.count() - (not is_demo))
