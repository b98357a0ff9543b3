#!/usr/bin/env bash
# `make gpu-bench`: every speed row, a health run of the fastest and the table, in one GPU window of at most 6 minutes
# (BUDGET seconds for the rows and the health run; the table after them takes a few seconds). Each part runs in its
# own process under `timeout`; a row that crashes or hangs costs that row (bench/gpu_bench.py's watchdog ends a hung
# one), and a new process goes on with the rows left. See "One GPU window" in nbs/09_bench.ipynb.
#   OUT=runs/gpu-bench DEVICE=cuda BUDGET=345 HEALTH_S=120 ROW_S=90 DEST=bench bash bench/gpu_bench.sh [--tiny]
set -u
OUT=${OUT:-runs/gpu-bench}; DEVICE=${DEVICE:-cuda}; BUDGET=${BUDGET:-345}; HEALTH_S=${HEALTH_S:-120}; ROW_S=${ROW_S:-90}
DEST=${DEST:-bench}; PY=${GPU_PYTHON:-python3}; FLAGS=("$@")
export PYTHONPATH=${PYTHONPATH:-.} PYTHONWARNINGS=ignore
export TORCHINDUCTOR_CACHE_DIR=${TORCHINDUCTOR_CACHE_DIR:-$OUT/inductor} TORCHINDUCTOR_FX_GRAPH_CACHE=1 TORCHINDUCTOR_AUTOGRAD_CACHE=1
rm -rf "$OUT/rows" "$OUT/health-run" "$OUT/health.json"; mkdir -p "$OUT/rows"
start=$SECONDS; end=$((SECONDS + BUDGET))
rows_end=$(( $(date +%s) + BUDGET - HEALTH_S ))
echo "== rows (until $((BUDGET - HEALTH_S)) s)"
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  left=$(( rows_end - $(date +%s) )); (( left < 10 )) && break
  timeout -k 5 "$left" "$PY" bench/gpu_bench.py rows --out "$OUT" --device "$DEVICE" --deadline "$rows_end" --row-s "$ROW_S" "${FLAGS[@]}" 2>>"$OUT/rows.log"
  rc=$?
  for f in "$OUT"/rows/*.started; do  # a row whose process died under it (a crash below Python, or the outer timeout)
    [ -e "$f" ] || continue
    name=$(basename "$f" .started); rm -f "$f"
    if (( rc == 124 || rc == 137 )); then echo "timed out (the rows' time ran out)" > "$OUT/rows/$name.err"
    else last=$(grep -v '^\s*$' "$OUT/rows.log" | tail -1 | cut -c1-200)
         echo "crashed: the process ended with status $rc${last:+: $last}" > "$OUT/rows/$name.err"; fi
    echo "$name: $(cat "$OUT/rows/$name.err")"
  done
  (( rc == 0 )) && break
done
left=$(( end - SECONDS ))
echo "== health run of the fastest row ($left s left)"
if (( left >= 20 )); then
  timeout -k 5 "$left" "$PY" bench/gpu_bench.py health --out "$OUT" --device "$DEVICE" "${FLAGS[@]}" 2>>"$OUT/health.log" \
    || echo "the health run did not finish (status $?; $OUT/health.log)"
else echo "no time left for the health run"; fi
timeout 60 "$PY" bench/gpu_bench.py table --out "$OUT" --dest "$DEST" --device "$DEVICE"
echo "make gpu-bench: $((SECONDS - start)) s"
