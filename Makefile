# Tandem — the two README commands are `make up` and `make test`; each installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml 2>/dev/null | cut -c1-12)
STACK  := $(BIN)/python deploy/local/stack.py
ASYNCAPI_PARSER := .tandem/asyncapi/node_modules/@asyncapi/parser/package.json
SUITE  := $(BIN)/python deploy/local/suite.py

.PHONY: help up down status test test-unit bench lint token prerequisites stack-tools tools browser venv asyncapi

help:
	@echo "make up      start Kafka, the store, an SMTP sink and the four services, seeded (prints URLs + token)"
	@echo "make down    stop everything make up started (data is kept)"
	@echo "make test    run the whole test suite against a real Kafka broker and store"
	@echo "make bench   run the benchmarks and print figures"
	@echo "make lint    ruff"
	@echo "make token   print an admin token for the running suite"
	@echo "make asyncapi  regenerate docs/asyncapi.yaml from the event schemas"

prerequisites:
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) is required but not installed"; exit 2; }
	@command -v java >/dev/null || { echo "make: java (OpenJDK 17) is required to run Kafka but not installed"; exit 2; }
	@command -v mvn >/dev/null || { echo "make: mvn (Maven) is required to fetch the Kafka jars but not installed"; exit 2; }

venv: $(STAMP)

$(STAMP): pyproject.toml | prerequisites
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing Python packages into $(VENV) (log: $(VENV)/pip.log)"
	@$(BIN)/python -m pip install --disable-pip-version-check --upgrade pip > $(VENV)/pip.log 2>&1 \
	  && $(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]' >> $(VENV)/pip.log 2>&1 \
	  || { tail -20 $(VENV)/pip.log; echo "make: pip install failed"; exit 1; }
	@rm -f $(VENV)/.installed-* && touch $@

# Kafka jars (Maven) and SecantusDB (its own virtualenv under .tandem/secantus).
stack-tools: venv
	@$(STACK) install

# The manifest tests also need kustomize, built once with Go (the only thing Go is still needed for),
# and the AsyncAPI test the official parser, from npm.
tools: stack-tools $(ASYNCAPI_PARSER)
	@command -v go >/dev/null || command -v kustomize >/dev/null || { \
	  echo "make: go is required to build kustomize for the manifest tests but not installed"; exit 2; }
	@deploy/k8s/validate.sh --install-only

$(ASYNCAPI_PARSER): deploy/asyncapi/package.json deploy/asyncapi/package-lock.json
	@command -v npm >/dev/null || { echo "make: npm (Node.js) is required for the AsyncAPI check but not installed"; exit 2; }
	@mkdir -p .tandem/asyncapi && cp deploy/asyncapi/package.json deploy/asyncapi/package-lock.json .tandem/asyncapi/
	@cd .tandem/asyncapi && npm ci --no-audit --no-fund --ignore-scripts > npm.log 2>&1 \
	  || { tail -20 npm.log; echo "make: npm ci of the AsyncAPI parser failed"; exit 1; }
	@touch $@

# docs/asyncapi.yaml, generated from the event schemas (a test checks it is not stale).
asyncapi: venv
	@$(BIN)/python -m shared.events.asyncapi > docs/asyncapi.yaml
	@echo "wrote docs/asyncapi.yaml"

# Debian's chromium for the dashboard's browser test (needs root, as on CI and dev machines).
browser:
	@command -v chromium >/dev/null || { \
	  [ "$$(id -u)" = 0 ] || { echo "make: chromium is needed for the browser test: apt-get install chromium"; exit 2; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

up: stack-tools
	@$(SUITE) up

down:
	@test -x $(BIN)/python && $(SUITE) down || echo "nothing to stop"

status: venv
	@$(SUITE) status

test: tools browser
	@$(BIN)/python -m pytest

test-unit: venv
	@$(BIN)/python -m pytest tests/unit

bench: stack-tools
	@$(BIN)/python -m bench $(BENCH_ARGS)

lint: venv
	@$(BIN)/ruff check .

token: venv
	@AUTH_JWT_SECRET=$${AUTH_JWT_SECRET:-$$(cat .tandem/dev/auth-secret 2>/dev/null)} \
	  AUTH_ISSUER=$${AUTH_ISSUER:-tandem-local} AUTH_AUDIENCE=$${AUTH_AUDIENCE:-tandem} \
	  $(BIN)/python -m shared.devtoken $(TOKEN_ARGS)
