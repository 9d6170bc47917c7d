# The two commands: `make run` serves the demo wiki, `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export PORT HOST
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

NODE_STAMP := node_modules/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: run serve worker test lint typecheck install install-dev lock browser-tools migrate demo clean bench bench-import

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the lock files (exact versions, hashes checked); pyproject.toml
# keeps the ranges. `make lock` writes the lock files again from those ranges.
$(STAMP): requirements/base.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): requirements/dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(STAMP)

lock: install-dev
	$(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
		-o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
		--extra dev -o requirements/dev.lock

install: $(STAMP)
install-dev: $(DEV_STAMP)

# axe-core for the accessibility audit in the browser tests (npm registry).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && touch $@ \
			|| echo "npm ci failed: the accessibility audit will be skipped."; \
	else \
		echo "npm not found: the accessibility audit will be skipped."; \
	fi

browser-tools: $(NODE_STAMP)
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo ""; \
		echo "  NOTE: Chromium not found at $(CHROMIUM): the browser tests will be SKIPPED."; \
		echo "        Install it with: apt-get install -y chromium   (.ci/run does this)"; \
		echo ""; \
	fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	@echo ""
	@echo "  Fan wiki running at http://127.0.0.1:$(PORT)/"
	@echo "  Demo fan:        demo-fan / demo-password"
	@echo "  Demo moderator:  demo-moderator / demo-password  (also staff, for /admin/)"
	@echo "  Demo writer:     demo-writer / demo-password  (wrote the proposal in the queue)"
	@echo "  E-mail is not sent: it is printed here, in this terminal. A new account's"
	@echo "  confirmation link is the line containing /accounts/verify/."
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production: DEBUG off, gunicorn (WEB_CONCURRENCY workers, default 2 x cores + 1),
# static files collected with hashed, compressed names and served by whitenoise.
# Refuses to start, in one line, when SECRET_KEY, ALLOWED_HOSTS or SITE_URL is missing.
serve: install
	@DEBUG=false $(BIN)/python -m fanwiki.preflight
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=false $(BIN)/python manage.py migrate --noinput
	DEBUG=false $(BIN)/python manage.py check --deploy
	DEBUG=false exec $(BIN)/gunicorn --config python:fanwiki.gunicorn fanwiki.wsgi:application

# The background worker (e-mail, notification fan-out). Needs REDIS_URL or CELERY_BROKER_URL.
worker: install
	@if [ -z "$$REDIS_URL$$CELERY_BROKER_URL" ]; then \
		echo "Cannot start a worker: set REDIS_URL (or CELERY_BROKER_URL). Without a broker,"; \
		echo "tasks run at once in the web process and no worker is needed."; exit 2; fi
	exec $(BIN)/celery --app fanwiki worker --loglevel INFO \
		--concurrency $${WORKER_CONCURRENCY:-2} --queues $${CELERY_QUEUE:-celery}

# The benchmark (not a test): builds BENCH_ARTICLES articles (default 10,000) into a database
# of its own, serves it with `make serve` beside a bare view, loads both with wrk on 127.0.0.1
# and prints one table, also written to var/bench/report.json. DATABASE_URL: PostgreSQL.
bench: install
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.run

# How fast import_mediawiki takes in a full-history dump, and its memory (not a test).
bench-import: install
	$(BIN)/python -m bench.imports

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Strict where the rules live (services, merging, citing, policy, access, markup): see pyproject.toml.
typecheck: install-dev
	$(BIN)/mypy

# The suite under coverage with branches; the figure is printed, not enforced.
test: lint typecheck browser-tools
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage report

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .coverage node_modules test-artifacts
