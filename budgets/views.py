"""The budget pages (issue 7, "Who sees the money"): each line's allocated, committed, paid and
remaining amounts, a line's ledger, and the ministry's re-allocation form.

Views are thin: the selectors scope and sum (a fixed number of queries, however long the ledger),
the service moves the money. A role that never reads the budget gets 403; a line outside the
user's province answers 404, like one that does not exist.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common import jalali, paging
from common.errors import Conflict, NotAllowed, NotFound, ServiceError, error_to_form
from common.templatetags.persian import fa_number

from .forms import ReallocationForm, YearFilterForm
from .models import Fund, LedgerEntry
from .permissions import can_read_budget, can_reallocate
from .selectors import budget_lines_visible_to, fund_totals, line_amounts, lines_with_amounts
from .services import budget_reallocate

# The page of each kind of ledger source, by (app label, model): budgets sits below the chains and
# imports neither, so it names their pages. Each page scopes its object itself (404 outside it).
SOURCE_PAGES = {
    ("financing", "investmentapplication"): "financing:application",
}


@dataclass
class YearSection:
    """One budget year of the page: its province lines and economic-sector lines (``LineRow``s),
    each kind with its totals per fund (``FundTotals``)."""

    year: int
    province_rows: list = field(default_factory=list)
    sector_rows: list = field(default_factory=list)

    @property
    def province_totals(self):
        return fund_totals(self.province_rows)

    @property
    def sector_totals(self):
        return fund_totals(self.sector_rows)


def _readers_only(user):
    if not can_read_budget(user):
        raise NotAllowed()


@login_required
def budget_page(request):
    """The lines the user may read, by budget year (``?year=``, default the latest; ``all``):
    allocated, committed, paid, remaining (rials) and the percentage used, with totals per fund."""
    _readers_only(request.user)
    lines = budget_lines_visible_to(request.user)
    years = list(lines.order_by("-budget_year__year").values_list("budget_year__year", flat=True).distinct())
    filters = YearFilterForm(request.GET, years=years, current_year=jalali.current_year())
    chosen = filters.selected_years()
    sections = {year: YearSection(year) for year in chosen}
    rows = lines_with_amounts(lines.filter(budget_year__year__in=chosen)) if chosen else []
    funds = list(Fund.values)
    # Each owner's lines in the programme's order of funds (the query orders them by code).
    for row in sorted(rows, key=lambda r: (r.line.province.code if r.line.province_id else "",
                                           r.line.economic_sector.row if r.line.economic_sector_id else 0,
                                           funds.index(r.line.fund))):
        section = sections[row.line.budget_year.year]
        (section.province_rows if row.line.province_id else section.sector_rows).append(row)
    return render(request, "budgets/budget_page.html", {
        "filters": filters,
        "sections": list(sections.values()),
        "can_reallocate": can_reallocate(request.user),
    })


def _source(entry):
    """``(label, url)`` of what ``entry``'s money is for: the model's name and id, and its page
    when there is one; ``None`` for a re-allocation."""
    if entry.source_type_id is None:
        return None
    content_type = entry.source_type
    model = content_type.model_class()
    label = f"{model._meta.verbose_name if model else content_type.model} {fa_number(entry.source_id)}"
    page = SOURCE_PAGES.get((content_type.app_label, content_type.model))
    return label, reverse(page, args=[entry.source_id]) if page else None


@login_required
def line_detail(request, pk):
    """One line in the user's scope with its figures and its ledger entries, newest first, paged."""
    _readers_only(request.user)
    line = (budget_lines_visible_to(request.user).select_related("province", "economic_sector", "budget_year")
            .filter(pk=pk).first())
    if line is None:
        raise NotFound()
    entries = LedgerEntry.objects.filter(line=line).select_related("actor", "source_type").order_by("-at", "-id")
    page = paging.paginate(request, entries)
    return render(request, "budgets/line_detail.html", {
        "line": line,
        "amounts": line_amounts(line),
        "page": page,
        "entries": [(entry, _source(entry)) for entry in page.object_list],
    })


@login_required
def reallocate(request):
    """Ministry staff move money from one line to another, with a reason. A refusal is shown on the
    form with what was typed; the same form submitted twice moves the money once."""
    if not can_reallocate(request.user):
        raise NotAllowed()
    rows = lines_with_amounts(budget_lines_visible_to(request.user))
    posted = request.method == "POST"
    form = ReallocationForm(request.POST if posted else None, rows=rows,
                            initial={"from_line": request.GET.get("from", "")})
    if posted and form.is_valid():
        try:
            moved_out, moved_in = budget_reallocate(actor=request.user, **form.service_kwargs())
        except Conflict as error:
            messages.warning(request, error.message)
            return redirect("budgets:page")
        except ServiceError as error:
            error_to_form(form, error)
        else:
            messages.success(request, _("%(amount)s ریال از «%(source)s» به «%(target)s» منتقل شد.") % {
                "amount": fa_number(moved_out.amount_rials), "source": moved_out.line.label,
                "target": moved_in.line.label})
            return redirect(f"{reverse('budgets:page')}?year={moved_out.line.budget_year.year}")
    return render(request, "budgets/reallocate.html", {"form": form}, status=400 if form.errors else 200)
