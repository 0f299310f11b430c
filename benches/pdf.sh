#!/usr/bin/env bash
# PDF reading speed and memory: pages/s, MB/s per core and peak RSS of
# `gongkai check --text` on a PDF of 200 pages or more.
#
#   benches/pdf.sh [BIG.pdf]
#
# BIN names another binary to measure. Without an argument it builds one: generated reports printed by headless
# Chromium, merged with qpdf until they reach 200 pages (needs chromium, qpdf).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/gongkai}
[ -x "$bin" ] || cargo build --release
work=${BENCH_DIR:-target/bench-pdf}
big=${1:-}
mkdir -p "$work"
if [ -z "$big" ]; then
  mkdir -p "$work/html" "$work/pdf"
  big=$work/big.pdf
  if [ ! -s "$big" ]; then
    "$bin" gen --count 120 --out "$work/html" --seed 7 >/dev/null
    pages=0; parts=()
    for f in "$work"/html/*.html; do
      out=$work/pdf/$(basename "$f" .html).pdf
      if [ ! -s "$out" ]; then
        prof=$(mktemp -d)
        chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
          --disable-component-update --disable-sync --user-data-dir="$prof" \
          --print-to-pdf="$out" "file://$(realpath "$f")" >/dev/null 2>&1
        rm -rf "$prof"
      fi
      parts+=("$out"); pages=$((pages + $(qpdf --show-npages "$out")))
      [ "$pages" -ge 200 ] && break
    done
    qpdf --empty --pages "${parts[@]}" -- "$big"
  fi
fi
pages=$(qpdf --show-npages "$big")
bytes=$(stat -c %s "$big")
"$bin" check --text "$big" >/dev/null # warm the page cache
best=
for _ in 1 2 3; do
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" check --text "$big" >/dev/null
  read -r wall user sys rss <"$work/time"
  cpu=$(echo "$user + $sys" | bc -l)
  if [ -z "$best" ] || (( $(echo "$cpu < $best" | bc -l) )); then best=$cpu; bwall=$wall; brss=$rss; fi
done
printf 'pdf: %s: %d pages, %.1f MB; best of 3: %.2fs wall, %.2fs CPU\n' "$big" "$pages" "$(echo "$bytes/1000000" | bc -l)" "$bwall" "$best"
printf 'pdf: %.0f pages/s per core, %.2f MB/s per core, peak RSS %.0f MB\n' \
  "$(echo "$pages/$best" | bc -l)" "$(echo "$bytes/1000000/$best" | bc -l)" "$(echo "$brss/1024" | bc -l)"
