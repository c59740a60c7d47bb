"""Template context for every page: the header's count of unread staff notices (roles.md, "Who is
told")."""

from functools import cache

from .selectors import receives_notices, unread_notice_count


def notices(request):
    """``receives_notices`` and ``unread_notice_count``, callables the template calls when the
    header shows them: one ``COUNT`` query per page however often the header uses the count, none
    for anonymous users or applicants (who get no staff notices), none for a page without a header."""
    user = getattr(request, "user", None)
    if user is None:
        return {"receives_notices": False, "unread_notice_count": 0}

    @cache
    def receives():
        return receives_notices(user)

    @cache
    def count():
        return unread_notice_count(user) if receives() else 0

    return {"receives_notices": receives, "unread_notice_count": count}
