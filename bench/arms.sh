#!/usr/bin/env bash
# `make arms`: the options against two faces overlaid (issue 21), screened at 32 px, the small preset otherwise, on CPU.
# One shared warm-up (1,000 steps); the interpolation critic warmed alone on that frozen model (1,500 steps, Adam 1e-3,
# chosen against 3e-4 and 3e-3 by its α error); then every arm trains E and G for 1,000 adversarial steps and is
# evaluated on 128 held-out pairs. Resumable: run it again after an interruption. About 45 minutes on 2 cores.
# Then: bench/arms_table.py RUNS figures/arms/arms.csv, and a sweep figure of each arm (facefusion figures).
set -u
cd "$(dirname "$0")/.."
RUNS=${1:-runs/arms}; SEED=${SEED:-0}
export PYTHONPATH=$PWD PYTHONWARNINGS=ignore
PY=${PY:-.venv/bin/python}
BASE="--preset small --data synthetic --ckpt-every 250 --sample-every 250 --quiet"
mkdir -p $RUNS
source bench/train_lib.sh
arm() {  # name, from, steps, settings…
  local name=$1 from=$2 steps=$3; shift 3
  train $RUNS/arm_$name $steps $from "$@" || return
  [ -f $RUNS/arm_$name/evaluation.csv ] || $PY -m facefusion_nb.cli evaluate --ckpt $RUNS/arm_$name --out $RUNS/arm_$name/evaluation.csv >> $RUNS/log.txt 2>&1
}
W="interp_lr=0.001 interp_warm=1500"
train $RUNS/warm32 1000 ''
for lr in 0.0003 0.001 0.003; do train $RUNS/critic_$lr 2500 $RUNS/warm32 interp_weight=10 interp_warm=1500 interp_lr=$lr; done
arm bern $RUNS/warm32 2000
arm acai10 $RUNS/critic_0.001 3500 interp_weight=10 $W
arm acai40 $RUNS/critic_0.001 3500 interp_weight=40 $W
arm acai10_ends $RUNS/critic_0.001 3500 interp_weight=10 $W perceptual_on=ends
arm acai10_cycle $RUNS/critic_0.001 3500 interp_weight=10 $W cycle_weight=10
arm acai10_chunk $RUNS/warm32 3500 interp_weight=10 $W interp_alpha=chunk
