"""Documents of an application: the type is judged by the bytes, not by the name or the browser's
word; at most 10 MB; never empty; stored under a random name; and a refused submission leaves
nothing behind (no rows, no stored file). The check itself: ``tests/common/test_uploads.py``.
"""

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from accounts.models import AuditRecord
from common.errors import RuleBroken
from common.testing import minimal_pdf
from financing import services
from financing.models import ApplicationDocument, ApplicationState, InvestmentApplication
from tests.uploads import EXE, MB, docx_bytes, jpeg_bytes, png_bytes, upload, xlsx_bytes
from tests.world import application_input, submit

S = ApplicationState

ACCEPTED = {
    "study.pdf": (minimal_pdf("طرح توجیهی"), "application/pdf"),
    "photo.png": (png_bytes(), "image/png"),
    "photo.jpg": (jpeg_bytes(), "image/jpeg"),
    "photo.JPEG": (jpeg_bytes(), "image/jpeg"),
    "costs.xlsx": (xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "study.docx": (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


def stored_files():
    """Every file under the private media root (relative paths)."""
    root = Path(default_storage.location)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def nothing_written(before_files, before_audit):
    return (InvestmentApplication.objects.count(), ApplicationDocument.objects.count(),
            AuditRecord.objects.count() - before_audit, stored_files()) == (0, 0, 0, before_files)


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_allowed_type_is_accepted_by_its_content(world, name):
    content, mime = ACCEPTED[name]
    app = submit(world, files=[upload(name, content)])
    document = ApplicationDocument.objects.get(application=app)
    assert (document.kind, document.content_type, document.original_name) == (
        ApplicationDocument.Kind.FEASIBILITY_STUDY, mime, name)
    assert document.size_bytes == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    with document.file.open("rb") as stored:
        assert stored.read() == content


def test_stored_name_is_random_and_keeps_no_original_name(world):
    app = submit(world, files=[upload("طرح توجیهی نهایی.pdf", minimal_pdf())])
    document = app.documents.get()
    assert "طرح" not in document.file.name and document.file.name.endswith(".pdf")
    assert document.file.name.startswith(f"applications/{app.pk}/")
    assert document.original_name == "طرح توجیهی نهایی.pdf"


def test_browsers_content_type_is_ignored(world):
    file = upload("study.pdf", minimal_pdf())
    file.content_type = "image/png"
    assert submit(world, files=[file]).documents.get().content_type == "application/pdf"


REFUSED = {
    "an .exe renamed .pdf": ("setup.pdf", EXE),
    "a PDF named .png": ("scan.png", minimal_pdf()),
    "a PNG named .pdf": ("study.pdf", png_bytes()),
    "an .xlsx named .docx": ("study.docx", xlsx_bytes()),
    "plain text named .pdf": ("study.pdf", b"just some text, not a PDF"),
    "HTML named .pdf": ("study.pdf", b"<html><script>alert(1)</script></html>"),
    "a PDF without an ending": ("study", minimal_pdf()),
    "an empty file": ("study.pdf", b""),
    "over 10 MB": ("study.pdf", minimal_pdf() + b"\0" * (10 * MB + 1 - len(minimal_pdf()))),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_bad_file_is_refused_and_nothing_is_written(world, case):
    name, content = REFUSED[case]
    before_files, before_audit = stored_files(), AuditRecord.objects.count()
    with pytest.raises(RuleBroken) as refused:
        submit(world, files=[upload(name, content)])
    assert refused.value.field == "file"
    assert nothing_written(before_files, before_audit)


def test_one_bad_file_among_good_ones_refuses_the_whole_submission(world):
    before_files, before_audit = stored_files(), AuditRecord.objects.count()
    files = [upload("study.pdf", minimal_pdf()), upload("costs.xlsx", xlsx_bytes()), upload("setup.pdf", EXE)]
    with pytest.raises(RuleBroken):
        submit(world, files=files)
    assert nothing_written(before_files, before_audit)


def test_submission_without_a_file_is_refused(world):
    with pytest.raises(RuleBroken) as refused:
        services.application_submit(actor=world.owner, call=world.call_a,
                                    data=application_input(world),
                                    feasibility_files=[])
    assert refused.value.field == "feasibility_files"
    assert InvestmentApplication.objects.count() == 0


def test_bad_document_added_later_is_refused_and_nothing_is_written(advance_to, world):
    app = advance_to(S.RETURNED)
    before = (app.documents.count(), AuditRecord.objects.count(), stored_files())
    with pytest.raises(RuleBroken):
        services.document_add(actor=world.owner, application_id=app.pk,
                              kind=ApplicationDocument.Kind.FEASIBILITY_STUDY, uploaded_file=upload("x.pdf", EXE))
    assert (app.documents.count(), AuditRecord.objects.count(), stored_files()) == before
