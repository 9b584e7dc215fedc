# Two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
# All targets honour DATABASE_URL (default: SQLite under var/).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/portal_ci
# PYTEST_WORKERS=2 runs the suite in two processes (pytest-xdist), each with its own test
# database and demo site: about 1.3-1.7x faster on an idle 2-core machine, no faster on a busy
# one. Serial (0) by default until the parallel run has a longer green record in CI.
PYTEST_WORKERS ?= 0
XDIST = -n $(PYTEST_WORKERS) --dist load

.PHONY: install run test lint format test-postgres bench demo clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "需要 Python 3.11，当前为 " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# opencc-python-reimplemented (before 2026-12) and the official opencc wheel share the
	@# opencc/ folder: remove both from an old venv so the official one installs whole.
	@if $(BIN)/pip show -q opencc-python-reimplemented 2>/dev/null; then \
		$(BIN)/pip uninstall --quiet -y opencc-python-reimplemented opencc; fi
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_data
	$(MANAGE) ensure_admin
	@# Background imports need a task worker; it stops with the server.
	$(MANAGE) db_worker >var/db_worker.log 2>&1 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

demo: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_data

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python -m pytest -m "not e2e" $(XDIST) $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var/static
