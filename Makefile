# Constellation: `make demo` runs everything on a laptop; `make test` runs the full suite.
SHELL := /bin/bash
PORT ?= 8000
HOST ?= 127.0.0.1
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen

.PHONY: help install demo serve worker migrate test test-sqlite test-postgres lint messages vendor bench clean

help:
	@echo "make demo   - install, migrate, load the demo network, start web server and worker"
	@echo "make test   - the full test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)"
	@echo "make lint   - ruff and the missing-migrations check"
	@echo "make bench  - the benchmarks under bench/ (see bench/RESULTS.md)"

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --quiet

migrate: install
	$(RUN) constellation migrate --no-input

demo: migrate
	$(RUN) constellation load_demo
	$(RUN) constellation load_demo_insights
	$(RUN) constellation load_demo_passport
	$(RUN) constellation load_demo_globalday
	$(RUN) constellation load_demo_atlas
	$(RUN) constellation load_demo_events
	@echo ""
	@echo "  Constellation is running at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@echo "  Logins are listed above; the password of every demo account is demo-password-2026."
	@echo ""
	@trap 'kill 0' EXIT INT TERM; \
	  $(RUN) constellation db_worker --queue-name default & \
	  $(RUN) constellation runserver --noreload $(HOST):$(PORT)

test: install
	$(RUN) ruff check src tests bench
	$(RUN) constellation makemigrations --check --dry-run > /dev/null
	$(RUN) pytest -q -p no:randomly
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL: $$TEST_DATABASE_URL"; \
	  DATABASE_URL="$$TEST_DATABASE_URL" $(RUN) pytest -q -m "not browser"; \
	fi

lint: install
	$(RUN) ruff check src tests bench
	$(RUN) constellation makemigrations --check --dry-run

messages: install
	cd src/constellation && $(RUN) django-admin makemessages -l fr -l es -l ar --no-obsolete --ignore=static
	cd src/constellation && $(RUN) django-admin compilemessages

vendor:
	sh scripts/vendor-static.sh

bench: install
	$(RUN) python bench/run_all.py

clean:
	rm -rf data/ .venv/
