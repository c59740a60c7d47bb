"""What the OpenAPI schema (drf-spectacular) needs beyond the views' own annotations (issue 8):
the ``Api-Key`` security scheme and the documented error responses, with examples.

Importing this module registers the scheme (``financing.api.reads`` does, so the URLs load it).
Views declare their errors with ``error_responses(401, 404, …)``.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from .action_serializers import ErrorSerializer
from .errors import ENGLISH


class BankApiKeyScheme(OpenApiAuthenticationExtension):
    """``Authorization: Api-Key <key>`` (``financing.api.authentication.BankApiKeyAuthentication``)."""

    target_class = "financing.api.authentication.BankApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A key issued to a bank officer's account by ministry staff, sent as "
                           "`Authorization: Api-Key <prefix>.<secret>`. A missing, wrong, revoked or expired key, "
                           "or one whose account is no longer an active bank officer, gets 401.",
        }


def _example(code, message, fields=None, name=None):
    return OpenApiExample(name or code, value={"code": code, "message": message, "message_en": ENGLISH[code],
                                               "fields": fields or {}})


# The documented errors: (description, examples) per status.
ERRORS = {
    400: ("Invalid input: see `fields`.", [
        _example("invalid", "ورودی نامعتبر است.",
                 {"updated_since": ["زمان را به شکل ISO 8601 (مانند 2025-03-21T10:00:00+03:30) یا شمسی "
                                    "(مانند 1404-01-01T10:00) بفرستید."]}),
    ]),
    401: ("No API key, or a bad, revoked or expired one (with `WWW-Authenticate: Api-Key`).", [
        _example("not_authenticated", "کلید API فرستاده نشده است."),
        _example("authentication_failed", "کلید API نامعتبر، باطل‌شده یا منقضی است."),
    ]),
    403: ("The key's account may not take this action.", [
        _example("permission_denied", "شما اجازه این اقدام را ندارید."),
    ]),
    404: ("Unknown, or not referred to the key's bank: the two answer the same.", [
        _example("not_found", "پیدا نشد."),
    ]),
    409: ("The application's state does not allow it.", [
        _example("conflict", "این طرح هنوز قرارداد ندارد.", name="no_contract"),
    ]),
    429: ("Too many requests for this key: wait the seconds in `Retry-After`.", [
        _example("throttled", "درخواست‌ها بیش از حد مجاز است؛ کمی بعد دوباره تلاش کنید."),
    ]),
}


def error_responses(*statuses, descriptions=None):
    """``{status: OpenApiResponse(ErrorSerializer, …)}`` for ``extend_schema(responses=…)``;
    ``descriptions`` overrides the description of some statuses."""
    descriptions = descriptions or {}
    return {status: OpenApiResponse(ErrorSerializer, description=descriptions.get(status, ERRORS[status][0]),
                                    examples=ERRORS[status][1])
            for status in statuses}
