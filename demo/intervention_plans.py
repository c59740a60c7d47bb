"""The plan of the demo's development interventions (§7, §8), drawn before any is built: which
state each ends in (``TARGETS``: every state of the chain, four evaluated or closed and all of those
forming an institution, so §11 counts some), where (the provinces take turns, each intervention on
another of its province's priority sectors, so most of the coverage grid stays a gap), what
(``demo.intervention_ideas``), the steps that take it there and when each is taken.

Times: a grant is committed in the Jalali year of its step, so the grant of a funded intervention
is recorded inside the budget ``Window`` (the years the demo allocates, ``demo.budget.years_spanned``,
at most ``WINDOW_DAYS`` back); the steps before it go back by their usual gaps, the steps after it
are squeezed to end before now. A milestone reported is done a few days before its report, after
execution started, and planned in its period (or the one before: a little late); the others are
planned in the coming periods. Amounts are rials, periods the programme's two-month periods.
"""

import datetime
from dataclasses import dataclass, field

import jdatetime
from django.utils import timezone

from interventions.workflow import InterventionState
from programs import calendar
from programs.models import Agency, County
from sectors.models import PrioritySector

from . import intervention_ideas as ideas
from .budget import years_spanned

S = InterventionState
# The state each demo intervention ends in.
TARGETS = (S.ANALYSIS, S.PROPOSED, S.DOCUMENTS_SUBMITTED, S.RETURNED, S.APPROVED, S.REFERRED, S.FUNDED,
           S.IN_EXECUTION, S.IN_EXECUTION, S.EVALUATED, S.EVALUATED, S.CLOSED, S.CLOSED, S.REJECTED)
COUNTED = (S.EVALUATED, S.CLOSED)
# Days from the step before (a content edit follows within minutes).
GAP_DAYS = {"propose": (5, 30), "submit_documents": (6, 30), "return_for_revision": (5, 20), "approve": (5, 25),
            "reject": (5, 25), "revise": (3, 15), "refer_for_funding": (4, 20), "record_grant": (10, 40),
            "start_execution": (4, 15), "report": (25, 60), "pay": (5, 20), "evaluate": (8, 25), "close": (8, 30)}
# Where in the budget window (0 = its start, 1 = now) the grant of each funded state is recorded.
GRANT_AT = {S.FUNDED: (0.55, 0.85), S.IN_EXECUTION: (0.2, 0.45), S.EVALUATED: (0.03, 0.2), S.CLOSED: (0.0, 0.1)}
WINDOW_DAYS = 330  # grants are recorded at most this long ago
BILLION, ROUND = 10**9, 10**8


def plan_steps(target, milestones: int, resources: int, detour: bool, rng) -> list:
    """The steps ``(action, index)`` that take an intervention to ``target`` (``index``: the
    milestone or resource line the step is about). ``detour``: sent back once before approval."""
    steps = [("create", None)]
    if target == S.ANALYSIS:
        return steps
    steps += [("propose", None), ("update", None)]
    if target == S.PROPOSED:  # the execution documents half written
        return steps + [("milestone", 0), ("milestone", 1)]
    steps += [("milestone", i) for i in range(milestones)] + [("resource", i) for i in range(resources)]
    steps += [("document", None), ("submit_documents", None)]
    if target in (S.DOCUMENTS_SUBMITTED, S.RETURNED, S.REJECTED):
        return steps + {S.DOCUMENTS_SUBMITTED: [], S.RETURNED: [("return_for_revision", None)],
                        S.REJECTED: [("reject", None)]}[target]
    if detour:
        steps += [("return_for_revision", None), ("revise", None), ("resubmit", None)]
    steps.append(("approve", None))
    for state, action in ((S.APPROVED, "refer_for_funding"), (S.REFERRED, "record_grant"),
                          (S.FUNDED, "start_execution")):
        if target == state:
            return steps
        steps.append((action, None))
    if target == S.IN_EXECUTION:
        reported = rng.randint(1, milestones - 1)
        for i in range(reported):
            steps.append(("report", i))
            if i < reported - 1 or rng.random() < 0.5:
                steps.append(("pay", i))
        return steps
    last = milestones - 1
    for i in range(last):
        steps += [("report", i), ("pay", i)]
    steps += [("report", last), ("evaluation_file", None), ("evaluate", None)]
    return steps if target == S.EVALUATED else steps + [("pay", last), ("close", None)]


def plan_times(steps: list, rng, *, anchor: int, anchor_at, end) -> list:
    """One aware datetime a step, ascending: step ``anchor`` at ``anchor_at``, the steps before it
    by their gaps (``GAP_DAYS``), the steps after it by their gaps shrunk to end by ``end``."""
    gaps = [datetime.timedelta(days=rng.uniform(*GAP_DAYS[action])) if action in GAP_DAYS
            else datetime.timedelta(minutes=rng.randint(5, 180)) for action, _index in steps]
    times = [anchor_at] * len(steps)
    for i in range(anchor - 1, -1, -1):
        times[i] = times[i + 1] - gaps[i + 1]
    after = sum(gaps[anchor + 1:], datetime.timedelta())
    scale = min(1.0, (end - anchor_at) / after) if after else 1.0
    for i in range(anchor + 1, len(steps)):
        times[i] = times[i - 1] + gaps[i] * scale
    return times


@dataclass
class Plan:
    """One intervention to build: where, what (``idea``), its ``steps`` at ``times``, its
    ``milestones`` as ``[title, planned period, done_on or None]``, its ``resources`` as
    ``(source, rials, purpose)`` (the programme grant first) and the ``grant`` meant for it (rials).
    ``variant`` picks its analysis texts."""

    target: str
    province: object
    sector: PrioritySector
    agency: Agency
    idea: ideas.Idea
    counties: list
    place: str
    steps: list = field(default_factory=list)
    times: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    resources: list = field(default_factory=list)
    grant: int = 0
    variant: int = 0

    def words(self) -> dict:
        """What ``{sector}``, ``{place}`` and ``{province}`` stand for in its texts."""
        return {"sector": self.sector.name, "place": self.place, "province": self.province.name}


def _rials(amount: int) -> int:
    return max(ROUND, amount // ROUND * ROUND)


class Window:
    """When the demo's interventions happen: ``latest`` (the demo's now, never after the real one),
    and from ``start`` on the grants (inside the allocated years, at most ``WINDOW_DAYS`` back)."""

    def __init__(self, demo_start):
        self.latest = min(demo_start.now, timezone.now())
        first_year = years_spanned(demo_start.routes, demo_start.now)[0]
        year_start = timezone.make_aware(datetime.datetime.combine(
            jdatetime.date(first_year, 1, 1).togregorian(), datetime.time(8)))
        self.start = max(year_start, self.latest - datetime.timedelta(days=WINDOW_DAYS))
        self.start = min(self.start, self.latest - datetime.timedelta(hours=6))
        self.span = self.latest - self.start
        self.today = timezone.localtime(self.latest).date()
        self.programme_start = calendar.programme_start()

    def times(self, plan: Plan, rng) -> list:
        """``plan_times`` of ``plan``: anchored on the grant inside the window, or else ending up to
        40 days before ``latest``."""
        actions = [action for action, _index in plan.steps]
        if "record_grant" in actions:
            low, high = GRANT_AT[plan.target]
            anchor_at = self.start + self.span * rng.uniform(low, high) + datetime.timedelta(minutes=1)
            end = self.latest - self.span * rng.uniform(0.01, 0.05)
            return plan_times(plan.steps, rng, anchor=actions.index("record_grant"), anchor_at=anchor_at, end=end)
        last = self.latest - datetime.timedelta(days=rng.uniform(0.5, 40))
        return plan_times(plan.steps, rng, anchor=len(actions) - 1, anchor_at=last, end=last)

    def milestones(self, plan: Plan, titles: list, rng) -> list:
        """``[title, planned period, done_on]``: a reported milestone done a few days before its
        report (not before execution started) and planned in that period or the one before; the
        others planned from the next period on."""
        reports = {index: at for (action, index), at in zip(plan.steps, plan.times, strict=True) if action == "report"}
        started = next((at for (action, _i), at in zip(plan.steps, plan.times, strict=True)
                        if action == "start_execution"), None)
        rows, previous_done, period = [], self.programme_start, calendar.period_of(self.today, self.programme_start)
        for index, title in enumerate(titles):
            if index in reports:
                done = timezone.localtime(reports[index]).date() - datetime.timedelta(days=rng.randint(0, 5))
                done = max(done, timezone.localtime(started).date(), previous_done)
                previous_done = done
                planned = max(1, calendar.period_of(done, self.programme_start) - (rng.random() < 0.25))
                rows.append([title, planned, done])
            else:
                period += rng.randint(1, 2)
                rows.append([title, period, None])
        return rows


def _plan(target, province, sector, agency, counties, window, rng) -> Plan:
    choices = ideas.BY_SECTOR.get(sector.economic_sector.code, ideas.DEFAULT_IDEAS)
    if target in COUNTED:
        choices = [idea for idea in choices if idea.institution] or [ideas.SUPPORT]
    if sector.county_id:
        counties = [sector.county]
    elif counties:
        counties = sorted(rng.sample(counties, min(len(counties), rng.choice((1, 2)))), key=lambda c: c.code)
    place = " و ".join(county.name for county in counties) or f"استان {province.name}"
    plan = Plan(target, province, sector, agency, rng.choice(choices), counties, place,
                variant=rng.randrange(len(ideas.ANALYSIS)))
    milestones = rng.randint(2, 4)
    requested = rng.randint(6, 40) * BILLION + rng.choice((0, 5 * ROUND))
    plan.resources = [("programme_grant", requested, plan.idea.purpose),
                      ("provincial_funds", _rials(requested * rng.randint(15, 50) // 100), ideas.PROVINCIAL_FUNDS)]
    if rng.random() < 0.7:
        plan.resources.append(("private_partner", _rials(requested * rng.randint(10, 40) // 100), ideas.PRIVATE_SHARE))
    if rng.random() < 0.3:
        plan.resources.append(("bank_loan", _rials(requested * rng.randint(20, 60) // 100), ideas.BANK_LOAN))
    plan.grant = _rials(requested * rng.randint(60, 100) // 100)
    plan.steps = plan_steps(target, milestones, len(plan.resources), rng.random() < 0.35, rng)
    plan.times = window.times(plan, rng)
    titles = [plan.idea.milestones[i] for i in sorted(rng.sample(range(len(plan.idea.milestones)), milestones))]
    plan.milestones = window.milestones(plan, titles, rng)
    return plan


def plan_interventions(demo_start, staff) -> list:
    """The ``Plan`` of each of ``TARGETS``, drawn from ``demo_start.rng``: the provinces with a
    priority sector that an officer's agency covers take turns; each intervention of a province
    is on another of its priority sectors."""
    rng, window = demo_start.rng, Window(demo_start)
    candidates = {}
    for province in demo_start.provinces:
        sectors = (PrioritySector.objects.filter(province=province).select_related("economic_sector", "county")
                   .order_by("source", "rank", "id"))
        agencies = Agency.objects.filter(province=province, pk__in=list(staff.agency_officers)).order_by("code")
        pairs = [(sector, agency) for sector in sectors
                 for agency in [agencies.filter(economic_sectors=sector.economic_sector_id).first()] if agency]
        if pairs:
            candidates[province] = (rng.sample(pairs, len(pairs)), list(County.objects.filter(province=province)))
    provinces = list(candidates)
    if not provinces:
        return []
    targets = list(TARGETS)
    rng.shuffle(targets)
    plans = []
    for number, target in enumerate(targets):
        province = provinces[number % len(provinces)]
        pairs, counties = candidates[province]
        sector, agency = pairs[(number // len(provinces)) % len(pairs)]
        plans.append(_plan(target, province, sector, agency, counties, window, rng))
    return plans
