"""Who may take each step of the §8 chain (roles.md, "The intervention chain"). Each predicate
takes (intervention, user); what the user can see at all is ``interventions.selectors``' job."""

from accounts.models import Role


def is_agency_officer(intervention, user):
    """An officer of the agency that proposed the intervention: proposes, submits, reports."""
    return user.has_role(Role.AGENCY_OFFICER) and user.agency_id == intervention.agency_id


def is_ministry_staff(intervention, user):
    """Ministry staff: approve, reject, return, refer for funding, record the grant, pay instalments."""
    return user.has_role(Role.MINISTRY_STAFF)


def can_evaluate(intervention, user):
    """The provincial manager of the intervention's province, or ministry staff: evaluate and close."""
    return is_ministry_staff(intervention, user) or (
        user.has_role(Role.PROVINCIAL_MANAGER) and user.province_id == intervention.province_id)
