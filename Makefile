# Quick start: `make demo` and `make test` set up a local virtual environment themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: test demo notebooks docs outputs-check sync-check nbtest pytest export lab gpu-check gpu-bench gpu-ceiling chromium arms ceiling ceiling64 long-arms long-warp roles

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

## Every notebook in nbs/ run top to bottom against the demo's model (`make demo` first, if runs/demo is not at its last
## step) and saved with its outputs, scrubbed of what changes from run to run; records the hashes that `outputs-check`
## compares (nbs/outputs.json). About 15 minutes on 2 cores. Commit nbs/ afterwards.
notebooks: $(VENV)/.installed
	@ls runs/demo/ckpt_$$(printf %07d $(DEMO_STEPS)).pt >/dev/null 2>&1 || $(MAKE) demo
	$(BIN)/python tools/notebooks.py run

## The documentation site, offline: the README and every notebook with its outputs as static HTML in _docs/
## (nbdev_docs instead where quarto is on the PATH). Open _docs/index.html.
docs: $(VENV)/.installed
	$(BIN)/python tools/docs.py _docs

## Everything CI checks: notebooks clean and in sync with the package, their committed outputs present and made by the
## code as committed, notebook tests, pytest (with the browser tests of the explorer and of the site).
test: $(VENV)/.installed
	$(MAKE) sync-check outputs-check chromium nbtest pytest

outputs-check: $(VENV)/.installed
	$(BIN)/python tools/notebooks.py check

## The browser test drives Debian's Chromium (never a downloaded one); as root with apt-get, install it where it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser test (log: .chromium-install.log)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } > .chromium-install.log 2>&1 \
	    || echo "chromium could not be installed (.chromium-install.log): the browser test will be skipped, and say so"; \
	else echo "chromium is missing and cannot be installed here (no root or no apt-get): the browser test will be skipped, and say so"; fi

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
	$(BIN)/python -m pytest -q -rs --durations=12 tests

## On a CUDA machine, with torch and torchvision already installed (no venv, no network, no nbdev): the paper preset on
## synthetic faces for 3,000 steps (500 warm-up) with the default settings, then evaluate and figures on CUDA; prints the
## health checks (PSNR, monotone sweeps, collapse, the critic's gap) with pairs/s, and fails if the last check is unhealthy.
GPU_PYTHON ?= python3
GPU_RUN ?= runs/gpu-check
GPU_WORKERS ?= $(shell n=$$(nproc); echo $$(( n > 2 ? n - 2 : 1 )))
GPU_CLI := PYTHONPATH=. PYTHONWARNINGS=ignore $(GPU_PYTHON) -m facefusion_nb.cli
gpu-check:
	rm -rf $(GPU_RUN)
	time $(GPU_CLI) train --preset paper --data synthetic --steps 3000 --ae-steps 500 --out $(GPU_RUN) --device cuda \
		--workers $(GPU_WORKERS) --ckpt-every 500 --sample-every 250 --quiet
	$(GPU_CLI) evaluate --ckpt $(GPU_RUN) --device cuda --out $(GPU_RUN)/evaluation.csv
	$(GPU_CLI) figures --ckpt $(GPU_RUN) --device cuda --out $(GPU_RUN)/figures
	$(GPU_CLI) health $(GPU_RUN) --check

## On a CUDA machine, as gpu-check (no venv, no network, no nbdev), in one GPU window of at most 6 minutes: every speed
## row at the paper preset (baseline; fast; fast plus each switch it leaves off; all of them; all with a lazy penalty of 4
## and of 16), a 1,000-step health run of the fastest, and the table, written to bench/<gpu-name>.json and .md. Each part
## is time-boxed with `timeout`: a crash or a hang costs one row (bench/gpu_bench.sh; "One GPU window" in 09_bench).
gpu-bench:
	OUT=runs/gpu-bench GPU_PYTHON=$(GPU_PYTHON) bash bench/gpu_bench.sh

## Issue 27, part 6, on a CUDA machine as gpu-check (no venv, no network, no nbdev), in one window of at most 9.5 minutes:
## the ceiling for the spatial latent and the deforming decoder of 512 at the paper's 128 px, and Bernoulli Λ on the
## latter, each part time-boxed, evaluated on 128 pairs of the unused seed into figures/gpu_ceiling/ (bench/gpu_ceiling.sh).
gpu-ceiling:
	GPU_PYTHON=$(GPU_PYTHON) bash bench/gpu_ceiling.sh

## The options against two faces overlaid (ACAI's interpolation critic, the latent cycle), screened at 32 px from one
## shared warm-up (bench/arms.sh; about 45 minutes on 2 cores, resumable): the table into figures/arms/arms.csv and each
## arm's Figure 4, with its ground-truth row, into figures/arms/.
arms: $(VENV)/.installed
	bash bench/arms.sh runs/arms
	$(BIN)/python bench/arms_table.py runs/arms figures/arms/arms.csv
	$(BIN)/python bench/arms_sweeps.py runs/arms figures/arms

## Issue 36: the roles' signals screened at 32 px against the paper's unsupervised run (experiments/roles.py; about 10
## minutes an arm on 2 cores, one at a time, resumable), then the table, share tables and figures into figures/roles/.
roles: $(VENV)/.installed
	PYTHONPATH=. PYTHONWARNINGS=ignore $(BIN)/python experiments/roles.py run runs/roles
	PYTHONPATH=. PYTHONWARNINGS=ignore $(BIN)/python experiments/roles.py table runs/roles figures/roles

## Developer helpers.
export: $(VENV)/.installed
	$(BIN)/nbdev_clean && $(BIN)/nbdev_export

lab: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]" && $(BIN)/jupyter lab nbs

## Issue 27's ceiling: the true midway face as a teacher (a diagnostic, synthetic faces only), for each latent
## representation at 32 px, 10,000 supervised steps each after its own warm-up (about 8 minutes a run alone on 2 cores, 25 for
## the 2,048-number codes, which the committed table stopped at 4,500; resumable); then the curves, the table on 128 pairs of an unused seed, and each run's Figure 4 into figures/ceiling/.
CEILING_ARMS ?= spatial_w1_lr5e-4:spatial:-:1:0.0005 vector256_w1_lr5e-4:vector:256:1:0.0005 style256_w1_lr5e-4:style:256:1:0.0005 \
	style256_w1_lr1e-3:style:256:1:0.001 style256_w2_lr5e-4:style:256:2:0.0005 style2048_w1_lr5e-4:style:-:1:0.0005 \
	vector2048_w1_lr5e-4:vector:-:1:0.0005 warp256_w1_lr5e-4:warp:256:1:0.0005 warp512_w1_lr5e-4:warp:512:1:0.0005
ceiling: $(VENV)/.installed
	bash bench/ceiling.sh runs/ceiling $(CEILING_ARMS)
	PYTHONPATH=. $(BIN)/python bench/ceiling_table.py runs/ceiling figures/ceiling

## The ceiling at 64 px (the small preset's own side) for the spatial latent and the chosen one, as far as a session goes
## (4,000 supervised steps; resumable): figures/ceiling64/.
CEILING64_ARMS ?= spatial_w1_lr5e-4:spatial:-:1:0.0005 style256_w1_lr5e-4:style:256:1:0.0005 warp512_w1_lr5e-4:warp:512:1:0.0005
ceiling64: $(VENV)/.installed
	IMG=64 STEPS=$${STEPS:-4000} bash bench/ceiling.sh runs/ceiling64 $(CEILING64_ARMS)
	PYTHONPATH=. $(BIN)/python bench/ceiling_table.py runs/ceiling64 figures/ceiling64

## Issue 27's long arms without the answer (Bernoulli, ACAI as its authors ran it, AMR) on one latent, two seeds, 3,000
## adversarial steps each at 32 px (resumable; hours on 2 cores); the table and sweeps into figures/long/.
LONG_LATENT ?= style 256
long-arms: $(VENV)/.installed
	bash bench/long_arms.sh runs/long $(LONG_LATENT)
	PYTHONPATH=. $(BIN)/python bench/long_table.py runs/long figures/long

## Part 3 again on the latent whose ceiling came lowest within 1 dB, the deforming decoder of 512 (`latent=warp`): the
## three arms and AMR with the latent cycle (amrc) on seed 0, Bernoulli on seed 1 (the seeds' noise), and the default's
## spatial latent under Bernoulli on seed 0 at the same length, 3,000 adversarial steps each (resumable; about 40 minutes
## a run on 2 cores): figures/long_warp/ and figures/long_spatial/.
long-warp: $(VENV)/.installed
	ARMS="bern acai amr amrc" bash bench/long_arms.sh runs/long_warp warp 512 0
	ARMS=bern bash bench/long_arms.sh runs/long_warp warp 512 1
	ARMS=bern bash bench/long_arms.sh runs/long_spatial spatial - 0
	PYTHONPATH=. $(BIN)/python bench/long_table.py runs/long_spatial figures/long_spatial
	PYTHONPATH=. $(BIN)/python bench/long_table.py runs/long_warp figures/long_warp figures/long_spatial/long_arms.csv
