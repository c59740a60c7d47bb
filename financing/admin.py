"""Admin for ministry staff. Workflow states change only through the services (the detail pages),
so applications and their money rows are read-only here."""

from django.contrib import admin, messages
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.admin_access import MinistryReadOnlyAdmin
from programs.collation import persian
from programs.normalization import normalize_digits_only, search_key, to_persian_digits

from . import services
from .exceptions import FinancingError
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

    def get_ordering(self, request):
        return [persian("name"), "id"]

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


def _bulk_transition(service, label):
    """An admin action that runs ``service`` for each selected application as the admin user, so
    the same role, scope, state and audit rules apply as on the detail page (C17)."""

    def action(modeladmin, request, queryset):
        done, refused = 0, 0
        for application_id in queryset.values_list("pk", flat=True):
            try:
                service(actor=request.user, application_id=application_id)
            except (FinancingError, Http404):
                refused += 1
            else:
                done += 1
        if done:
            modeladmin.message_user(request, _("%(n)s طرح: انجام شد.") % {"n": to_persian_digits(done)},
                                    messages.SUCCESS)
        if refused:
            modeladmin.message_user(
                request, _("%(n)s طرح: رد شد (نقش، حوزه یا وضعیت اجازه نمی‌دهد).") % {"n": to_persian_digits(refused)},
                messages.ERROR)

    action.short_description = label
    action.__name__ = f"bulk_{service.__name__}"
    return action


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
    # Only steps that need no further input; each goes through its service.
    actions = [
        _bulk_transition(services.application_start_agency_review, _("شروع بررسی دستگاه اجرایی")),
        _bulk_transition(services.application_approve_by_agency, _("تأیید دستگاه اجرایی")),
        _bulk_transition(services.application_start_working_group_review, _("شروع بررسی کارگروه")),
        _bulk_transition(services.application_start_bank_review, _("شروع بررسی بانک")),
        _bulk_transition(services.application_confirm_operation, _("تأیید بهره‌برداری")),
    ]


@admin.register(LoanContract)
class LoanContractAdmin(MinistryReadOnlyAdmin):
    list_display = ["application", "principal_rials", "interest_rate_percent", "subsidy_rate_percent", "signed_on"]


@admin.register(Disbursement)
class DisbursementAdmin(MinistryReadOnlyAdmin):
    list_display = ["application", "amount_rials", "paid_on", "bank_reference"]


@admin.register(SubsidyPayout)
class SubsidyPayoutAdmin(MinistryReadOnlyAdmin):
    list_display = ["application", "amount_rials", "paid_on"]
