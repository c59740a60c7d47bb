"""The Persian pages of sectors: the priority sector list and an officer's new priority sector (§6)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from common.errors import ServiceError, error_to_form

from .forms import PrioritySectorForm
from .permissions import can_create_priority_sector
from .selectors import priority_sector_list
from .services import priority_sector_create


@login_required
def priority_sector_list_view(request):
    """The priority sectors of the user's province (all provinces for users without one)."""
    return render(request, "sectors/list.html", {
        "sectors": priority_sector_list(user=request.user),
        "can_create": can_create_priority_sector(request.user),
    })


@login_required
def priority_sector_create_view(request):
    """An agency officer or working-group secretary adds a priority sector to their province."""
    if not can_create_priority_sector(request.user):
        raise PermissionDenied
    province = request.user.province
    form = PrioritySectorForm(request.POST if request.method == "POST" else None, province=province)
    if request.method == "POST" and form.is_valid():
        try:
            sector = priority_sector_create(actor=request.user, province=province, **form.cleaned_data)
        except ServiceError as error:
            error_to_form(form, error)
        else:
            messages.success(request, _("رسته «%(name)s» ثبت شد.") % {"name": sector.name})
            return redirect("sectors:list")
    return render(request, "sectors/form.html", {"form": form, "province": province},
                  status=400 if form.errors else 200)
