# Shared by bench/arms.sh and bench/ceiling.sh (sourced): train RUN_FOLDER STEPS FROM SETTINGS… — a run to STEPS, resumed
# where it has checkpoints, else started from the run FROM (or from scratch if FROM is ''); skipped once at STEPS.
# Needs RUNS, PY, BASE and SEED (and IMG, the side: 32 unless set); logs to $RUNS/log.txt with the run's wall time.
train() {
  local out=$1 steps=$2 from=$3 start timer=(); shift 3
  if [ -f $out/ckpt_$(printf %07d $steps).pt ]; then return; fi
  if ls $out/ckpt_*.pt >/dev/null 2>&1; then start=--resume; elif [ -n "$from" ]; then start="--init-from $from"; else start=; fi
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "$(basename $out) %e s")  # the run's wall time, where GNU time is installed
  ${timer[@]+"${timer[@]}"} $PY -m facefusion_nb.cli train $BASE --set img_size=${IMG:-32} seed=$SEED "$@" \
    --steps $steps --out $out $start >> $RUNS/log.txt 2>&1
}
