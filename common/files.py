"""What every uploaded file of the portal keeps beside its bytes, and how it is checked and stored.

``StoredFile`` is the abstract model (an application's document, an intervention's evidence, a
stage's minutes); ``stored_file_fields`` checks an upload (``common.uploads``) and returns the
field values to create one with. Files live outside the web root and are served only through a
view that checks the reader's scope.
"""

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .uploads import detect_document_type


def random_file_path(folder: str, filename: str) -> str:
    """``folder/<random hex><suffix>``: the original name is kept in the row, never in the path."""
    return f"{folder}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class StoredFile(models.Model):
    """An uploaded file: its original name, content type (checked by content), size in bytes,
    SHA-256, who uploaded it and when. A subclass declares ``file`` with its own ``upload_to``."""

    original_name = models.CharField(_("نام فایل"), max_length=255)
    content_type = models.CharField(_("نوع محتوا"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("اندازه (بایت)"))
    sha256 = models.CharField(_("چکیده SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("بارگذاری‌کننده"))
    # Set when the row is built, not on insert, so a loader can date each file by its step.
    uploaded_at = models.DateTimeField(_("زمان بارگذاری"), default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


def stored_file_fields(uploaded_file) -> dict:
    """The checked ``uploaded_file`` as ``StoredFile`` field values: ``file``, ``original_name``,
    ``content_type``, ``size_bytes``, ``sha256``. Raises ``RuleBroken`` (field ``file``) for an
    empty file, one over 10 MB, or one that is not PDF/XLSX/DOCX/JPEG/PNG by content."""
    content_type = detect_document_type(uploaded_file)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return {"file": uploaded_file, "original_name": uploaded_file.name[:255], "content_type": content_type,
            "size_bytes": uploaded_file.size, "sha256": digest.hexdigest()}
