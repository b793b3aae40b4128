# Webcare: `make run` starts the embedded system, `make test` runs every test tier on real Kafka and PostgreSQL.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
INFRA := $(PYTHON) scripts/infra.py
PYTEST_ARGS ?=

.PHONY: help install run test test-unit test-integration test-e2e lint format proto migrate bench-classify bench-ingest bench-languages bench-reply bench-reporting bench-routing infra-up infra-down clean

help:
	@echo "make run    - all services in one process (in-memory bus, SQLite) on http://127.0.0.1:8000"
	@echo "make test   - lint, then unit, integration and end-to-end tests on real Kafka and PostgreSQL"
	@echo "make lint   - ruff and mypy"
	@echo "make proto  - regenerate gen/python from proto/"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP) model
	$(BIN)/webcare run

test: lint
	$(INFRA) run -- $(BIN)/pytest $(PYTEST_ARGS)

test-unit: $(STAMP)
	$(BIN)/pytest -m unit $(PYTEST_ARGS)

test-integration: $(STAMP)
	$(INFRA) run -- $(BIN)/pytest -m integration $(PYTEST_ARGS)

test-e2e: $(STAMP)
	$(INFRA) run -- $(BIN)/pytest -m e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

proto: $(STAMP)
	$(BIN)/python scripts/gen_proto.py
	$(BIN)/python scripts/gen_events_doc.py

migrate: $(STAMP)
	$(BIN)/webcare migrate

# Benchmarks fill topics with records no test expects: they get servers of their own (other ports),
# started and stopped for the run, so the test servers stay clean.
BENCH_INFRA := env -u WEBCARE_TEST_KAFKA_BOOTSTRAP -u WEBCARE_TEST_PG_URL \
	WEBCARE_INFRA_KAFKA_PORT=19192 WEBCARE_INFRA_PG_PORT=55532 $(INFRA)

bench-classify: $(STAMP)
	$(BENCH_INFRA) run -- $(BIN)/python bench/classify.py

bench-ingest: $(STAMP)
	$(BENCH_INFRA) run -- $(BIN)/python bench/ingest.py

bench-routing: $(STAMP)
	$(BENCH_INFRA) run -- $(BIN)/python bench/routing.py

bench-reply: $(STAMP)
	$(BENCH_INFRA) run -- $(BIN)/python bench/reply.py

bench-reporting: $(STAMP)
	$(BENCH_INFRA) run -- $(BIN)/python bench/reporting.py

bench-languages: $(STAMP) model
	$(BIN)/python bench/languages.py

infra-up:
	$(INFRA) up

infra-down:
	$(INFRA) down

clean:
	rm -rf .webcare .pytest_cache .mypy_cache .ruff_cache

# The Helm chart, compose file and Dockerfile checks alone (helm and kubeconform are built once into .cache/bin).
.PHONY: deploy-check
deploy-check: $(STAMP)
	$(BIN)/pytest tests/integration/deploy $(PYTEST_ARGS)

# The classify model: trained on data/classify/corpus.jsonl into WEBCARE_MODEL_DIR (default .webcare/models),
# named by a hash of corpus and code, so this is a no-op when it is up to date. `webcare model eval` scores it.
.PHONY: model
model: $(STAMP)
	$(BIN)/webcare model build
