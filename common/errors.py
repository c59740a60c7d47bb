"""The one error family of the services: a refusal with a Persian message, a code and an HTTP status.

Services raise these and nothing else for a refusal a user can cause; selectors raise ``NotFound``.
The UI shows ``message`` (``error_to_form`` puts it on the field it names) and
``common.middleware.ServiceErrorMiddleware`` turns an uncaught ``NotFound``/``NotAllowed`` in a
view into the portal's 404/403 page. ``code`` and ``status`` are what the bank API, when it comes,
maps in its one DRF exception handler.

- ``NotFound`` (404): the object does not exist or lies outside the user's scope; the two answer
  the same, so a look-up reveals nothing (style.md 4).
- ``NotAllowed`` (403): the user's role or scope may not take this step (C17).
- ``Conflict`` (409): the object's state does not allow the step; ``StaleState`` when someone else
  changed it since the user loaded it (C16), ``TransitionNotAllowed`` when the step does not apply.
- ``RuleBroken`` (400): the input breaks a programme rule (amounts, dates, missing documents).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A refusal. ``message`` is Persian text; ``field`` names the input it is about, if any."""

    code = "error"
    status = 400
    default_message = _("درخواست قابل انجام نیست.")

    def __init__(self, message=None, *, field=None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(str(self.message))


class NotFound(ServiceError):
    code = "not_found"
    status = 404
    default_message = _("پیدا نشد.")


class NotAllowed(ServiceError):
    code = "permission_denied"
    status = 403
    default_message = _("شما اجازه انجام این اقدام را ندارید.")


class Conflict(ServiceError):
    code = "conflict"
    status = 409
    default_message = _("این اقدام در وضعیت فعلی طرح امکان‌پذیر نیست.")


class TransitionNotAllowed(Conflict):
    """The step does not apply to the object's current state."""

    code = "transition_not_allowed"


class StaleState(Conflict):
    """Someone changed the object since the user loaded it; nothing was changed."""

    code = "stale_state"
    default_message = _("وضعیت این طرح در این فاصله تغییر کرده است. صفحه را دوباره بارگذاری کنید.")


class RuleBroken(ServiceError):
    code = "invalid"
    status = 400

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "RuleBroken":
        """The first message of a Django ``ValidationError`` (a model's ``full_clean``), on its field."""
        if hasattr(error, "error_dict"):
            field, errors = next(iter(error.error_dict.items()))
            return cls(next(iter(ValidationError(errors).messages)), field=None if field == "__all__" else field)
        return cls(error.messages[0])


def error_to_form(form, error: ServiceError, *, aliases=None) -> str | None:
    """Show ``error`` on ``form``: on the field it names if the form has that field (``aliases`` maps
    a service's field name to the form's, e.g. ``{"file": "feasibility_files"}``), otherwise as a
    form-wide error. Returns the field it was put on, or ``None``."""
    field = (aliases or {}).get(error.field, error.field)
    if field not in form.fields:
        field = None
    form.add_error(field, error.message)
    return field
