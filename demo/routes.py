"""The routes of the demo applications through the §9 chain, as data.

``make_plan`` picks where an application stops and how it gets there; ``route`` turns that plan
into its steps, one audit record each; ``timeline`` dates the steps. Both loaders take the same
steps: the service-driven one (``demo.builder``) calls a service for each, the bulk one
(``demo.bulk``) the model's transition method. ``plan_routes`` draws all of it for a whole demo,
first thing from the seed's ``random.Random``, so one seed gives one set of routes in either loader.
"""

import datetime
import random
from dataclasses import dataclass
from typing import NamedTuple

from common.normalization import normalize_text
from financing.models import ApplicationDocument, ApplicationState

S = ApplicationState
Kind = ApplicationDocument.Kind

# Who takes a step: keys of one application's actors (``demo.staff.Staff.actors``).
OWNER, AGENCY, WG, BANK = "owner", "agency", "wg", "bank"

# How often each final state is chosen once every state has occurred once (weights).
STATE_WEIGHTS = {
    S.SUBMITTED: 8, S.AGENCY_REVIEW: 8, S.RETURNED: 4, S.AGENCY_APPROVED: 6, S.WORKING_GROUP_REVIEW: 6,
    S.REFERRED_TO_BANK: 5, S.BANK_REVIEW: 6, S.BANK_APPROVED: 5, S.CONTRACTED: 5, S.DISBURSING: 6,
    S.FULLY_DISBURSED: 5, S.OPERATION_DECLARED: 4, S.OPERATING: 5, S.SUBSIDY_IN_PAYMENT: 5, S.CLOSED: 6,
    S.REJECTED: 8, S.CANCELLED: 3, S.WITHDRAWN: 3,
}
# The main path, from submission to closure (roles.md).
MAIN_PATH = [
    S.SUBMITTED, S.AGENCY_REVIEW, S.AGENCY_APPROVED, S.WORKING_GROUP_REVIEW, S.REFERRED_TO_BANK, S.BANK_REVIEW,
    S.BANK_APPROVED, S.CONTRACTED, S.DISBURSING, S.FULLY_DISBURSED, S.OPERATION_DECLARED, S.OPERATING,
    S.SUBSIDY_IN_PAYMENT, S.CLOSED,
]
# Where each side branch leaves the main path, and the step that ends it.
BRANCH_FROM = {
    "return_agency": S.AGENCY_REVIEW, "return_wg": S.WORKING_GROUP_REVIEW, "reject_agency": S.AGENCY_REVIEW,
    "reject_wg": S.WORKING_GROUP_REVIEW, "reject_bank": S.BANK_REVIEW, "cancel_bank": S.BANK_APPROVED,
}
BRANCH_STEPS = {
    "return_agency": ("return_by_agency", AGENCY), "return_wg": ("return_by_working_group", WG),
    "reject_agency": ("reject_by_agency", AGENCY), "reject_wg": ("reject_by_working_group", WG),
    "reject_bank": ("reject_by_bank", BANK), "cancel_bank": ("cancel_by_bank", BANK),
    "withdraw": ("withdraw", OWNER),
}
MAX_GAP_DAYS = 12  # the longest pause between two steps of one application

_RETURN = ["جدول هزینه‌ها و منابع مالی طرح ناقص است.", "برآورد فروش سالانه مستند نشده است.",
           "مجوز فعالیت پیوست نشده است."]
_REJECT = ["طرح با رسته‌های اولویت‌دار فراخوان همخوانی ندارد.", "توجیه اقتصادی طرح کافی نیست.",
           "وثیقه و ضمانت‌نامه کافی ارائه نشده است."]
_CANCEL = ["متقاضی مدارک بانک را در مهلت مقرر تکمیل نکرد.", "بانک عامل از پرداخت تسهیلات مصوب منصرف شد."]
_WITHDRAW = ["متقاضی از اجرای طرح منصرف شد.", "متقاضی از منبع دیگری تأمین مالی کرد."]
# The steps that must say why (roles.md), and the demo's reasons for them, normalised as the services store them.
REASONS = {action: [normalize_text(text) for text in texts] for action, texts in {
    "return_by_agency": _RETURN, "return_by_working_group": _RETURN, "reject_by_agency": _REJECT,
    "reject_by_working_group": _REJECT, "reject_by_bank": _REJECT, "cancel_by_bank": _CANCEL,
    "withdraw": _WITHDRAW,
}.items()}

# The file each step uploads: the submission carries the study, a later study is the revised one.
SUBMITTED_FILE_NAME = "feasibility-study.pdf"
ADDED_FILE_NAMES = {
    Kind.FEASIBILITY_STUDY: "feasibility-revised.pdf",
    Kind.BANK_DOCUMENT: "bank-documents.pdf",
    Kind.OPERATION_EVIDENCE: "operation-evidence.pdf",
}


class Step(NamedTuple):
    """One step of a route, one audit record.

    ``action`` is ``"submit"``, ``"add_document"`` or the name of a transition method of
    ``InvestmentApplication`` (and of its audit action); ``actor`` is ``OWNER``, ``AGENCY``, ``WG``
    or ``BANK``; ``kind`` is the kind of document the step uploads, or ``None``.
    """

    action: str
    actor: str
    kind: str | None = None

    @property
    def file_name(self) -> str:
        """The name of the file this step uploads (only for a step with a ``kind``)."""
        return SUBMITTED_FILE_NAME if self.action == "submit" else ADDED_FILE_NAMES[self.kind]


def target_states(count: int, rng: random.Random) -> list:
    """``count`` final states: every state once (as far as ``count`` allows), the rest by weight,
    shuffled."""
    states = list(ApplicationState.values)
    chosen = states[:count]
    chosen += rng.choices(states, weights=[STATE_WEIGHTS[s] for s in states], k=max(0, count - len(states)))
    rng.shuffle(chosen)
    return chosen


@dataclass
class Plan:
    """One application's route: the main-path states it reaches, then at most one side branch.

    ``branch`` is a key of ``BRANCH_STEPS`` or ``None``; ``detour`` is a return and resubmission on
    the way (``"agency"`` or ``"wg"``); ``tranches`` and ``payouts`` are how many loan tranches and
    subsidy payouts it has in all, ``tranches_now`` and ``payouts_now`` how many are paid when it
    stops (fewer than all only when it stops midway).
    """

    target: str
    stops: list
    branch: str | None
    detour: str | None
    tranches: int
    tranches_now: int
    payouts: int
    payouts_now: int


def make_plan(target: str, rng: random.Random) -> Plan:
    """A plan that ends in state ``target`` (an ``ApplicationState`` value)."""
    branch = None
    if target == S.RETURNED:
        branch = rng.choice(["return_agency", "return_wg"])
    elif target == S.REJECTED:
        branch = rng.choice(["reject_agency", "reject_agency", "reject_wg", "reject_bank"])
    elif target == S.CANCELLED:
        branch = "cancel_bank"
    elif target == S.WITHDRAWN:
        branch = "withdraw"
    if branch == "withdraw":
        last = rng.choice([S.SUBMITTED, S.AGENCY_REVIEW, S.AGENCY_APPROVED, S.REFERRED_TO_BANK, S.BANK_REVIEW])
    else:
        last = BRANCH_FROM.get(branch, target)
    stops = MAIN_PATH[: MAIN_PATH.index(last) + 1]
    tranches = rng.choice([1, 2, 2, 3])
    payouts = rng.choice([1, 2, 2, 3])
    if last == S.DISBURSING:
        tranches = max(tranches, 2)
    if last == S.SUBSIDY_IN_PAYMENT:
        payouts = max(payouts, 2)
    tranches_now = rng.randrange(1, tranches) if last == S.DISBURSING else tranches
    payouts_now = rng.randrange(1, payouts) if last == S.SUBSIDY_IN_PAYMENT else payouts
    detour = None
    if S.AGENCY_APPROVED in stops and rng.random() < 0.15:
        detour = rng.choice(["agency", "wg"]) if S.REFERRED_TO_BANK in stops else "agency"
    return Plan(target=target, stops=stops, branch=branch, detour=detour, tranches=tranches,
                tranches_now=tranches_now, payouts=payouts, payouts_now=payouts_now)


def route(plan: Plan, rng: random.Random) -> list:
    """The steps of ``plan``, in order: a list of ``Step``. Every step is one the §9 workflow
    allows its actor from the state the steps before it reach. ``rng`` picks who confirms
    operation (the bank, or one time in five the agency)."""
    review, approve = Step("start_agency_review", AGENCY), Step("approve_by_agency", AGENCY)
    start_wg = Step("start_working_group_review", WG)
    resubmit = [Step("add_document", OWNER, Kind.FEASIBILITY_STUDY), Step("resubmit", OWNER), review]
    steps = [Step("submit", OWNER, Kind.FEASIBILITY_STUDY)]
    for state in plan.stops[1:]:
        if state == S.AGENCY_REVIEW:
            steps.append(review)
        elif state == S.AGENCY_APPROVED:
            if plan.detour == "agency":
                steps += [Step("return_by_agency", AGENCY), *resubmit]
            steps.append(approve)
        elif state == S.WORKING_GROUP_REVIEW:
            steps.append(start_wg)
        elif state == S.REFERRED_TO_BANK:
            if plan.detour == "wg":
                steps += [Step("return_by_working_group", WG), *resubmit, approve, start_wg]
            steps.append(Step("refer_to_bank", WG))
        elif state == S.BANK_REVIEW:
            steps.append(Step("start_bank_review", BANK))
        elif state == S.BANK_APPROVED:
            steps.append(Step("approve_by_bank", BANK))
        elif state == S.CONTRACTED:
            steps += [Step("add_document", OWNER, Kind.BANK_DOCUMENT), Step("sign_contract", BANK)]
        elif state == S.DISBURSING:
            steps += [Step("record_disbursement", BANK)] * min(plan.tranches_now, plan.tranches - 1)
        elif state == S.FULLY_DISBURSED:
            steps.append(Step("record_disbursement", BANK))
        elif state == S.OPERATION_DECLARED:
            steps += [Step("add_document", OWNER, Kind.OPERATION_EVIDENCE), Step("declare_operation", OWNER)]
        elif state == S.OPERATING:
            steps.append(Step("confirm_operation", AGENCY if rng.random() < 0.2 else BANK))
        elif state == S.SUBSIDY_IN_PAYMENT:
            steps += [Step("pay_subsidy", WG)] * min(plan.payouts_now, plan.payouts - 1)
        elif state == S.CLOSED:
            steps.append(Step("pay_subsidy", WG))
    if plan.branch:
        steps.append(Step(*BRANCH_STEPS[plan.branch]))
    return steps


def reason_for(action: str, rng: random.Random) -> str:
    """A reason for step ``action`` when it needs one (a return, a rejection, a withdrawal), else ``""``."""
    return rng.choice(REASONS[action]) if action in REASONS else ""


def timeline(steps: int, rng: random.Random, now: datetime.datetime) -> list:
    """``steps`` aware datetimes, ascending, the last some days before ``now``: pauses of up to
    ``MAX_GAP_DAYS`` days and at least an hour between two steps."""
    gaps = [datetime.timedelta(days=rng.randrange(0, MAX_GAP_DAYS), hours=rng.randrange(1, 10),
                               minutes=rng.randrange(0, 60)) for _ in range(steps - 1)]
    slack = datetime.timedelta(days=rng.randrange(0, 20), minutes=rng.randrange(1, 600))
    times = [now - slack - sum(gaps, datetime.timedelta())]
    for gap in gaps:
        times.append(times[-1] + gap)
    return times


@dataclass(frozen=True)
class PlannedRoute:
    """One demo application's ``plan``, its ``steps`` (``Step``) and their ``times`` (aware datetimes)."""

    plan: Plan
    steps: list
    times: list


def plan_routes(count: int, rng: random.Random, now: datetime.datetime) -> list:
    """``count`` ``PlannedRoute``: the final states (``target_states``), a plan for each, its
    steps and a timeline ending before ``now``."""
    plans = [make_plan(target, rng) for target in target_states(count, rng)]
    steps = [route(plan, rng) for plan in plans]
    return [PlannedRoute(plan, path, timeline(len(path), rng, now)) for plan, path in zip(plans, steps, strict=True)]
