# Two commands matter: `make run` serves the site on http://127.0.0.1:8000 and `make test` runs every check.
# Both install what they need first, system packages included (as root, or through sudo).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# WeasyPrint needs Pango; the PDF report needs the Noto fonts for every script a note may use;
# the test suite needs Chromium for browser tests and poppler's pdftotext to read PDFs back.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji fonts-dejavu-core
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint check-migrations system-packages system-packages-test bench load-test clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

system-packages:
	@missing=$$(for p in $(RUN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

system-packages-test:
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

run: system-packages $(BIN)/activate
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_toolkit
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: $(BIN)/activate
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

test: system-packages-test lint check-migrations
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: system-packages $(BIN)/activate
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Needs DATABASE_URL to a PostgreSQL server; docs/benchmarks.md shows how to start a throwaway one.
load-test: system-packages $(BIN)/activate
	$(BIN)/python -m bench.load.run_load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) staticfiles
