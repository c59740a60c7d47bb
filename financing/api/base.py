"""What every bank API view shares (issue 8): the key authentication, the bank-officer permission,
the per-key rate limit, idempotent POSTs (C21) and the audit of calls that change something.

An action view is written as::

    class ApproveApi(BankApiView):
        class InputSerializer(serializers.Serializer): ...
        class OutputSerializer(serializers.Serializer): ...

        def post(self, request, pk):
            return self.idempotent(request, lambda: self._approve(request, pk))

``idempotent`` runs the operation once per ``Idempotency-Key`` (required) and stores its answer:
the same key and body get the same status and the same bytes again, without running anything; the
same key with another body gets 422; a key whose first request is still running gets 409.
"""

import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, throttling
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from accounts.models import Role
from common.errors import ServiceError

from .authentication import BankApiKeyAuthentication
from .errors import api_exception_handler, error_body
from .models import ApiCallRecord, IdempotencyRecord

IDEMPOTENCY_HEADER = "Idempotency-Key"


class IsBankOfficer(permissions.BasePermission):
    """The key's account is an active bank officer of a bank (the authentication checks it too)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.role == Role.BANK_OFFICER and user.bank_id)


class ApiKeyThrottle(throttling.SimpleRateThrottle):
    """The rate limit per API key (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["bank_api"]``)."""

    scope = "bank_api"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


def _json_bytes(data) -> bytes:
    return JSONRenderer().render(data)


class BankApiView(APIView):
    """Base of every bank API view: ``request.user`` is the bank officer, ``request.auth`` the
    ``BankApiKey``."""

    authentication_classes = [BankApiKeyAuthentication]
    permission_classes = [IsBankOfficer]
    throttle_classes = [ApiKeyThrottle]

    def get_exception_handler(self):
        return api_exception_handler

    # --- idempotent POSTs (C21) -------------------------------------------------------------
    def idempotent(self, request, operation):
        """Run ``operation`` (returns a ``Response``; may raise the service errors or DRF's) once
        per ``Idempotency-Key`` of this API key, and return its answer as JSON bytes, stored for
        replay. Raises nothing: refusals become their error responses (and are stored too)."""
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        # Printable ASCII: a header's other bytes arrive garbled, and PostgreSQL refuses NUL.
        if not key or len(key) > 255 or not (key.isascii() and key.isprintable()):
            return self._plain(error_body("idempotency_key_required",
                                          _("سرآیند Idempotency-Key الزامی است: ۱ تا ۲۵۵ نویسه چاپی ASCII.")), 400)
        # The body byte for byte, and its content type: a request corrected in either is another request.
        digest = hashlib.sha256(request.method.encode() + b" " + request.path.encode() + b"\n"
                                + request.content_type.encode("latin-1", "replace") + b"\n"
                                + request.body).hexdigest()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(api_key=request.auth, key=key, method=request.method,
                                                          path=request.path[:500], request_hash=digest)
        except IntegrityError:
            earlier = IdempotencyRecord.objects.get(api_key=request.auth, key=key)
            if earlier.request_hash != digest:
                return self._plain(error_body("idempotency_key_reused",
                                              _("این کلید تکرار پیش‌تر با درخواست دیگری به کار رفته است.")), 422)
            if earlier.status != IdempotencyRecord.Status.DONE:
                return self._plain(error_body("idempotency_in_progress",
                                              _("درخواستی با همین کلید تکرار هنوز در حال انجام است.")), 409)
            return HttpResponse(bytes(earlier.response_body), status=earlier.response_status,
                                content_type=earlier.response_content_type or "application/json")
        try:
            response = self._run(request, operation)
        except Exception:
            record.delete()  # an unexpected failure: let a retry run it again
            raise
        body = _json_bytes(response.data)
        record.status = IdempotencyRecord.Status.DONE
        record.response_status = response.status_code
        record.response_body = body
        record.response_content_type = "application/json"
        record.save(update_fields=["status", "response_status", "response_body", "response_content_type"])
        self._audit(request, response.status_code, response.data, key)
        return HttpResponse(body, status=response.status_code, content_type="application/json")

    def _run(self, request, operation):
        try:
            return operation()
        except (ServiceError, exceptions.APIException) as exc:
            response = api_exception_handler(exc, {"view": self, "request": request})
            if response is None:  # pragma: no cover - both kinds are handled
                raise
            return response

    @staticmethod
    def _plain(data, status):
        return HttpResponse(_json_bytes(data), status=status, content_type="application/json")

    def _audit(self, request, status, data, key=""):
        """Record a call that changed something or was refused: key, bank, user, endpoint,
        idempotency key, outcome."""
        match = getattr(request, "resolver_match", None)
        ApiCallRecord.objects.create(
            api_key=request.auth, bank_id=request.user.bank_id, user=request.user, method=request.method,
            endpoint=(match.view_name if match else "")[:200], path=request.path[:500], idempotency_key=key,
            status_code=status, outcome=(data.get("code", "") if isinstance(data, dict) and status >= 400 else "ok"))


def load_json(request):
    """``request.data`` as a dict (DRF parses it); a JSON body that is not an object is a 400."""
    data = request.data
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("بدنه درخواست باید یک شیء JSON باشد.")]})
    return data

