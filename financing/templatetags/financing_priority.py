"""Template filters for an application's priority and cost per job (``financing.priority``).

``{% load financing_priority %}``, then ``{{ application|rials_per_job|fa_number }}``,
``{% if application|cost_per_job_exceeded %}`` and ``{% priority_weights as weights %}``.
"""

from django import template

from financing import priority

register = template.Library()


@register.filter
def rials_per_job(application):
    """The loan per planned job in rials (approved once approved, else requested); ``None``
    without planned jobs."""
    return priority.rials_per_job(application)


@register.filter
def cost_per_job_exceeded(application):
    """True when the loan per planned job is above the programme's 551,000,000 rials (§10)."""
    return priority.cost_per_job_exceeded(application)


@register.simple_tag
def priority_weights():
    """``priority.WEIGHTS``: each part's points (``weights.existing_unit`` …) and the programme's
    rials per job (``weights.reference_rials_per_job``), for showing a score against its maxima."""
    return priority.WEIGHTS
