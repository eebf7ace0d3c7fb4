# OncoLien — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint typecheck format test-sqlite test-postgres test-browser system-packages node-packages bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate the embedded SQLite database, load reference data,
## communes and the demo territory, print the demo accounts, and serve on $(HOST):$(PORT)
## with the background consumer (huey) beside gunicorn (scripts/serve.sh).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	ONCOLIEN_REQUIRE_2FA=$${ONCOLIEN_REQUIRE_2FA:-0} ONCOLIEN_SITE_URL=$${ONCOLIEN_SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py setup_demo
	@echo "OncoLien : http://$(HOST):$(PORT)/"
	ONCOLIEN_REQUIRE_2FA=$${ONCOLIEN_REQUIRE_2FA:-0} ONCOLIEN_SITE_URL=$${ONCOLIEN_SITE_URL:-http://$(HOST):$(PORT)} VENV=$(VENV) bash scripts/serve.sh $(HOST):$(PORT)

## make test: install what the tests need (Python packages, then Debian's PostgreSQL,
## Chromium and poppler when missing) and run lint, the suite on SQLite, the same
## suite on a throwaway PostgreSQL cluster, with the browser tests in headless Chromium.
test: install system-packages node-packages lint test-sqlite test-postgres

system-packages:
	bash scripts/install-system-packages.sh

## axe-core, injected by the browser tests into every page they visit (package-lock.json pins it).
node-packages: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	@$(MAKE) --no-print-directory typecheck

## make typecheck: $(VENV)/bin/mypy oncolien (django-stubs, configured in pyproject.toml;
## the modules on its strict list are checked with the flags of `mypy --strict`).
typecheck: install
	$(VENV)/bin/mypy oncolien

## The suite runs in one process per core (pytest-xdist, at most 4: each may drive a
## Chromium), each with its own test database. Tests are dealt out in the order of
## conftest.py (transactional and browser tests last in each process); `--dist
## loadfile` broke that order and 94 tests failed.
PYTEST_PARALLEL ?= -n auto --maxprocesses=4

test-sqlite: install
	$(VENV)/bin/pytest -q $(PYTEST_PARALLEL)

test-postgres: install
	bash scripts/with-postgres.sh $(VENV)/bin/pytest -q $(PYTEST_PARALLEL)

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## make bench: the performance figures (API throughput ratio, directory search latency
## at 100,000 services, PDF of a 500-entry directory, pathway pages at 10,000 pathways).
## Every bench runs, whatever the previous one found; the targets missed are listed at the end.
bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var node_modules
