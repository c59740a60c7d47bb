"""Issuing and revoking bank API keys (issue 8, "Authentication"): the admin and ``manage.py
bank_api_key`` both call these. A key belongs to an active bank officer's account; only its hash
is stored (djangorestframework-api-key), so the key itself is shown once, when issued.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from common.errors import RuleBroken

from .models import BankApiKey


def bank_officers():
    """The accounts a key may be issued to: active bank officers of a bank."""
    return User.objects.filter(role=Role.BANK_OFFICER, is_active=True, bank__isnull=False)


def api_key_issue(*, user, name, expires_in_days=None, issued_by=None) -> tuple[BankApiKey, str]:
    """A new key of ``user`` named ``name`` (at most 50 characters), valid for ``expires_in_days``
    days (``None``: until revoked), recorded as issued by ``issued_by`` (``None`` from the command
    line). Returns ``(BankApiKey, the key in clear)``. Raises ``RuleBroken`` for an account that is
    not an active bank officer, an empty or long name, or a number of days below 1."""
    if not bank_officers().filter(pk=user.pk).exists():
        raise RuleBroken(_("کلید API فقط به حساب فعال کارشناس بانک عامل داده می‌شود."), field="user")
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise RuleBroken(_("نام کلید باید ۱ تا ۵۰ نویسه باشد."), field="name")
    if expires_in_days is not None and expires_in_days < 1:
        raise RuleBroken(_("مدت اعتبار کلید باید دست‌کم یک روز باشد."), field="expiry_date")
    expiry = timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
    with transaction.atomic():
        return BankApiKey.objects.create_key(user=user, name=name, expiry_date=expiry, created_by=issued_by)


def api_key_revoke(*, api_key) -> bool:
    """Revoke ``api_key`` for good (a revoked key gets 401). Returns ``False`` if it already was."""
    if api_key.revoked:
        return False
    api_key.revoked = True
    api_key.save(update_fields=["revoked"])
    return True
