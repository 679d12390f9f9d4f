# Okoa: the two set-up commands are `make demo` and `make test` (see README.md).
# Both install what they need on a fresh Debian machine with Python 3.11, as root, and can be
# run again at any time.

SHELL := /bin/bash
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3

.PHONY: demo test check pytest serve bootstrap sync messages system-packages gettext clean

demo: sync messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo
	$(PY) manage.py check --database default
	$(PY) manage.py runserver 127.0.0.1:8000

test: sync system-packages messages check pytest

check:
	$(UV) run --no-sync ruff check .
	$(UV) run --no-sync ruff format --check .
	$(UV) run --no-sync mypy okoa
	$(PY) manage.py makemigrations --check --dry-run

pytest:
	$(UV) run --no-sync pytest

# uv itself, in a private virtual environment, at a pinned version.
$(UV):
	python3 -m venv $(TOOLS) || { apt-get update -qq && apt-get install -y -qq python3-venv && python3 -m venv $(TOOLS); }
	$(TOOLS)/bin/pip install -q "uv==$(UV_VERSION)"

bootstrap: $(UV)

sync: $(UV)
	$(UV) sync --locked --all-groups

# Debian packages the tests use: Chromium for the browser tests (Playwright drives it; no
# browser download) and Dovecot, a real IMAP server on loopback for the email intake tests.
# One apt run for whatever is missing.
system-packages: gettext
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ] || missing="$$missing dovecot-imapd"; \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# GNU gettext compiles the translations (.po -> .mo) that ship as sources only.
gettext:
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }

messages: gettext sync
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v 0

clean:
	rm -rf .venv $(TOOLS) var/okoa.sqlite3*
