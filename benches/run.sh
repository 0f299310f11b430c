#!/usr/bin/env bash
# The whole benchmark in one command (not part of `cargo test`):
#
#   bash benches/run.sh            # 50,000 generated reports
#   bash benches/run.sh 5000       # a quicker run
#
# 1. generates a fixed corpus (`gongkai gen`, seed 1: the same reports every run);
# 2. `gongkai bench`: ingests it into a fresh index (reports/s, MB/s, where the time goes:
#    parsing vs. segmenting + index building vs. commits; peak RSS; index size / input size)
#    and times the fixed query mix (word, phrase, section-scoped, faceted, numeric filter,
#    sorted by figure: p50/p99);
# 3. benches/load.sh: serves the index on 127.0.0.1 and runs concurrent searches for 30 s (wrk).
# Prints one table; results are in bench-out/run-N/{bench.json,load.txt,summary.json}.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-${N:-50000}}
WORK=bench-out/run-$N
GONGKAI=${GONGKAI:-target/release/gongkai}
cargo build --release --quiet
rm -rf "$WORK" && mkdir -p "$WORK"

t0=$(date +%s.%N)
"$GONGKAI" gen --count "$N" --out "$WORK/corpus" --seed 1 2>"$WORK/gen.txt"
t1=$(date +%s.%N)
"$GONGKAI" bench "$WORK/corpus" --index "$WORK/index" --json "$WORK/bench.json" | tee "$WORK/bench.txt"
WORK="$WORK" N="$N" bash benches/load.sh | tee "$WORK/load.txt"

python3 - "$WORK" "$N" "$t0" "$t1" "$(nproc)" <<'PY'
import json, re, sys
work, n, t0, t1, cores = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
b = json.load(open(f"{work}/bench.json"))
sp = b["split"]
load = open(f"{work}/load.txt").read()
m = re.search(r"^RESULT (.*)$", load, re.M)
res = dict(kv.split("=", 1) for kv in m.group(1).split()) if m else {}
rows = [
    ("machine", f"{cores} cores (shared, noisy)"),
    ("reports", f"{n}"),
    ("generate", f"{n / (t1 - t0):.0f} reports/s"),
    ("ingest", f"{b['mb_per_sec']:.2f} MB/s, {b['reports_per_sec']:.0f} reports/s ({b['input_bytes']/1e6:.0f} MB in {b['ingest_secs']:.0f} s)"),
    ("  cpu: parse", f"{sp['parse_cpu_secs']:.1f} s"),
    ("  cpu: build documents", f"{sp['build_cpu_secs']:.1f} s"),
    ("  cpu: index (tantivy threads)", f"{sp['index_cpu_secs']:.1f} s  (of which jieba ≈ {sp['jieba_ms_per_report'] * n / 1e3:.1f} s, n-grams ≈ {sp['ngram_ms_per_report'] * n / 1e3:.1f} s)"),
    ("  final commit + merge", f"{sp['commit_cpu_secs']:.1f} cpu-s, {sp['commit_wall_secs']:.1f} s wall"),
    ("peak RSS (ingest)", f"{b.get('peak_rss_kb_ingest', 0)/1024:.0f} MB, of which heap {b.get('peak_anon_kb_ingest', 0)/1024:.0f} MB (the rest: index files mapped while merging)"),
    ("index / input", f"{b['index_ratio']:.2f}"),
]
for kind, q in b.get("latency", {}).items():
    rows.append((f"query {kind}", f"p50 {q['p50_ms']:.1f} ms  p99 {q['p99_ms']:.1f} ms  ({q['mean_hits']:.0f} hits)"))
rows.append(("HTTP load", " ".join(f"{k}={v}" for k, v in res.items()) or "see load.txt"))
w = max(len(r[0]) for r in rows)
print("\n== gongkai benchmark ==")
for k, v in rows:
    print(f"{k:<{w}}  {v}")
json.dump({"reports": n, "bench": b, "load": res}, open(f"{work}/summary.json", "w"), indent=1)
print(f"\nJSON: {work}/summary.json")
PY
