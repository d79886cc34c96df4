# The portal's commands. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Development defaults; a real deployment sets its own environment (README, Settings).
export DEBUG ?= 1

.PHONY: help install run migrate demo test lint audit browser worker beat bench messages clean backup restore fuzz

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev tools

migrate: $(STAMP) ## Apply database migrations
	$(PY) manage.py migrate --no-input

demo: migrate ## Load the demo data (idempotent)
	$(PY) manage.py load_demo

run: demo ## Serve the portal with demo data at http://127.0.0.1:8000
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py runserver $(HOST):$(PORT)

lint: $(STAMP) ## ruff, bandit (medium severity and up), the import layers, and a check that no migration is missing
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r . --severity-level medium
	$(BIN)/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

audit: lint ## bandit, then pip-audit of every installed dependency (needs PyPI's vulnerability API)
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

test: lint browser ## Lint, then the whole test suite (browser tests included)
	$(BIN)/pytest $(PYTEST_ARGS)

browser: ## Install Debian's Chromium and CJK fonts for the browser tests, if missing
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium for the browser tests (apt-get)..."; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; } \
	  || echo "warning: could not install Chromium; browser tests are skipped (they fail under CI=true)"; \
	}

worker: $(STAMP) ## Start a Celery worker (needs REDIS_URL)
	$(BIN)/celery -A portal worker --loglevel=INFO

beat: $(STAMP) ## Start Celery beat, the scheduler of periodic jobs (needs REDIS_URL)
	$(BIN)/celery -A portal beat --loglevel=INFO

bench: $(STAMP) ## Run every benchmark at reduced scale in a scratch database; prints one table
	$(PY) bench/run.py $(BENCH_ARGS)

fuzz: $(STAMP) ## Long API fuzzing run: schemathesis, 100 examples per operation and role, coverage phase
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} $(BIN)/pytest tests/portal/test_fuzz.py $(PYTEST_ARGS)

backup: migrate ## Back up the database and uploaded files into BACKUP_DIR (default .data/backups)
	$(PY) manage.py backup

restore: $(STAMP) ## Restore BACKUP=DIR over the database and files, then check every row count
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=.data/backups/portal-..."; exit 2; }
	$(PY) manage.py restore "$(BACKUP)"

messages: $(STAMP) ## Extract msgids (needs GNU gettext), fill them from locale/zh_hans.tsv, compile
	$(PY) manage.py makemessages -l zh_Hans --ignore '.venv/*' --ignore 'static/*' --ignore 'tests/*' --ignore 'bench/*' --no-obsolete
	$(PY) locale/translate.py

clean: ## Remove the virtualenv and the embedded database
	rm -rf $(VENV) .data
