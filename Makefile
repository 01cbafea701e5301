# Cùng Học Số — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app

.PHONY: run test install translations lint content-check test-sqlite test-postgres \
        test-browser browser-deps bench extract-messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

translations: install
	@$(BIN)/pybabel -q compile -d app/translations

## make run: install, migrate an SQLite database under instance/, load demo data, serve.
run: translations
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo
	@echo "Cùng Học Số: http://127.0.0.1:$(PORT)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## make test: every check. Exits non-zero on the first failure.
test: translations browser-deps lint content-check test-sqlite test-postgres test-browser
	@echo "make test: every check passed."

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

content-check: install
	$(BIN)/flask content check

test-sqlite: install
	$(BIN)/pytest -q -m "not browser"

test-postgres: install
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== pytest on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(BIN)/pytest -q -m "not browser"; \
	else \
		echo "== TEST_DATABASE_URL is not set: PostgreSQL run skipped (.ci/run sets it)."; \
	fi

## System libraries: Chromium for the browser tests, HarfBuzz's subsetter (WeasyPrint embeds
## fonts with it, deterministically) and poppler-utils (pdftotext reads PDFs back in tests).

browser-deps: install
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "== installing Debian packages:$$missing"; \
		apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	fi

test-browser: browser-deps
	@if command -v chromium >/dev/null 2>&1; then \
		$(BIN)/pytest -q -m browser tests/browser; \
	elif [ -n "$$CI" ]; then \
		echo "!! chromium is missing and could not be installed: browser tests cannot run in CI"; exit 1; \
	else \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!! chromium is not installed and could not be installed here:          !!"; \
		echo "!! BROWSER TESTS SKIPPED. Install it: apt-get install -y chromium       !!"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

## make bench: speed and memory targets, printed as a table.
bench: translations
	$(BIN)/python -m bench.run

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
