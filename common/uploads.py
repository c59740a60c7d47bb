"""Checks on uploaded files: type by content (not by name or the browser's word), and size.

Shared by every upload of the portal (applications' documents now, interventions' later)."""

import filetype
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import RuleBroken
from .normalization import to_persian_digits

# Content type → the file-name endings that may carry it.
ALLOWED_TYPES = {
    "application/pdf": {".pdf"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
}


def detect_document_type(uploaded_file) -> str:
    """Return the content type of an upload after checking its bytes and size.

    Raises ``RuleBroken`` (field ``file``) for an empty file, one over
    ``FILE_UPLOAD_MAX_BYTES`` (10 MB), or one whose content is not PDF, XLSX, DOCX, JPEG or PNG or
    does not match its name's ending.
    """
    limit = settings.FILE_UPLOAD_MAX_BYTES
    name = getattr(uploaded_file, "name", "") or ""
    if uploaded_file.size == 0:
        raise RuleBroken(_("فایل «%(name)s» خالی است.") % {"name": name}, field="file")
    if uploaded_file.size > limit:
        raise RuleBroken(_("حجم فایل «%(name)s» بیش از %(limit)s مگابایت است.")
                                % {"name": name, "limit": to_persian_digits(limit // 2**20)}, field="file")
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_TYPES:
        raise RuleBroken(_("فایل «%(name)s» باید PDF، XLSX، DOCX، JPEG یا PNG باشد.") % {"name": name},
                                field="file")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ALLOWED_TYPES[mime]:
        raise RuleBroken(_("پسوند فایل «%(name)s» با محتوای آن نمی‌خواند.") % {"name": name}, field="file")
    return mime
