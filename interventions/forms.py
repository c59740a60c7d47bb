"""Forms of the interventions' Persian UI (§8). They check the input's shape (digits, Jalali dates,
choices within the officer's province); ``interventions.services`` checks the rules."""

import functools

from django import forms
from django.db.models import F, Value
from django.db.models.functions import Lower, Replace
from django.utils.translation import gettext_lazy as _

from common.collation import order_persian
from common.fields import (
    BootstrapFormMixin,
    IdModelChoiceField,
    IdModelMultipleChoiceField,
    JalaliDateField,
    MultipleFileField,
    PersianCharField,
    PersianTextField,
    RialField,
)
from common.normalization import ZWNJ, search_key
from programs import calendar
from programs.models import Province
from sectors.models import PrioritySector

from .models import CatalogueEntry, FundingBody, Intervention, ResourceLine
from .services import InterventionInput
from .workflow import InterventionState

# The first Jalali year a date of the programme may fall in (it starts on 1 Tir 1398).
PROGRAMME_FIRST_YEAR = 1398
# How many two-month periods past the current one a milestone may be planned in (three years).
PLANNING_HORIZON_PERIODS = 18


# --- the intervention's content (§8 steps 1–3) ------------------------------------------------

ANALYSIS_FIELDS = ("business_system", "zoning", "intervention_points")
DOCUMENT_FIELDS = ("institution_structure", "ownership", "management", "expected_outputs", "indicators")


class InterventionForm(BootstrapFormMixin, forms.Form):
    """An intervention's content for its agency officer: what it is, where, and the analysis
    (§8 steps 1–2); with ``documents=True`` also the execution documents (step 3). The priority
    sector and the counties are the officer's province's."""

    title = PersianCharField(label=_("عنوان اقدام"), max_length=300)
    kind = forms.ChoiceField(label=_("قالب اقدام"), choices=Intervention.Kind.choices)
    catalogue_entry = IdModelChoiceField(label=_("نمونه اقدام بند ۷ (اختیاری)"), required=False,
                                         queryset=CatalogueEntry.objects.order_by("number"),
                                         empty_label=_("هیچ‌کدام"))
    creates_institution = forms.BooleanField(label=_("نهاد ایجاد یا توسعه می‌دهد (نهادسازی)"), required=False,
                                             initial=True)
    priority_sector = IdModelChoiceField(label=_("رسته اولویت‌دار"), queryset=PrioritySector.objects.none())
    counties = IdModelMultipleChoiceField(label=_("شهرستان‌ها (اختیاری)"), required=False, queryset=None,
                                          widget=forms.SelectMultiple(attrs={"size": 6}))
    business_system = PersianTextField(label=_("تحلیل نظام کسب‌وکار رسته در استان"), required=False,
                                       max_length=20000, rows=3)
    zoning = PersianTextField(label=_("پهنه‌بندی جغرافیایی"), required=False, max_length=20000, rows=3)
    intervention_points = PersianTextField(label=_("نقاط مداخله"), required=False, max_length=20000,
                                           rows=3)
    institution_structure = PersianTextField(label=_("ساختار نهاد"), required=False, max_length=20000,
                                             rows=3)
    ownership = forms.ChoiceField(label=_("مالکیت"), required=False,
                                  choices=[("", _("تعیین نشده")), *Intervention.Ownership.choices])
    management = PersianCharField(label=_("اداره‌کننده نهاد"), required=False, max_length=300)
    expected_outputs = PersianTextField(label=_("خروجی‌ها و دستاوردهای مورد انتظار"), required=False,
                                        max_length=20000, rows=3)
    indicators = PersianTextField(label=_("شاخص‌های ارزیابی"), required=False, max_length=20000, rows=3)
    expected_state = forms.ChoiceField(choices=InterventionState.choices, widget=forms.HiddenInput, required=False)

    def __init__(self, *args, province, documents=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority_sector"].queryset = (PrioritySector.objects.filter(province=province)
                                                   .order_by("source", "rank", "id"))
        self.fields["counties"].queryset = order_persian(province.counties.all(), "name")
        if not documents:
            for name in (*DOCUMENT_FIELDS, "expected_state"):
                del self.fields[name]

    @classmethod
    def initial_of(cls, intervention) -> dict:
        """The form's initial values from ``intervention`` (its counties as ids)."""
        names = ("title", "kind", "catalogue_entry", "creates_institution", "priority_sector",
                 *ANALYSIS_FIELDS, *DOCUMENT_FIELDS)
        initial = {name: getattr(intervention, name) for name in names}
        initial["counties"] = [county.pk for county in intervention.counties.all()]
        initial["expected_state"] = intervention.state
        return initial

    def to_input(self) -> InterventionInput:
        """The cleaned data as the service's ``InterventionInput`` (counties as a list; the
        execution documents empty when the form has none)."""
        data = self.cleaned_data
        values = {name: data.get(name, "") for name in InterventionInput.__dataclass_fields__}
        values["counties"] = list(data["counties"])
        values["catalogue_entry"] = data["catalogue_entry"]
        values["creates_institution"] = bool(data["creates_institution"])
        return InterventionInput(**values)


def period_choices(current=None):
    """The two-month periods a milestone may be planned in: from the first (Tir–Mordad 1398) to
    ``PLANNING_HORIZON_PERIODS`` past the current one, as ``(number, "تیر–مرداد ۱۳۹۸")``."""
    current = current or calendar.current_period()
    last = max(current, 1) + PLANNING_HORIZON_PERIODS
    return [(n, calendar.period_label(n)) for n in range(1, last + 1)]


class MilestoneForm(BootstrapFormMixin, forms.Form):
    """A milestone of the timetable (§8 step 3): its title and the period it is planned in."""

    title = PersianCharField(label=_("عنوان گام"), max_length=300)
    planned_period = forms.TypedChoiceField(label=_("دوره دوماهه برنامه‌ریزی‌شده"), coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_period"].choices = period_choices()
        self.fields["planned_period"].initial = calendar.current_period()


class ResourceForm(BootstrapFormMixin, forms.Form):
    """One source of the resources (§8 step 3), in rials typed in any digits."""

    source = forms.ChoiceField(label=_("منبع"), choices=ResourceLine.Source.choices)
    amount_rials = RialField(label=_("مبلغ (ریال)"))
    purpose = PersianCharField(label=_("محل مصرف"), required=False, max_length=300)


class FileForm(BootstrapFormMixin, forms.Form):
    """One file: an execution document (the edit page) or an evaluation report (the detail page);
    the view fixes its kind."""

    file = forms.FileField(label=_("فایل (PDF، XLSX، DOCX، JPEG یا PNG؛ حداکثر ۱۰ مگابایت)"))


class MilestoneReportForm(BootstrapFormMixin, forms.Form):
    """A milestone reported done (§8 step 6): the Jalali day, not after today in Tehran, what was
    done and the evidence."""

    done_on = JalaliDateField(label=_("تاریخ انجام (شمسی)"), min_year=PROGRAMME_FIRST_YEAR, not_future=True)
    report = PersianTextField(label=_("گزارش انجام"), max_length=20000, rows=4)
    files = MultipleFileField(label=_("مستندات انجام (PDF، XLSX، DOCX، JPEG یا PNG؛ حداکثر ۱۰ مگابایت)"))


class InstalmentForm(BootstrapFormMixin, forms.Form):
    """A grant instalment paid against a milestone done (§8 step 6): rials and a Jalali day."""

    amount_rials = RialField(label=_("مبلغ قسط (ریال)"))
    paid_on = JalaliDateField(label=_("تاریخ پرداخت (شمسی)"), min_year=PROGRAMME_FIRST_YEAR, not_future=True)


# --- action forms: each carries the state the actor saw, so a stale click is refused ------------

class ActionForm(BootstrapFormMixin, forms.Form):
    expected_state = forms.ChoiceField(choices=InterventionState.choices, widget=forms.HiddenInput)
    reason = PersianTextField(label=_("توضیح (اختیاری)"), required=False, max_length=2000, rows=2)

    def service_kwargs(self):
        return {"reason": self.cleaned_data["reason"]}


class PlainActionForm(ActionForm):
    reason = None

    def service_kwargs(self):
        return {}


class ReasonRequiredForm(ActionForm):
    reason = PersianTextField(label=_("دلیل"), max_length=2000, rows=2)


class ReferForm(ActionForm):
    funding_body = IdModelChoiceField(label=_("مرجع تأمین منابع"),
                                      queryset=FundingBody.objects.order_by("kind", "name", "id"))

    field_order = ["expected_state", "funding_body", "reason"]

    def service_kwargs(self):
        return {"funding_body": self.cleaned_data["funding_body"], "reason": self.cleaned_data["reason"]}


class GrantForm(ActionForm):
    grant_rials = RialField(label=_("کمک بلاعوض مصوب (ریال)"))

    field_order = ["expected_state", "grant_rials", "reason"]

    def service_kwargs(self):
        return {"grant_rials": self.cleaned_data["grant_rials"], "reason": self.cleaned_data["reason"]}


class EvaluationForm(PlainActionForm):
    evaluation = PersianTextField(label=_("نتیجه ارزیابی"), max_length=20000, rows=4)

    def service_kwargs(self):
        return {"evaluation": self.cleaned_data["evaluation"]}


# --- the list's filters ----------------------------------------------------------------------

# Persian (۰–۹) and Arabic-Indic (٠–٩) digits, and Arabic ي/ى/ك, as the search key has them.
_FOLDS = (
    (ZWNJ, " "),
    *((chr(0x06F0 + n), str(n)) for n in range(10)),
    *((chr(0x0660 + n), str(n)) for n in range(10)),
    ("\u064a", "\u06cc"), ("\u0649", "\u06cc"), ("\u0643", "\u06a9"),
)


def title_key():
    """A database expression of an intervention's title as ``search_key`` gives it: half-space
    read as a space, ASCII digits, Persian ی/ک, lower case (C11, C12)."""
    return functools.reduce(lambda expr, fold: Replace(expr, Value(fold[0]), Value(fold[1])), _FOLDS,
                            Lower(F("title")))


def interventions_matching(queryset, query):
    """``queryset`` narrowed to interventions whose title contains ``query`` in any spelling."""
    key = search_key(query)
    if not key:
        return queryset
    return queryset.alias(title_key=title_key()).filter(title_key__contains=key)


class InterventionFilterForm(BootstrapFormMixin, forms.Form):
    """The list's filters: state, province (for ministry staff, who see every province) and a title
    search in any spelling. Invalid values are shown and ignored, never an error page."""

    state = forms.ChoiceField(label=_("وضعیت"), required=False,
                              choices=[("", _("همه وضعیت‌ها")), *InterventionState.choices])
    province = IdModelChoiceField(label=_("استان"), required=False, queryset=Province.objects.none(),
                                  empty_label=_("همه استان‌ها"))
    q = PersianCharField(label=_("جستجو در عنوان"), required=False, max_length=200)

    def __init__(self, *args, all_provinces=False, **kwargs):
        super().__init__(*args, **kwargs)
        if all_provinces:
            self.fields["province"].queryset = order_persian(Province.objects.all(), "name")
        else:
            del self.fields["province"]

    def filter(self, queryset):
        """``queryset`` narrowed by the valid filters (an invalid one is shown, not applied)."""
        data = self.cleaned_data if self.is_valid() else {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("province"):
            queryset = queryset.filter(province=data["province"])
        if data.get("q"):
            queryset = interventions_matching(queryset, data["q"])
        return queryset
