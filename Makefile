# Time Bank: `make run` to try it, `make test` to test it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000
# The demo runs background tasks inline and its schedules in the server
# process (manage.py demo_server), so that no worker is needed.
DEMO_ENV := DEBUG=1 Q_SYNC=1

.PHONY: install run serve worker test lint messages clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --editable ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(DEMO_ENV) $(PY) manage.py migrate --verbosity 0
	$(DEMO_ENV) $(PY) manage.py createcachetable
	@$(MAKE) --no-print-directory messages
	@echo "Demo logins (password for all of them):"
	$(DEMO_ENV) $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST)/  (Ctrl-C stops)"
	$(DEMO_ENV) $(PY) manage.py demo_server $(HOST)

worker: install
	$(PY) manage.py run_tasks

# Tests run on every core (pytest-xdist), each worker on a database of its own;
# PYTEST_WORKERS=0 runs them in one process. A worker that runs out of tests
# takes half of another's (worksteal), so that they finish together.
PYTEST_WORKERS ?= auto
test: install
	@$(MAKE) --no-print-directory messages
	DATABASE_URL="$$($(PY) tests/database_url.py)" $(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Compiled catalogues are committed, so a machine without gettext still runs.
messages:
	@if command -v msgfmt >/dev/null; then \
		DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --verbosity 0; \
	else echo "msgfmt not found: using the committed .mo files"; fi

clean:
	rm -rf $(VENV) var/timebank.sqlite3 var/static
