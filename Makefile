# `make run` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PORT ?= 5000
# Every step of `make run` sees the port, so links in emails and calendars name it too
# (unless PUBLIC_URL is set in the environment or .env).
export PORT
# Twice the cores: much of the suite waits on servers and processes rather than computing.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) * 2 )))

.PHONY: run test lint format install install-dev clean

run: install .env ## Migrate, load demo content, serve web and scheduler on http://127.0.0.1:$(PORT)
	@$(FLASK) db upgrade
	@$(FLASK) demo load
	@$(FLASK) kb reindex
	@$(FLASK) dev --port $(PORT)

test: install-dev ## Lint, check the import arrows, then run the whole suite (SQLite and PostgreSQL)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

.env: ## A local .env with a fresh random SECRET_KEY, made once
	sed "s/^SECRET_KEY=.*/SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_hex(32))')/" .env.example > .env
	@echo "Wrote .env with a new random SECRET_KEY."

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
