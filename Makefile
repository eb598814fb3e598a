# Two commands on a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Root installs system packages directly; anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -o DPkg::Lock::Timeout=900

.PHONY: run test test-postgres postgres-deps install system-deps browser services fhir-r4 lint bench clean fuzz

$(BIN)/intake: pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/intake

# venv support and the Pango libraries WeasyPrint renders PDFs with.
system-deps:
	@missing=""; \
	$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	ldconfig -p | grep -q 'libpango-1.0.so' || missing="$$missing libpango-1.0-0"; \
	ldconfig -p | grep -q 'libpangoft2-1.0.so' || missing="$$missing libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(APT) update -qq && $(APT) install -y -qq $$missing; \
	fi

run: install
	@mkdir -p instance
	INTAKE_ENV=development $(BIN)/intake db upgrade
	@INTAKE_ENV=development INTAKE_BASE_URL=http://$(HOST):$(PORT) $(BIN)/intake demo --refresh
	@echo "Serving on http://$(HOST):$(PORT)/ with the job queue's worker  (Ctrl+C stops both)"
	@export INTAKE_ENV=development; \
	$(BIN)/intake worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/intake run --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium; install it when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(APT) update -qq && $(APT) install -y -qq chromium; }
	@command -v pdftoppm >/dev/null 2>&1 || $(APT) install -y -qq poppler-utils

# Servers some tests start for themselves (never a running system service):
# redis-server for the shared rate-limit tests.
services:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "Installing Debian's redis-server for the shared rate-limit tests"; \
	  $(APT) update -qq && $(APT) install -y -qq redis-server; }

# The FHIR R4 (4.0.1) models in a venv of their own: fhir.resources 6.4.0 needs
# pydantic 1, the test extra pulls in pydantic 2 (docs/FHIR.md). The FHIR tests run
# tests/fhir_r4/validate.py with its python; rebuilt only when the pins change.
FHIR_R4_VENV := .venv-fhir-r4
FHIR_R4_PINS := tests/fhir_r4/requirements.txt

$(FHIR_R4_VENV)/.installed: $(FHIR_R4_PINS)
	@$(MAKE) --no-print-directory system-deps
	rm -rf $(FHIR_R4_VENV)
	$(PYTHON) -m venv $(FHIR_R4_VENV)
	$(FHIR_R4_VENV)/bin/pip install --quiet --no-deps -r $(FHIR_R4_PINS)
	$(FHIR_R4_VENV)/bin/pip check
	@touch $@

fhir-r4: $(FHIR_R4_VENV)/.installed

lint: install
	$(BIN)/ruff check .

# Two pytest-xdist workers: on this two-core machine the suite takes about a
# fifth less wall time than in one process. PYTEST_WORKERS=0 runs it in one.
PYTEST_WORKERS ?= 2

test: install browser services fhir-r4 lint
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# The same suite against a throwaway PostgreSQL cluster that
# tests/services/postgres.py starts in a temporary folder and stops again;
# no running database service is assumed or touched.
test-postgres: install browser services fhir-r4 postgres-deps
	$(BIN)/python tests/services/postgres.py run -- $(BIN)/pytest -n $(PYTEST_WORKERS)

# psycopg (the `postgres` extra) and Debian's server binaries (initdb, pg_ctl).
postgres-deps: install
	@$(BIN)/python -c 'import psycopg' 2>/dev/null || $(BIN)/pip install --quiet -e '.[test,postgres]'
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql for the PostgreSQL tests"; \
	  $(APT) update -qq && $(APT) install -y -qq postgresql; }

bench: install browser
	$(BIN)/python benchmarks/screening.py
	@[ ! -f benchmarks/pdf.py ] || $(BIN)/python benchmarks/pdf.py
	$(BIN)/python benchmarks/archive.py

clean:
	rm -rf $(VENV) $(FHIR_R4_VENV) instance .pytest_cache .ruff_cache

# Hostile input, longer: many random examples (profile "fuzz", tests/hostile.py);
# prints the requests made and the statuses they got. FUZZ_EXAMPLES sets the count.
FUZZ_EXAMPLES ?= 150
fuzz: install
	@report=$$(mktemp); \
	INTAKE_HYPOTHESIS_PROFILE=fuzz INTAKE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  INTAKE_FUZZ_REPORT=$$report $(BIN)/pytest -q -p no:cacheprovider \
	  -W "ignore::hypothesis.errors.HypothesisWarning" tests/test_hostile_input.py; \
	status=$$?; echo "fuzz figures:"; cat $$report; echo; rm -f $$report; exit $$status
