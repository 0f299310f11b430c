#!/usr/bin/env bash
# The PDF crates compared on CJK reports (issue 14): text against `pdftotext
# -layout` (poppler-utils, the reference here only), table rows intact, pages
# per second per core and peak RSS, for pdf-extract, lopdf, pdf (pdf-rs) and
# gongkai's reader (pdf-extract glyphs + its own layout step).
#
#   benches/pdf_crates.sh [PDF...]
#
# Without arguments it takes the first 40 Chromium and 40 LibreOffice prints
# that benches/pdf_points.sh left in target/bench-pdf-points/seed3.
# text: F1 of character bigrams (whitespace dropped, NFKC) against pdftotext's;
# rows: share of pdftotext's table rows (a label then three or more numbers on
# one line) found as the same label and numbers on one line.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath target/release/gongkai)
[ -x "$bin" ] || cargo build --release
work=${BENCH_DIR:-target/bench-pdf-crates}
export CARGO_TARGET_DIR=${PDF_CRATES_TARGET:-$PWD/target/pdf-crates}
(cd benches/pdf_crates && cargo build --release --quiet)
cmp=$CARGO_TARGET_DIR/release/pdf_crates
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  src=target/bench-pdf-points/seed3
  mapfile -t files < <(for p in chromium libreoffice; do find "$src/$p" -name '*.pdf' | sort | head -40; done)
fi
[ ${#files[@]} -gt 0 ] || { echo "no PDFs: run benches/pdf_points.sh first or name some" >&2; exit 2; }
rm -rf "$work"; mkdir -p "$work/in"
i=0
for f in "${files[@]}"; do # unique names: producer folder + file name
  i=$((i + 1)); ln -s "$(realpath "$f")" "$work/in/$(printf %03d $i)-$(basename "$(dirname "$f")")-$(basename "$f")"
done
pages=0
for f in "$work"/in/*.pdf; do pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/ {print $2}'))); done

measure() { # NAME COMMAND...: runs it under /usr/bin/time, writes $work/NAME.time
  local name=$1; shift
  mkdir -p "$work/$name"
  /usr/bin/time -f "%U %S %M" -o "$work/$name.time" "$@" 2>"$work/$name.err" >/dev/null || true
}
measure pdftotext bash -c 'for f in "$0"/in/*.pdf; do b=$(basename "$f" .pdf); pdftotext -layout "$f" "$0/pdftotext/$b.txt"; done' "$work"
measure gongkai bash -c 'for f in "$0"/in/*.pdf; do b=$(basename "$f" .pdf); "$1" check --text "$f" >"$0/gongkai/$b.txt" 2>/dev/null; done' "$work" "$bin"
for c in pdf-extract lopdf pdf; do measure "$c" "$cmp" "$c" "$work/$c" "$work"/in/*.pdf; done

python3 - "$work" "$pages" <<'PY'
import collections, os, re, sys, unicodedata
work, pages = sys.argv[1], int(sys.argv[2])
names = sorted(f[:-4] for f in os.listdir(f"{work}/in"))

def read(tool, name):
    try:
        return open(f"{work}/{tool}/{name}.txt", encoding="utf-8", errors="replace").read()
    except FileNotFoundError:
        return ""

def bigrams(t):
    t = "".join(unicodedata.normalize("NFKC", t).split())
    return collections.Counter(t[i:i + 2] for i in range(len(t) - 1))

ROW = re.compile(r"^\s*(\S*[\u4e00-\u9fff][^\d\s]*)((?:\s+\d+){3,})\s*$")
def rows(t):
    out = set()
    for line in unicodedata.normalize("NFKC", t).splitlines():
        if m := ROW.match(line):
            out.add((m.group(1), tuple(m.group(2).split())))
    return out

print(f"{len(names)} PDFs, {pages} pages; reference: pdftotext -layout")
print(f"| reader | text F1 | table rows intact | pages/s per core | peak RSS | failures |")
print(f"|---|---|---|---|---|---|")
for tool in ["pdftotext", "gongkai", "pdf-extract", "lopdf", "pdf"]:
    f1s, hit, total, failed = [], 0, 0, 0
    for n in names:
        ref, got = read("pdftotext", n), read(tool, n)
        failed += not got.strip()
        a, b = bigrams(ref), bigrams(got)
        common = sum((a & b).values())
        f1s.append(2 * common / max(sum(a.values()) + sum(b.values()), 1))
        r = rows(ref)
        total += len(r)
        hit += len(r & rows(got))
    user, sys_, rss = open(f"{work}/{tool}.time").read().split()[-3:]
    cpu = float(user) + float(sys_)
    label = {"pdf": "pdf (pdf-rs)", "gongkai": "gongkai (pdf-extract + layout)"}.get(tool, tool)
    print(f"| {label} | {100 * sum(f1s) / len(f1s):.1f}% | {100 * hit / max(total, 1):.1f}% "
          f"| {pages / max(cpu, 1e-9):.0f} | {int(rss) / 1024:.0f} MB | {failed} |")
PY
