# careloop: every chore has one entry point here. `make run` and `make test` matter most.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SERVICES := intake routing surveys notify console
PACKAGES := -e shared $(foreach s,$(SERVICES),-e services/$(s))
ROLE ?= admin
# Test processes: the tests wait on brokers, databases and child processes more than they
# compute, so three workers keep a two-core machine busy (`make test TEST_WORKERS=0`: one).
TEST_WORKERS ?= 3
SITES ?= *
SUB ?= dev
NAME ?=

.PHONY: help venv run test test-unit test-integration lint fmt typecheck schemas migrate token bench drill services constraints clean

help:  ## list the chores
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/.installed: constraints.txt requirements-dev.txt shared/pyproject.toml $(foreach s,$(SERVICES),services/$(s)/pyproject.toml) services/console/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt $(PACKAGES) -r requirements-dev.txt
	npm ci --prefix services/console --no-audit --no-fund --loglevel=error
	touch $@

venv: $(BIN)/.installed  ## create .venv and install everything (Python pinned by constraints.txt, the console's browser assets by its package-lock.json)

services: venv  ## make sure RabbitMQ is reachable (starts a local one)
	@scripts/ensure-services rabbitmq

run: venv services migrate  ## run every service locally on SQLite (Procfile, honcho)
	@scripts/print-urls
	$(BIN)/honcho start -f Procfile

test: venv  ## lint, type checks and every test (needs RabbitMQ and PostgreSQL)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared/src services/*/src
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup -m "not alone"
	$(BIN)/pytest -m alone

test-unit: venv  ## only the tests that need no database or broker
	$(BIN)/pytest -m "not integration and not e2e and not failure"

lint: venv  ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared/src services/*/src

fmt: venv  ## format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schemas: venv  ## regenerate the event JSON Schemas and the AsyncAPI document
	$(BIN)/python -m shared.contracts.generate

migrate: venv  ## migrate every service's database to head
	@for s in $(SERVICES); do $(BIN)/python -m $$s migrate || exit 1; done

token: venv  ## print a development token: make token ROLE=handler SITES=demo SUB=h-qian NAME=钱师傅
	@$(BIN)/careloop token --role "$(ROLE)" --sites "$(SITES)" --sub "$(SUB)" --name "$(NAME)"

console-shots: venv  ## the console's browser tests, photographing every page they settle on at its width and a phone's (var/console-shots/)
	@scripts/ensure-services rabbitmq postgresql
	CARELOOP_CONSOLE_SHOTS=$(CURDIR)/var/console-shots $(BIN)/pytest tests/e2e -k console

bench: venv services  ## every DESIGN.md §12 benchmark beside this machine's limits (bench/results/)
	scripts/ensure-services postgresql
	$(BIN)/python -m bench

drill: venv  ## failure drills at full size (10,000 and 5,000 complaints); stops and starts the local RabbitMQ and PostgreSQL, so run it alone
	@scripts/ensure-services rabbitmq postgresql
	CARELOOP_DRILL_SCALE=full $(BIN)/pytest tests/failure -m failure

constraints:  ## re-pin constraints.txt from the current .venv
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt.new && mv constraints.txt.new constraints.txt

clean:  ## remove the environment and local databases
	rm -rf $(VENV) var
