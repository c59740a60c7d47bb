"""Business-rule errors of the financing services, each with a Persian message and an HTTP status.

Views show ``message``; the API returns ``{"code": ..., "detail": message}`` with ``status``.
"""

from django.utils.translation import gettext_lazy as _


class FinancingError(Exception):
    code = "financing_error"
    status = 400
    default_message = _("درخواست قابل انجام نیست.")

    def __init__(self, message=None, *, field=None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(str(self.message))


class ActionPermissionDenied(FinancingError):
    """The actor's role or scope may not take this step."""

    code = "permission_denied"
    status = 403
    default_message = _("شما اجازه انجام این اقدام را ندارید.")


class TransitionNotAllowed(FinancingError):
    """The step does not apply to the application's current state."""

    code = "transition_not_allowed"
    status = 409
    default_message = _("این اقدام در وضعیت فعلی طرح امکان‌پذیر نیست.")


class StaleState(FinancingError):
    """Someone changed the application since the actor loaded it; nothing was changed."""

    code = "stale_state"
    status = 409
    default_message = _("وضعیت این طرح در این فاصله تغییر کرده است. صفحه را دوباره بارگذاری کنید.")


class BusinessRuleError(FinancingError):
    """The input breaks a programme rule (amounts, dates, missing documents)."""

    code = "invalid"
    status = 400
