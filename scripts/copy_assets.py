#!/usr/bin/env python3
"""Copy the front-end packages installed by npm into ``static/vendor/``.

The templates load these files (and nothing from a CDN):

- ``vendor/bootstrap/bootstrap.rtl.min.css`` and ``bootstrap.bundle.min.js``
- ``vendor/vazirmatn/Vazirmatn-font-face.css`` with its woff2 files in ``fonts/webfonts/`` beside it
- ``vendor/chartjs/chart.umd.min.js``
- ``vendor/jalalidatepicker/jalalidatepicker.min.js`` and ``jalalidatepicker.min.css``

Source maps are copied beside the minified files because the files name them in a
``sourceMappingURL`` comment, and ``ManifestStaticFilesStorage`` (production's ``collectstatic``)
fails on a named file that is missing. Each package's licence is copied too.

After copying, every ``url()`` in the copied CSS is checked: it must be a ``data:`` URI or a relative
path to a file that exists in ``static/vendor/``. A remote URL (``http:``, ``https:``, ``//host``)
fails the script, so nothing is fetched from outside the server at run time.

Usage: ``python scripts/copy_assets.py [--node-modules DIR] [--dest DIR]``. Standard library only.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (package-relative source, destination relative to static/vendor/)
FILES: list[tuple[str, str]] = [
    ("bootstrap/dist/css/bootstrap.rtl.min.css", "bootstrap/bootstrap.rtl.min.css"),
    ("bootstrap/dist/css/bootstrap.rtl.min.css.map", "bootstrap/bootstrap.rtl.min.css.map"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap/bootstrap.bundle.min.js.map"),
    ("bootstrap/LICENSE", "bootstrap/LICENSE"),
    ("vazirmatn/Vazirmatn-font-face.css", "vazirmatn/Vazirmatn-font-face.css"),
    ("vazirmatn/OFL.txt", "vazirmatn/OFL.txt"),
    ("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js"),
    ("chart.js/dist/chart.umd.min.js.map", "chartjs/chart.umd.min.js.map"),
    ("chart.js/LICENSE.md", "chartjs/LICENSE.md"),
    ("@majidh1/jalalidatepicker/dist/jalalidatepicker.min.js", "jalalidatepicker/jalalidatepicker.min.js"),
    ("@majidh1/jalalidatepicker/dist/jalalidatepicker.min.css", "jalalidatepicker/jalalidatepicker.min.css"),
    ("@majidh1/jalalidatepicker/LICENSE", "jalalidatepicker/LICENSE"),
]

FONT_FACE_CSS = "vazirmatn/Vazirmatn-font-face.css"
URL_RE = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE | re.DOTALL)
REMOTE_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def css_urls(css: str) -> list[str]:
    """Return every ``url()`` target in a CSS text, in order."""
    return [match.group(2).strip() for match in URL_RE.finditer(css)]


def copy_font_files(node_modules: Path, dest: Path) -> list[str]:
    """Copy the woff2 files that the Vazirmatn font-face CSS names, keeping their relative paths.

    Returns the relative paths copied. Raises ``SystemExit`` if a named file is missing or a URL
    in that CSS is not relative.
    """
    css = (node_modules / FONT_FACE_CSS).read_text(encoding="utf-8")
    copied = []
    for url in css_urls(css):
        if url.startswith("data:"):
            continue
        if REMOTE_RE.match(url) or url.startswith("/"):
            sys.exit(f"copy_assets: {FONT_FACE_CSS} names a non-relative font URL: {url}")
        relative = url.split("?", 1)[0].split("#", 1)[0]
        source = (node_modules / "vazirmatn" / relative).resolve()
        if not source.is_file():
            sys.exit(f"copy_assets: {FONT_FACE_CSS} names {url}, which the npm package lacks")
        target = dest / "vazirmatn" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied.append(relative)
    if not any(path.endswith("Vazirmatn-Regular.woff2") for path in copied):
        sys.exit("copy_assets: the Vazirmatn font-face CSS does not name Vazirmatn-Regular.woff2")
    return copied


def check_css(dest: Path) -> list[str]:
    """Check every copied CSS file: each ``url()`` is a data URI or an existing relative file.

    Returns a list of problems (empty when all is well).
    """
    problems = []
    for css_path in sorted(dest.rglob("*.css")):
        css = css_path.read_text(encoding="utf-8")
        for url in css_urls(css):
            if url.startswith("data:"):
                continue
            if REMOTE_RE.match(url) or url.lower().startswith(("http:", "https:")):
                problems.append(f"{css_path.relative_to(dest)}: remote url({url})")
                continue
            relative = url.split("?", 1)[0].split("#", 1)[0]
            if relative.startswith("/") or not (css_path.parent / relative).is_file():
                problems.append(f"{css_path.relative_to(dest)}: url({url}) does not resolve to a copied file")
        if re.search(r"@import\s+(?:url\()?\s*['\"]?(?:https?:)?//", css, re.IGNORECASE):
            problems.append(f"{css_path.relative_to(dest)}: @import of a remote stylesheet")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, default=ROOT / "node_modules")
    parser.add_argument("--dest", type=Path, default=ROOT / "static" / "vendor")
    args = parser.parse_args(argv)
    node_modules: Path = args.node_modules
    dest: Path = args.dest

    missing = [source for source, _ in FILES if not (node_modules / source).is_file()]
    if missing:
        print("copy_assets: missing in node_modules (run `npm ci` first):", file=sys.stderr)
        for source in missing:
            print(f"  {source}", file=sys.stderr)
        return 1

    # static/vendor/ is generated and git-ignored: rebuild it from scratch so no stale file stays.
    if dest.exists():
        shutil.rmtree(dest)
    for source, target in FILES:
        (dest / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(node_modules / source, dest / target)
    fonts = copy_font_files(node_modules, dest)

    problems = check_css(dest)
    if problems:
        print("copy_assets: the copied CSS would load something from outside the server:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1

    total = sum(path.stat().st_size for path in dest.rglob("*") if path.is_file())
    print(f"copy_assets: {len(FILES)} files and {len(fonts)} fonts into {dest} ({total / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
