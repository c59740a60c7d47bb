"""What the demo tests share: the programme's reference data, the audit trail of each application,
and the check that the budget ledger agrees with the applications."""

import io
from collections import Counter, defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, get_commands
from django.db.models import Sum

from accounts.models import AuditRecord
from budgets.models import BudgetLine, Fund, LedgerEntry
from budgets.selectors import lines_with_amounts
from budgets.services import budget_year_of
from financing.models import ApplicationState, Disbursement, InvestmentApplication, LoanContract, SubsidyPayout
from tests.factories import (
    AgencyFactory,
    BankFactory,
    CountyFactory,
    EconomicSectorFactory,
    PrioritySectorFactory,
    ProvinceFactory,
    WorkingGroupFactory,
)


def load_reference_data():
    """The programme's data, or four stand-in provinces when the loader is not there."""
    if "load_programme" in get_commands():
        call_command("load_programme", stdout=io.StringIO())
        return
    sectors = [EconomicSectorFactory(code=code) for code in ("agriculture", "industry", "tourism")]
    provinces = [ProvinceFactory(code=code, name_en=name) for code, name in
                 [("IR-05", "Kermanshah"), ("IR-16", "Ilam"), ("IR-15", "Lorestan"), ("IR-13", "Hamadan")]]
    for province in provinces:
        WorkingGroupFactory(province=province)
        CountyFactory(province=province)
        for sector in sectors:
            AgencyFactory(province=province, code=f"{province.code.lower()}-{sector.code}", economic_sectors=[sector])
        if province.code != "IR-15":  # Lorestan has no sector table in the seed
            for rank, sector in enumerate(sectors, start=1):
                PrioritySectorFactory(province=province, economic_sector=sector, rank=rank)
    for code in ("keshavarzi", "tosee-taavon"):
        BankFactory(code=code, provinces=provinces)


def histories() -> dict:
    """``{application pk: [AuditRecord, …]}``, each in the order of the steps, actors loaded."""
    content_type = ContentType.objects.get_for_model(InvestmentApplication)
    by_app = defaultdict(list)
    for record in (AuditRecord.objects.filter(content_type=content_type).select_related("actor")
                   .order_by("object_id", "at", "id")):
        by_app[record.object_id].append(record)
    return by_app


K = LedgerEntry.Kind
# The step whose time each kind of entry carries, by fund (a release of the loan: the bank's cancellation).
STEP_OF = {(Fund.LOANS, K.COMMIT): "approve_by_bank", (Fund.LOANS, K.RELEASE): "cancel_by_bank",
           (Fund.LOANS, K.PAY): "record_disbursement", (Fund.INTEREST_SUBSIDY, K.COMMIT): "sign_contract",
           (Fund.INTEREST_SUBSIDY, K.PAY): "pay_subsidy"}


def application_entries():
    """The ledger entries of applications (the demo's interventions have their own: grants)."""
    return LedgerEntry.objects.filter(source_type=ContentType.objects.get_for_model(InvestmentApplication))


def ledger_sums() -> dict:
    """``{(owner, fund, kind): rials}`` summed from the applications' ledger entries; ``owner`` is
    ``("province", id)`` or ``("sector", id)``."""
    sums = {}
    for row in (application_entries().values("line__province_id", "line__economic_sector_id", "line__fund", "kind")
                .annotate(total=Sum("amount_rials")).order_by()):
        owner = ("province", row["line__province_id"]) if row["line__province_id"] else (
            "sector", row["line__economic_sector_id"])
        sums[(owner, row["line__fund"], row["kind"])] = row["total"]
    return sums


def application_sums() -> dict:
    """The same keys as ``ledger_sums``, from the applications' own rows: the approved loans
    committed, the loans of cancelled applications (and a principal's unused part) released, the
    tranches paid, the contracts' subsidies committed and the payouts paid."""
    apps = {a["pk"]: a for a in InvestmentApplication.objects.values("pk", "province_id", "economic_sector_id",
                                                                     "state", "approved_loan_rials")}
    contracts = dict(LoanContract.objects.values_list("application_id", "principal_rials"))
    subsidies = dict(LoanContract.objects.values_list("application_id", "subsidy_committed_rials"))
    tranches = dict(Disbursement.objects.values("application_id").annotate(t=Sum("amount_rials"))
                    .values_list("application_id", "t").order_by())
    payouts = dict(SubsidyPayout.objects.values("application_id").annotate(t=Sum("amount_rials"))
                   .values_list("application_id", "t").order_by())
    sums = Counter()
    for pk, app in apps.items():
        approved = app["approved_loan_rials"] or 0
        released = approved if app["state"] == ApplicationState.CANCELLED else approved - contracts.get(pk, approved)
        figures = {(Fund.LOANS, K.COMMIT): approved, (Fund.LOANS, K.RELEASE): released,
                   (Fund.LOANS, K.PAY): tranches.get(pk, 0), (Fund.INTEREST_SUBSIDY, K.COMMIT): subsidies.get(pk, 0),
                   (Fund.INTEREST_SUBSIDY, K.PAY): payouts.get(pk, 0)}
        for owner in (("province", app["province_id"]), ("sector", app["economic_sector_id"])):
            for (fund, kind), rials in figures.items():
                sums[(owner, fund, kind)] += rials
    return {key: rials for key, rials in sums.items() if rials}


def check_ledger_against_applications() -> None:
    """Assert that the demo's ledger is the one the money services write for its applications: the
    sums agree per province and per economic sector (``ledger_sums`` == ``application_sums``);
    each entry is on its application's province or sector line, two entries (province, sector) a
    step, at the time of that step's audit record; commitments on the lines of their step's
    Jalali year, releases and payments on the lines of the commitment; no line has less than
    nothing left."""
    assert ledger_sums() == application_sums()
    apps = dict(InvestmentApplication.objects.values_list("pk", "province_id"))
    sectors = dict(InvestmentApplication.objects.values_list("pk", "economic_sector_id"))
    steps = defaultdict(list)
    for object_id, action, at in AuditRecord.objects.filter(action__in=set(STEP_OF.values())).values_list(
            "object_id", "action", "at"):
        steps[(object_id, action)] += [at, at]  # one entry on the province's line, one on the sector's
    times, lines = defaultdict(list), defaultdict(set)
    for entry in application_entries().select_related("line__budget_year"):
        line, pk = entry.line, entry.source_id
        assert (line.province_id, line.economic_sector_id) in {(apps[pk], None), (None, sectors[pk])}, entry.pk
        times[(pk, STEP_OF[(line.fund, entry.kind)])].append(entry.at)
        lines[(pk, line.fund)].add(line.pk)
        if entry.kind == K.COMMIT:
            assert line.budget_year.year == budget_year_of(entry.at), entry.pk
    assert {key: sorted(at) for key, at in times.items()} == {key: sorted(at) for key, at in steps.items()}
    assert all(len(pair) == 2 for pair in lines.values())
    assert [row.line for row in lines_with_amounts(BudgetLine.objects.all()) if row.amounts.remaining < 0] == []
