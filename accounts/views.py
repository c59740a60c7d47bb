"""Account pages. Applicant registration lives in financing (it creates the applicant profile)."""

from django.shortcuts import redirect


def register(request):
    return redirect("financing:register")
