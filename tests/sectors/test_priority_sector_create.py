"""Officers add their province's priority sectors (§6: Lorestan has no table in the seed).

Only an agency officer or working-group secretary of the province may; the row gets source
``officer``, the next free rank, an audit record, and shows on ``/program/``.
"""

import pytest

from accounts.models import AuditRecord, Role
from common.errors import NotAllowed, RuleBroken
from programs.models import County, Province
from sectors.models import EconomicSector, PrioritySector
from sectors.services import priority_sector_create

LORESTAN = "IR-15"


@pytest.fixture
def agriculture(programme_data):
    return EconomicSector.objects.get(code="agriculture")


@pytest.fixture
def lorestan_officer(make_user):
    return make_user(Role.AGENCY_OFFICER, LORESTAN, username="lorestan_officer")


def test_lorestan_officer_adds_a_priority_sector(lorestan_officer, agriculture):
    county = County.objects.get(code="1503")  # خرم آباد
    sector = priority_sector_create(actor=lorestan_officer, name="زنبورداری و تولید عسل", economic_sector=agriculture,
                                    new_jobs=1_200, county=county)
    assert sector.province.code == LORESTAN
    assert sector.source == PrioritySector.Source.OFFICER
    assert sector.rank == 1
    assert sector.created_by == lorestan_officer
    assert (sector.new_jobs, sector.county, sector.county_scope) == (1_200, county, "خرم آباد")
    assert sector.estimated_employment is None
    assert sector.province_inferred is False
    (audit,) = AuditRecord.objects.filter(action="priority_sector_create")
    assert (audit.actor, audit.actor_role, audit.target) == (lorestan_officer, Role.AGENCY_OFFICER, sector)
    assert audit.data["new_jobs"] == 1_200


def test_ranks_follow_on(lorestan_officer, agriculture):
    first = priority_sector_create(actor=lorestan_officer, name="زنبورداری", economic_sector=agriculture)
    second = priority_sector_create(actor=lorestan_officer, name="پرورش ماهی سردآبی", economic_sector=agriculture)
    assert (first.rank, second.rank) == (1, 2)
    assert first.new_jobs is None and first.county is None and first.county_scope == ""


def test_working_group_secretary_adds_through_the_form_and_it_shows_on_the_program_page(client, make_user,
                                                                                        agriculture):
    client.force_login(make_user(Role.WORKING_GROUP_SECRETARY, LORESTAN))
    assert client.get("/sectors/new/").status_code == 200
    county = County.objects.get(code="1502")  # بروجرد
    # Arabic ي and ك, Persian digits with a thousands separator.
    response = client.post("/sectors/new/", {"name": "  صنايع دستي و گليم  ", "economic_sector": agriculture.pk,
                                             "new_jobs": "۲٬۵۰۰", "county": county.pk})
    assert response.status_code == 302
    assert response["Location"] == "/sectors/"
    sector = PrioritySector.objects.get(source="officer")
    assert (sector.name, sector.new_jobs, sector.county) == ("صنایع دستی و گلیم", 2_500, county)

    listing = client.get("/sectors/").content.decode()
    assert "صنایع دستی و گلیم" in listing and "۲٬۵۰۰" in listing

    client.logout()
    page = client.get("/program/").content.decode()
    start = page.index('id="province-IR-15"')
    lorestan = page[start:page.index("</article>", start)]
    assert "صنایع دستی و گلیم" in lorestan
    assert "۲٬۵۰۰" in lorestan
    assert "سند جدولی برای لرستان ندارد" in lorestan  # still true: these rows are not the seed's


def test_officer_of_another_province_is_refused(make_user, agriculture):
    kermanshah_officer = make_user(Role.AGENCY_OFFICER, "IR-05")
    with pytest.raises(NotAllowed):
        priority_sector_create(actor=kermanshah_officer, name="زنبورداری", economic_sector=agriculture,
                               province=Province.objects.get(code=LORESTAN))
    assert not PrioritySector.objects.filter(source="officer").exists()
    assert not AuditRecord.objects.exists()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROVINCIAL_MANAGER, Role.MINISTRY_STAFF, Role.BANK_OFFICER])
def test_other_roles_are_refused_by_the_service(make_user, agriculture, role):
    user = make_user(role, LORESTAN if role == Role.PROVINCIAL_MANAGER else None)
    with pytest.raises(NotAllowed):
        priority_sector_create(actor=user, name="زنبورداری", economic_sector=agriculture,
                               province=Province.objects.get(code=LORESTAN))
    assert not PrioritySector.objects.filter(source="officer").exists()


def test_applicant_is_refused_by_the_view(client, make_user, agriculture):
    client.force_login(make_user(Role.APPLICANT))
    assert client.get("/sectors/new/").status_code == 403
    response = client.post("/sectors/new/", {"name": "زنبورداری", "economic_sector": agriculture.pk})
    assert response.status_code == 403
    assert not PrioritySector.objects.filter(source="officer").exists()


def test_anonymous_visitor_is_sent_to_login(client, programme_data):
    response = client.get("/sectors/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"name": "   "}, "name", "نام رسته را وارد کنید."),
    ({"new_jobs": "دو هزار"}, "new_jobs", "یک عدد صحیح وارد کنید، مثلاً ۲۵۰۰."),
    ({"new_jobs": "۰"}, "new_jobs", "اشتغال جدید باید عددی مثبت باشد."),
    ({"new_jobs": "۲۵۰۰٫۵"}, "new_jobs", "یک عدد صحیح وارد کنید، مثلاً ۲۵۰۰."),
    ({"economic_sector": ""}, "economic_sector", "بخش اقتصادی را انتخاب کنید."),
    ({"county": "other-province"}, "county", "شهرستان انتخاب‌شده در این استان نیست."),
])
def test_bad_input_gets_a_persian_error(client, lorestan_officer, agriculture, data, field, message):
    client.force_login(lorestan_officer)
    post = {"name": "زنبورداری", "economic_sector": agriculture.pk, "new_jobs": "", "county": ""}
    if data.get("county") == "other-province":
        data = {"county": County.objects.get(code="502").pk}  # Kermanshah's county
    post.update(data)
    response = client.post("/sectors/new/", post)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not PrioritySector.objects.filter(source="officer").exists()


def test_a_name_the_province_already_has_is_refused(client, lorestan_officer, agriculture):
    priority_sector_create(actor=lorestan_officer, name="زنبورداری", economic_sector=agriculture)
    client.force_login(lorestan_officer)
    response = client.post("/sectors/new/", {"name": "زنبورداري", "economic_sector": agriculture.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["این رسته برای این استان ثبت شده است."]
    assert PrioritySector.objects.filter(source="officer").count() == 1


def test_service_refuses_a_county_of_another_province(lorestan_officer, agriculture):
    with pytest.raises(RuleBroken) as error:
        priority_sector_create(actor=lorestan_officer, name="زنبورداری", economic_sector=agriculture,
                               county=County.objects.get(code="1605"))  # مهران, Ilam
    assert (error.value.field, str(error.value.message)) == ("county", "این شهرستان در این استان نیست.")
