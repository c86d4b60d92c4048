# The two commands of the README: `make site` and `make test`.
# Each sets up what it needs: a virtual environment in .venv with pinned dependencies.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_DIR ?= site

# Builds are reproducible: dates come from the last commit, not from the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: site test serve validate bench lint lock clean

site: $(VENV)/.site-installed
	$(BIN)/tmrc validate catalog
	$(BIN)/tmrc build --site-dir $(SITE_DIR)

test: $(VENV)/.test-installed
	$(BIN)/ruff check generator tests
	$(BIN)/pytest

serve: $(VENV)/.site-installed
	$(BIN)/tmrc serve

validate: $(VENV)/.site-installed
	$(BIN)/tmrc validate catalog

bench: $(VENV)/.test-installed
	$(BIN)/python -m tests.bench.run

lint: $(VENV)/.test-installed
	$(BIN)/ruff check generator tests

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"' \
	  || { echo "make: Python 3.11 or newer is needed (found: $$($(PYTHON) --version))" >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) \
	  || { echo "make: could not create $(VENV); on Debian install python3-venv (apt install python3-venv)" >&2; rm -rf $(VENV); exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.site-installed: $(VENV)/bin/python requirements/site.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements/site.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.test-installed: $(VENV)/.site-installed requirements/test.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.lock
	@touch $@

lock: $(VENV)/bin/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe \
	  --output-file requirements/site.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe --extra test \
	  --output-file requirements/test.lock pyproject.toml

clean:
	rm -rf $(VENV) $(SITE_DIR) site.partial* site.previous* .pytest_cache .ruff_cache
