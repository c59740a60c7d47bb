#!/usr/bin/env bash
# Refresh the Persian gettext catalogue from the code and templates.
# Source strings are Persian (docs/assumptions.md), so msgen fills each new msgstr with its msgid;
# a translator may still change any of them. Translations already in the file are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
po=locale/fa/LC_MESSAGES/django.po
.venv/bin/python manage.py makemessages -l fa --no-obsolete --no-location \
  --ignore=.venv --ignore=node_modules --ignore=static --ignore=staticfiles --ignore=artifacts
# msgmerge guesses a translation for a changed string and marks it fuzzy; a guess is wrong here,
# so empty those and let msgen copy the (Persian) msgid.
msgattrib --no-wrap --clear-fuzzy --empty --clear-previous "$po" -o "$po.tmp"
msgen --no-wrap "$po.tmp" -o "$po"
rm -f "$po.tmp"
# A finished header: not fuzzy, with the project's own fields.
sed -i -e '0,/^#, fuzzy$/{/^#, fuzzy$/d}' \
  -e 's/^"Project-Id-Version: PACKAGE VERSION\\n"/"Project-Id-Version: kaleh-portal\\n"/' \
  -e 's/^"Language: \\n"/"Language: fa\\n"/' \
  -e 's/^"Language-Team: LANGUAGE <LL@li.org>\\n"/"Language-Team: KALEH portal\\n"/' \
  -e 's/^"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"/"Last-Translator: KALEH portal\\n"/' \
  -e 's/^"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"/"PO-Revision-Date: 2026-11-29 00:00+0330\\n"/' \
  -e '/^# SOME DESCRIPTIVE TITLE./d;/^# Copyright (C) YEAR/d;/^# This file is distributed/d;/^# FIRST AUTHOR/d' "$po"
msgfmt --check --statistics -o /dev/null "$po"
