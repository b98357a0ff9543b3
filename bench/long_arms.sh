#!/usr/bin/env bash
# Issue 27, part 3: signals without the answer, long, on one latent representation, at 32 px (the small preset otherwise),
# on the CPU: each seed gets its own 1,000-step warm-up of that latent, then ADV adversarial steps per arm:
#   bern  the paper's Bernoulli Λ (today's default);
#   acai  ACAI as its authors ran it: λ = 0.5 against their mean squared reconstruction error, rescaled to this objective's
#         w4·L1 by matching gradients at the warm-up's error (d(MSE)/dx = 2e against w4·sign(e)): interp_weight =
#         0.5·w4/(2·L1 at the end of the warm-up); one critic step per E/G step, Adam 1e-4, no critic warm-up;
#   amr   a realism critic on continuous mixes (AMR): Λ uniform, the perceptual targets on A' and B' only (ends);
#   amrc  amr with the latent cycle (AMR's consistency: C encoded again gives back its mix, cycle_weight 10), not by default.
# One process at a time, one thread each. Resumable: run it again after a stop. Then bench/long_table.py RUNS OUT.
# Usage: bench/long_arms.sh RUNS LATENT Z_DIM [SEEDS] (ADV adversarial steps, default 3000; ARMS, default "bern acai amr").
set -u
cd "$(dirname "$0")/.."
RUNS=${1:-runs/long}; LATENT=${2:-style}; ZDIM=${3:-256}; SEEDS=${4:-"0 1"}
ADV=${ADV:-3000}; ARMS=${ARMS:-bern acai amr}
export PYTHONPATH=$PWD PYTHONWARNINGS=ignore OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} MKL_NUM_THREADS=${OMP_NUM_THREADS:-1}
PY=${PY:-.venv/bin/python}
BASE="--preset small --data synthetic --ckpt-every 500 --sample-every 500 --quiet"
mkdir -p $RUNS
source bench/train_lib.sh
arm() { [[ " $ARMS " == *" $1 "* ]]; }  # is this arm asked for?
z=$([ "$ZDIM" = - ] && echo null || echo $ZDIM)
for SEED in $SEEDS; do
  warm=$RUNS/warm_${LATENT}_${ZDIM}_s$SEED
  train $warm 1000 '' latent=$LATENT z_dim=$z || continue
  w4=$($PY -c "from facefusion_nb.core import Settings; print(Settings.load('$warm/settings.json').loss_weights(False)[3])")
  l1=$($PY -c "import pandas as pd; print(pd.read_json('$warm/log.jsonl', lines=True).ae.tail(50).mean())")
  acai=$($PY -c "print(round(0.5 * $w4 / (2 * $l1), 1))")
  echo "seed $SEED: w4 $w4, warm-up L1 $l1, ACAI's interp_weight $acai" >> $RUNS/log.txt
  T=$((1000 + ADV))
  arm bern && train $RUNS/bern_s$SEED $T $warm latent=$LATENT z_dim=$z
  arm acai && train $RUNS/acai_s$SEED $T $warm latent=$LATENT z_dim=$z interp_weight=$acai interp_lr=0.0001 interp_warm=0
  arm amr && train $RUNS/amr_s$SEED $T $warm latent=$LATENT z_dim=$z lam_mode=uniform perceptual_on=ends
  arm amrc && train $RUNS/amrc_s$SEED $T $warm latent=$LATENT z_dim=$z lam_mode=uniform perceptual_on=ends cycle_weight=10
done
