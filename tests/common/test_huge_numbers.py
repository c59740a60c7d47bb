"""The shared fields refuse a 5,000-digit number with a Persian message instead of letting
``int()`` raise (it converts at most 4,300 digits), and so does every add form of the admin, whose
fields come from ``common.admin`` (issue 6)."""

import pytest
from django import forms as django_forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from common import fields
from tests.web import HUGE_NUMBERS, post_huge_numbers


@pytest.mark.parametrize("number", HUGE_NUMBERS)
def test_rials_beyond_64_bits_are_too_large_whatever_their_length(number):
    with pytest.raises(django_forms.ValidationError) as refused:
        fields.clean_rials(number)
    assert refused.value.code == "too_large"
    assert refused.value.messages == ["مبلغ بیش از حد بزرگ است."]


@pytest.mark.parametrize("number, fits", [("9223372036854775807", True), ("9223372036854775808", False),
                                          ("0" * 30 + "1", True), ("9" * 19, False), ("9" * 5000, False)])
def test_fits_int64_reads_any_length(number, fits):
    assert fields.fits_int64(number) is fits


@pytest.mark.parametrize("number", HUGE_NUMBERS)
def test_a_whole_number_field_says_too_large(number):
    with pytest.raises(django_forms.ValidationError) as refused:
        fields.WholeNumberField(max_value=100).clean(number)
    assert refused.value.messages == ["عدد بیش از حد بزرگ است."]


@pytest.mark.parametrize("number", HUGE_NUMBERS)
def test_an_id_of_5000_digits_is_not_a_choice(number):
    with pytest.raises(django_forms.ValidationError) as refused:
        fields.IdModelChoiceField(queryset=None).to_python(number)
    assert refused.value.messages == ["گزینه انتخاب‌شده معتبر نیست."]


def _add_forms(user):
    """``(add URL, form field names, model)`` of every admin model ``user`` may add."""
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_add_permission(request):
            names = list(model_admin.get_form(request).base_fields)
            yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"), names, model


@pytest.mark.django_db
def test_every_admin_add_form_refuses_a_huge_number_without_a_server_error(client, world):
    client.force_login(world.ministry)
    checked = []
    for url, names, model in _add_forms(world.ministry):
        before = model.objects.count()
        for field, response in post_huge_numbers(client, url, {}, names):
            # A refused admin form is shown again (200); nothing else is filled in, so nothing is saved.
            assert response.status_code == 200, (url, field, response.status_code)
        assert model.objects.count() == before, url
        checked.append(model._meta.label)
    assert {"programs.ProvinceAllocation", "programs.Programme", "sectors.SectorAllocation",
            "sectors.PrioritySector", "accounts.User"} <= set(checked)


FILTERS = ["province", "id__in", "pk__in", "bank", "agency", "economic_sector__id__exact", "p"]


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["9" * 20, "1," + "9" * 20, "9" * 5000])
def test_a_huge_id_in_an_admin_filter_gets_the_invalid_lookup_page(client, world, number):
    client.force_login(world.ministry)
    for url in (reverse("admin:financing_investmentapplication_changelist"),
                reverse("admin:programs_county_changelist"), reverse("admin:accounts_user_changelist")):
        for name in FILTERS:
            response = client.get(url, {name: number}, follow=True)
            assert response.status_code == 200, (url, name)
            assert response.redirect_chain[-1][0].endswith("?e=1"), (url, name)


@pytest.mark.django_db
def test_a_long_number_in_the_admin_search_is_a_search(client, world):
    client.force_login(world.ministry)
    response = client.get(reverse("admin:financing_applicant_changelist"), {"q": "9" * 20})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.django_db
def test_a_huge_id_in_an_admin_address_is_not_found(client, world):
    client.force_login(world.ministry)
    response = client.get(reverse("admin:programs_province_change", args=["9" * 5000]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0] == reverse("admin:index")
