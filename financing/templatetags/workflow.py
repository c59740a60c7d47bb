"""Labels of the §9 workflow for templates (loaded as builtins)."""

from django import template
from django.utils.translation import gettext_lazy as _

from financing.models import ApplicationState

register = template.Library()

ACTION_LABELS = {
    "submit": _("ثبت طرح"),
    "add_document": _("بارگذاری مستند"),
    "start_agency_review": _("شروع بررسی دستگاه اجرایی"),
    "approve_by_agency": _("تأیید دستگاه اجرایی و صدور کد رهگیری"),
    "reject_by_agency": _("رد توسط دستگاه اجرایی"),
    "return_by_agency": _("بازگشت توسط دستگاه اجرایی"),
    "resubmit": _("ارسال دوباره"),
    "start_working_group_review": _("شروع بررسی کارگروه"),
    "refer_to_bank": _("ارجاع به بانک عامل"),
    "reject_by_working_group": _("رد توسط کارگروه"),
    "return_by_working_group": _("بازگشت توسط کارگروه"),
    "start_bank_review": _("شروع بررسی بانک"),
    "approve_by_bank": _("تأیید بانک عامل"),
    "reject_by_bank": _("رد توسط بانک عامل"),
    "sign_contract": _("انعقاد قرارداد"),
    "record_disbursement": _("پرداخت قسط تسهیلات"),
    "declare_operation": _("اعلام بهره‌برداری"),
    "confirm_operation": _("تأیید بهره‌برداری"),
    "pay_subsidy": _("پرداخت یارانه سود"),
    "withdraw": _("انصراف متقاضی"),
}


@register.filter
def state_label(value):
    """The Persian label of a state code; empty for none."""
    return ApplicationState(value).label if value in ApplicationState.values else ""


@register.filter
def action_label(value):
    """The Persian label of an audit action code."""
    return ACTION_LABELS.get(value, value)
