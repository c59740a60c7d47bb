"""Who may change the priority sectors (roles.md; §6: Lorestan has no table, its officers enter theirs)."""

from accounts.models import Role

PRIORITY_SECTOR_EDITORS = (Role.AGENCY_OFFICER, Role.WORKING_GROUP_SECRETARY)


def can_create_priority_sector(user, province=None) -> bool:
    """True if ``user`` is an agency officer or working-group secretary of ``province``
    (default: the user's own province). Applicants, banks, managers and ministry staff may not."""
    if not user.is_authenticated or not user.has_role(*PRIORITY_SECTOR_EDITORS) or user.province_id is None:
        return False
    return province is None or province.pk == user.province_id
