#!/usr/bin/env bash
# Copy detection (the copy pass of issue 16) over growing generated corpora:
# wall time and peak RSS of `gongkai copies` on indexes of 10k, 20k and 50k
# generated reports (planted copies included), to show how both grow.
#
#   benches/copies.sh [SIZES...]        default: 10000 20000 50000
#   BENCH_DIR=DIR keeps the corpus and indexes for a rerun; GONGKAI_BIN=PATH measures another binary.
#
# One corpus of the largest size is generated; each index holds its first N
# reports (ingested once: ingest time is not what is measured). Prints one
# line per size and writes bench-out/copies.json (not committed). Needs /usr/bin/time for RSS.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="${GONGKAI_BIN:-$CARGO_TARGET_DIR/release/gongkai}"
sizes=("${@:-10000 20000 50000}")
read -r -a sizes <<< "${sizes[*]}"
max=0; for n in "${sizes[@]}"; do [ "$n" -gt "$max" ] && max=$n; done
work="${BENCH_DIR:-$(mktemp -d)}"
[ -z "${BENCH_DIR:-}" ] && trap 'rm -rf "$work"' EXIT
[ -d "$work/corpus" ] || "$bin" gen --count "$max" --out "$work/corpus" --seed 16 --shapes none --plants >&2
out="$here/bench-out/copies.json"; mkdir -p "$here/bench-out"
echo "[" > "$out"
first=1
for n in "${sizes[@]}"; do
  sub="$work/c$n"
  if [ ! -d "$sub" ]; then
    mkdir -p "$sub"
    # The first n reports: files are NNNNNN.ext, in order.
    { ls "$work/corpus" | grep -v expected | sort | head -n "$n" || true; } | while read -r f; do ln -s "$work/corpus/$f" "$sub/$f"; done
  fi
  idx="$work/index$n"
  [ -d "$idx" ] || "$bin" ingest --index "$idx" "$sub" >/dev/null 2>&1
  log="$work/time$n.txt"
  /usr/bin/time -v "$bin" copies --index "$idx" > "$work/copies$n.txt" 2> "$log"
  secs=$(grep -E "Elapsed \(wall" "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident" "$log" | awk '{print $NF}')
  # CPU seconds (user + system): what the work costs even when other jobs share the cores.
  cpu=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$log")
  echo "copies: $n reports  ${secs}s wall  ${cpu}s CPU  peak RSS $((rss / 1024)) MB  ($(cat "$work/copies$n.txt"))"
  [ $first -eq 1 ] || echo "," >> "$out"
  first=0
  printf '{"reports": %d, "secs": %s, "cpu_secs": %s, "peak_rss_kb": %d}' "$n" "$secs" "$cpu" "$rss" >> "$out"
done
echo "]" >> "$out"
