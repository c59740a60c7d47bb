"""``Authorization: Api-Key <key>``: a key issued to a bank officer's account (issue 8).

The key is looked up by its prefix and checked against its stored hash
(djangorestframework-api-key). A missing key, a wrong one, a revoked or expired one, or a key
whose account is no longer an active bank officer gets 401. The request then acts as the key's
user: scoped to the user's bank, audited under the user.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import Role

from .models import BankApiKey

KEYWORD = "Api-Key"


class BankApiKeyAuthentication(BaseAuthentication):
    """DRF authentication by bank API key; ``request.auth`` is the ``BankApiKey``."""

    def authenticate(self, request):
        header = get_authorization_header(request)
        if not header:
            return None
        try:
            scheme, _sep, key = header.decode("latin-1").partition(" ")
        except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
            raise AuthenticationFailed() from None
        # RFC 7235: the scheme is case-insensitive.
        if scheme.lower() != KEYWORD.lower() or not key.strip() or not key.strip().isprintable():
            raise AuthenticationFailed(_("کلید API نامعتبر است."))
        try:
            api_key = BankApiKey.objects.get_from_key(key.strip())
        except BankApiKey.DoesNotExist:
            raise AuthenticationFailed(_("کلید API نامعتبر، باطل‌شده یا منقضی است.")) from None
        if api_key.has_expired or api_key.revoked:
            raise AuthenticationFailed(_("کلید API نامعتبر، باطل‌شده یا منقضی است."))
        user = api_key.user
        if not (user.is_active and user.role == Role.BANK_OFFICER and user.bank_id):
            raise AuthenticationFailed(_("حساب این کلید دیگر کارشناس فعال بانک عامل نیست."))
        return user, api_key

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with WWW-Authenticate), not 403, to a request without a key.
        return KEYWORD
