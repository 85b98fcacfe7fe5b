# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.lock | cut -d' ' -f1)

.PHONY: run test install setup lint typecheck e2e integration bench bench-load messages check-messages screenshots clean

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-virtualenv -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Compile the translation catalogues (.mo files are built, never committed).
setup: install
	$(PY) manage.py compile_catalogues -v0

# `make run PORT=8001` serves on another port; SITE_URL (links in emails) follows it.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	SITE_URL=$(SITE_URL) $(VENV)/bin/honcho -f Procfile start -p $(PORT)

# Tests keep their cache, mail and uploads apart from the running portal's var/.
# Unit tests run on every core (each process with its own var/ and database); the browser
# tests then run one file per core (each process serves its own portal on its own database),
# and the integration tests one at a time, as they start workers and servers of their own
# (exit code 5, "no test selected", is not a failure: MARKS may leave none). MARKS narrows both runs (e.g. MARKS="not integration"); PYTEST_ARGS goes to both.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
MARKS ?=
test: export PORTAL_VAR_DIR ?= $(CURDIR)/var/test
test: setup
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(JOBS) -m "not e2e and not integration$(if $(MARKS), and ($(MARKS)))" $(PYTEST_ARGS)
	$(PY) -m pytest -n $(JOBS) --dist loadfile -m "e2e$(if $(MARKS), and ($(MARKS)))" $(PYTEST_ARGS)
	$(PY) -m pytest -m "integration$(if $(MARKS), and ($(MARKS)))" $(PYTEST_ARGS) || [ $$? -eq 5 ]

integration: setup
	$(PY) -m pytest tests/integration $(PYTEST_ARGS)

e2e: setup
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

# Style, layer contracts (pyproject.toml [tool.importlinter]) and types; see docs/lint.md.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --cache-dir var/cache/import-linter
	$(MAKE) --no-print-directory typecheck

typecheck: install
	$(VENV)/bin/mypy

bench: setup
	$(PY) bench/run_all.py

bench-load: setup
	$(PY) bench/load/run.py

# The demo portal's pages at 1280 and 390 px, as visitor, member, manager and admin, into
# docs/screenshots/ (headless Debian Chromium; see docs/screenshots/README.md).
screenshots: setup
	$(PY) manage.py screenshots

# Update the translation catalogues from the code; CI fails when one misses a string.
messages: install
	$(PY) manage.py makemessages -l de -l fr -l it -l es --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles --ignore=var --no-obsolete

clean:
	rm -rf $(VENV) var staticfiles
