# Relais — the README's two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test quality pytest test-browser test-postgres bench bench-venv lock clean demo migrate worker

$(VENV)/.installed: requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 introuvable ($(PYTHON)). Installez-le ou lancez : make run PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_reference

## Start Relais with its demo data on http://$(HOST):$(PORT), the background-task worker and the scheduler of the
## periodic jobs (weekly digest, event reminders). Links (printed, in e-mails) use that address unless SITE_URL is set.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: migrate
	$(PY) manage.py load_demo --if-empty
	@$(PY) manage.py demo_accounts
	@echo "Relais : http://$(HOST):$(PORT)/  (Ctrl-C pour arrêter)"
	@$(PY) manage.py db_worker --interval 1 & WORKER=$$!; \
	  $(PY) manage.py run_scheduler & SCHEDULER=$$!; \
	  trap "kill $$WORKER $$SCHEDULER 2>/dev/null" EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

worker: venv
	$(PY) manage.py db_worker

## The full quality gate and test suite.
test: quality pytest

quality: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/mypy relais config
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check --fail-level WARNING

# pytest-django prefers DJANGO_SETTINGS_MODULE from the environment over pyproject.toml: the test targets must
# override the dev settings exported above.
pytest: venv
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m "not browser"

test-postgres: venv
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/relais} $(BIN)/pytest -m "not browser"

test-browser: venv
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m browser -p no:randomly

# Benchmark-only packages (DuckDB for the DECP anchors), installed on top of the application's.
$(VENV)/.bench-installed: requirements-bench.lock $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-bench.lock
	touch $@

bench-venv: $(VENV)/.bench-installed

bench: bench-venv
	$(PY) -m bench.run
	$(PY) -m bench.unified
	$(PY) -m bench.decp_anchors --sizes 150000,1500000
	$(PY) -m bench.decp_pages --contracts 1500000
	$(PY) -m bench.suppliers

lock: venv
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.lock requirements.in

clean:
	rm -rf $(VENV) db.sqlite3 var media staticfiles
