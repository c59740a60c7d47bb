"""Uploads for the tests: a small valid file of each allowed type, an executable, and
``upload(name, content)``, which wraps bytes the way a browser's upload arrives."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from common.testing import minimal_pdf

MB = 1024 * 1024
# The start of a Windows executable: what a renamed ``setup.exe`` holds.
EXE = (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
       + b"This program cannot be run in DOS mode.")

_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    """An in-memory upload named ``name`` holding ``content`` (the browser's content type is a
    guess from the name, as a browser's would be; the services ignore it)."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return SimpleUploadedFile(name, content, content_type=_CONTENT_TYPES.get(suffix, "application/octet-stream"))


def pdf(name: str = "study.pdf", title: str = "طرح توجیهی") -> SimpleUploadedFile:
    """An upload of a tiny valid PDF whose document title is ``title``."""
    return upload(name, minimal_pdf(title))


def png_bytes() -> bytes:
    """A 2×2 PNG image."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    """A 2×2 JPEG image."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (30, 200, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    """A one-sheet Excel workbook made by openpyxl."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "هزینه‌ها (ریال)"
    workbook.active["B1"] = 5_510_000_000
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """A minimal Word document: a zip holding ``[Content_Types].xml``, ``_rels/.rels`` and
    ``word/document.xml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body><w:p><w:r><w:t>طرح توجیهی</w:t></w:r></w:p></w:body></w:document>'))
    return buffer.getvalue()
