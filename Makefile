# The two commands of the README: `make demo` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export PLANNER_DATA_DIR ?= $(CURDIR)/var
LOCALES := fr en es

.PHONY: demo test install messages compile-messages lint bench serve clean check

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) compile-messages

# Babel compiles the catalogues: no system gettext needed.
compile-messages: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d locale -D django --statistics 2>&1 | tail -n 3

# Extract into $(1) and update its catalogues: `make messages` on locale/, the check on a copy.
define update_catalogues
	$(BIN)/pybabel -q extract -F babel.cfg -k _ -k N_ -k gettext_lazy -k gettext -k gettext_noop -k ngettext:1,2 \
		-k ngettext_lazy:1,2 -k pgettext:1c,2 -k pgettext_lazy:1c,2 --no-location --sort-output \
		--ignore-dirs=".venv node_modules var tests benchmarks" -o $(1)/django.pot .
	@for lang in $(LOCALES); do \
		if [ -f $(1)/$$lang/LC_MESSAGES/django.po ]; then \
			$(BIN)/pybabel -q update -i $(1)/django.pot -d $(1) -D django -l $$lang --no-fuzzy-matching; \
		else \
			$(BIN)/pybabel -q init -i $(1)/django.pot -d $(1) -D django -l $$lang; \
		fi; \
	done
endef

messages: $(STAMP)
	$(call update_catalogues,locale)

# One command: a worker runs beside the web server (django-q2 ORM broker), builds the Aude
# programme through the queue the first time, and both stop together on Ctrl-C.
demo: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py demo_organiser
	@set -e; export DEBUG=1; \
	$(BIN)/python manage.py qcluster > $(PLANNER_DATA_DIR)/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; pkill -P $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py solve_visit aude-2009 --if-missing; \
	echo "Serving on http://127.0.0.1:8000/ (Ctrl-C stops the server and the worker)"; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000 --noreload

# The suite on every core (pytest-xdist, at most 4 workers): each worker has its own test
# database, django-q2 queue and Redis database (tests/env_defaults.py). `--dist load` hands out
# tests by index, in runs of neighbours: `loadfile`/`loadscope` key them by node id and would
# keep 1 of the 133 fuzz cases, which share one.
# PYTEST_XDIST= (empty) runs it in one process.
PYTEST_XDIST ?= -n auto --maxprocesses 4 --dist load
test: install js-deps
	$(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

# Mozilla's ical.js (Thunderbird's parser) for the feed tests, from the committed lock file.
.PHONY: js-deps
js-deps:
	@if [ ! -d tests/js/node_modules ]; then \
		if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/js --no-audit --no-fund; \
		else echo "npm not found: the ical.js feed tests will be skipped (and fail under CI)"; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Quick guards CI runs before the suite: each fails alone with its own message.
# The deploy check uses the README's production settings (a throwaway key, HTTPS on).
CHECK_ENV := SECRET_KEY=check-deploy-$(shell date +%s)-not-a-real-key-but-long-enough-for-django \
	ALLOWED_HOSTS=planner.example.org SITE_URL=https://planner.example.org HTTPS=1
check: install
	@echo "== guard: migrations complete"
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	@echo "== guard: ruff check and ruff format"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@echo "== guard: check --deploy with the production settings"
	$(CHECK_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	@echo "== guard: translation catalogues up to date with the source"
	@copy=$$(mktemp -d) && cp -r locale/. $$copy/ && rm -f $$copy/*/LC_MESSAGES/*.mo && \
	$(MAKE) --no-print-directory messages-into DIR=$$copy && \
	if diff -r -q -x '*.mo' -I '^"POT-Creation-Date:' -I '^"PO-Revision-Date:' locale $$copy >/dev/null; then \
		echo "catalogues up to date"; rm -rf $$copy; \
	else \
		diff -r -u -x '*.mo' -I '^"POT-Creation-Date:' -I '^"PO-Revision-Date:' locale $$copy | head -n 40; \
		echo "The catalogues are out of date: run make messages, translate, commit."; rm -rf $$copy; exit 1; \
	fi

.PHONY: check messages-into
messages-into: $(STAMP)
	$(call update_catalogues,$(DIR))

# Figures quoted in the issues' closing notes; each script prints a table (see benchmarks/*/).
bench: install
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python -m benchmarks.solver --quick
	$(BIN)/python benchmarks/queue/run.py
	$(BIN)/python benchmarks/feeds/run.py
	$(BIN)/python benchmarks/pages/run.py
	$(BIN)/python benchmarks/confirmations/run.py
	$(BIN)/python benchmarks/logistics/run.py

clean:
	rm -rf $(VENV) var
