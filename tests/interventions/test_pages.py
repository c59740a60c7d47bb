"""The interventions' pages (§8): the list with its filters and search (C11, C12), the inbox of
each role, the new-intervention form, the detail page's content and the steps it offers each
user, and the editor's milestones and resources."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditRecord
from interventions import services
from interventions.models import Intervention, Milestone, ResourceLine
from interventions.workflow import InterventionState as S
from programs import calendar
from tests.interventions.helpers import advance_intervention, create_intervention, report_milestones
from tests.uploads import pdf
from tests.web import as_user

pytestmark = pytest.mark.django_db


def listed(response):
    """The ids of the interventions a list page shows, in order."""
    return [int(pk) for pk in re.findall(r'data-intervention="(\d+)"', response.content.decode())]


# --- the list and the inbox ---------------------------------------------------------------------

def test_each_role_lists_its_scope(client, world):
    a = create_intervention(world, "a")
    b = create_intervention(world, "b")
    expected = {
        world.agency_officer_a: [a.pk], world.agency_officer_b: [b.pk], world.manager_a: [a.pk],
        world.secretary_b: [b.pk], world.ministry: [b.pk, a.pk],
    }
    for user, ids in expected.items():
        as_user(client, user)
        assert listed(client.get(reverse("interventions:list"))) == ids, user


def test_the_title_search_finds_any_spelling(client, world):
    wanted = create_intervention(world, "a", title="طرح‌های توسعه بازار ۲۰ روستا")
    create_intervention(world, "a", title="آزمایشگاه کنترل کیفیت")
    as_user(client, world.agency_officer_a)
    url = reverse("interventions:list")
    for query in ("طرح های توسعه", "طرح‌های", "بازار 20", "بازار ٢٠", "توسعه بازار ۲۰"):
        assert listed(client.get(url, {"q": query})) == [wanted.pk], query
    arabic = create_intervention(world, "a", title="مرکز کیفیت")  # stored with Persian ی/ک
    assert listed(client.get(url, {"q": "مركز كيفيت"})) == [arabic.pk]
    assert listed(client.get(url, {"q": "نیست"})) == []


def test_the_ministry_filters_by_state_and_province(client, world):
    a = advance_intervention(world, S.PROPOSED, "a")
    b = advance_intervention(world, S.PROPOSED, "b")
    analysis_b = create_intervention(world, "b", title="سومی")
    as_user(client, world.ministry)
    url = reverse("interventions:list")
    assert listed(client.get(url, {"state": "proposed"})) == [b.pk, a.pk]
    assert listed(client.get(url, {"province": world.province_b.pk})) == [analysis_b.pk, b.pk]
    assert listed(client.get(url, {"province": world.province_b.pk, "state": "analysis"})) == [analysis_b.pk]
    # Junk is shown as a filter error and ignored, never a 500.
    for junk in ({"province": "9" * 30}, {"province": "abc"}, {"state": "asdf"}, {"page": "9" * 30}):
        response = client.get(url, junk)
        assert response.status_code == 200, junk
        assert len(listed(response)) == 3 or "page" in junk
    assert 'data-testid="filter-error"' in client.get(url, {"state": "asdf"}).content.decode()


def test_officers_have_no_province_filter(client, world):
    create_intervention(world, "a")
    as_user(client, world.agency_officer_a)
    body = client.get(reverse("interventions:list"), {"province": world.province_b.pk}).content.decode()
    assert 'name="province"' not in body
    assert len(re.findall(r'data-intervention="\d+"', body)) == 1


def test_the_list_pages_and_keeps_its_query_count(client, world, django_assert_max_num_queries):
    for n in range(3):
        create_intervention(world, "a", title=f"اقدام {n}")
    as_user(client, world.ministry)
    url = reverse("interventions:list")
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    for n in range(27):
        create_intervention(world, "a", title=f"اقدام دیگر {n}")
    with django_assert_max_num_queries(10) as large:
        first = client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)
    second = client.get(url, {"page": 2})
    assert len(listed(first)) == 25 and len(listed(second)) == 5
    assert not set(listed(first)) & set(listed(second))
    assert "صفحه ۱ از ۲" in first.content.decode()


def test_each_inbox_holds_what_awaits_its_role(client, world):
    analysis = create_intervention(world, "a", title="در تحلیل")
    submitted = advance_intervention(world, S.DOCUMENTS_SUBMITTED, title="ارسال‌شده")
    executing = advance_intervention(world, S.IN_EXECUTION, title="در اجرا")
    other = advance_intervention(world, S.IN_EXECUTION, "b", title="استان دیگر")
    inbox = reverse("interventions:inbox")
    expected = {
        world.agency_officer_a: {analysis.pk, executing.pk},
        world.ministry: {submitted.pk, executing.pk, other.pk},
        world.manager_a: {executing.pk},
        world.secretary_a: set(),
    }
    for user, ids in expected.items():
        as_user(client, user)
        response = client.get(inbox)
        assert response.status_code == 200
        assert set(listed(response)) == ids, user


# --- the new-intervention form ------------------------------------------------------------------

def test_the_new_form_offers_only_the_officers_province(client, world):
    as_user(client, world.agency_officer_a)
    body = client.get(reverse("interventions:create")).content.decode()
    assert f'value="{world.priority_a.pk}"' in body and f'value="{world.county_a.pk}"' in body
    assert f'value="{world.priority_b.pk}"' not in body and f'value="{world.county_b.pk}"' not in body
    for user in (world.ministry, world.manager_a, world.secretary_a):
        as_user(client, user)
        assert client.get(reverse("interventions:create")).status_code == 403
        assert client.post(reverse("interventions:create"), {"title": "x"}).status_code == 403
    assert not Intervention.objects.exists()


# --- the detail page -----------------------------------------------------------------------------

def test_the_detail_page_shows_the_timetable_resources_and_grant(client, world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    first = intervention.milestones.order_by("order").first()
    services.milestone_report(actor=world.agency_officer_a, intervention_id=intervention.pk, milestone_id=first.pk,
                              done_on=datetime.date(2025, 3, 20), report="انجام شد", uploaded_files=[pdf("e.pdf")])
    services.instalment_pay(actor=world.ministry, intervention_id=intervention.pk, milestone_id=first.pk,
                            amount_rials=2_500_000_000, paid_on=timezone.localdate())
    as_user(client, world.manager_a)
    body = client.get(reverse("interventions:detail", args=[intervention.pk])).content.decode()
    assert 'data-state="in_execution">در حال اجرا<' in body
    assert "اقدام بعدی با: کارشناس دستگاه اجرایی" in body
    for m in intervention.milestones.all():
        assert f'<td data-testid="period">{calendar.period_label(m.planned_period)}</td>' in body
    assert '<td data-testid="done-on">۱۴۰۳/۱۲/۳۰</td>' in body
    assert "۸٬۰۰۰٬۰۰۰٬۰۰۰" in body and "۳٬۰۰۰٬۰۰۰٬۰۰۰" in body  # the resource lines
    assert '<th class="num">۱۱٬۰۰۰٬۰۰۰٬۰۰۰</th><th class="num">۱۱</th>' in body  # their total, in billions
    assert '<td class="num" data-testid="grant-requested">۸٬۰۰۰٬۰۰۰٬۰۰۰</td>' in body
    assert '<td class="num" data-testid="grant-granted">۶٬۰۰۰٬۰۰۰٬۰۰۰</td>' in body
    assert '<td class="num" data-testid="grant-paid">۲٬۵۰۰٬۰۰۰٬۰۰۰</td>' in body
    assert '<td class="num" data-testid="grant-remaining">۳٬۵۰۰٬۰۰۰٬۰۰۰</td>' in body
    assert "۲٫۵ میلیارد ریال" in body
    assert "معاونت توسعه کارآفرینی و اشتغال" in body
    evidence = first.files.get()
    assert reverse("interventions:file", args=[intervention.pk, evidence.pk]) in body
    assert "ثبت اقدام توسعه‌ای" in body and "شروع اجرا" in body  # the history, in Persian
    # The manager may evaluate (form shown) and attach a report, but not report or pay.
    assert 'data-action="evaluate"' in body and 'data-testid="evaluation-upload"' in body
    assert 'data-testid="report-milestone"' not in body and 'data-testid="pay-milestone"' not in body


def test_the_detail_page_offers_each_user_their_steps(client, world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    url = reverse("interventions:detail", args=[intervention.pk])
    as_user(client, world.agency_officer_a)
    body = client.get(url).content.decode()
    assert body.count('data-testid="report-milestone"') == 2
    assert re.findall(r'data-action="([a-z_]+)" novalidate', body) == []
    assert 'data-testid="edit-link"' not in body
    report_milestones(world, intervention.pk)
    as_user(client, world.ministry)
    body = client.get(url).content.decode()
    assert body.count('data-testid="pay-milestone"') == 2
    assert 'data-action="evaluate"' in body
    as_user(client, world.secretary_a)
    body = client.get(url).content.decode()
    assert "در این وضعیت اقدامی با شما نیست." in body
    assert 'data-testid="pay-milestone"' not in body and 'data-testid="evaluation-upload"' not in body


def test_the_steps_of_the_documents_stage(client, world):
    intervention = advance_intervention(world, S.DOCUMENTS_SUBMITTED)
    url = reverse("interventions:detail", args=[intervention.pk])
    as_user(client, world.ministry)
    body = client.get(url).content.decode()
    actions = re.findall(r'data-action="([a-z_]+)" novalidate', body)
    assert actions == ["approve", "return_for_revision", "reject"]
    assert 'name="approve-expected_state" value="documents_submitted"' in body
    as_user(client, world.agency_officer_a)
    assert re.findall(r'data-action="([a-z_]+)" novalidate', client.get(url).content.decode()) == []


def test_an_unknown_step_or_intervention_is_404(client, world):
    intervention = create_intervention(world, "a")
    as_user(client, world.agency_officer_a)
    assert client.post(reverse("interventions:action", args=[intervention.pk, "teleport"])).status_code == 404
    assert client.get(reverse("interventions:detail", args=[intervention.pk + 999])).status_code == 404
    assert client.get(f"/interventions/{'9' * 30}/").status_code == 404
    assert client.get(reverse("interventions:action", args=[intervention.pk, "propose"])).status_code == 405


# --- the editor ----------------------------------------------------------------------------------

def test_the_editor_adds_and_removes_milestones_and_resources(client, world):
    intervention = create_intervention(world, "a")
    as_user(client, world.agency_officer_a)
    edit = reverse("interventions:edit", args=[intervention.pk])
    body = client.get(edit).content.decode()
    period = calendar.current_period()
    assert f'<option value="{period}" selected>{calendar.period_label(period)}</option>' in body
    assert f'<option value="1">{calendar.period_label(1)}</option>' in body
    assert 'value="مرکز آموزش مهارت دامپروری"' in body  # the content form is filled in
    for title in ("گام یکم", "گام دوم", "گام سوم"):
        client.post(reverse("interventions:milestone_add", args=[intervention.pk]),
                    {"m-title": title, "m-planned_period": period})
    second = Milestone.objects.get(title="گام دوم")
    response = client.post(reverse("interventions:milestone_remove", args=[intervention.pk, second.pk]))
    assert response.status_code == 302
    assert list(intervention.milestones.values_list("title", "order")) == [("گام یکم", 1), ("گام سوم", 2)]
    client.post(reverse("interventions:resource_add", args=[intervention.pk]),
                {"r-source": "programme_grant", "r-amount_rials": "۱٬۰۰۰"})
    line = ResourceLine.objects.get()
    body = client.get(edit).content.decode()
    assert '<span data-testid="requested-grant">۱٬۰۰۰</span>' in body
    assert client.post(reverse("interventions:resource_remove", args=[intervention.pk, line.pk])).status_code == 302
    assert not ResourceLine.objects.exists()
    # Another intervention's rows are not found.
    other = create_intervention(world, "a", title="دیگری")
    mine = intervention.milestones.first()
    response = client.post(reverse("interventions:milestone_remove", args=[other.pk, mine.pk]))
    assert response.status_code == 404
    assert intervention.milestones.count() == 2
    assert AuditRecord.objects.filter(action="edit", object_id=intervention.pk).count() == 6


def test_the_editor_belongs_to_the_proposing_agency(client, world):
    intervention = create_intervention(world, "a")
    edit = reverse("interventions:edit", args=[intervention.pk])
    as_user(client, world.agency_officer_b)
    assert client.get(edit).status_code == 404
    for user in (world.ministry, world.manager_a):
        as_user(client, user)
        assert client.get(edit).status_code == 403
        response = client.post(reverse("interventions:resource_add", args=[intervention.pk]),
                               {"r-source": "programme_grant", "r-amount_rials": "1000"})
        assert response.status_code == 403
    assert not ResourceLine.objects.exists()
