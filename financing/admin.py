"""Admin for ministry staff. Workflow states change only through the services (the detail pages),
so applications and their money rows are read-only here."""

from django.contrib import admin

from accounts.admin_access import MinistryReadOnlyAdmin
from programs.normalization import normalize_digits_only, search_key

from .models import (
    Applicant,
    ApplicationDocument,
    Call,
    Disbursement,
    InvestmentApplication,
    LoanContract,
    SubsidyPayout,
)
from .selectors import applications_matching


@admin.register(Applicant)
class ApplicantAdmin(MinistryReadOnlyAdmin):
    list_display = ["name", "national_id", "person_kind", "ownership", "created_at"]
    search_fields = ["search_text"]

    def get_search_results(self, request, queryset, search_term):
        """Search names in any spelling and national IDs in any digits (C08, C11)."""
        if not search_term:
            return queryset, False
        digits = normalize_digits_only(search_term)
        if digits.isdigit():
            return queryset.filter(national_id__contains=digits), False
        return queryset.filter(search_text__contains=search_key(search_term)), False


@admin.register(Call)
class CallAdmin(MinistryReadOnlyAdmin):
    list_display = ["title", "agency", "province", "opens_on", "closes_on"]
    list_filter = ["province"]


class DocumentInline(admin.TabularInline):
    model = ApplicationDocument
    fields = ["kind", "original_name", "content_type", "size_bytes", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(InvestmentApplication)
class InvestmentApplicationAdmin(MinistryReadOnlyAdmin):
    list_display = ["title", "province", "priority_sector", "state", "tracking_code", "requested_loan_rials",
                    "submitted_at"]
    list_filter = ["state", "province", "economic_sector", "project_kind"]
    search_fields = ["search_text"]

    def get_search_results(self, request, queryset, search_term):
        """Search in any spelling: Arabic letters, half-spaces, Persian digits (C11, C12)."""
        if not search_term:
            return queryset, False
        digits = normalize_digits_only(search_term)
        matched = applications_matching(queryset, search_term)
        if digits.isdigit():
            matched = matched | queryset.filter(applicant__national_id=digits)
        return matched, False
    list_select_related = ["province", "priority_sector"]
    inlines = [DocumentInline]


@admin.register(LoanContract)
class LoanContractAdmin(MinistryReadOnlyAdmin):
    list_display = ["application", "principal_rials", "interest_rate_percent", "subsidy_rate_percent", "signed_on"]


@admin.register(Disbursement)
class DisbursementAdmin(MinistryReadOnlyAdmin):
    list_display = ["application", "amount_rials", "paid_on", "bank_reference"]


@admin.register(SubsidyPayout)
class SubsidyPayoutAdmin(MinistryReadOnlyAdmin):
    list_display = ["application", "amount_rials", "paid_on"]
