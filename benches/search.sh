#!/usr/bin/env bash
# Ingest a corpus into a fresh index and time a fixed mix of queries.
#
#   benches/search.sh CORPUS_DIR [OUT.json]
#
# Prints reports/s, MB/s, the split of ingest time (parse / tokenize+build /
# segment+index / commit), index size / input size, p50/p99 latency per query
# kind (word, phrase, section, faceted, numeric, sorted), and peak RSS (from
# /usr/bin/time -v when available, else /proc). Writes the same as JSON.
# Without a corpus, makes a few thousand varied copies of the seeds.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="$CARGO_TARGET_DIR/release/gongkai"
corpus="${1:-}"
out="${2:-bench-search.json}"
if [ -z "$corpus" ]; then
  corpus="$(mktemp -d)"
  trap 'rm -rf "$corpus"' EXIT
  python3 - "$here/../shared/corpus/seeds" "$corpus" "${BENCH_FILES:-3000}" <<'PY'
import glob, os, random, sys
seeds = [open(f, encoding="utf-8").read() for f in sorted(glob.glob(sys.argv[1] + "/*.txt"))]
random.seed(1)
for i in range(int(sys.argv[3])):
    s = seeds[i % len(seeds)]
    y = str(2015 + i % 9)
    s = s.replace("2021", y).replace("2020", y)
    s += "\n附注：本报告编号%d，联系人%s。\n" % (i, random.choice("张王李赵刘陈"))
    open(os.path.join(sys.argv[2], "r%06d.txt" % i), "w", encoding="utf-8").write(s)
PY
fi
index="$(mktemp -d)/index"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$bin" bench "$corpus" --index "$index" --json "$out" 2> >(grep -E "Maximum resident|Elapsed" >&2)
else
  "$bin" bench "$corpus" --index "$index" --json "$out"
fi
rm -rf "$(dirname "$index")"
