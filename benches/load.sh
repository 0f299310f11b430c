#!/usr/bin/env bash
# Load test of `gongkai serve` (not part of `cargo test`).
#
#   N=5000 benches/load.sh        # quick run
#   benches/load.sh               # 50,000 reports
#
# Generates N synthetic reports, ingests them, serves them on 127.0.0.1 and
# runs concurrent searches for DURATION seconds (default 30) with wrk over a
# fixed query mix, round-robin. Prints requests/s, p50/p99 latency and the
# error count; exits non-zero on any non-2xx answer or socket error.
# Env: N, DURATION, THREADS (2), CONNECTIONS (4), WORK (work dir, default
# bench-out/load-N; reused when its index exists), GONGKAI (binary).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50000}
DURATION=${DURATION:-30}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-4}
WORK=${WORK:-bench-out/load-$N}
TARGET=${CARGO_TARGET_DIR:-target}
GONGKAI=${GONGKAI:-$TARGET/release/gongkai}

command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
command -v curl >/dev/null || (apt-get update -qq && apt-get install -y -qq curl)
[ -x "$GONGKAI" ] && [ -z "${REBUILD:-}" ] || cargo build --release --quiet
mkdir -p "$WORK"

if [ ! -f "$WORK/index/meta.json" ]; then
  rm -rf "$WORK/corpus" "$WORK/index"
  t0=$(date +%s.%N)
  "$GONGKAI" gen --count "$N" --out "$WORK/corpus" >/dev/null
  t1=$(date +%s.%N)
  "$GONGKAI" ingest --index "$WORK/index" "$WORK/corpus" -q
  t2=$(date +%s.%N)
  awk -v n="$N" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "gen %d reports: %.1f s; ingest: %.1f s\n", n, b - a, c - b }'
else
  echo "reusing the index in $WORK/index"
fi

# Serve on a port the OS picks; read the address from the log.
LOG="$WORK/serve.log"
"$GONGKAI" serve --index "$WORK/index" --addr 127.0.0.1:0 2>"$LOG" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
BASE=""
for _ in $(seq 1 300); do
  BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$LOG" | head -1 || true)
  [ -n "$BASE" ] && break
  kill -0 $SERVER 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.1
done
[ -n "$BASE" ] || { echo "server did not start"; cat "$LOG"; exit 1; }
echo "serving $(curl -s "$BASE/healthz") on $BASE"

# The query mix: words, a phrase, section scope, facet filters, numeric where,
# sort by a figure, a deep page, stats. Percent-encoded by python.
PATHS="$WORK/paths.txt"
python3 - "$PATHS" <<'PY'
import sys, urllib.parse as u
mix = [
    ("/api/search", [("q", "政府信息公开")]),
    ("/api/search", [("q", "依申请 行政复议")]),
    ("/api/search", [("q", '"政务公开"')]),
    ("/api/search", [("q", '"行政复议" OR 诉讼 -撤销')]),
    ("/api/search", [("q", "问题"), ("section", "problems")]),
    ("/api/search", [("q", "problems:培训")]),
    ("/api/search", [("region", "河北省"), ("year", "2020..2023")]),
    ("/api/search", [("region", "广东省"), ("level", "county"), ("template", "2021")]),
    ("/api/search", [("year", "2021"), ("failed_check", "requests_balance")]),
    ("/api/search", [("where", "requests.new.total >= 100"), ("where", "review.total > 0")]),
    ("/api/search", [("sort", "-requests.new.total"), ("where", "requests.new.total > 0")]),
    ("/api/search", [("q", "公开"), ("sort", "year"), ("page", "5"), ("size", "50")]),
    ("/api/search", [("region", "浙江省"), ("sort", "-review.total"), ("figures", "review.total,review.corrected")]),
    ("/api/stats", [("group", "region"), ("figure", "requests.new.total")]),
]
with open(sys.argv[1], "w") as f:
    for path, params in mix:
        f.write(path + "?" + u.urlencode(params) + "\n")
PY
# Every URL must answer 200 before the run.
while read -r p; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$p")
  [ "$code" = 200 ] || { echo "$p → $code: $(curl -s "$BASE$p" | head -c 300)"; exit 1; }
done <"$PATHS"

echo "wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION}s, $(wc -l <"$PATHS") URLs round-robin"
OUT=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency \
  -s benches/load.lua "$BASE" -- "$PATHS")
echo "$OUT"
RESULT=$(echo "$OUT" | grep '^RESULT')
non2xx=$(echo "$RESULT" | sed -n 's/.*non2xx=\([0-9]*\).*/\1/p')
sockerr=$(echo "$RESULT" | sed -n 's/.*socket_errors=\([0-9]*\).*/\1/p')
if [ "${non2xx:-1}" != 0 ] || [ "${sockerr:-1}" != 0 ]; then
  echo "FAIL: $non2xx non-2xx answers, $sockerr socket errors" >&2
  exit 1
fi
echo "OK"
