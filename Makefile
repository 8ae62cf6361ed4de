# The one entry point: `make demo` and `make test` for a newcomer; bench and fmt for us.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_LINK_MODE ?= copy
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := $(UV) run --frozen python
DEMO_SCALE ?= small
DEMO_SEED ?= 2008
HOST ?= 127.0.0.1:8000

.PHONY: help install system-deps assets messages demo demo-data serve test test-sqlite test-postgres lint browser-deps bench fmt clean

help:
	@echo "make demo   install, migrate, build a demo province, print the logins, serve on http://$(HOST)"
	@echo "make test   install and run every test, on SQLite and on PostgreSQL"

$(UV):
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --user --quiet uv || python3 -m pip install --user --quiet --break-system-packages uv

install: $(UV) system-deps assets messages
	$(UV) sync --frozen

# Reports render PDF through WeasyPrint (Pango) with Debian's CJK fonts: install them where
# missing and we can (root with apt-get); otherwise say what to install.
system-deps:
	@missing=""; \
	  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	  ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "Installing$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else echo "Please install:$$missing (PDF reports need them)"; fi; \
	  fi

assets: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

messages: $(UV)
	$(UV) sync --frozen --quiet
	$(PY) tools/compile_messages.py

demo: install demo-data serve

demo-data:
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_province --scale $(DEMO_SCALE) --seed $(DEMO_SEED) --if-empty

serve:
	$(PY) manage.py runserver $(HOST)

lint:
	$(UV) run --frozen ruff check src tools $(wildcard bench)
	$(UV) run --frozen ruff format --check src tools $(wildcard bench)

# Debian's Chromium drives the browser tests; install it where it is missing and we can.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); } || \
	  echo "Chromium is missing and could not be installed: the browser tests will fail (apt-get install chromium)."

test: install browser-deps lint test-sqlite test-postgres

test-sqlite:
	@echo "== tests on SQLite"
	env -u DATABASE_URL $(UV) run --frozen pytest

test-postgres:
	@echo "== tests on PostgreSQL"
	@url=$$($(PY) tools/testdb.py) || exit 1; \
	  DATABASE_URL="$$url" $(UV) run --frozen pytest

bench:
	$(PY) bench/run_all.py

fmt:
	$(UV) run --frozen ruff format src tools $(wildcard bench)
	$(UV) run --frozen ruff check --fix src tools $(wildcard bench)

clean:
	rm -rf .venv node_modules var staticfiles
