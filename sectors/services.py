"""Writes for sectors: officers add their province's priority sectors (§6)."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from accounts.services import audit_record_create
from common.errors import NotAllowed, RuleBroken
from common.normalization import normalize_text
from programs.models import Province

from .models import PrioritySector
from .permissions import can_create_priority_sector


@transaction.atomic
def priority_sector_create(*, actor, name, economic_sector, new_jobs=None, county=None, name_en="",
                           province=None) -> PrioritySector:
    """Add a priority sector (رسته) to the actor's province, after the seed's rows (§6).

    - ``actor``: an agency officer or working-group secretary; ``province`` defaults to theirs.
    - ``name``/``name_en``: text, normalised (Arabic ي/ك folded, spaces collapsed).
    - ``economic_sector``: an ``EconomicSector`` (Table 8); ``county``: a ``County`` of the province.
    - ``new_jobs``: planned new jobs in persons, a positive ``int`` or ``None`` (blank).

    The row gets source ``officer`` and the next free rank. Raises ``NotAllowed`` for anyone else
    or another province, ``RuleBroken`` (on the field concerned) for a county of another province,
    a name the province already has, or a non-positive job count. Writes an audit record.
    """
    province = province or actor.province
    if province is None or not can_create_priority_sector(actor, province):
        raise NotAllowed(_("فقط کارشناسان همین استان می‌توانند رسته ثبت کنند."))
    name = normalize_text(name)
    if not name:
        raise RuleBroken(_("نام رسته را وارد کنید."), field="name")
    if county is not None and county.province_id != province.pk:
        raise RuleBroken(_("این شهرستان در این استان نیست."), field="county")
    if new_jobs is not None and new_jobs < 1:
        raise RuleBroken(_("اشتغال جدید باید عددی مثبت باشد."), field="new_jobs")

    # Lock the province so two officers adding at once do not take the same rank.
    Province.objects.select_for_update().filter(pk=province.pk).first()
    if PrioritySector.objects.filter(province=province, name=name).exists():
        raise RuleBroken(_("این رسته برای این استان ثبت شده است."), field="name")
    last = PrioritySector.objects.filter(province=province, source=PrioritySector.Source.OFFICER).aggregate(
        last=Max("rank"))["last"]
    sector = PrioritySector.objects.create(
        province=province,
        source=PrioritySector.Source.OFFICER,
        rank=(last or 0) + 1,
        name=name,
        name_en=normalize_text(name_en),
        economic_sector=economic_sector,
        new_jobs=new_jobs,
        county=county,
        county_scope=county.name if county else "",
        created_by=actor,
    )
    audit_record_create(
        actor=actor, target=sector, action="priority_sector_create",
        data={"province": province.code, "name": name, "economic_sector": economic_sector.code,
              "new_jobs": new_jobs, "county": county.code if county else None},
    )
    return sector
