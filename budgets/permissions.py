"""Who may read the budget and who may move money between its lines (issue 7, "Who sees the money").

What a reader sees is ``budgets.selectors.budget_lines_visible_to``' job: ministry staff all lines,
provincial staff their own province's.
"""

from accounts.models import Role

# Ministry staff and the provincial staff who follow a province's money; applicants, banks and
# system administrators (no business role, roles.md) do not read the budget.
BUDGET_READERS = (Role.MINISTRY_STAFF, Role.AGENCY_OFFICER, Role.WORKING_GROUP_SECRETARY, Role.PROVINCIAL_MANAGER)


def can_read_budget(user) -> bool:
    """The budget page is open to ``user`` (its lines are still scoped)."""
    return user.has_role(*BUDGET_READERS)


def can_reallocate(user) -> bool:
    """Ministry staff manage the budget (roles.md): only they move money between lines."""
    return user.has_role(Role.MINISTRY_STAFF)
