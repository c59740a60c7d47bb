# KALEH portal: `make run` serves a demo on http://127.0.0.1:8000/, `make test` runs every check.
# Each step leaves a stamp file, so a second `make install` does nothing unless an input changed.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON3 ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

VENV_STAMP := $(VENV)/.kaleh-requirements.stamp
NODE_STAMP := node_modules/.kaleh-npm.stamp
ASSETS_STAMP := static/vendor/.kaleh-assets.stamp
NPM_LOCK := $(wildcard package-lock.json)

# The Persian catalogue: compiled only when a .po exists (the .mo files are git-ignored).
FA_PO := $(wildcard locale/fa/LC_MESSAGES/*.po)
FA_MO := $(FA_PO:.po=.mo)

# Tests run on PostgreSQL unless told otherwise; the test settings name the database
# test_kaleh$(TEST_DB_SUFFIX), so two runs on one server can keep apart.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kaleh
PYTEST_ARGS ?=
# Models without a migration? The answer does not depend on the database, so ask an empty in-memory
# SQLite one: no server needed, and no stale local database can trip the history check.
MAKEMIGRATIONS_CHECK := DATABASE_URL=sqlite:///:memory: $(MANAGE) makemigrations --check --dry-run

.PHONY: help install venv node assets messages run test check pytest clean

help:
	@echo "make install  virtualenv, Python and npm packages, static/vendor/ assets, Persian catalogue"
	@echo "make run      install, migrate, load the programme, seed demo data, serve http://127.0.0.1:8000/"
	@echo "make test     install, then makemigrations --check, ruff, lint-imports and pytest (PostgreSQL by default)"
	@echo "make clean    remove the stamps, static/vendor/, node_modules/ and artifacts/ (keeps .venv/)"

install: venv node assets messages

venv: $(VENV_STAMP)
node: $(NODE_STAMP)
assets: $(ASSETS_STAMP)
messages: $(FA_MO)

$(VENV_STAMP): requirements.txt
	test -x $(PY) || $(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(NODE_STAMP): package.json $(NPM_LOCK)
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	touch $@

$(ASSETS_STAMP): $(NODE_STAMP) scripts/copy_assets.py | $(VENV_STAMP)
	$(PY) scripts/copy_assets.py
	touch $@

ifneq ($(FA_MO),)
# One compilemessages run writes every .mo of the catalogue (a grouped target). It would also walk
# into .venv/ and rewrite the installed packages' catalogues: skip it and node_modules/.
$(FA_MO) &: $(FA_PO) | $(VENV_STAMP)
	$(MANAGE) compilemessages -l fa --ignore=.venv --ignore=node_modules
	touch $(FA_MO)
endif

# SQLite and eager Celery unless DATABASE_URL / CELERY_BROKER_URL are set (see README.md).
# The demo runs with DEBUG off, so visitors see the portal's Persian error pages; `make run
# RUN_DEBUG=true` shows Django's debug pages instead. --insecure serves static files without DEBUG.
RUN_DEBUG ?= false
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_programme
	$(MANAGE) seed_demo
	@echo
	@echo "KALEH portal: http://127.0.0.1:8000/program/  (public programme page)"
	@echo "              http://127.0.0.1:8000/track/    (track an application by its code)"
	@echo "              http://127.0.0.1:8000/admin/    (administration)"
	@echo
	DJANGO_DEBUG=$(RUN_DEBUG) $(MANAGE) runserver --insecure 127.0.0.1:8000

# Runs every check even when an earlier one fails, then fails if any failed.
test: export DATABASE_URL ?= $(TEST_DATABASE_URL)
test: export DJANGO_ALLOW_ASYNC_UNSAFE = true
test: install
	@mkdir -p artifacts/screenshots
	@failed=""; \
	echo "== makemigrations --check"; \
	$(MAKEMIGRATIONS_CHECK) || failed="$$failed makemigrations"; \
	echo "== ruff check"; \
	$(VENV)/bin/ruff check . || failed="$$failed ruff"; \
	echo "== lint-imports (the layers of .importlinter)"; \
	$(VENV)/bin/lint-imports || failed="$$failed lint-imports"; \
	echo "== pytest (DATABASE_URL=$$DATABASE_URL, test database test_kaleh$${TEST_DB_SUFFIX:-})"; \
	$(VENV)/bin/pytest $(PYTEST_ARGS) || failed="$$failed pytest(exit $$?)"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: all checks passed"

# The parts of `make test`, each on its own.
check: install
	$(MAKEMIGRATIONS_CHECK)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

pytest: export DATABASE_URL ?= $(TEST_DATABASE_URL)
pytest: export DJANGO_ALLOW_ASYNC_UNSAFE = true
pytest: install
	@mkdir -p artifacts/screenshots
	$(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf static/vendor node_modules artifacts $(VENV_STAMP)
	rm -f $(FA_MO)
