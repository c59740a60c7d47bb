"""Shared builders for HTTP and browser tests of the §9 chain: a two-province world, uploads,
and helpers that act through the real views."""

import datetime
import io
import zipfile

import pytest

# Loaded as a pytest plugin (pytest.ini) before Django is set up: Django imports stay inside functions.

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and other cached state never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield


def pdf(name="study.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def docx(name="bank.docx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def chain_world(db):
    """Two provinces, each with an agency, a working group secretary; one bank per province."""
    from django.utils import timezone

    from accounts.models import Role, User
    from financing.models import Call
    from programs.models import Agency, Bank, County, Province, WorkingGroup
    from sectors.models import EconomicSector, PrioritySector

    agri = EconomicSector.objects.create(code="agriculture", row=1, name="کشاورزی", name_en="Agriculture")
    out = {}
    for code, name in (("IR-05", "کرمانشاه"), ("IR-16", "ایلام")):
        province = Province.objects.create(code=code, name=name, name_en=name)
        county = County.objects.create(province=province, code=code[-2:] + "01", name=f"شهرستان {name}")
        agency = Agency.objects.create(province=province, code=f"{code.lower()}-agri", name=f"جهاد کشاورزی {name}")
        agri.agencies.add(agency)
        WorkingGroup.objects.create(province=province, name=f"کارگروه اشتغال {name}")
        sector = PrioritySector.objects.create(province=province, source="table_1", rank=1, name="دامپروری",
                                               economic_sector=agri, new_jobs=500)
        bank = Bank.objects.create(code=f"bank-{code.lower()}", name=f"بانک {name}")
        bank.provinces.add(province)
        officer = User.objects.create_user(f"agency-{code}", password="x", role=Role.AGENCY_OFFICER, agency=agency)
        secretary = User.objects.create_user(f"wg-{code}", password="x", role=Role.WORKING_GROUP_SECRETARY,
                                             province=province)
        banker = User.objects.create_user(f"bank-{code}", password="x", role=Role.BANK_OFFICER, bank=bank)
        today = timezone.localdate()
        call = Call.objects.create(agency=agency, province=province, title=f"فراخوان {name}", published_by=officer,
                                   opens_on=today - datetime.timedelta(days=5),
                                   closes_on=today + datetime.timedelta(days=30))
        call.priority_sectors.add(sector)
        out[code] = dict(province=province, county=county, agency=agency, sector=sector, bank=bank, call=call,
                         officer=officer, secretary=secretary, banker=banker)
    return out


def register_applicant(client, username="ali", national_id="۰۰۴۲۱۵۸۷۳۷"):
    from django.urls import reverse

    from accounts.models import User
    response = client.post(reverse("financing:register"), {
        "username": username, "name": "علي كريمي", "person_kind": "natural", "ownership": "private",
        "national_id": national_id, "mobile": "۰۹۱۲۱۲۳۴۵۶۷", "password1": "Kaleh-pass-1398",
        "password2": "Kaleh-pass-1398",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(username=username)


def submit(client, call, county, sector, **overrides):
    from django.urls import reverse
    data = {
        "title": "گاوداری شیری ۵۰ راسی", "county": county.pk, "priority_sector": sector.pk, "project_kind": "new",
        "requested_loan_rials": "۵٬۵۱۰٬۰۰۰٬۰۰۰", "own_contribution_rials": "1,000,000,000",
        "planned_new_jobs": "۱۰", "planned_retained_jobs": "٢", "physical_progress_percent": "0",
        "feasibility_files": [pdf()],
    }
    data.update(overrides)
    return client.post(reverse("financing:apply", args=[call.pk]), data)


def act(client, application, action, **data):
    from django.urls import reverse
    application.refresh_from_db()
    payload = {f"{action}-expected_state": application.state}
    payload.update({f"{action}-{key}": value for key, value in data.items()})
    return client.post(reverse("financing:application_action", args=[application.pk, action]), payload)


def as_user(client, user):
    client.logout()
    client.force_login(user)
    return client


@pytest.fixture
def tracked(client, chain_world):
    """An application of Kermanshah that the agency approved, so it has a tracking code; the
    client is logged out."""
    from financing.models import InvestmentApplication

    w = chain_world["IR-05"]
    register_applicant(client)
    submit(client, w["call"], w["county"], w["sector"])
    application = InvestmentApplication.objects.get()
    as_user(client, w["officer"])
    act(client, application, "start_agency_review")
    act(client, application, "approve_by_agency")
    client.logout()
    application.refresh_from_db()
    return application
