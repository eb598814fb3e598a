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

.PHONY: run test install system-deps browser lint bench clean fuzz

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
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	INTAKE_ENV=development $(BIN)/intake run --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium; install it when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(APT) update -qq && $(APT) install -y -qq chromium; }
	@command -v pdftoppm >/dev/null 2>&1 || $(APT) install -y -qq poppler-utils

lint: install
	$(BIN)/ruff check .

test: install browser lint
	$(BIN)/pytest

bench: install
	$(BIN)/python benchmarks/screening.py
	@[ ! -f benchmarks/pdf.py ] || $(BIN)/python benchmarks/pdf.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

# Hostile input, longer: many random examples (profile "fuzz", tests/hostile.py);
# prints the requests made and the statuses they got. FUZZ_EXAMPLES sets the count.
FUZZ_EXAMPLES ?= 150
fuzz: install
	@report=$$(mktemp); \
	INTAKE_HYPOTHESIS_PROFILE=fuzz INTAKE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  INTAKE_FUZZ_REPORT=$$report $(BIN)/pytest -q -p no:cacheprovider \
	  -W "ignore::hypothesis.errors.HypothesisWarning" tests/test_hostile_input.py; \
	status=$$?; echo "fuzz figures:"; cat $$report; echo; rm -f $$report; exit $$status
