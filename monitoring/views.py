"""Public pages of monitoring."""

from django.shortcuts import render


def program_page(request):
    """The public programme page (placeholder until the data lands)."""
    return render(request, "monitoring/program.html", {})
