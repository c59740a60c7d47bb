"""Account pages: a staff member's notices (roles.md, "Who is told"). Applicant registration lives
in financing (it creates the applicant profile)."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from common import paging

from .selectors import notices_for
from .services import notice_mark_read

# The page of each kind of notice target without ``get_absolute_url``, by (app label, model):
# accounts sits below the chains and imports neither, so it names their pages (as
# ``budgets.views.SOURCE_PAGES`` does). Each page scopes its object itself: a notice never opens
# what its reader may not read.
TARGET_PAGES = {
    ("financing", "investmentapplication"): "financing:application",
    ("interventions", "intervention"): "interventions:detail",
}


def register(request):
    return redirect("financing:register")


def target_kind(notice) -> str:
    """What the notice is about, e.g. «اقدام توسعه‌ای»: its target model's name (no query once
    the content type is cached)."""
    content_type = ContentType.objects.get_for_id(notice.content_type_id)
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model else content_type.model


def target_url(notice) -> str | None:
    """The page of the notice's target: its ``get_absolute_url``, else ``TARGET_PAGES``; ``None``
    for a kind with no page or a target that no longer exists."""
    content_type = ContentType.objects.get_for_id(notice.content_type_id)
    model = content_type.model_class()
    if model is not None and hasattr(model, "get_absolute_url"):
        target = model._default_manager.filter(pk=notice.object_id).first()
        return target.get_absolute_url() if target else None
    page = TARGET_PAGES.get((content_type.app_label, content_type.model))
    return reverse(page, args=[notice.object_id]) if page else None


@login_required
def notice_list(request):
    """The user's staff notices, newest first, paged; unread ones marked (viewing the list marks
    nothing read). A fixed number of queries whatever the number of notices."""
    page = paging.paginate(request, notices_for(request.user))
    rows = [(notice, target_kind(notice)) for notice in page]
    return render(request, "accounts/notices.html", {"page": page, "rows": rows})


@login_required
@require_POST
def notice_open(request, pk):
    """Mark the user's notice ``pk`` read and go to its target's page (the list when it has none).
    Another user's notice is a 404; a GET is refused (405) and changes nothing."""
    notice = notice_mark_read(user=request.user, notice_id=pk)
    return redirect(target_url(notice) or reverse("accounts:notices"))
