#!/usr/bin/env bash
# `make gpu-ceiling` (issue 27, part 6): the ceiling and the chosen representation at the paper's 128 px, on a CUDA
# machine with torch and torchvision installed (no venv, no network, no nbdev), in one GPU window of about 9 minutes.
# On the paper preset (synthetic faces, bf16): for the spatial latent (Table 1) and the deforming decoder of 512
# (latent=warp), a warm-up of WARM steps (eq. 10), then CEIL steps with the true midway face as a teacher (truth_weight 1,
# Adam 5e-4, as `make ceiling`); and the paper's Bernoulli Λ on the deforming decoder for ADV adversarial steps from its
# warm-up. Each part is time-boxed with `timeout` (checkpoints every 250 steps: a part cut short is evaluated where it
# stopped, and its steps say so); then every run on 128 pairs of the unused seed 9,999 (bench/ceiling_table.py,
# bench/long_table.py), into $DEST: ceiling_curve.csv, ceiling.csv, long_arms.csv, the sweeps, the logs.
#   DEST=figures/gpu_ceiling RUNS=runs/gpu-ceiling bash bench/gpu_ceiling.sh
# On the CPU, as a check of the plumbing only: DEVICE=cpu PRESET=small IMG=32 WARM=20 CEIL=20 ADV=20 bash bench/gpu_ceiling.sh
set -u
cd "$(dirname "$0")/.."
RUNS=${RUNS:-runs/gpu-ceiling}; DEST=${DEST:-figures/gpu_ceiling}; DEVICE=${DEVICE:-cuda}; PRESET=${PRESET:-paper}
IMG=${IMG:-128}; WARM=${WARM:-500}; CEIL=${CEIL:-1500}; ADV=${ADV:-1000}; SEED=${SEED:-0}
T_WARM=${T_WARM:-50}; T_CEIL=${T_CEIL:-120}; T_ADV=${T_ADV:-100}; T_EVAL=${T_EVAL:-60}
export PYTHONPATH=$PWD PYTHONWARNINGS=ignore WARM FF_DEVICE=$DEVICE
GPU_PYTHON=${GPU_PYTHON:-python3}
WORKERS=$(n=$(nproc); echo $(( n > 2 ? n - 2 : 1 )))
BASE="--preset $PRESET --data synthetic --device $DEVICE --ckpt-every 250 --sample-every 250 --quiet"
[ "$DEVICE" = cuda ] && BASE="$BASE --workers $WORKERS --precision bf16"
rm -rf $RUNS; mkdir -p $RUNS/long $DEST
source bench/train_lib.sh
t0=$SECONDS
part() {  # seconds, run folder, steps, from, settings…: one part of the window, under `timeout`
  local t=$1; shift
  PY="timeout -k 5 $t $GPU_PYTHON" train "$@"; local rc=$?
  echo "$(basename $1): status $rc at $((SECONDS - t0)) s$( ((rc == 124 || rc == 137)) && echo ' (timed out: evaluated where it stopped)')"
}
for arm in spatial:- warp:512; do
  IFS=: read latent zdim <<< "$arm"
  z=$([ "$zdim" = - ] && echo null || echo $zdim)
  part $T_WARM $RUNS/warm_$latent $WARM '' latent=$latent z_dim=$z ae_steps=$WARM
  part $T_CEIL $RUNS/ceil_$latent$([ "$zdim" = - ] || echo $zdim) $((WARM + CEIL)) $RUNS/warm_$latent latent=$latent z_dim=$z \
    truth_weight=1 lr=0.0005 ae_steps=$((WARM + CEIL))
done
part $T_ADV $RUNS/long/bern_s$SEED $((WARM + ADV)) $RUNS/warm_warp latent=warp z_dim=512 ae_steps=$WARM
echo "== evaluation ($((SECONDS - t0)) s)"
timeout -k 5 $T_EVAL $GPU_PYTHON bench/ceiling_table.py $RUNS $DEST || echo "the ceiling's table did not finish (status $?)"
timeout -k 5 $T_EVAL $GPU_PYTHON bench/long_table.py $RUNS/long $DEST || echo "the Bernoulli arm's table did not finish (status $?)"
for d in $RUNS/ceil_* $RUNS/long/bern_s$SEED; do [ -f $d/log.jsonl ] && gzip -c $d/log.jsonl > $DEST/$(basename $d).log.jsonl.gz; done
cp $RUNS/log.txt $DEST/train_log.txt 2>/dev/null
echo "make gpu-ceiling: $((SECONDS - t0)) s"
