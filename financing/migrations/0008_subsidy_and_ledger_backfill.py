"""Existing data meets issue 7's rules:
- every stored contract's subsidy is recomputed from its terms (``financing.schedule``); a grace
  period as long as the term (allowed before) is shortened to term − 1 months;
- the budget ledger gets the entries of the applications already stored, dated and signed as
  their steps were (the audit rows), on the lines of the Jalali year of each step: the bank's
  approval commits the loan, a contract below it releases the difference and commits the
  subsidy, tranches and subsidy payouts are paid. No cap is applied: history is written as it
  happened, and a line it over-commits shows a negative remainder.
- each application's priority score is computed (``financing.priority``).
"""

import zoneinfo

import jdatetime
from django.db import migrations

from financing.priority import priority_scores_refresh
from financing.schedule import subsidy_total

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def recompute_subsidies(apps, schema_editor):
    LoanContract = apps.get_model("financing", "LoanContract")
    for contract in LoanContract.objects.all():
        contract.term_months = max(contract.term_months, 1)
        if contract.grace_months >= contract.term_months:
            contract.grace_months = contract.term_months - 1
        subsidy_rate = min(contract.subsidy_rate_percent, contract.interest_rate_percent)
        contract.subsidy_committed_rials = subsidy_total(contract.principal_rials, contract.interest_rate_percent,
                                                         subsidy_rate, contract.term_months, contract.grace_months)
        contract.save(update_fields=["term_months", "grace_months", "subsidy_committed_rials"])


def backfill_entries(apps):
    """The ledger entries (unsaved) of every application stored: what the services would have
    written had the ledger existed (tests/budgets/test_backfill.py compares the two)."""
    InvestmentApplication = apps.get_model("financing", "InvestmentApplication")
    LoanContract = apps.get_model("financing", "LoanContract")
    AuditRecord = apps.get_model("accounts", "AuditRecord")
    ContentType = apps.get_model("contenttypes", "ContentType")
    BudgetYear = apps.get_model("programs", "BudgetYear")
    BudgetLine = apps.get_model("budgets", "BudgetLine")
    LedgerEntry = apps.get_model("budgets", "LedgerEntry")
    source_type, _created = ContentType.objects.get_or_create(app_label="financing", model="investmentapplication")
    lines = {}

    def line(fund, year, **owner):
        key = (fund, year, tuple(owner.items()))
        if key not in lines:
            budget_year, _c = BudgetYear.objects.get_or_create(year=year)
            lines[key] = BudgetLine.objects.get_or_create(fund=fund, budget_year=budget_year, **owner)[0]
        return lines[key]

    def entries(app, kind, fund, amount, actor_id, at, year_at=None):
        year = jdatetime.date.fromgregorian(date=(year_at or at).astimezone(TEHRAN).date()).year
        return [LedgerEntry(line=line(fund, year, **owner), kind=kind, amount_rials=amount, source_type=source_type,
                            source_id=app.pk, actor_id=actor_id, at=at, reason="")
                for owner in ({"province_id": app.province_id}, {"economic_sector_id": app.economic_sector_id})]

    def step(app, action):
        return (AuditRecord.objects.filter(content_type=source_type, object_id=app.pk, action=action)
                .order_by("at", "pk").first())

    applications = InvestmentApplication.objects.filter(approved_loan_rials__isnull=False).order_by("pk")
    for app in applications.iterator(chunk_size=2000):
        approval = step(app, "approve_by_bank")
        if approval is None:
            continue  # approved outside the chain (no audit row): nothing to date it by
        yield from entries(app, "commit", "loans", app.approved_loan_rials, approval.actor_id, approval.at)
        contract = LoanContract.objects.filter(application_id=app.pk).first()
        if contract is None:
            cancel = step(app, "cancel_by_bank") if app.state == "cancelled" else None
            if cancel is not None:
                yield from entries(app, "release", "loans", app.approved_loan_rials, cancel.actor_id, cancel.at,
                                   approval.at)
            continue
        signing = step(app, "sign_contract")
        signed_at = signing.at if signing else contract.recorded_at
        if contract.subsidy_committed_rials > 0:
            yield from entries(app, "commit", "interest_subsidy", contract.subsidy_committed_rials,
                               contract.recorded_by_id, signed_at)
        unused = app.approved_loan_rials - contract.principal_rials
        if unused > 0:  # released on the approval's lines
            yield from entries(app, "release", "loans", unused, contract.recorded_by_id, signed_at, approval.at)
        for tranche in app.disbursements.order_by("pk"):
            yield from entries(app, "pay", "loans", tranche.amount_rials, tranche.recorded_by_id,
                               tranche.recorded_at, approval.at)
        for payout in app.subsidy_payouts.order_by("pk"):
            yield from entries(app, "pay", "interest_subsidy", payout.amount_rials, payout.recorded_by_id,
                               payout.recorded_at, signed_at)


def backfill_ledger(apps, schema_editor):
    LedgerEntry = apps.get_model("budgets", "LedgerEntry")
    batch = []
    for entry in backfill_entries(apps):
        batch.append(entry)
        if len(batch) >= 5000:
            LedgerEntry.objects.bulk_create(batch)
            batch = []
    LedgerEntry.objects.bulk_create(batch)


def priority_scores(apps, schema_editor):
    priority_scores_refresh(apps.get_model("financing", "InvestmentApplication").objects.all(),
                            sectors=apps.get_model("sectors", "PrioritySector").objects.all())


class Migration(migrations.Migration):

    dependencies = [
        ("financing", "0007_budgets_priority_cancel"),
        ("budgets", "0002_append_only_and_lines"),
        ("accounts", "0005_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(recompute_subsidies, migrations.RunPython.noop),
        migrations.RunPython(backfill_ledger, migrations.RunPython.noop),
        migrations.RunPython(priority_scores, migrations.RunPython.noop),
    ]
