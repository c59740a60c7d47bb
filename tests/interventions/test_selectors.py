"""Scoped reads of interventions (``interventions.selectors``): who sees which, the inboxes, the
history, the grant's figures and the holders of a step."""

import pytest

from accounts.models import Role
from common.errors import NotFound
from interventions import services
from interventions.selectors import (
    holders,
    intervention_get,
    intervention_history,
    intervention_inbox,
    interventions_visible_to,
    requested_grant_rials,
)
from interventions.workflow import InterventionState
from tests.factories import AgencyFactory, AgencyOfficerFactory, ProvincialManagerFactory
from tests.interventions.helpers import advance_intervention, create_intervention

S = InterventionState
pytestmark = pytest.mark.django_db


@pytest.fixture
def two(world):
    """One intervention in each province: (A's, B's)."""
    return create_intervention(world, "a"), create_intervention(world, "b")


@pytest.mark.parametrize("role, sees", [
    ("agency_officer_a", "a"), ("agency_officer_b", "b"), ("secretary_a", "a"), ("manager_b", "b"),
    ("ministry", "ab"), ("bank_officer_1", ""), ("admin", ""), ("owner", ""),
])
def test_each_role_sees_its_scope(world, two, role, sees):
    expected = {pk for province, pk in zip("ab", (two[0].pk, two[1].pk), strict=True) if province in sees}
    user = getattr(world, role)
    assert set(interventions_visible_to(user).values_list("pk", flat=True)) == expected
    for province, intervention in zip("ab", two, strict=True):
        if province in sees:
            assert intervention_get(user, intervention.pk) == intervention
        else:
            with pytest.raises(NotFound):
                intervention_get(user, intervention.pk)


def test_another_agency_of_the_same_province_sees_nothing(world, two):
    other = AgencyOfficerFactory(agency=AgencyFactory(province=world.province_a))
    assert not interventions_visible_to(other).exists()
    with pytest.raises(NotFound):
        intervention_get(other, two[0].pk)


def test_anonymous_and_inactive_users_see_nothing(world, two):
    from django.contrib.auth.models import AnonymousUser

    assert not interventions_visible_to(AnonymousUser()).exists()
    assert not intervention_inbox(AnonymousUser()).exists()
    world.ministry.is_active = False
    assert not interventions_visible_to(world.ministry).exists()


@pytest.mark.parametrize("pk", ["abc", None, 2**70, -1, "1; drop"])
def test_a_bad_key_is_not_found(world, two, pk):
    with pytest.raises(NotFound):
        intervention_get(world.ministry, pk)


def test_the_list_is_newest_first(world, two):
    assert list(interventions_visible_to(world.ministry)) == [two[1], two[0]]


def test_inboxes_hold_the_states_each_role_acts_on(world):
    analysis = create_intervention(world)
    submitted = advance_intervention(world, S.DOCUMENTS_SUBMITTED)
    executing = advance_intervention(world, S.IN_EXECUTION)
    rejected = advance_intervention(world, S.REJECTED)
    in_b = advance_intervention(world, S.DOCUMENTS_SUBMITTED, province="b")

    def inbox(user):
        return list(intervention_inbox(user).values_list("pk", flat=True))

    assert inbox(world.agency_officer_a) == [analysis.pk, executing.pk]
    assert inbox(world.ministry) == [submitted.pk, executing.pk, in_b.pk]
    assert inbox(world.manager_a) == [executing.pk]
    assert inbox(world.secretary_a) == []
    assert rejected.pk not in inbox(world.agency_officer_a) + inbox(world.ministry)


def test_the_history_is_the_audit_trail_oldest_first(world):
    intervention = advance_intervention(world, S.PROPOSED)
    history = list(intervention_history(intervention))
    assert [r.action for r in history] == ["create", "propose"]
    assert history[1].actor == world.agency_officer_a


def test_the_requested_grant_sums_the_programme_grant_lines(world):
    intervention = create_intervention(world)
    for source, amount in (("programme_grant", 4_000), ("programme_grant", 6_000), ("private_partner", 9_999)):
        services.resource_add(actor=world.agency_officer_a, intervention_id=intervention.pk, source=source,
                              amount_rials=amount)
    assert requested_grant_rials(intervention) == 10_000
    assert requested_grant_rials(create_intervention(world)) == 0


def test_holders_are_the_active_accounts_of_a_role_in_scope(world):
    intervention = create_intervention(world)
    colleague = AgencyOfficerFactory(username="agency_a_2", agency=world.agency_a)
    gone = AgencyOfficerFactory(username="agency_a_gone", agency=world.agency_a, is_active=False)
    second_manager = ProvincialManagerFactory(username="manager_a_2", province=world.province_a)

    def names(role):
        return [u.username for u in holders(intervention, role)]

    assert names(Role.AGENCY_OFFICER) == ["agency_a", "agency_a_2"]
    assert gone.username not in names(Role.AGENCY_OFFICER)
    assert names(Role.PROVINCIAL_MANAGER) == ["manager_a", second_manager.username]
    assert names(Role.WORKING_GROUP_SECRETARY) == ["secretary_a"]
    assert names(Role.MINISTRY_STAFF) == ["ministry"]
    assert names(Role.BANK_OFFICER) == [] and names(Role.APPLICANT) == []
    assert colleague.username in names(Role.AGENCY_OFFICER)
