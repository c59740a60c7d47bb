"""Admin for ministry staff. Workflow states change only through the services (the detail pages),
so applications and their money rows are read-only here; the bulk actions call the services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyModelAdmin
from common.collation import persian
from common.errors import ServiceError
from common.normalization import normalize_digits_only, search_key, to_persian_digits

from . import services
from .api import admin as api_admin  # noqa: F401  (registers the bank API keys' and calls' admin)
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
from .webhooks import admin as webhooks_admin  # noqa: F401  (registers the webhooks' admin)


@admin.register(Applicant)
class ApplicantAdmin(ReadOnlyModelAdmin):
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
class CallAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "agency", "province", "opens_on", "closes_on"]
    list_filter = ["province"]


class DocumentInline(admin.TabularInline):
    model = ApplicationDocument
    fields = ["kind", "original_name", "content_type", "size_bytes", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


def _bulk_transition(service, transition):
    """An admin action that runs ``service`` (transition ``transition``, whose history label it
    shows) for each selected application as the admin user, so the same role, scope, state and
    audit rules apply as on the detail page (C17)."""

    def action(modeladmin, request, queryset):
        done, refused = 0, 0
        for application_id in queryset.values_list("pk", flat=True):
            try:
                service(actor=request.user, application_id=application_id)
            except ServiceError:
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

    action.short_description = InvestmentApplication.action_label(transition)
    action.__name__ = f"bulk_{service.__name__}"
    return action


@admin.register(InvestmentApplication)
class InvestmentApplicationAdmin(ReadOnlyModelAdmin):
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
        _bulk_transition(services.application_start_agency_review, "start_agency_review"),
        _bulk_transition(services.application_approve_by_agency, "approve_by_agency"),
        _bulk_transition(services.application_start_working_group_review, "start_working_group_review"),
        _bulk_transition(services.application_start_bank_review, "start_bank_review"),
        _bulk_transition(services.application_confirm_operation, "confirm_operation"),
    ]


@admin.register(LoanContract)
class LoanContractAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "principal_rials", "interest_rate_percent", "subsidy_rate_percent", "signed_on"]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "amount_rials", "paid_on", "bank_reference"]


@admin.register(SubsidyPayout)
class SubsidyPayoutAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "amount_rials", "paid_on"]
