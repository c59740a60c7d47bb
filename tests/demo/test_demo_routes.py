"""One route per demo plan (``demo.routes``): the service-driven builder and the bulk loader both
take it, step by step, so one seed gives one demo whichever of them builds it."""

import random

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from demo import builder, bulk, routes
from financing.models import ApplicationState, InvestmentApplication
from tests.demo.helpers import application_entries, histories, load_reference_data

SEED = 27
M = 40  # applications: every state occurs, and a few detours
ROLE_OF = {routes.OWNER: Role.APPLICANT, routes.AGENCY: Role.AGENCY_OFFICER,
           routes.WG: Role.WORKING_GROUP_SECRETARY, routes.BANK: Role.BANK_OFFICER}
LOADERS = {"builder": builder.seed_demo, "bulk": bulk.seed_demo_bulk}


class _RolledBack(Exception):
    pass


def trails_and_files():
    """Per application, oldest first: its audit trail as ``(action, actor role, time)`` and its
    files as ``(kind, name, upload time)``."""
    by_app = histories()
    trails, files = [], []
    for application in InvestmentApplication.objects.order_by("pk"):
        trails.append([(r.action, r.actor_role, r.at) for r in by_app[application.pk]])
        files.append([(d.kind, d.original_name, d.uploaded_at) for d in application.documents.order_by("id")])
    return trails, files


def expected_trails_and_files(now):
    """What ``routes.plan_routes`` says for ``SEED`` and ``M``, in the shape of ``trails_and_files``."""
    planned = routes.plan_routes(M, random.Random(SEED), now)
    trails = [[(s.action, ROLE_OF[s.actor], at) for s, at in zip(p.steps, p.times, strict=True)] for p in planned]
    files = [[(s.kind, s.file_name, at) for s, at in zip(p.steps, p.times, strict=True) if s.kind] for p in planned]
    return trails, files


def ledger_of(app) -> list:
    """The application's budget ledger entries as plain values, in a stable order (a payment's two
    entries may be written in either order); a reference that names the key reads ``<pk>``."""
    return sorted((e.kind, e.line.fund, e.line.province_id or 0, e.line.economic_sector_id or 0,
                   e.line.budget_year.year, e.amount_rials, e.at, e.actor.username,
                   e.reason.replace(f"{app.pk:05d}", "<pk>"))
                  for e in application_entries().filter(source_id=app.pk).select_related("line__budget_year", "actor"))


def fingerprint():
    """The demo's applications as plain values, without what differs from one build to the next:
    keys, tracking codes (``secrets``), references that name a key, notifications."""
    by_app = histories()
    result = []
    for app in InvestmentApplication.objects.order_by("pk").select_related("applicant__user", "priority_sector"):
        contract = getattr(app, "contract", None)
        result.append({
            "owner": app.applicant.user.username, "where": (app.agency_id, app.county_id, app.bank_id),
            "sector": app.priority_sector.name, "title": app.title, "state": app.state,
            "tracked": app.tracking_code is not None,
            "figures": (app.project_kind, app.requested_loan_rials, app.own_contribution_rials, app.planned_new_jobs,
                        app.approved_loan_rials, app.operation_started_on, app.actual_new_jobs,
                        app.actual_retained_jobs, app.submitted_at, app.state_changed_at),
            "trail": [(r.action, r.actor.username, r.from_state, r.to_state, r.at, r.reason,
                       {k: v for k, v in r.data.items() if k not in ("document", "bank_reference")})
                      for r in by_app[app.pk]],
            "files": list(app.documents.order_by("id").values_list("kind", "original_name", "uploaded_at")),
            "contract": contract and (contract.principal_rials, contract.interest_rate_percent,
                                      contract.subsidy_rate_percent, contract.term_months, contract.grace_months,
                                      contract.planned_tranches, contract.subsidy_committed_rials, contract.signed_on),
            "tranches": list(app.disbursements.order_by("id").values_list("amount_rials", "paid_on")),
            "payouts": list(app.subsidy_payouts.order_by("id").values_list("amount_rials", "paid_on")),
            "ledger": ledger_of(app),
        })
    return result


def build_and_roll_back(loader, now):
    """The ``fingerprint`` of the demo that ``loader`` builds, then undone (a savepoint)."""
    try:
        with transaction.atomic():
            loader(applications=M, seed=SEED, now=now)
            result = fingerprint()
            raise _RolledBack
    except _RolledBack:
        return result


@pytest.mark.parametrize("loader", list(LOADERS))
def test_each_application_takes_the_steps_of_its_shared_route(db, loader):
    """Each audit record is a step of the route, taken by the step's role at the step's time, and
    each file is dated by the step that uploaded it."""
    load_reference_data()
    now = timezone.now()
    LOADERS[loader](applications=M, seed=SEED, now=now)
    assert trails_and_files() == expected_trails_and_files(now)


def test_both_loaders_build_the_same_demo_for_a_seed(db):
    load_reference_data()
    now = timezone.now()
    by_services = build_and_roll_back(builder.seed_demo, now)
    in_bulk = build_and_roll_back(bulk.seed_demo_bulk, now)
    assert len(by_services) == M
    assert in_bulk == by_services


def test_routes_are_planned_the_same_for_a_seed():
    now = timezone.now()
    first, again = routes.plan_routes(M, random.Random(SEED), now), routes.plan_routes(M, random.Random(SEED), now)
    assert first == again
    assert {p.plan.target for p in first} == set(ApplicationState.values)
    assert all(p.times == sorted(p.times) and len(p.times) == len(p.steps) for p in first)
