# Quick start: `make test` (and, from a later issue, `make demo`) set up a local virtual environment themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: test sync-check nbtest pytest export clean-nbs lab

# The environment is rebuilt only when the project's requirements change.
$(VENV)/.installed: settings.ini setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

## Everything CI checks: notebooks clean and in sync with the package, notebook tests, pytest.
test: $(VENV)/.installed
	$(MAKE) sync-check nbtest pytest

## nbdev_clean and nbdev_export must change nothing that git tracks.
sync-check: $(VENV)/.installed
	@before="$$(git status --porcelain)"; \
	$(BIN)/nbdev_clean && $(BIN)/nbdev_export; \
	after="$$(git status --porcelain)"; \
	if [ "$$before" != "$$after" ]; then \
	  echo "nbdev_clean/nbdev_export changed files: notebooks and package are not clean and in sync:"; \
	  diff <(echo "$$before") <(echo "$$after"); exit 1; \
	fi; echo "notebooks clean and in sync with facefusion_nb/"

nbtest: $(VENV)/.installed
	$(BIN)/nbdev_test --n_workers 2

pytest: $(VENV)/.installed
	$(BIN)/python -m pytest -q tests

## Developer helpers.
export: $(VENV)/.installed
	$(BIN)/nbdev_clean && $(BIN)/nbdev_export

lab: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]" && $(BIN)/jupyter lab nbs
