"""Admin of the budget, read-only: a line's figures and its ledger change only through
``budgets.services`` (the workflows' steps and the re-allocation page). Allocations are edited in
the programme's and the sectors' admin (``ProvinceAllocation``, ``SectorAllocation``)."""

from django.contrib import admin
from django.urls import reverse

from common.admin import ReadOnlyModelAdmin

from .models import BudgetLine, LedgerEntry


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyModelAdmin):
    list_display = ["budget_year", "province", "economic_sector", "fund"]
    list_filter = ["budget_year", "fund", "province", "economic_sector"]
    list_select_related = ["budget_year", "province", "economic_sector"]
    ordering = ["-budget_year__year", "province__code", "economic_sector__row", "fund", "id"]

    def view_on_site(self, obj):
        """The line's page on the portal: its figures and its ledger."""
        return reverse("budgets:line", args=[obj.pk])


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "line", "kind", "amount_rials", "source_type", "source_id", "actor", "reason"]
    list_filter = ["kind", "line__fund", "line__budget_year"]
    list_select_related = ["line__budget_year", "line__province", "line__economic_sector", "source_type", "actor"]
    search_fields = ["reason"]
    ordering = ["-at", "-id"]
    # The ledger grows with every step of every application: no second COUNT(*) of the whole table.
    show_full_result_count = False

