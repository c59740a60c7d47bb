"""Upload sniffing (``common.uploads``): the type is judged by the bytes, at most 10 MB, and a
refusal names the file in Persian."""

import pytest
from django.conf import settings

from common.errors import RuleBroken
from common.testing import minimal_pdf
from common.uploads import detect_document_type
from tests.uploads import EXE, MB, upload


def test_limit_is_10_mb_exactly():
    """Checked in memory: exactly 10 MB passes the check, one byte more does not."""
    assert settings.FILE_UPLOAD_MAX_BYTES == 10 * MB
    head = minimal_pdf()
    assert detect_document_type(upload("big.pdf", head + b"\0" * (10 * MB - len(head)))) == "application/pdf"
    with pytest.raises(RuleBroken):
        detect_document_type(upload("big.pdf", head + b"\0" * (10 * MB + 1 - len(head))))


def test_refusal_names_the_file_in_persian():
    with pytest.raises(RuleBroken) as refused:
        detect_document_type(upload("setup.pdf", EXE))
    assert str(refused.value.message) == "فایل «setup.pdf» باید PDF، XLSX، DOCX، JPEG یا PNG باشد."
