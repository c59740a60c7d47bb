"""Budget lines and the ledger of the money committed and paid against them (§10, Tables 6 and 8).

A budget line is a province × fund × budget year (Table 6) or an economic sector × fund × budget
year (Table 8). What a line was allocated comes from ``ProvinceAllocation`` / ``SectorAllocation``;
everything else (committed, paid, re-allocated, remaining) comes from its ledger entries, never
from a counter. The ledger is append-only: no code path updates or deletes an entry, and on
PostgreSQL and SQLite a trigger refuses it (migration 0002).

Money is an integer number of rials (64-bit).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import BudgetYear, Province
from sectors.models import EconomicSector


class Fund(models.TextChoices):
    """The programme's three kinds of money (§10, the columns of Tables 6 and 8)."""

    GRANTS = "grants", _("کمک‌های بلاعوض، فنی و اعتباری")
    LOANS = "loans", _("تسهیلات بانکی")
    INTEREST_SUBSIDY = "interest_subsidy", _("یارانه سود تسهیلات")


# The column of ``AllocationFigures`` that holds each fund's allocation.
FUND_COLUMNS = {
    Fund.GRANTS: "grants_rials",
    Fund.LOANS: "loans_rials",
    Fund.INTEREST_SUBSIDY: "interest_subsidy_rials",
}


class BudgetLine(models.Model):
    """One line of the budget: a province's or an economic sector's fund for one budget year.
    Exactly one of ``province`` and ``economic_sector`` is set."""

    fund = models.CharField(_("نوع اعتبار"), max_length=20, choices=Fund.choices)
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="budget_lines",
                                    verbose_name=_("سال بودجه"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="budget_lines", verbose_name=_("استان"))
    economic_sector = models.ForeignKey(EconomicSector, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="budget_lines", verbose_name=_("بخش اقتصادی"))

    class Meta:
        ordering = ["budget_year__year", "province__code", "economic_sector__row", "fund", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(province__isnull=False, economic_sector__isnull=True)
                           | models.Q(province__isnull=True, economic_sector__isnull=False)),
                name="budget_line_one_owner"),
            models.UniqueConstraint(fields=["province", "fund", "budget_year"], name="budget_line_province_unique",
                                    condition=models.Q(province__isnull=False)),
            models.UniqueConstraint(fields=["economic_sector", "fund", "budget_year"],
                                    name="budget_line_sector_unique",
                                    condition=models.Q(economic_sector__isnull=False)),
        ]
        verbose_name = _("ردیف بودجه")
        verbose_name_plural = _("ردیف‌های بودجه")

    def __str__(self):
        return str(self.label)

    @property
    def owner(self):
        """The province or the economic sector the line belongs to."""
        return self.province if self.province_id else self.economic_sector

    @property
    def label(self):
        """«تسهیلات بانکی استان ایلام، سال ۱۳۹۸»: the line as messages name it."""
        from common.normalization import to_persian_digits

        owner = _("استان %(name)s") if self.province_id else _("بخش %(name)s")
        return _("%(fund)s %(owner)s، سال %(year)s") % {
            "fund": self.get_fund_display(), "owner": owner % {"name": self.owner.name},
            "year": to_persian_digits(str(self.budget_year.year))}


class LedgerQuerySet(models.QuerySet):
    """The ledger is append-only: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise ValidationError("ledger entries are never updated")

    def delete(self):
        raise ValidationError("ledger entries are never deleted")


class LedgerEntry(models.Model):
    """One movement of money on a budget line, in rials (always positive; ``kind`` gives its sense).

    - ``commit``: money promised (a bank's approval, a contract's subsidy, a grant);
    - ``release``: a promise given back (a cancelled loan, a contract below the approved amount);
    - ``pay``: money paid out of what was committed (a tranche, a subsidy payout);
    - ``reallocate_in`` / ``reallocate_out``: ministry staff moving money between lines; the two
      entries of one move share ``transfer``.
    ``source`` is what the money is for (an application, later an intervention); ``actor``, ``at``
    and ``reason`` say who moved it, when and why.
    """

    class Kind(models.TextChoices):
        COMMIT = "commit", _("تعهد")
        RELEASE = "release", _("آزادسازی")
        PAY = "pay", _("پرداخت")
        REALLOCATE_IN = "reallocate_in", _("جابه‌جایی (ورود)")
        REALLOCATE_OUT = "reallocate_out", _("جابه‌جایی (خروج)")

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="entries",
                             verbose_name=_("ردیف بودجه"))
    kind = models.CharField(_("نوع"), max_length=20, choices=Kind.choices)
    amount_rials = models.BigIntegerField(_("مبلغ (ریال)"))
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("نوع منبع"))
    source_id = models.BigIntegerField(_("شناسه منبع"), null=True, blank=True)
    transfer = models.UUIDField(_("شناسه جابه‌جایی"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("انجام‌دهنده"))
    at = models.DateTimeField(_("زمان"), default=timezone.now)
    reason = models.TextField(_("دلیل"), blank=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["line", "kind"], name="ledger_line_kind_idx"),
            models.Index(fields=["source_type", "source_id"], name="ledger_source_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_rials__gt=0), name="ledger_amount_positive"),
            # One move is one pair (out, in): a form sent twice, even at once, cannot move money twice.
            models.UniqueConstraint(fields=["transfer", "kind"], condition=models.Q(transfer__isnull=False),
                                    name="ledger_transfer_once"),
        ]
        verbose_name = _("سند دفتر بودجه")
        verbose_name_plural = _("دفتر بودجه")

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount_rials}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("ledger entries are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("ledger entries are never deleted")
