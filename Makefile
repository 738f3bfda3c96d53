# Brygga: `make demo` serves the demo, `make test` runs every check. Nothing else is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
PORT ?= 8000
DEMO_PERSONS ?= 300

.PHONY: setup demo test lint types check-migrations pytest bench mutation messages clean

setup: $(INSTALLED) $(NODE_INSTALLED) messages

$(PY):
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(INSTALLED)
	$(PY) scripts/compile_messages.py

demo: setup
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --persons $(DEMO_PERSONS) --seed 1 --if-empty
	@echo "Brygga (demo) at http://127.0.0.1:$(PORT)/"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup lint types check-migrations pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

types: $(INSTALLED)
	$(BIN)/mypy brygga

check-migrations: $(INSTALLED)
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run

pytest: $(INSTALLED)
	$(BIN)/pytest -n 2 -rfEs $(PYTEST_ARGS)

bench: setup
	nice $(PY) scripts/bench.py $(BENCH_ARGS)

# 50 concurrent users for 10 minutes on PostgreSQL (brygga_soak); not in CI. SOAK_ARGS=--duration 60
soak: setup
	nice $(PY) scripts/soak.py $(SOAK_ARGS)

# Mutation testing of the rule modules (minutes per module; not part of `make test` or CI).
mutation: setup
	$(PY) scripts/mutation.py $(MODULES)

clean:
	rm -rf $(VENV) node_modules var
