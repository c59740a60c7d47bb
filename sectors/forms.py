"""Forms for sectors: an officer's new priority sector (§6)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.fields import BootstrapFormMixin, IdModelChoiceField, WholeNumberField
from common.normalization import normalize_text

from .selectors import county_list, economic_sector_list


class PrioritySectorForm(BootstrapFormMixin, forms.Form):
    """Name, economic sector, optional new jobs (persons) and county of the officer's province."""

    name = forms.CharField(label=_("نام رسته"), max_length=200,
                           error_messages={"required": _("نام رسته را وارد کنید."),
                                           "max_length": _("نام رسته حداکثر ۲۰۰ نویسه است.")})
    name_en = forms.CharField(label=_("نام انگلیسی"), max_length=200, required=False)
    economic_sector = IdModelChoiceField(
        label=_("بخش اقتصادی"), queryset=economic_sector_list(),
        error_messages={"required": _("بخش اقتصادی را انتخاب کنید."),
                        "invalid_choice": _("بخش اقتصادی انتخاب‌شده معتبر نیست.")})
    new_jobs = WholeNumberField(label=_("اشتغال جدید (نفر)"), required=False, min_value=1, max_value=1_000_000,
                                error_messages={"min_value": _("اشتغال جدید باید عددی مثبت باشد."),
                                                "max_value": _("اشتغال جدید نباید بیش از یک میلیون نفر باشد.")})
    county = IdModelChoiceField(
        label=_("شهرستان"), queryset=None, required=False, empty_label=_("سطح استان"),
        error_messages={"invalid_choice": _("شهرستان انتخاب‌شده در این استان نیست.")})

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = county_list(province=province)

    def clean_name(self):
        name = normalize_text(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("نام رسته را وارد کنید."))
        return name

    def clean_name_en(self):
        return normalize_text(self.cleaned_data["name_en"])
