# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install install-test install-bench lint messages clean serve worker scheduler

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(VENV)/.installed $(VENV)/.installed-test $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The tools of bench/load.py (locust) besides the test tools.
install-bench: $(VENV)/.installed-bench

# Another city's programme instead of the shipped one: make run PROGRAMME=path, where
# path is its programme file (an XLSX workbook or a folder of CSV files, as described in
# docs/programme-format.md). It gets a database of its own (db-programme.sqlite3, unless
# DATABASE_URL names one) and the demo administrator and strategist only: nothing of the
# shipped programme or its demo.
PROGRAMME ?=
ifneq ($(PROGRAMME),)
run: export DATABASE_URL ?= sqlite:///$(CURDIR)/db-programme.sqlite3
endif

# The e-mails' links lead to the address the app is started on, unless SITE_URL names one.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(BIN)/python manage.py migrate --no-input -v 0
ifeq ($(PROGRAMME),)
	$(BIN)/python manage.py load_programme
	$(BIN)/python manage.py load_demo --url http://$(HOST):$(PORT)/
else
	$(BIN)/python manage.py import_programme "$(PROGRAMME)"
	$(BIN)/python manage.py load_demo --logins-only --url http://$(HOST):$(PORT)/
endif
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production (see docs/operations.md): DEBUG off; SECRET_KEY, ALLOWED_HOSTS,
# DATABASE_URL and TASKS_BACKEND=django_tasks_db.DatabaseBackend come from the environment.
WEB_WORKERS ?= 3
# The same commands as the image's (deploy/start), with this checkout's virtual environment.
START := PATH="$(CURDIR)/$(BIN):$$PATH" DEBUG=false deploy/start
serve: install
	$(START) migrate -v 0
	DEBUG=false $(BIN)/python manage.py collectstatic --no-input -v 0
	HOST=$(HOST) PORT=$(PORT) WEB_WORKERS=$(WEB_WORKERS) $(START) web

worker: install
	$(START) worker

scheduler: install
	$(START) scheduler

# With DATABASE_URL set the suite runs on that database (PostgreSQL in CI). The tests run
# in PYTEST_WORKERS processes (pytest-xdist), one per core of a two-core machine; 0 runs
# them in this one (as `.venv/bin/python -m pytest` does).
PYTEST_WORKERS ?= 2
test: install-test
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ echo "Installing Debian's chromium for the browser tests..."; \
		  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; } || \
		echo "No /usr/bin/chromium: the browser tests will be skipped (install Debian's chromium)."
	@{ fc-list 2>/dev/null | grep -q "Noto Sans CJK" && fc-list | grep -q "Noto Color Emoji"; } || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ echo "Installing the Noto fonts for the report's other scripts and emoji..."; \
		  apt-get update -qq && apt-get install -y -qq fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji >/dev/null; }; } || \
		echo "No Noto fonts for other scripts: the test of them is skipped (install fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji)."
	@ldconfig -p | grep -q libcairo.so.2 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ echo "Installing Cairo for the Word file's charts..."; \
		  apt-get update -qq && apt-get install -y -qq libcairo2 >/dev/null; }; } || \
		echo "No libcairo2: compiling a report with charts fails (install libcairo2)."
	@command -v soffice >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ echo "Installing LibreOffice (Writer, no GUI) to check the Word edition..."; \
		  apt-get update -qq && apt-get install -y -qq libreoffice-writer-nogui >/dev/null; }; } || \
		echo "No soffice: the Word edition's LibreOffice test is skipped (install libreoffice-writer-nogui)."
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

MESSAGES_ARGS := -l sv -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=locale_extra --ignore=media

messages: install-test
	$(BIN)/python manage.py makemessages $(MESSAGES_ARGS)
	$(BIN)/python locale/fill_english.py
	$(BIN)/python manage.py makemessages $(MESSAGES_ARGS)
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
