"""Uncaught refusals in the Persian UI: ``NotFound`` shows the 404 page, ``NotAllowed`` the 403 page.

Views catch the refusals they can explain on the page (a rule broken, a stale click). What reaches
this middleware is a look-up outside the user's scope or a step the user may never take: those
get the portal's own error pages, like Django's ``Http404`` and ``PermissionDenied``.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .errors import NotAllowed, NotFound


class ServiceErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Raised here, Django's own handler renders them (templates/404.html, 403.html).
        if isinstance(exception, NotFound):
            raise Http404(str(exception.message)) from exception
        if isinstance(exception, NotAllowed):
            raise PermissionDenied(str(exception.message)) from exception
        return None
