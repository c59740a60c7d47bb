"""Writes for financing: registration, calls, documents, submission and every §9 transition.

Each transition service reads top to bottom:
- look the application up within the actor's scope and lock its row (``NotFound`` outside it);
- refuse a stale attempt (``expected_state`` differs: ``StaleState``), a step the state does not
  allow (``TransitionNotAllowed``) or the actor may not take (``NotAllowed``), then input that
  breaks a rule (``RuleBroken``);
- fire the django-fsm transition of ``financing.workflow`` and save;
- write the step's own rows (a contract, a tranche, a payout);
- record the audit row and queue the applicant's email and SMS, sent only after commit.
All of it in one transaction: a refusal writes nothing. Amounts are rials, jobs persons, dates
``datetime.date`` (Gregorian). The errors are ``common.errors``'.

The modules: ``applicants``, ``calls``, ``documents``, ``applications`` (submission and the
review steps), ``payments`` (contract, tranches, operation, subsidy). This package exports them all.
"""

from .applicants import applicant_register
from .applications import (
    ApplicationInput,
    application_approve_by_agency,
    application_approve_by_bank,
    application_build,
    application_cancel_by_bank,
    application_refer_to_bank,
    application_reject_by_agency,
    application_reject_by_bank,
    application_reject_by_working_group,
    application_resubmit,
    application_return_by_agency,
    application_return_by_working_group,
    application_search_text,
    application_start_agency_review,
    application_start_bank_review,
    application_start_working_group_review,
    application_submit,
    application_withdraw,
)
from .calls import call_publish
from .documents import document_add, document_kinds_open
from .payments import (
    ContractInput,
    application_confirm_operation,
    application_declare_operation,
    application_pay_subsidy,
    application_record_disbursement,
    application_sign_contract,
)

__all__ = [
    "ApplicationInput",
    "ContractInput",
    "applicant_register",
    "application_approve_by_agency",
    "application_approve_by_bank",
    "application_build",
    "application_cancel_by_bank",
    "application_confirm_operation",
    "application_declare_operation",
    "application_pay_subsidy",
    "application_record_disbursement",
    "application_refer_to_bank",
    "application_reject_by_agency",
    "application_reject_by_bank",
    "application_reject_by_working_group",
    "application_resubmit",
    "application_return_by_agency",
    "application_return_by_working_group",
    "application_search_text",
    "application_sign_contract",
    "application_start_agency_review",
    "application_start_bank_review",
    "application_start_working_group_review",
    "application_submit",
    "application_withdraw",
    "call_publish",
    "document_add",
    "document_kinds_open",
]
