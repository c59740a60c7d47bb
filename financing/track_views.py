"""The public tracking page (§9 step 4): anyone follows an application by its tracking code.

No login, no personal data, no amounts (C20); failed look-ups are counted per client address and
refused past a limit, so the page cannot be used to probe codes.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from . import forms, selectors, tracking
from .workflow import NEXT_ACTOR, ApplicationState

S = ApplicationState

TRACK_ERRORS = {
    "format": _("کد رهگیری ۱۶ رقم است. آن را دوباره وارد کنید."),
    "check_digit": _("این کد رهگیری درست وارد نشده است؛ یکی از رقم‌ها اشتباه است. دوباره بررسی کنید."),
    "not_found": _("طرحی با این کد رهگیری پیدا نشد."),
    "too_many": _("جستجوهای ناموفق از این نشانی بیش از حد مجاز بوده است. چند دقیقه دیگر دوباره تلاش کنید."),
}

# Public steps: the state each audit action leads to, shown with its date; no names, no amounts.
_PUBLIC_FIELDS = ("action", "to_state", "at")


def track(request):
    """Public (no login): the state, the dated steps and the next step of a tracked application.

    Shows no personal data and no amounts (C20). Every input gets a clear Persian answer.
    """
    # Only a look-up (a "code" parameter) is answered or counted; other parameters are ignored.
    asked = "code" in request.GET
    form = forms.TrackForm(request.GET if asked else None)
    context = {"form": form}
    status = 200
    if asked and _track_failures(request, increment=False) >= settings.TRACK_FAILED_LOOKUPS_LIMIT:
        context["error"] = TRACK_ERRORS["too_many"]
        response = render(request, "financing/track.html", context, status=429)
        response["Retry-After"] = str(settings.TRACK_FAILED_LOOKUPS_WINDOW)
        return response
    if asked and form.is_valid():
        try:
            code = tracking.parse(form.cleaned_data["code"])
        except tracking.TrackingCodeError as error:
            context["error"] = TRACK_ERRORS[error.kind]
            status = 400
        else:
            application = selectors.application_by_tracking_code(code)
            if application is None:
                context["error"] = TRACK_ERRORS["not_found"]
                status = 404
            else:
                steps = selectors.application_history(application).values(*_PUBLIC_FIELDS)
                context.update({
                    "code": tracking.grouped(code),
                    "state": application.get_state_display(),
                    "state_code": application.state,
                    "steps": [
                        {"at": s["at"], "state": S(s["to_state"]).label}
                        for s in steps if s["to_state"] in S.values and s["action"] != "add_document"
                    ],
                    "next_actor": NEXT_ACTOR.get(application.state),
                })
    elif asked:
        context["error"] = TRACK_ERRORS["format"]
        status = 400
    if status != 200:
        # Mistyped, unknown and junk codes all count, so the page cannot be used to probe codes (C20).
        _track_failures(request, increment=True)
    return render(request, "financing/track.html", context, status=status)


def _track_failures(request, *, increment):
    """Failed look-ups from this client address in the current window (shared through the cache:
    Redis when ``REDIS_URL`` is set, so every process counts together)."""
    rate = f"{settings.TRACK_FAILED_LOOKUPS_LIMIT}/{settings.TRACK_FAILED_LOOKUPS_WINDOW}s"
    usage = get_usage(request, group="financing.track.failed", key="ip", rate=rate, increment=increment)
    return usage["count"] if usage else 0
