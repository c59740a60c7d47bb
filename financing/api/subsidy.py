"""The bank API's view of an application's interest subsidy (issue 8): committed, paid, remaining,
the payouts and the schedule. The figures come from ``financing.schedule`` and the month labels
from ``financing.schedule_display``; nothing is computed twice.
"""

import jdatetime
from rest_framework import serializers

from ..schedule_display import contract_schedule
from .action_serializers import ContractSerializer
from .serializers import PayoutSerializer, contract_or_none


def _month_codes(signed_on, count):
    """``"YYYY-MM"`` (Jalali) of each month of a contract signed on ``signed_on``: month 1 is the
    month after the signing month, as ``schedule_display.month_labels``."""
    signed = jdatetime.date.fromgregorian(date=signed_on)
    codes = []
    for number in range(1, count + 1):
        year, month = divmod(signed.month - 1 + number, 12)
        codes.append(f"{signed.year + year:04d}-{month + 1:02d}")
    return codes


def subsidy_data(application):
    """The subsidy of ``application`` as ``SubsidySerializer`` reads it, or ``None`` without a
    contract. Two queries: the contract, and the payouts."""
    contract = contract_or_none(application)
    if contract is None:
        return None
    table = contract_schedule(contract)
    payouts = list(application.subsidy_payouts.all())
    paid = sum(payout.amount_rials for payout in payouts)
    committed = contract.subsidy_committed_rials
    schedule = table.schedule
    months = [
        {"number": month.number, "month_jalali": code, "month_label": label,
         "bank_instalment_rials": month.bank_instalment, "bank_interest_rials": month.bank_interest,
         "applicant_instalment_rials": month.applicant_instalment,
         "applicant_interest_rials": month.applicant_interest, "subsidy_rials": month.subsidy}
        for (label, month), code in zip(table.rows, _month_codes(contract.signed_on, len(table.rows)), strict=True)
    ]
    return {
        "application_id": application.pk,
        "contract": contract,
        "committed_rials": committed,
        "paid_rials": paid,
        "remaining_rials": max(committed - paid, 0),
        "payouts": payouts,
        "schedule": {
            "months": months,
            "totals": {
                "bank_instalment_rials": schedule.bank_instalment_total,
                "bank_interest_rials": schedule.bank_interest_total,
                "applicant_instalment_rials": schedule.applicant_instalment_total,
                "applicant_interest_rials": schedule.applicant_interest_total,
                "subsidy_rials": schedule.subsidy_total,
            },
        },
    }


class ScheduleTotalsSerializer(serializers.Serializer):
    bank_instalment_rials = serializers.IntegerField(help_text="Rials, at the bank's rate.")
    bank_interest_rials = serializers.IntegerField(help_text="Rials, at the bank's rate.")
    applicant_instalment_rials = serializers.IntegerField(help_text="Rials, at the applicant's rate.")
    applicant_interest_rials = serializers.IntegerField(help_text="Rials, at the applicant's rate.")
    subsidy_rials = serializers.IntegerField(help_text="Rials: the bank's instalment minus the applicant's.")


class ScheduleMonthSerializer(ScheduleTotalsSerializer):
    number = serializers.IntegerField(help_text="1 is the month after the signing month.")
    month_jalali = serializers.CharField(help_text="The Jalali month, YYYY-MM.")
    month_label = serializers.CharField(help_text="The Jalali month in Persian, e.g. «اردیبهشت ۱۴۰۴».")


class ScheduleSerializer(serializers.Serializer):
    months = ScheduleMonthSerializer(many=True)
    totals = ScheduleTotalsSerializer()


class SubsidySerializer(serializers.Serializer):
    """The interest subsidy of a contract: the bank's rate minus the applicant's, paid by the programme."""

    application_id = serializers.IntegerField()
    contract = ContractSerializer()
    committed_rials = serializers.IntegerField(help_text="The subsidy committed at signing, rials.")
    paid_rials = serializers.IntegerField(help_text="Paid so far by the working group, rials.")
    remaining_rials = serializers.IntegerField(help_text="Committed minus paid, rials (never below 0).")
    payouts = PayoutSerializer(many=True)
    schedule = ScheduleSerializer()

