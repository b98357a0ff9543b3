# Quick start: `make demo` and `make test` set up a local virtual environment themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: test demo sync-check nbtest pytest export lab

# The environment is rebuilt only when the project's requirements change.
$(VENV)/.installed: settings.ini setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

## The main job on the embedded default data: train the small preset on synthetic faces (1,000 warm-up steps,
## then DEMO_STEPS - 1000 adversarial ones) into runs/demo, then write the figures and tables into figures/.
## Run again, it resumes runs/demo (a no-op once there) and redraws the figures.
DEMO_STEPS ?= 1150
demo: $(VENV)/.installed
	$(BIN)/facefusion train --preset small --data synthetic --steps $(DEMO_STEPS) --out runs/demo --ckpt-every 250 \
		$$(ls runs/demo/ckpt_*.pt >/dev/null 2>&1 && echo --resume)
	$(BIN)/facefusion figures --ckpt runs/demo --out figures
	$(BIN)/facefusion evaluate --ckpt runs/demo --out figures/evaluation.csv

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
