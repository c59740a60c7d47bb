"""Forms of the budget pages. They check the input's shape; ``budgets.services`` checks the rules."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from common.fields import BootstrapFormMixin, PersianCharField, RialField
from common.normalization import to_ascii_digits, to_persian_digits
from common.templatetags.persian import billion_rials

ALL_YEARS = "all"


class YearFilterForm(BootstrapFormMixin, forms.Form):
    """``?year=``: one budget year (Jalali, any digits), ``all``, or by default this year's (or the latest)."""

    year = forms.ChoiceField(label=_("سال بودجه"), required=False)

    def __init__(self, data=None, *, years, current_year):
        """``years``: the budget years that have lines the user may read, newest first. The default
        is ``current_year`` (the Jalali year today) when it is one of them, else the latest."""
        if data is not None and "year" in data:
            data = data.copy()
            data["year"] = to_ascii_digits(data["year"]).strip()
        else:
            data = None
        self.years = list(years)
        self.default = current_year if current_year in self.years else (self.years[0] if self.years else None)
        super().__init__(data, initial={"year": str(self.default or "")})
        self.fields["year"].choices = ([(str(year), to_persian_digits(str(year))) for year in self.years]
                                       + [(ALL_YEARS, _("همه سال‌ها"))])

    def selected_years(self) -> list[int]:
        """The years to show, newest first. A year the user has no lines in shows the default."""
        if not self.years:
            return []
        value = self.cleaned_data.get("year") if self.is_bound and self.is_valid() else ""
        if value == ALL_YEARS:
            return self.years
        return [int(value)] if value else [self.default]


def _line_choices(rows):
    """The lines as ``<optgroup>``s of one year and one kind (provinces, economic sectors), each
    labelled with what it has left, in billion rials."""
    groups = {}
    for row in rows:
        line = row.line
        kind = _("استان‌ها") if line.province_id else _("بخش‌های اقتصادی")
        group = _("سال %(year)s، %(kind)s") % {"year": to_persian_digits(str(line.budget_year.year)), "kind": kind}
        label = _("%(line)s (مانده %(remaining)s میلیارد ریال)") % {
            "line": line.label, "remaining": billion_rials(row.amounts.remaining)}
        groups.setdefault((-line.budget_year.year, not line.province_id, str(group)), []).append((line.pk, label))
    return [("", "---------")] + [(key[2], choices) for key, choices in sorted(groups.items(), key=lambda g: g[0][:2])]


class ReallocationForm(BootstrapFormMixin, forms.Form):
    """Move money from one budget line to another (ministry staff). ``transfer`` is drawn when the
    form is shown and names the move, so submitting the same form twice moves the money once."""

    from_line = forms.TypedChoiceField(label=_("از ردیف (مبدأ)"), coerce=int)
    to_line = forms.TypedChoiceField(label=_("به ردیف (مقصد)"), coerce=int)
    amount_rials = RialField(label=_("مبلغ (ریال)"), help_text=_("مثلاً ۲۵۰٬۰۰۰٬۰۰۰٬۰۰۰"))
    reason = PersianCharField(label=_("دلیل جابه‌جایی"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    transfer = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, data=None, *, rows, initial=None):
        """``rows``: the ``LineRow``s the user may move money between."""
        super().__init__(data, initial={"transfer": uuid.uuid4(), **(initial or {})})
        choices = _line_choices(rows)
        self.fields["from_line"].choices = choices
        self.fields["to_line"].choices = choices

    def service_kwargs(self) -> dict:
        """The cleaned input as ``budgets.services.budget_reallocate``'s arguments."""
        data = self.cleaned_data
        return {"from_line_id": data["from_line"], "to_line_id": data["to_line"],
                "amount_rials": data["amount_rials"], "reason": data["reason"], "transfer": data["transfer"]}
