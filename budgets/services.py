"""Writes for the budget: commit, release and pay money against budget lines, and re-allocate it
between lines (§10; issue 7). The workflows (``financing``, later ``interventions``) call these
inside their own transactions; nothing else writes the ledger.

Caps. A commitment counts against its province's line and its economic sector's line of the
same fund and year, and both caps hold: the lines' rows are locked (``SELECT … FOR UPDATE``, in id
order so two commitments never deadlock), the remaining amounts are summed from the ledger under
the lock, and a commitment above either is refused with ``RuleBroken`` before anything is
written. Concurrent commitments against one line therefore queue on its lock (C23).

Amounts are rials (positive integers); ``at`` is an aware datetime (default now); the budget
year is the Jalali year of ``at`` in Tehran time.
"""

import uuid
from dataclasses import dataclass

import jdatetime
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.errors import Conflict, NotAllowed, RuleBroken
from common.normalization import normalize_text, to_persian_digits
from programs.models import BudgetYear, ProvinceAllocation
from sectors.models import SectorAllocation

from .models import BudgetLine, Fund, LedgerEntry
from .selectors import line_amounts

K = LedgerEntry.Kind


def _rials(amount) -> str:
    return to_persian_digits(f"{int(amount):,}".replace(",", "\u066c"))


def budget_year_of(at) -> int:
    """The Jalali year of the aware datetime ``at`` in Tehran time (the budget year of a
    commitment made then)."""
    return jdatetime.date.fromgregorian(date=timezone.localtime(at).date()).year


def budget_lines_for_allocation(sender=None, instance=None, **kwargs):
    """Make sure the three lines (one per fund) of a ``ProvinceAllocation`` or ``SectorAllocation``
    exist. Connected to their ``post_save``; idempotent."""
    owner = {"province_id": instance.province_id} if isinstance(instance, ProvinceAllocation) else {
        "economic_sector_id": instance.economic_sector_id}
    for fund in Fund.values:
        BudgetLine.objects.get_or_create(fund=fund, budget_year_id=instance.budget_year_id, **owner)


@dataclass(frozen=True)
class Claim:
    """Where a commitment counts: the province and the economic sector it belongs to (ids)."""

    province_id: int
    economic_sector_id: int


def _lines_for_claim(claim: Claim, fund, year: int):
    """The province's and the sector's lines of ``fund`` in ``year``, locked, in that order.
    Raises ``RuleBroken`` (field ``budget``) when either has no allocation for the year."""
    missing = []
    allocations = (
        (ProvinceAllocation.objects.filter(province_id=claim.province_id, budget_year__year=year)
         .select_related("province", "budget_year").first(), "province", claim.province_id),
        (SectorAllocation.objects.filter(economic_sector_id=claim.economic_sector_id, budget_year__year=year)
         .select_related("economic_sector", "budget_year").first(), "economic_sector", claim.economic_sector_id),
    )
    for allocation, owner, _owner_id in allocations:
        if allocation is None:
            missing.append(owner)
    if missing:
        raise RuleBroken(_no_allocation_message(claim, fund, year, missing), field="budget")
    keys = []
    for allocation, owner, owner_id in allocations:
        line, _created = BudgetLine.objects.get_or_create(
            fund=fund, budget_year_id=allocation.budget_year_id, **{f"{owner}_id": owner_id})
        keys.append(line.pk)
    locked = {line.pk: line for line in BudgetLine.objects.select_for_update().filter(pk__in=keys).order_by("pk")}
    lines = [locked[pk] for pk in keys]
    # The labels read the owner and the year; fetch them outside the FOR UPDATE (no joins there).
    for line, (allocation, owner, _owner_id) in zip(lines, allocations, strict=True):
        setattr(line, owner, getattr(allocation, owner))
        line.budget_year = allocation.budget_year
    return lines


def _no_allocation_message(claim, fund, year, missing):
    from programs.models import Province
    from sectors.models import EconomicSector

    owners = []
    if "province" in missing:
        owners.append(_("استان %(name)s") % {"name": Province.objects.get(pk=claim.province_id).name})
    if "economic_sector" in missing:
        owners.append(_("بخش %(name)s") % {"name": EconomicSector.objects.get(pk=claim.economic_sector_id).name})
    return _("برای سال %(year)s هیچ اعتباری از «%(fund)s» به %(owners)s تخصیص نیافته است.") % {
        "year": to_persian_digits(str(year)), "fund": Fund(fund).label, "owners": " و ".join(str(o) for o in owners)}


def _source_fields(source):
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": source.pk}


def budget_commit(*, actor, source, claim: Claim, fund, amount_rials: int, at=None, reason=""):
    """Commit ``amount_rials`` of ``fund`` for ``source`` against the province's and the economic
    sector's lines of the budget year of ``at``. Returns the two ``LedgerEntry`` rows.

    Raises ``RuleBroken`` (field ``budget``) when a line has no allocation for the year, or when
    the amount exceeds what either line has left; the message names the line, what is left and
    what was asked, in Persian. Nothing is written when it raises. Called inside the workflow's
    transaction, the lines stay locked until it commits.
    """
    if amount_rials <= 0:
        raise RuleBroken(_("مبلغ تعهد باید بیشتر از صفر باشد."), field="budget")
    at = at or timezone.now()
    year = budget_year_of(at)
    with transaction.atomic():
        lines = _lines_for_claim(claim, fund, year)
        for line in lines:
            remaining = line_amounts(line).remaining
            if amount_rials > remaining:
                raise RuleBroken(
                    _("اعتبار «%(line)s» کافی نیست: مانده %(remaining)s ریال است و %(asked)s ریال درخواست شده است.")
                    % {"line": line.label, "remaining": _rials(max(remaining, 0)), "asked": _rials(amount_rials)},
                    field="budget")
        entries = [LedgerEntry(line=line, kind=K.COMMIT, amount_rials=amount_rials, actor=actor, at=at,
                               reason=normalize_text(reason), **_source_fields(source)) for line in lines]
        return LedgerEntry.objects.bulk_create(entries)


def source_outstanding(source, fund) -> dict:
    """What is committed for ``source`` in ``fund`` and not yet released or paid: ``{line_id:
    rials}`` for each line it was committed against."""
    rows = (LedgerEntry.objects.filter(line__fund=fund, **_source_fields(source))
            .values("line_id")
            .annotate(committed=Sum("amount_rials", filter=Q(kind=K.COMMIT), default=0),
                      released=Sum("amount_rials", filter=Q(kind=K.RELEASE), default=0),
                      paid=Sum("amount_rials", filter=Q(kind=K.PAY), default=0)))
    return {row["line_id"]: row["committed"] - row["released"] - row["paid"] for row in rows}


def _move_from_commitment(kind, *, actor, source, fund, amount_rials, at, reason):
    outstanding = source_outstanding(source, fund)
    if amount_rials is None:
        amounts = {line_id: left for line_id, left in outstanding.items() if left > 0}
    else:
        if not outstanding or any(amount_rials > left for left in outstanding.values()):
            raise RuleBroken(_("این مبلغ بیشتر از مانده تعهد این پرونده در بودجه است."), field="budget")
        amounts = dict.fromkeys(outstanding, amount_rials)
    entries = [LedgerEntry(line_id=line_id, kind=kind, amount_rials=amount, actor=actor, at=at or timezone.now(),
                           reason=normalize_text(reason), **_source_fields(source))
               for line_id, amount in amounts.items() if amount > 0]
    return LedgerEntry.objects.bulk_create(entries)


def budget_release(*, actor, source, fund, amount_rials=None, at=None, reason=""):
    """Give back ``amount_rials`` (default: all that is outstanding) of what ``source`` committed in
    ``fund``, on each line it was committed against. Returns the new entries (none when nothing
    is outstanding). Raises ``RuleBroken`` for more than is outstanding."""
    return _move_from_commitment(K.RELEASE, actor=actor, source=source, fund=fund, amount_rials=amount_rials,
                                 at=at, reason=reason)


def budget_pay(*, actor, source, fund, amount_rials: int, at=None, reason=""):
    """Move ``amount_rials`` of what ``source`` committed in ``fund`` from committed to paid, on each
    line it was committed against. Raises ``RuleBroken`` for more than is outstanding (the
    workflows check their own amounts first, so this is a last guard)."""
    return _move_from_commitment(K.PAY, actor=actor, source=source, fund=fund, amount_rials=amount_rials,
                                 at=at, reason=reason)


def budget_reallocate(*, actor, from_line_id, to_line_id, amount_rials: int, reason, at=None, transfer=None):
    """Ministry staff move ``amount_rials`` from one line to another (issue 7, "Re-allocation"):
    a pair of entries sharing one ``transfer`` id. Returns them (out, in).

    ``transfer`` (a UUID, default a new one) is the move's id; the re-allocation form draws it when
    it is shown, so a form submitted twice moves the money once.

    Raises ``NotAllowed`` unless the actor is ministry staff; ``Conflict`` when a move with
    ``transfer`` is already recorded (nothing more is written); ``RuleBroken`` without a reason,
    for the same line twice, lines of different kinds (a province's and a sector's), years or
    funds, or an amount above what the source line has left (checked under the lines' locks).
    """
    if not actor.has_role(Role.MINISTRY_STAFF):
        raise NotAllowed()
    reason = normalize_text(reason)
    if not reason:
        raise RuleBroken(_("ذکر دلیل برای جابه‌جایی اعتبار الزامی است."), field="reason")
    if amount_rials <= 0:
        raise RuleBroken(_("مبلغ جابه‌جایی باید بیشتر از صفر باشد."), field="amount_rials")
    if from_line_id == to_line_id:
        raise RuleBroken(_("ردیف مبدأ و مقصد یکی است."), field="to_line")
    with transaction.atomic():
        ids = sorted([from_line_id, to_line_id])
        locked = {line.pk: line for line in BudgetLine.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        if len(locked) != 2:
            raise RuleBroken(_("ردیف بودجه پیدا نشد."), field="to_line")
        lines = {line.pk: line for line in BudgetLine.objects.filter(pk__in=ids)
                 .select_related("province", "economic_sector", "budget_year")}
        source, target = lines[from_line_id], lines[to_line_id]
        # Checked under the lines' locks: a second submit of the same form waits for the first.
        if transfer is not None and LedgerEntry.objects.filter(transfer=transfer).exists():
            raise Conflict(_("این جابه‌جایی پیش‌تر ثبت شده است و دوباره انجام نشد."))
        if bool(source.province_id) != bool(target.province_id) or source.budget_year_id != target.budget_year_id:
            raise RuleBroken(_("جابه‌جایی فقط میان ردیف‌های یک سال و از یک نوع (دو استان یا دو بخش) ممکن است."),
                             field="to_line")
        # Loans are the banks' money, grants and the subsidy the public budget's: a move stays in its fund.
        if source.fund != target.fund:
            raise RuleBroken(_("جابه‌جایی فقط میان ردیف‌های یک نوع اعتبار ممکن است."), field="to_line")
        remaining = line_amounts(source).remaining
        if amount_rials > remaining:
            raise RuleBroken(
                _("اعتبار «%(line)s» کافی نیست: مانده %(remaining)s ریال است و %(asked)s ریال درخواست شده است.")
                % {"line": source.label, "remaining": _rials(max(remaining, 0)), "asked": _rials(amount_rials)},
                field="amount_rials")
        transfer = transfer or uuid.uuid4()
        at = at or timezone.now()
        try:
            with transaction.atomic():
                return _reallocation_entries(source, target, amount_rials, transfer, actor, at, reason)
        except IntegrityError:  # the same transfer recorded meanwhile through other lines
            raise Conflict(_("این جابه‌جایی پیش‌تر ثبت شده است و دوباره انجام نشد.")) from None


def _reallocation_entries(source, target, amount_rials, transfer, actor, at, reason):
    return LedgerEntry.objects.bulk_create([
        LedgerEntry(line=source, kind=K.REALLOCATE_OUT, amount_rials=amount_rials, transfer=transfer,
                    actor=actor, at=at, reason=reason),
        LedgerEntry(line=target, kind=K.REALLOCATE_IN, amount_rials=amount_rials, transfer=transfer,
                    actor=actor, at=at, reason=reason),
    ])


def budget_year_ensure(year: int) -> BudgetYear:
    """The ``BudgetYear`` row of ``year``, created if missing."""
    return BudgetYear.objects.get_or_create(year=year)[0]
