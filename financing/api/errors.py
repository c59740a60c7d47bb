"""One JSON shape for every API error (issue 8, "Errors")::

    {"code": "rule_broken", "message": "<Persian>", "message_en": "<English, for developers>",
     "fields": {"approved_loan_rials": ["<Persian>"]}}

Statuses: 400 invalid input, 401 no or bad key, 403 a role that may not act, 404 out of scope or
unknown, 409 a transition the state does not allow or that lost a race, 422 an idempotency key
reused with another body, 429 rate limited. The service errors (``common.errors``) keep their own
status and code; DRF's are mapped here. Anything else is a bug and stays a 500.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers
from rest_framework.response import Response

from common.errors import RuleBroken, ServiceError

# The English message of each code, for the bank's developers (the Persian one is the user's).
ENGLISH = {
    "invalid": "The request is invalid; see fields.",
    "parse_error": "The request body is not valid JSON.",
    "not_authenticated": "Send a valid API key: Authorization: Api-Key <key>.",
    "authentication_failed": "The API key is invalid, revoked or expired, or its account is no longer a bank officer.",
    "permission_denied": "Your role may not take this action.",
    "not_allowed": "Your role may not take this action.",
    "not_found": "Not found (or not referred to your bank).",
    "method_not_allowed": "Method not allowed.",
    "not_acceptable": "Not acceptable.",
    "unsupported_media_type": "Send JSON (Content-Type: application/json).",
    "throttled": "Too many requests; retry after the time in Retry-After.",
    "transition_not_allowed": "The application's current state does not allow this action.",
    "stale_state": "The application changed meanwhile; read it again.",
    "conflict": "The request conflicts with the current state.",
    "rule_broken": "A rule of the programme refused the input; the Persian message says which.",
    "idempotency_key_required": "Send an Idempotency-Key header (1-255 printable ASCII characters) with every POST.",
    "idempotency_key_reused": "This Idempotency-Key was used with another request body.",
    "idempotency_in_progress": "A request with this Idempotency-Key is still being processed; retry later.",
}

_PERSIAN = {
    "invalid": _("ورودی نامعتبر است."),
    "parse_error": _("بدنه درخواست JSON معتبر نیست."),
    "not_authenticated": _("کلید API فرستاده نشده است."),
    "permission_denied": _("شما اجازه این اقدام را ندارید."),
    "not_found": _("پیدا نشد."),
    "method_not_allowed": _("این روش پشتیبانی نمی‌شود."),
    "unsupported_media_type": _("نوع محتوای درخواست پشتیبانی نمی‌شود."),
    "throttled": _("درخواست‌ها بیش از حد مجاز است؛ کمی بعد دوباره تلاش کنید."),
}


# The API's name of a field the services name otherwise (``fields`` of an error).
API_FIELD_NAMES = {
    "paid_on": "paid_date",
    "signed_on": "signed_date",
    "operation_started_on": "operation_started_date",
    "bank_reference_contract": "contract_number",
}


def error_body(code, message, fields=None) -> dict:
    """The error JSON for ``code`` with the Persian ``message`` and optional ``fields``
    (``{name: [messages]}``)."""
    return {"code": code, "message": str(message), "message_en": ENGLISH.get(code, code.replace("_", " ")),
            "fields": {name: [str(m) for m in messages] for name, messages in (fields or {}).items()}}


def _flatten(detail, prefix=""):
    """DRF's nested error detail as ``{"field" or "parent.child": [messages]}``."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
        return flat
    if isinstance(detail, list) and detail and isinstance(detail[0], dict | list):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(m) for m in messages]}


def api_exception_handler(exc, context):
    """DRF's ``EXCEPTION_HANDLER``: the error JSON and status of ``exc``; ``None`` (a 500) for
    anything that is not an expected refusal."""
    headers = {}
    if isinstance(exc, ServiceError):
        field = API_FIELD_NAMES.get(exc.field, exc.field)
        fields = {field: [exc.message]} if field else {}
        # A programme rule's refusal is told apart from malformed input by its code.
        code = "rule_broken" if isinstance(exc, RuleBroken) else exc.code
        return Response(error_body(code, exc.message, fields), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        return Response(error_body("invalid", _PERSIAN["invalid"], fields), status=400)
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    message = exc.detail if isinstance(exc.detail, str) and code in ("authentication_failed",) \
        else _PERSIAN.get(code, exc.detail)
    return Response(error_body(code, message), status=exc.status_code, headers=headers)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested too deep for Python's parser (a ``RecursionError``)
    refused as a parse error (400) like any other bad JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_PERSIAN["parse_error"]) from None
