"""Interventions in the Django admin: ministry staff read them with their milestones, resources,
files and instalments, and nobody (superusers included) adds, changes or deletes one there: a
crafted POST with a state leaves the stored state unchanged (C25). The §7 catalogue and the
funding bodies are reference data ministry staff view, add and change."""

import pytest
from django.urls import reverse

from accounts.models import AuditRecord, User
from interventions.models import CatalogueEntry, FundingBody, Intervention
from interventions.workflow import InterventionState
from tests.interventions.helpers import advance_intervention, create_intervention
from tests.web import as_user

S = InterventionState
pytestmark = pytest.mark.django_db


@pytest.fixture
def root(world):
    return User.objects.create_superuser("root", "root@example.ir", "Kaleh-pass-1398")


def change_url(intervention):
    return reverse("admin:interventions_intervention_change", args=[intervention.pk])


@pytest.mark.parametrize("who", ["ministry", "root"])
def test_a_crafted_post_with_a_state_changes_nothing(client, world, root, who):
    """C25 in the admin: the change form shows no editable state, and a POST is refused."""
    intervention = advance_intervention(world, S.DOCUMENTS_SUBMITTED)
    as_user(client, root if who == "root" else world.ministry)
    page = client.get(change_url(intervention))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="state"' not in html and "<select" not in html.split('id="content-main"')[1].split("</form>")[0]
    audits = AuditRecord.objects.filter(object_id=intervention.pk).count()

    response = client.post(change_url(intervention), {"state": "approved", "title": "x", "grant_rials": "1"})

    assert response.status_code == 403
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert (fresh.state, fresh.title, fresh.grant_rials) == (S.DOCUMENTS_SUBMITTED, intervention.title, None)
    assert AuditRecord.objects.filter(object_id=intervention.pk).count() == audits


def test_nobody_adds_or_deletes_interventions_in_the_admin(client, world, root):
    intervention = create_intervention(world)
    for user in (world.ministry, root):
        as_user(client, user)
        assert client.get(reverse("admin:interventions_intervention_add")).status_code == 403
        delete = reverse("admin:interventions_intervention_delete", args=[intervention.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        bulk = {"action": "delete_selected", "_selected_action": [intervention.pk], "post": "yes"}
        assert client.post(reverse("admin:interventions_intervention_changelist"), bulk).status_code in (200, 302)
    assert Intervention.objects.filter(pk=intervention.pk).exists()


def test_the_change_page_shows_the_rows_read_only(client, world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    as_user(client, world.ministry)
    html = client.get(change_url(intervention)).content.decode()
    for text in ("تجهیز مرکز آموزش مهارت", "برگزاری نخستین دوره آموزشی", "تجهیز کارگاه‌ها", "ساختمان"):
        assert text in html
    assert 'name="milestones-0-title"' not in html and 'name="resources-0-amount_rials"' not in html


def test_the_list_filters_by_province_state_and_kind(client, world):
    in_a = advance_intervention(world, S.APPROVED)
    create_intervention(world)
    in_b = create_intervention(world, "b", kind=Intervention.Kind.MARKET_DEVELOPMENT)
    as_user(client, world.ministry)
    url = reverse("admin:interventions_intervention_changelist")

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {i.pk for i in response.context["cl"].result_list}

    assert len(listed()) == 3
    assert listed(state__exact="approved") == {in_a.pk}
    assert listed(province__id__exact=world.province_b.pk) == {in_b.pk}
    assert listed(kind__exact="market_development") == {in_b.pk}
    assert client.get(url, {"province__id__exact": 2**70}).status_code in (200, 302)  # no 500


@pytest.mark.parametrize("query", ["مرکز آموزش", "مركز آموزش", "مرکز\u200cآموزش", "دامپروري", "آموزش  مهارت"])
def test_the_search_finds_a_title_in_any_spelling(client, world, query):
    """C11, C12 in the admin."""
    intervention = create_intervention(world)
    create_intervention(world, title="بازارچه مرزی")
    as_user(client, world.ministry)
    response = client.get(reverse("admin:interventions_intervention_changelist"), {"q": query})
    assert [i.pk for i in response.context["cl"].result_list] == [intervention.pk]


def test_a_search_with_regex_characters_is_plain_text(client, world):
    create_intervention(world)
    as_user(client, world.ministry)
    response = client.get(reverse("admin:interventions_intervention_changelist"), {"q": "(.*"})
    assert response.status_code == 200 and list(response.context["cl"].result_list) == []


def test_ministry_staff_keep_the_catalogue_and_the_funding_bodies(client, world):
    as_user(client, world.ministry)
    response = client.post(reverse("admin:interventions_catalogueentry_add"),
                           {"number": "50", "title": "مركز نوآوري", "title_en": "Innovation centre"})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = CatalogueEntry.objects.get(number=50)
    assert entry.title == "مرکز نوآوری"  # C11: folded by the admin's Persian fields
    response = client.post(reverse("admin:interventions_catalogueentry_change", args=[entry.pk]),
                           {"number": "50", "title": "مرکز نوآوری روستایی", "title_en": ""})
    assert response.status_code == 302
    assert CatalogueEntry.objects.get(pk=entry.pk).title == "مرکز نوآوری روستایی"

    response = client.post(reverse("admin:interventions_fundingbody_add"),
                           {"code": "agent-1", "name": "صندوق توسعه", "kind": "agent_institution", "is_demo": "on"})
    assert response.status_code == 302
    body = FundingBody.objects.get(code="agent-1")
    assert (body.kind, body.is_demo) == ("agent_institution", True)
    delete = reverse("admin:interventions_fundingbody_delete", args=[body.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_system_administrators_and_officers_do_not_see_interventions(client, world):
    intervention = create_intervention(world)
    as_user(client, world.admin)
    assert client.get(change_url(intervention)).status_code == 403
    assert client.get(reverse("admin:interventions_catalogueentry_changelist")).status_code == 403
    as_user(client, world.agency_officer_a)
    response = client.get(change_url(intervention))
    assert response.status_code == 302 and "/login/" in response["Location"]
