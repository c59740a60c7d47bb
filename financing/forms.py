"""Forms of the Persian UI. They check the input's shape; the services check the rules."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from common.collation import order_persian
from common.fields import (
    BootstrapFormMixin,
    DecimalPercentField,
    IdModelChoiceField,
    IdModelMultipleChoiceField,
    JalaliDateField,
    MultipleFileField,
    PersianCharField,
    ReferenceField,
    RialField,
    WholeNumberField,
)
from common.identifiers import canonical_identifier
from common.jalali import MONTH_NAMES
from common.normalization import normalize_digits_only
from programs.models import Bank

from .models import Applicant, ApplicationDocument, ApplicationState, InvestmentApplication
from .selectors import applications_matching, applications_submitted_in, callable_sectors
from .services import ApplicationInput, ContractInput


class RegistrationForm(BootstrapFormMixin, forms.Form):
    """An applicant's self-registration (roles.md)."""

    username = forms.CharField(label=_("نام کاربری"), max_length=150)
    name = PersianCharField(label=_("نام و نام خانوادگی یا نام شرکت"), max_length=200)
    person_kind = forms.ChoiceField(label=_("نوع شخص"), choices=Applicant.PersonKind.choices)
    ownership = forms.ChoiceField(label=_("بخش"), choices=Applicant.Ownership.choices)
    national_id = forms.CharField(label=_("کد ملی (۱۰ رقم) یا شناسه ملی (۱۱ رقم)"), max_length=30,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}))
    mobile = forms.CharField(label=_("تلفن همراه"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}))
    email = forms.EmailField(label=_("ایمیل (برای اعلان‌ها، اختیاری)"), required=False,
                             widget=forms.EmailInput(attrs={"dir": "ltr"}))
    password1 = forms.CharField(label=_("گذرواژه"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("تکرار گذرواژه"), widget=forms.PasswordInput)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("این نام کاربری قبلاً گرفته شده است."))
        return username

    def clean_mobile(self):
        mobile = normalize_digits_only(self.cleaned_data["mobile"])
        if mobile and (len(mobile) != 11 or not mobile.startswith("09") or not mobile.isdigit()):
            raise forms.ValidationError(_("شماره همراه باید ۱۱ رقم و با ۰۹ آغاز شود."))
        return mobile

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("دو گذرواژه یکسان نیستند."))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if data.get("national_id") and data.get("person_kind"):
            try:
                data["national_id"] = canonical_identifier(
                    data["national_id"], legal_person=data["person_kind"] == Applicant.PersonKind.LEGAL)
            except forms.ValidationError as error:
                self.add_error("national_id", error)
        return data


class ApplicationForm(BootstrapFormMixin, forms.Form):
    """An investment application to one call (§9 step 2): figures in rials, persons, percent."""

    title = PersianCharField(label=_("عنوان طرح"), max_length=300)
    county = IdModelChoiceField(label=_("شهرستان"), queryset=None)
    priority_sector = IdModelChoiceField(label=_("رسته"), queryset=None)
    project_kind = forms.ChoiceField(label=_("نوع طرح"), choices=InvestmentApplication.ProjectKind.choices)
    is_existing_unit = forms.BooleanField(label=_("واحد موجود است"), required=False)
    requested_loan_rials = RialField(label=_("تسهیلات درخواستی (ریال)"))
    own_contribution_rials = RialField(label=_("آورده متقاضی (ریال)"), min_value=0)
    planned_new_jobs = WholeNumberField(label=_("اشتغال جدید (نفر)"), min_value=0, max_value=100000)
    planned_retained_jobs = WholeNumberField(label=_("اشتغال حفظ‌شده (نفر)"), min_value=0, max_value=100000,
                                             initial=0)
    physical_progress_percent = WholeNumberField(label=_("پیشرفت فیزیکی (درصد)"), min_value=0, max_value=100,
                                                 initial=0)
    feasibility_files = MultipleFileField(
        label=_("فایل‌های طرح توجیهی (PDF، XLSX، DOCX، JPEG یا PNG؛ حداکثر ۱۰ مگابایت)"))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["county"].queryset = order_persian(call.province.counties.all(), "name")
        self.fields["priority_sector"].queryset = call.priority_sectors.order_by("source", "rank", "id")

    def to_input(self) -> ApplicationInput:
        data = self.cleaned_data
        return ApplicationInput(**{name: data[name] for name in ApplicationInput.__dataclass_fields__})


class DocumentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("نوع مستند"), choices=ApplicationDocument.Kind.choices)
    file = forms.FileField(label=_("فایل"))


# --- action forms: each carries the state the actor saw, so a stale click is refused ------------

class ActionForm(BootstrapFormMixin, forms.Form):
    expected_state = forms.ChoiceField(choices=ApplicationState.choices, widget=forms.HiddenInput)
    reason = PersianCharField(label=_("توضیح"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self):
        return {"reason": self.cleaned_data["reason"]}


class ReasonRequiredForm(ActionForm):
    reason = PersianCharField(label=_("دلیل"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PlainActionForm(ActionForm):
    reason = None

    def service_kwargs(self):
        return {}


class ReferToBankForm(ActionForm):
    bank = IdModelChoiceField(label=_("بانک عامل"), queryset=Bank.objects.none())

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        if application is not None:
            self.fields["bank"].queryset = order_persian(Bank.objects.filter(provinces=application.province_id),
                                                         "name")

    def service_kwargs(self):
        return {"bank": self.cleaned_data["bank"], "reason": self.cleaned_data["reason"]}


class BankApprovalForm(ActionForm):
    approved_loan_rials = RialField(label=_("مبلغ مصوب تسهیلات (ریال)"))

    def service_kwargs(self):
        return {"approved_loan_rials": self.cleaned_data["approved_loan_rials"], "reason": self.cleaned_data["reason"]}


class ContractForm(ActionForm):
    principal_rials = RialField(label=_("اصل تسهیلات (ریال)"))
    interest_rate_percent = DecimalPercentField(label=_("نرخ سود بانک (درصد در سال)"), min_value=0, max_value=100,
                                                max_digits=5, decimal_places=2)
    subsidy_rate_percent = DecimalPercentField(label=_("یارانه سود (واحد درصد از نرخ سود بانک)"), min_value=0,
                                               max_value=100,
                                               help_text=_("متقاضی نرخ بانک منهای این عدد را می‌پردازد: نرخ ۱۸ و "
                                                           "یارانه ۱۲ یعنی متقاضی ۶ درصد می‌پردازد."),
                                               max_digits=5, decimal_places=2)
    term_months = WholeNumberField(label=_("مدت بازپرداخت (ماه)"), min_value=1, max_value=360,
                                   help_text=_("شامل دوره تنفس؛ یارانه سود از روی این شرایط محاسبه می‌شود."))
    grace_months = WholeNumberField(label=_("دوره تنفس (ماه)"), min_value=0, max_value=120)
    planned_tranches = WholeNumberField(label=_("تعداد اقساط پرداخت"), min_value=1, max_value=60, initial=1)
    signed_on = JalaliDateField(label=_("تاریخ انعقاد (شمسی)"), min_year=1398, not_future=True)
    bank_reference = ReferenceField(label=_("شماره قرارداد"), max_length=60)

    def service_kwargs(self):
        data = self.cleaned_data
        contract = ContractInput(**{name: data[name] for name in ContractInput.__dataclass_fields__})
        return {"contract": contract, "reason": data["reason"]}


class IdempotentFormMixin(forms.Form):
    """A payment form carries a key drawn when it is shown, so sending it twice pays once (C18)."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4


class DisbursementForm(BootstrapFormMixin, IdempotentFormMixin):
    expected_state = forms.ChoiceField(choices=ApplicationState.choices, widget=forms.HiddenInput)
    amount_rials = RialField(label=_("مبلغ قسط (ریال)"))
    paid_on = JalaliDateField(label=_("تاریخ پرداخت (شمسی)"), min_year=1398, not_future=True)
    bank_reference = ReferenceField(label=_("شماره پیگیری بانک"), max_length=60)

    def service_kwargs(self):
        data = self.cleaned_data
        return {"amount_rials": data["amount_rials"], "paid_on": data["paid_on"],
                "bank_reference": data["bank_reference"], "idempotency_key": str(data["idempotency_key"])}


class DeclareOperationForm(ActionForm):
    operation_started_on = JalaliDateField(label=_("تاریخ شروع بهره‌برداری (شمسی)"), min_year=1398, not_future=True)
    actual_new_jobs = WholeNumberField(label=_("اشتغال جدید ایجادشده (نفر)"), min_value=0, max_value=100000)
    actual_retained_jobs = WholeNumberField(label=_("اشتغال حفظ‌شده (نفر)"), min_value=0, max_value=100000)

    def service_kwargs(self):
        data = self.cleaned_data
        return {name: data[name] for name in
                ("operation_started_on", "actual_new_jobs", "actual_retained_jobs", "reason")}


class SubsidyPayoutForm(IdempotentFormMixin, ActionForm):
    amount_rials = RialField(label=_("مبلغ یارانه (ریال)"))
    paid_on = JalaliDateField(label=_("تاریخ پرداخت (شمسی)"), min_year=1398, not_future=True)

    def service_kwargs(self):
        data = self.cleaned_data
        return {"amount_rials": data["amount_rials"], "paid_on": data["paid_on"], "reason": data["reason"],
                "idempotency_key": str(data["idempotency_key"])}


class CallForm(BootstrapFormMixin, forms.Form):
    title = PersianCharField(label=_("عنوان فراخوان"), max_length=300)
    description = PersianCharField(label=_("شرح"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    priority_sectors = IdModelMultipleChoiceField(label=_("رسته‌ها"), queryset=None,
                                                      widget=forms.CheckboxSelectMultiple)
    opens_on = JalaliDateField(label=_("تاریخ شروع (شمسی)"), min_year=1398)
    closes_on = JalaliDateField(label=_("تاریخ پایان (شمسی)"), min_year=1398)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority_sectors"].queryset = callable_sectors(agency)


class TrackForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_("کد رهگیری"), max_length=64,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr",
                                                         "autocomplete": "off"}))


class ApplicationFilterForm(BootstrapFormMixin, forms.Form):
    """The list's filters: state, a search in any spelling, and the Jalali year and month of
    submission (Tehran time; C04, C05). Invalid values are ignored, never an error page."""

    state = forms.ChoiceField(label=_("وضعیت"), required=False,
                              choices=[("", _("همه وضعیت‌ها")), *ApplicationState.choices])
    q = PersianCharField(label=_("جستجو"), required=False, max_length=200)
    year = WholeNumberField(label=_("سال ثبت"), required=False, min_value=1390, max_value=1450)
    month = forms.TypedChoiceField(label=_("ماه ثبت"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("همه ماه‌ها")), *enumerate(MONTH_NAMES, start=1)])

    def clean(self):
        data = super().clean()
        if data.get("month") and not data.get("year"):
            self.add_error("year", _("برای فیلتر ماه، سال را هم وارد کنید."))
        return data

    def filter(self, queryset):
        """``queryset`` narrowed by the valid filters (an invalid one is shown, not applied)."""
        data = self.cleaned_data if self.is_valid() else {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("q"):
            queryset = applications_matching(queryset, data["q"])
        if data.get("year"):
            queryset = applications_submitted_in(queryset, data["year"], data.get("month"))
        return queryset
