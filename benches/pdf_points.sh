#!/usr/bin/env bash
# How many of the golden points `check` passes on a generated report's HTML it
# still passes on the same report printed to PDF (by headless Chromium and by
# LibreOffice) and saved as .docx (by LibreOffice).
#
#   benches/pdf_points.sh [N] [SEED]        # N HTML reports (default 200), seed 3
#
# Needs chromium, soffice (libreoffice-writer) and python3. Prints one line per
# producer: points passed on HTML, points lost in the other format, the share
# kept, and the ten points lost most often. Set PRODUCERS to a subset of
# "chromium libreoffice docx" to skip some; set BIN to score another binary.
#
# PDF text tools: the producers "pdftotext" (poppler's default reading order),
# "pdftotext-layout", "pdftotext-raw", "pymupdf" and "pdfplumber" read the
# Chromium PDFs to text, the way crawlers keep a PDF report; the text is what
# `check` reads. They need poppler-utils, and `pip install pymupdf pdfplumber`.
# CJK fonts must be installed (fonts-noto-cjk), or Chromium prints no Chinese.
#
# Crawler text: the producers "bs4" (BeautifulSoup get_text("\n", strip=True)),
# "bs4-plain" (get_text()), "html2text", "markdownify", "inscriptis",
# "trafilatura", "w3m" and "lynx" (-dump) turn the HTML into the text a crawler
# keeps. They need `pip install beautifulsoup4 lxml lxml_html_clean html2text
# markdownify inscriptis trafilatura` and Debian's w3m and lynx.
# The printed files stay in target/bench-pdf-points (reused on a rerun).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
seed=${2:-3}
producers=${PRODUCERS:-chromium libreoffice docx}
bin=$(realpath "${BIN:-target/release/gongkai}")
[ -x "$bin" ] || cargo build --release
work=${BENCH_DIR:-target/bench-pdf-points}/seed$seed
checker=$(realpath ../shared/tools/golden_check.py)
mkdir -p "$work/gen" "$work/html"

# The first N reports the generator writes as HTML.
if [ "$(find "$work/html" -name '*.html' | wc -l)" -lt "$n" ]; then
  "$bin" gen --count $((n * 6)) --seed "$seed" --out "$work/gen" --force >/dev/null
  find "$work/gen" -name '*.html' | sort | head -n "$n" | while read -r f; do
    b=$(basename "$f" .html)
    cp "$f" "$work/gen/$b.expected.json" "$work/html/"
  done
fi
mapfile -t names < <(find "$work/html" -name '*.html' -printf '%f\n' | sed 's/\.html$//' | sort | head -n "$n")

print_chromium() {
  local b=$1 out=$work/chromium/$1.pdf prof
  [ -s "$out" ] && return
  prof=$(mktemp -d)
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$prof" \
    --print-to-pdf="$out" "file://$(realpath "$work/html/$b.html")" >/dev/null 2>&1 || true
  rm -rf "$prof"
}
export -f print_chromium
export work

for p in $producers; do
  mkdir -p "$work/$p"
  case $p in
    chromium) printf '%s\n' "${names[@]}" | xargs -P 2 -I{} bash -c 'print_chromium {}' ;;
    docx | libreoffice)
      # LibreOffice reads a page without a charset declaration as Latin-1: give
      # it UTF-8 with the declaration (the generator writes some pages in GBK).
      mkdir -p "$work/html-utf8"
      python3 - "$work" "${names[@]}" <<'EOF'
import os, re, sys
work = sys.argv[1]
for b in sys.argv[2:]:
    out = f"{work}/html-utf8/{b}.html"
    if os.path.exists(out):
        continue
    raw = open(f"{work}/html/{b}.html", "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    text = re.sub(r"<meta[^>]*charset[^>]*>", "", text, flags=re.I)
    text = re.sub(r"<head>", '<head><meta charset="utf-8">', text, count=1, flags=re.I)
    open(out, "w", encoding="utf-8").write(text)
EOF
      todo=()
      for b in "${names[@]}"; do [ -s "$work/docx/$b.docx" ] || todo+=("$work/html-utf8/$b.html"); done
      mkdir -p "$work/docx"
      [ ${#todo[@]} -eq 0 ] || soffice --headless --convert-to 'docx:MS Word 2007 XML' --outdir "$work/docx" \
        "${todo[@]}" >/dev/null 2>&1
      if [ "$p" = libreoffice ]; then
        todo=()
        for b in "${names[@]}"; do
          [ -s "$work/libreoffice/$b.pdf" ] || [ ! -s "$work/docx/$b.docx" ] || todo+=("$work/docx/$b.docx")
        done
        [ ${#todo[@]} -eq 0 ] || soffice --headless --convert-to pdf --outdir "$work/libreoffice" \
          "${todo[@]}" >/dev/null 2>&1
      fi ;;
    pdftotext | pdftotext-layout | pdftotext-raw | pymupdf | pdfplumber)
      [ -d "$work/chromium" ] || { echo "$p reads the chromium PDFs: run the chromium producer first" >&2; exit 2; }
      python3 - "$work" "$p" "${names[@]}" 2>/dev/null <<'EOF'
import os, subprocess, sys
work, tool = sys.argv[1], sys.argv[2]
for b in sys.argv[3:]:
    pdf, out = f"{work}/chromium/{b}.pdf", f"{work}/{tool}/{b}.txt"
    if os.path.exists(out) or not os.path.exists(pdf):
        continue
    if tool.startswith("pdftotext"):
        mode = {"pdftotext-layout": ["-layout"], "pdftotext-raw": ["-raw"]}.get(tool, [])
        subprocess.run(["pdftotext", "-enc", "UTF-8", *mode, pdf, out], check=False)
    elif tool == "pymupdf":
        import pymupdf as fitz
        with fitz.open(pdf) as d, open(out, "w", encoding="utf-8") as f:
            f.write("\n".join(page.get_text() for page in d))
    else:
        import pdfplumber
        with pdfplumber.open(pdf) as d, open(out, "w", encoding="utf-8") as f:
            f.write("\n".join(page.extract_text() or "" for page in d.pages))
EOF
      ;;
    bs4 | bs4-plain | html2text | markdownify | inscriptis | trafilatura | w3m | lynx)
      python3 - "$work" "$p" "${names[@]}" 2>/dev/null <<'EOF'
import os, subprocess, sys
work, tool = sys.argv[1], sys.argv[2]
for b in sys.argv[3:]:
    src, out = f"{work}/html/{b}.html", f"{work}/{tool}/{b}.txt"
    if os.path.exists(out):
        continue
    raw = open(src, "rb").read()
    try:
        html = raw.decode("utf-8")
    except UnicodeDecodeError:
        html = raw.decode("gb18030", errors="replace")
    if tool in ("w3m", "lynx"):
        tmp = f"{work}/{tool}/{b}.utf8.html"
        open(tmp, "w", encoding="utf-8").write(html)
        cmd = {"w3m": ["w3m", "-dump", "-cols", "200", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", tmp],
               "lynx": ["lynx", "-dump", "-nolist", "-width=200", "-assume_charset=utf-8", "-display_charset=utf-8", tmp]}[tool]
        text = subprocess.run(cmd, capture_output=True).stdout.decode("utf-8", "replace")
        os.remove(tmp)
    elif tool.startswith("bs4"):
        from bs4 import BeautifulSoup
        soup = BeautifulSoup(html, "lxml")
        text = soup.get_text("\n", strip=True) if tool == "bs4" else soup.get_text()
    elif tool == "html2text":
        import html2text
        h = html2text.HTML2Text()
        h.body_width = 0
        text = h.handle(html)
    elif tool == "markdownify":
        from markdownify import markdownify
        text = markdownify(html)
    elif tool == "inscriptis":
        from inscriptis import get_text
        text = get_text(html)
    else:
        import trafilatura
        text = trafilatura.extract(html, include_tables=True) or ""
    open(out, "w", encoding="utf-8").write(text)
EOF
      ;;
    *) echo "unknown producer $p" >&2; exit 2 ;;
  esac
done

# Score: each format's copy of a report against the HTML's golden facts, report
# by report (golden_check.py's own rules), and what the HTML passes but it fails.
python3 - "$work" "$bin" "$checker" "${#names[@]}" $producers <<'EOF'
import collections, contextlib, importlib.util, io, json, os, re, sys, tempfile
work, bin, checker, n, producers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
spec = importlib.util.spec_from_file_location("golden_check", checker)
gc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gc)
names = sorted(f[:-5] for f in os.listdir(f"{work}/html") if f.endswith(".html"))[:n]
ext = {"html": "html", "chromium": "pdf", "libreoffice": "pdf", "docx": "docx"}
ext.update({t: "txt" for t in ("pdftotext", "pdftotext-layout", "pdftotext-raw", "pymupdf", "pdfplumber",
                               "bs4", "bs4-plain", "html2text", "markdownify", "inscriptis", "trafilatura", "w3m", "lynx")})

def score(fmt, name):
    """(points passed, failed points keyed without the value got) of one report."""
    src = f"{work}/{fmt}/{name}.{ext[fmt]}"
    exp = json.load(open(f"{work}/html/{name}.expected.json", encoding="utf-8"))
    if not os.path.exists(src):
        return None
    exp["source"] = os.path.abspath(src)
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as t:
        json.dump(exp, t, ensure_ascii=False)
        t.flush()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            gc.main(["golden_check.py", "--cmd", f"{bin} check --json {{file}}", t.name])
    fails = set()
    for line in out.getvalue().splitlines():
        if line.startswith("  FAIL "):
            w = line[7:].split()
            fails.add(" ".join(w[:2]) if w[0] in ("figure", "check") else line[7:].strip())
    passed = int(re.search(r"golden: (\d+) passed", out.getvalue()).group(1))
    return passed, fails

html = {b: score("html", b) for b in names}
html_passed = sum(p for p, _ in html.values())
print(f"html: {len(names)} reports, {html_passed} points passed, "
      f"{sum(len(f) for _, f in html.values())} failed")
for fmt in producers:
    lost, printed, kept = collections.Counter(), 0, 0
    for b in names:
        r = score(fmt, b)
        hp, hf = html[b]
        if r is None:
            lost["(not printed)"] += hp
            continue
        printed += 1
        passed, fails = r
        extra = fails - hf
        # A report the format cannot be read from loses all its points.
        kept += min(hp - len(extra), passed)
        for k in extra:
            lost[re.sub(r"^figure (\S+?)\..*", r"figure \1.*", k)] += 1
    print(f"{fmt}: {printed} of {len(names)} reports; {kept} of the HTML's {html_passed} points kept: "
          f"{100 * kept / max(html_passed, 1):.1f}%")
    for k, c in lost.most_common(8):
        print(f"    {c:5}  {k}")
EOF
