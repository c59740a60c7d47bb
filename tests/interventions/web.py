"""Helpers of the interventions' HTTP tests: post a step's form, type Jalali dates, fill the
creation and content forms, read the audit trail."""

import datetime

import jdatetime
from django.urls import reverse

from accounts.models import AuditRecord
from interventions.models import Intervention


def act(client, intervention, action, expected_state=None, **data):
    """Post the form of ``action`` on the intervention's page, saying the state the page showed
    (its state now unless ``expected_state`` is given: a stale page). ``data`` without prefix."""
    intervention.refresh_from_db()
    payload = {f"{action}-expected_state": expected_state or intervention.state}
    payload.update({f"{action}-{key}": value for key, value in data.items()})
    return client.post(reverse("interventions:action", args=[intervention.pk, action]), payload)


def jalali(day: datetime.date, persian=False) -> str:
    text = jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) if persian else text


def creation_form(world, **changes):
    """The new-intervention form of agency A's officer, the title typed on an Arabic keyboard."""
    data = {
        "title": "مركز آموزش مهارت دامپروري", "kind": Intervention.Kind.TRAINING_CENTRE,
        "creates_institution": "on", "priority_sector": world.priority_a.pk, "counties": [world.county_a.pk],
        "business_system": "زنجيره ارزش رسته بررسی شد.", "zoning": "پهنه مرکزی استان",
        "intervention_points": "کمبود نیروی ماهر",
    }
    data.update(changes)
    return data


def content_form(world, intervention, **changes):
    """The editor's content form: the creation form plus every execution document filled."""
    data = creation_form(world, title=intervention.title, expected_state=intervention.state,
                         institution_structure="هیئت امنا و مدیر مرکز", ownership="public_private",
                         management="اتحادیه تولیدکنندگان", expected_outputs="آموزش سالانه ۴۰۰ نفر",
                         indicators="تعداد آموزش‌دیدگان شاغل")
    data.update(changes)
    return data


def history(intervention):
    return list(AuditRecord.objects.filter(content_type__model="intervention", object_id=intervention.pk)
                .order_by("at", "id").values_list("action", "actor__username"))


def urls_without_file(intervention):
    milestone = intervention.milestones.order_by("order").first()
    return {
        "edit": reverse("interventions:edit", args=[intervention.pk]),
        "report": reverse("interventions:milestone_report", args=[intervention.pk, milestone.pk]),
        "pay": reverse("interventions:instalment_pay", args=[intervention.pk, milestone.pk]),
    }


# --- bad input ------------------------------------------------------------------------------
