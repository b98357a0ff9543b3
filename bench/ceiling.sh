#!/usr/bin/env bash
# `make ceiling`: the ceiling (issue 27) — the ground truth as a teacher (truth_weight) — for each latent representation,
# at 32 px, the small preset otherwise, on the CPU. Each representation gets its own 1,000-step warm-up (eq. 10), then
# STEPS steps of eq. 10 plus the truth term. A health check every 500 steps logs the ground truth at Λ = ½ and its floor
# on 64 held-out pairs (the curve); bench/ceiling_table.py evaluates the last step on 128 pairs of an unused seed.
# One process at a time, one thread each (runs beside other work on 2 cores). Resumable: run it again after a stop.
# Usage: bench/ceiling.sh RUNS [arm ...], each arm NAME:LATENT:Z_DIM:WEIGHT:LR (Z_DIM '-' for the latent's default).
set -u
cd "$(dirname "$0")/.."
RUNS=${1:-runs/ceiling}; shift || true
STEPS=${STEPS:-10000}; SEED=${SEED:-0}
export PYTHONPATH=$PWD PYTHONWARNINGS=ignore OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} MKL_NUM_THREADS=${OMP_NUM_THREADS:-1}
PY=${PY:-.venv/bin/python}
BASE="--preset small --data synthetic --ckpt-every 500 --sample-every 500 --quiet"
ARMS=${*:-spatial_w1_lr5e-4:spatial:-:1:0.0005 spatial_w1_lr1e-3:spatial:-:1:0.001 spatial_w2_lr5e-4:spatial:-:2:0.0005}
mkdir -p $RUNS
source bench/train_lib.sh
for arm in $ARMS; do
  IFS=: read name latent zdim w lr <<< "$arm"
  z=$([ "$zdim" = - ] && echo null || echo $zdim)
  warm=$RUNS/warm_${latent}_$zdim
  train $warm 1000 '' latent=$latent z_dim=$z || continue
  train $RUNS/ceil_$name $((1000 + STEPS)) $warm latent=$latent z_dim=$z truth_weight=$w lr=$lr ae_steps=$((1000 + STEPS))
done
