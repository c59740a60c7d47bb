"""Applicants register themselves (roles.md)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.errors import RuleBroken
from common.identifiers import canonical_identifier
from common.normalization import normalize_text, search_key

from ..models import Applicant

ALREADY_REGISTERED = _("این کد یا شناسه ملی قبلاً ثبت شده است.")


def applicant_register(*, username, password, name, national_id, person_kind, ownership, mobile="", email=""):
    """Create an applicant's account and profile. Returns the ``Applicant``.

    ``national_id`` may be typed with any digits; it is stored canonical (C08, C09). Raises
    ``RuleBroken`` (on field ``national_id``, ``name`` or the account's field) for a bad ID, one
    already registered (the same person in other digits), a company name already registered in
    another spelling (C11), or an account the user model refuses. Nothing is saved when it raises.
    """
    legal = person_kind == Applicant.PersonKind.LEGAL
    try:
        canonical = canonical_identifier(national_id, legal_person=legal)
    except ValidationError as error:
        raise RuleBroken(error.messages[0], field="national_id") from None
    if Applicant.objects.filter(national_id=canonical).exists():
        raise RuleBroken(ALREADY_REGISTERED, field="national_id")
    name = normalize_text(name)
    # A company typed on an Arabic keyboard (شركت كيان) is the same company as شرکت کیان (C11).
    if legal and Applicant.objects.filter(person_kind=Applicant.PersonKind.LEGAL,
                                          search_text=search_key(name)).exists():
        raise RuleBroken(_("شرکتی با همین نام قبلاً ثبت شده است."), field="name")
    user = get_user_model()(username=normalize_text(username), email=email, role=Role.APPLICANT, mobile=mobile,
                            first_name=name[:150])
    user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise RuleBroken.from_validation_error(error) from None
    with transaction.atomic():
        user.save()
        try:
            with transaction.atomic():
                applicant = Applicant.objects.create(user=user, person_kind=person_kind, ownership=ownership,
                                                     national_id=canonical, name=name, mobile=mobile,
                                                     search_text=search_key(name))
        except IntegrityError:
            raise RuleBroken(ALREADY_REGISTERED, field="national_id") from None
    return applicant
