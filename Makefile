# Pedidos — one command to run, one to test. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PACKAGES := shared auth_service order_service stock_service gateway
STAMP := $(VENV)/.installed

.PHONY: help install run up down test test-fast api-types lint format migrate bootstrap frontend-install lock bench dlq clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 ($(PYTHON)) não encontrado: instale-o ou defina PYTHON=..."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.lock
	@# Our packages are imported from the work tree: one .pth line per package folder.
	@site=$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'); \
	  for p in $(PACKAGES); do echo "$(CURDIR)/$$p"; done > $$site/pedidos.pth
	@touch $(STAMP)

install: $(STAMP)  ## create the virtualenv from requirements.lock

FRONTEND_STAMP := frontend/node_modules/.installed
$(FRONTEND_STAMP): frontend/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js/npm não encontrado: instale o Node 20 para o frontend."; exit 1; }
	cd frontend && npm ci --no-audit --no-fund
	@touch $(FRONTEND_STAMP)

frontend-install: $(FRONTEND_STAMP)  ## install the frontend's npm packages

run: install frontend-install  ## bootstrap, migrate, seed and start every process (Ctrl-C stops all)
	$(PY) -m scripts.dev run

up:  ## everything in containers (needs a Docker engine); service secrets generated in .env
	python3 -m scripts.compose_env
	docker compose up --build

down:
	docker compose down

bootstrap: install  ## create database, roles and schemas; migrate; declare RabbitMQ topology
	$(PY) -m scripts.dev prepare

migrate: bootstrap

test: install frontend-install  ## unit, integration, end-to-end and browser tests (real servers)
	@# No server and no Docker, root on Debian/Ubuntu: install and start them (docs/fresh-machine.md).
	@$(PY) -m scripts.install_servers --if-missing TEST_
	@scripts/ensure_chromium.sh
	cd frontend && npm run lint --silent && npm run typecheck --silent && npm test --silent
	$(VENV)/bin/pytest

api-types: install frontend-install  ## regenerate frontend/src/api/schema.d.ts from the gateway's OpenAPI document
	UPDATE_API_TYPES=1 $(VENV)/bin/pytest -q tests/e2e/test_frontend_api_types_e2e.py

test-fast: install  ## Python tests without the browser and end-to-end ones
	$(VENV)/bin/pytest -m "not e2e"

lint: install  ## ruff (rules and format) and mypy (shared/ and every domain/; pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: install  ## re-pin requirements.lock from requirements.in
	$(VENV)/bin/pip install -q -r requirements.in
	$(VENV)/bin/pip freeze --exclude-editable | grep -v '^pedidos' > requirements.lock

bench: install  ## the benchmark, ~5 min (docs/performance.md); parts: make bench BENCH_ARGS="--only reads"
	$(PY) -m bench.run $(BENCH_ARGS)

dlq: install  ## dead-lettered messages: make dlq ARGS="list" | ARGS="replay --order-id ID" (docs/operations.md)
	$(PY) -m shared.messaging.dlq $(or $(ARGS),list)

clean:
	rm -rf $(VENV) frontend/node_modules var
