"""Who may take each step of the §9 chain (roles.md). Each predicate takes (application, user).

These say whether a user may act on an application they can already see; what they can see is
``financing.selectors``' job.
"""

from accounts.models import Role


def is_owner(application, user):
    """The applicant who submitted the application."""
    return user.has_role(Role.APPLICANT) and application.applicant.user_id == user.pk


def is_agency_officer(application, user):
    """An officer of the agency that published the call."""
    return user.has_role(Role.AGENCY_OFFICER) and user.agency_id == application.agency_id


def is_working_group_secretary(application, user):
    """The secretary of the application's provincial working group."""
    return user.has_role(Role.WORKING_GROUP_SECRETARY) and user.province_id == application.province_id


def is_bank_officer(application, user):
    """An officer of the bank the application was referred to, within the officer's provinces if
    the account is narrowed to some."""
    if not user.has_role(Role.BANK_OFFICER) or application.bank_id is None or user.bank_id != application.bank_id:
        return False
    provinces = bank_province_ids(user)
    return not provinces or application.province_id in provinces


def bank_province_ids(user):
    """The provinces a bank officer's account is narrowed to (empty: all of the bank's), read once
    per request."""
    if not hasattr(user, "_bank_province_ids"):
        user._bank_province_ids = frozenset(user.bank_provinces.values_list("pk", flat=True))
    return user._bank_province_ids


def can_confirm_operation(application, user):
    """The bank confirms operation; the agency may also confirm (roles.md)."""
    return is_bank_officer(application, user) or is_agency_officer(application, user)
