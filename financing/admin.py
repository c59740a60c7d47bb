"""Admin for ministry staff. Workflow states change only through the services (the detail pages),
so applications and their money rows are read-only here."""

from django.contrib import admin

from accounts.admin_access import MinistryReadOnlyAdmin

from .models import (
    Applicant,
    ApplicationDocument,
    Call,
    Disbursement,
    InvestmentApplication,
    LoanContract,
    SubsidyPayout,
)


@admin.register(Applicant)
class ApplicantAdmin(MinistryReadOnlyAdmin):
    list_display = ["name", "national_id", "person_kind", "ownership", "created_at"]
    search_fields = ["name", "national_id"]


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
    search_fields = ["title", "tracking_code", "applicant__name", "applicant__national_id"]
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
