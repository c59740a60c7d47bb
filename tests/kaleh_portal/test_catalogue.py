"""The Persian gettext catalogue is complete: every marked string has a translation, none fuzzy."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po"
SKIP = shutil.ignore_patterns(".venv", "node_modules", "static", "staticfiles", "artifacts", ".git", "locale",
                              "__pycache__", "*.sqlite3", "var")


def entries(po_text):
    """``{msgid: (msgstr, flags)}`` for every entry but the header."""
    found = {}
    for block in po_text.split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        msgstr = re.search(r'^msgstr "(.*)"$', block, re.M)
        if msgid and msgid.group(1):
            found[msgid.group(1)] = (msgstr.group(1) if msgstr else "", flags)
    return found


def test_no_message_is_untranslated_or_fuzzy():
    catalogue = entries(PO.read_text(encoding="utf-8"))
    assert len(catalogue) > 300
    assert [m for m, (s, _f) in catalogue.items() if not s] == []
    assert [m for m, (_s, f) in catalogue.items() if "fuzzy" in f] == []


def test_catalogue_compiles():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt is missing (apt-get install gettext)")
    subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(PO)], check=True)


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the code finds no message the catalogue lacks."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fa", "--no-location"],
        cwd=copy, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "kaleh_portal.settings.test"},
    )
    fresh = entries((copy / "locale" / "fa" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    ours = entries(PO.read_text(encoding="utf-8"))
    assert len(fresh) > 300
    assert sorted(set(fresh) - set(ours)) == []
