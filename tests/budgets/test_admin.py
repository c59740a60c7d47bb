"""The budget in the Django admin: lines and the ledger are shown, never added, changed or deleted
there (the ledger is the money's audit trail; allocations are edited in their own admin)."""

import pytest
from django.urls import reverse

from accounts.models import User
from budgets.models import LedgerEntry
from financing.models import ApplicationState as S
from tests.web import as_user

from .pages import world_line


@pytest.fixture
def root(world):
    return User.objects.create_superuser("root", "root@example.ir", "Kaleh-pass-1398")


def test_lines_are_listed_and_filtered_by_year_and_fund(client, world, root):
    line = world_line(world.province_a)
    client = as_user(client, root)
    url = reverse("admin:budgets_budgetline_changelist")
    assert client.get(url).status_code == 200
    response = client.get(url, {"budget_year__id__exact": line.budget_year_id, "fund__exact": "loans"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [
        world_line(world.province_a), world_line(world.province_b), world_line(world.sector)]
    change = client.get(reverse("admin:budgets_budgetline_change", args=[line.pk])).content.decode()
    assert f'href="/budgets/lines/{line.pk}/"' in change  # "view on site": the line's figures and ledger


def test_the_ledger_is_read_only_even_for_superusers(client, world, advance_to, root):
    advance_to(S.BANK_APPROVED)
    entry = LedgerEntry.objects.order_by("id").first()
    client = as_user(client, root)
    listing = client.get(reverse("admin:budgets_ledgerentry_changelist"))
    assert listing.status_code == 200
    assert "۵٬۵۱۰٬۰۰۰٬۰۰۰" in listing.content.decode()  # amounts with Persian digits and separators
    assert client.get(reverse("admin:budgets_ledgerentry_add")).status_code == 403
    change_url = reverse("admin:budgets_ledgerentry_change", args=[entry.pk])
    assert client.get(change_url).status_code == 200
    assert client.post(change_url, {"amount_rials": "1", "kind": "pay"}).status_code == 403
    assert client.post(reverse("admin:budgets_ledgerentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    bulk_delete = {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    assert client.post(reverse("admin:budgets_ledgerentry_changelist"), bulk_delete).status_code in (200, 302)
    entry.refresh_from_db()
    assert (entry.kind, entry.amount_rials) == ("commit", 5_510_000_000)
    assert LedgerEntry.objects.count() == 2


def test_ministry_staff_read_the_budget_in_the_admin_and_system_admins_do_not(client, world, advance_to):
    advance_to(S.BANK_APPROVED)
    entry = LedgerEntry.objects.order_by("id").first()
    as_user(client, world.ministry)
    for url in (reverse("admin:budgets_budgetline_changelist"), reverse("admin:budgets_ledgerentry_changelist"),
                reverse("admin:budgets_ledgerentry_change", args=[entry.pk])):
        assert client.get(url).status_code == 200, url
    assert client.post(reverse("admin:budgets_ledgerentry_change", args=[entry.pk]),
                       {"amount_rials": "1"}).status_code == 403
    as_user(client, world.admin)
    assert client.get(reverse("admin:budgets_ledgerentry_changelist")).status_code == 403
