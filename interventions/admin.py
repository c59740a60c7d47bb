"""Admin of the interventions for ministry staff. The §7 catalogue and the funding bodies are
reference data they keep (view, add, change: ``accounts.models.ROLE_PERMISSIONS``). Interventions
and their rows are read-only here, superusers included: the state and the money change only
through ``interventions.services`` (the portal's pages), never by editing (C25)."""

import re

from django.contrib import admin

from common.admin import PersianModelAdmin, ReadOnlyModelAdmin
from common.normalization import ZWNJ, normalize_text

from .models import (
    CatalogueEntry,
    FundingBody,
    GrantInstalment,
    Intervention,
    InterventionFile,
    Milestone,
    ResourceLine,
)


def spelling_pattern(term: str) -> str:
    """A case-insensitive regular expression for ``term`` in any spelling: Arabic ي/ك folded to
    ی/ک, and a space or a half-space matching either (C11, C12)."""
    words = [re.escape(word) for word in re.split(f"[ {ZWNJ}]+", normalize_text(term)) if word]
    return f"[ {ZWNJ}]?".join(words)


class SpellingSearchMixin:
    """The change list's search box finds ``title`` in any spelling (``spelling_pattern``)."""

    def get_search_results(self, request, queryset, search_term):
        pattern = spelling_pattern(search_term)
        if not pattern:
            return queryset, False
        return queryset.filter(title__iregex=pattern), False


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(SpellingSearchMixin, PersianModelAdmin):
    list_display = ["number", "title", "title_en"]
    search_fields = ["title"]


@admin.register(FundingBody)
class FundingBodyAdmin(PersianModelAdmin):
    list_display = ["name", "code", "kind", "is_demo"]
    list_filter = ["kind", "is_demo"]


class ReadOnlyInline(admin.TabularInline):
    """Rows of an intervention, shown and never edited."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ["order", "title", "planned_period", "done_on", "reported_by"]


class ResourceLineInline(ReadOnlyInline):
    model = ResourceLine
    fields = ["source", "amount_rials", "purpose"]


class InterventionFileInline(ReadOnlyInline):
    model = InterventionFile
    fields = ["kind", "milestone", "original_name", "content_type", "size_bytes", "uploaded_by", "uploaded_at"]


class GrantInstalmentInline(ReadOnlyInline):
    model = GrantInstalment
    fk_name = "intervention"
    fields = ["milestone", "amount_rials", "paid_on", "recorded_by", "recorded_at"]


@admin.register(Intervention)
class InterventionAdmin(SpellingSearchMixin, ReadOnlyModelAdmin):
    list_display = ["title", "province", "agency", "priority_sector", "kind", "state", "grant_rials",
                    "state_changed_at"]
    list_filter = ["province", "state", "kind", "creates_institution"]
    list_select_related = ["province", "agency", "priority_sector"]
    search_fields = ["title"]
    ordering = ["-created_at", "-id"]
    inlines = [MilestoneInline, ResourceLineInline, InterventionFileInline, GrantInstalmentInline]
