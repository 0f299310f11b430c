#!/usr/bin/env python3
"""Mock of the gongkai API for testing the web page (python3 stdlib only).

    python3 web/mock/server.py [PORT]      # default 8765, binds 127.0.0.1

Serves ../ (index.html, app.js, style.css) at / and canned, deterministic,
synthetic JSON for /api/search, /api/reports/{id}, /api/fields, /api/stats,
/api/export.  The data deliberately contains hostile strings (script tags,
attribute breakouts) that the page must render as text.
"""
import csv
import html
import io
import json
import os
import random
import re
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WEB = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIELDS_TSV = os.path.join(os.path.dirname(WEB), "data", "fields.tsv")


def load_fields():
    out = []
    try:
        with open(FIELDS_TSV, encoding="utf-8") as f:
            lines = f.read().splitlines()[1:]
        for line in lines:
            if not line.strip():
                continue
            c = (line.split("\t") + [""] * 6)[:6]
            out.append({"key": c[0], "label_zh": c[1], "table": c[2],
                        "templates": [t for t in c[3].split(",") if t],
                        "kind": "float" if c[4] == "float" else "int", "note": c[5]})
    except OSError:
        for k, l, t in [("requests.new.total", "一、本年新收政府信息公开申请数量·总计", "requests"),
                        ("requests.granted.total", "(一)予以公开·总计", "requests"),
                        ("review.total", "行政复议·总计", "appeals"),
                        ("review.corrected", "行政复议·结果纠正", "appeals"),
                        ("litigation.total", "行政诉讼·总计", "appeals")]:
            out.append({"key": k, "label_zh": l, "table": t, "templates": ["2021", "2019"], "kind": "int", "note": ""})
    return out


FIELDS = load_fields()
FIELD_BY_KEY = {f["key"]: f for f in FIELDS}

SECTIONS = [
    ("overview", "总体情况"), ("proactive", "主动公开政府信息情况"),
    ("requests", "收到和处理政府信息公开申请情况"), ("appeals", "政府信息公开行政复议、行政诉讼情况"),
    ("problems", "存在的主要问题及改进情况"), ("other", "其他需要报告的事项"),
]

PLACES = [
    ("河北省", "130000", "province", None),
    ("河北省/石家庄市", "130100", "prefecture", None),
    ("河北省/秦皇岛市", "130300", "prefecture", None),
    ("河北省/秦皇岛市/海港区", "130302", "county", None),
    ("河北省/秦皇岛市/北戴河区", "130304", "county", None),
    ("浙江省", "330000", "province", None),
    ("浙江省/杭州市", "330100", "prefecture", None),
    ("浙江省/杭州市/西湖区", "330106", "county", None),
    ("浙江省/宁波市", "330200", "prefecture", None),
    ("广东省/深圳市", "440300", "prefecture", None),
    ("广东省/深圳市/南山区", "440305", "county", None),
    ("四川省/成都市", "510100", "prefecture", None),
    ("河北省/秦皇岛市", "130300", "department", "秦皇岛市生态环境局"),
    ("浙江省/杭州市", "330100", "department", "杭州市住房保障和房产管理局"),
    (None, None, "department", "国家税务总局某某局"),
]

ROWS = ["new", "carried_in", "granted", "partial", "denied.state_secret", "denied.third_party",
        "denied.process_info", "unable.not_held", "unable.needs_creation", "not_processed.petition",
        "not_processed.duplicate", "other.overdue_correction", "other.other", "handled", "carried_over"]
COLS = ["natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total"]


def make_reports():
    rnd = random.Random(42)
    reps = []
    i = 0
    for year in range(2019, 2024):
        for (path, code, level, dept) in PLACES:
            i += 1
            if rnd.random() < 0.25:
                continue
            name = path.split("/")[-1] if path else ""
            issuer = dept or (name + "人民政府")
            template = "2019" if year <= 2020 else "2021"
            title = f"{issuer}{year}年政府信息公开工作年度报告"
            f = {}
            # requests table: natural people dominate
            for row in ROWS:
                if row in ("handled",):
                    continue
                tot = 0
                for c in COLS[:-1]:
                    v = rnd.choice([0, 0, 0, 1, 2, 5, rnd.randint(0, 300)]) if c == "natural_person" else rnd.choice([0, 0, 0, 0, 1, 3])
                    f[f"requests.{row}.{c}"] = v
                    tot += v
                f[f"requests.{row}.total"] = tot
            for c in COLS:
                f[f"requests.handled.{c}"] = sum(f.get(f"requests.{r}.{c}", 0) for r in ROWS if r not in ("new", "carried_in", "handled", "carried_over"))
            for p in ("review", "litigation.direct", "litigation.after_review"):
                vals = [rnd.choice([0, 0, 1, 2, rnd.randint(0, 40)]) for _ in range(4)]
                for k, v in zip(["upheld", "corrected", "other", "pending"], vals):
                    f[f"{p}.{k}"] = v
                f[f"{p}.total"] = sum(vals)
            f["litigation.total"] = f["litigation.direct.total"] + f["litigation.after_review.total"]
            if template == "2021":
                for r in ("rules", "normative_docs"):
                    for c in ("issued", "repealed", "in_force"):
                        f[f"{r}.{c}"] = rnd.randint(0, 60)
                f["fees.amount_wan_yuan"] = round(rnd.random() * 900, 2)
            else:
                for r in ("rules", "normative_docs"):
                    for c in ("made", "published", "total_published"):
                        f[f"{r}.{c}"] = rnd.randint(0, 60)
                f["procurement.amount_wan_yuan"] = round(rnd.random() * 5000, 1)
                f["fees.items_change"] = rnd.randint(-5, 5)
            for k in ("licensing.decisions", "penalty.decisions", "coercion.decisions"):
                f[k] = rnd.randint(0, 5000)
            # knock out some figures: absent must show as "—"
            for k in list(f):
                if rnd.random() < 0.04:
                    del f[k]
            checks = {"requests_balance": rnd.random() > 0.2, "requests_columns_sum": rnd.random() > 0.1,
                      "requests_outcomes_sum": True, "review_sum": rnd.random() > 0.1}
            problems = "一是政务公开工作人员专业化水平有待提高；二是依申请公开答复的规范性仍需加强。下一步，我们将加强培训，完善政务公开制度，提升政府信息公开质量。"
            if i % 7 == 0:
                problems += '附件名称："><img src=x onerror=alert(1)> 请忽略。'
            sections = [
                {"key": "overview", "label": "总体情况", "headings": ["一、总体情况"],
                 "text": f"{year}年，{issuer}深入贯彻落实《中华人民共和国政府信息公开条例》，紧紧围绕政务公开重点工作，不断提高政务公开质量。全年主动公开政府信息{rnd.randint(100, 9000)}条。",
                 "original": f"{year}年,{issuer}深入贯彻落实《中华人民共和国政府信息公开条例》，紧紧围绕政务公开重点工作，不断提高政务公开质量。\n全年主动公开政府信息若干条。"},
                {"key": "proactive", "label": "主动公开政府信息情况", "headings": ["二、主动公开政府信息情况"],
                 "text": "（见表一）", "original": "（见表一）"},
                {"key": "requests", "label": "收到和处理政府信息公开申请情况", "headings": ["三、收到和处理政府信息公开申请情况"],
                 "text": "（见表二）", "original": "（见表二）"},
                {"key": "appeals", "label": "政府信息公开行政复议、行政诉讼情况", "headings": ["四、政府信息公开行政复议、行政诉讼情况"],
                 "text": "（见表三）", "original": "（见表三）"},
                {"key": "problems", "label": "存在的主要问题及改进情况", "headings": ["五、存在的主要问题及改进情况"],
                 "text": problems, "original": problems.replace("，", ",")},
                {"key": "other", "label": "其他需要报告的事项", "headings": ["六、其他需要报告的事项"],
                 "text": "本机关未收取信息处理费。", "original": "本机关未收取信息处理费。"},
            ]
            if i % 11 == 0:
                title = "<script>alert(1)</script>" + title
            reps.append({
                "id": f"r{year}-{code or 'x'}-{i}", "path": f"data/reports/{year}/{i}.html", "title": title,
                "year": year, "region": {"path": path, "code": code} if path else None,
                "issuer": issuer, "level": level, "published": f"{year + 1}-01-{(i % 28) + 1:02d}",
                "template": template, "index_no": f"{code or '000000'}-{year}-{i:05d}",
                "sections": sections, "figures": f, "checks": checks,
                "warnings": [f"check failed: {k}" for k, ok in checks.items() if not ok] + (["section other not found"] if i % 5 == 0 else []),
            })
    # guarantee at least one hostile title
    reps[0]["title"] = "<script>alert(1)</script>" + reps[0]["title"]
    reps[1]["sections"][4]["text"] += '"><img src=x onerror=alert(1)>'
    return reps


REPORTS = make_reports()
BY_ID = {r["id"]: r for r in REPORTS}
DEMO = os.environ.get("MOCK_DEMO", "1") != "0"

WHERE_RE = re.compile(r"^([A-Za-z0-9_.]+)\s*(!=|<=|>=|=|<|>)\s*(-?[0-9.]+)$")


class BadRequest(Exception):
    pass


def parse_filters(qs):
    def one(k):
        v = qs.get(k, [""])
        return v[-1].strip()
    flt = {"q": one("q"), "section": one("section"), "region": one("region"), "issuer": one("issuer"),
           "level": one("level"), "template": one("template"), "failed_check": one("failed_check"), "where": []}
    y = one("year")
    flt["year"] = None
    if y:
        m = re.fullmatch(r"(\d{4})?(?:\.\.(\d{4})?)?", y)
        if not m or not (m.group(1) or m.group(2)):
            raise BadRequest(f"year: cannot parse '{y}' (use 2021 or 2019..2023)")
        lo = int(m.group(1)) if m.group(1) else 0
        hi = int(m.group(2)) if m.group(2) else (9999 if ".." in y else lo)
        flt["year"] = (lo, hi)
    if flt["section"] and flt["section"] not in dict(SECTIONS):
        raise BadRequest(f"section: unknown section '{flt['section']}'")
    for w in qs.get("where", []):
        w = w.strip()
        if w == "checks.failed":
            flt["where"].append(("checks.failed", None, None))
            continue
        m = WHERE_RE.match(w)
        if not m:
            raise BadRequest(f"where: cannot parse '{w}' (expected KEY OP NUMBER)")
        if m.group(1) not in FIELD_BY_KEY:
            raise BadRequest(f"where: unknown figure key '{m.group(1)}'")
        flt["where"].append((m.group(1), m.group(2), float(m.group(3))))
    if "badparam" in flt["q"]:
        raise BadRequest("q: unbalanced quote in query")
    return flt


OPS = {"=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
       "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def terms_of(q):
    q = re.sub(r"section:\S+", " ", q)
    out = []
    for m in re.finditer(r'"([^"]+)"|(\S+)', q):
        t = m.group(1) or m.group(2)
        if t == "OR" or t.startswith("-"):
            continue
        out.append(t)
    return out


def matches(r, flt, ignore=None):
    if flt["year"] and ignore != "year" and not (flt["year"][0] <= r["year"] <= flt["year"][1]):
        return False
    if flt["region"] and ignore != "region":
        p = (r["region"] or {}).get("path") or ""
        if not (p == flt["region"] or p.startswith(flt["region"] + "/")):
            return False
    if flt["issuer"] and ignore != "issuer" and r["issuer"] != flt["issuer"]:
        return False
    if flt["level"] and ignore != "level" and r["level"] != flt["level"]:
        return False
    if flt["template"] and ignore != "template" and r["template"] != flt["template"]:
        return False
    if flt["failed_check"] and ignore != "failed_checks" and r["checks"].get(flt["failed_check"], True):
        return False
    for (k, op, v) in flt["where"]:
        if k == "checks.failed":
            if all(r["checks"].values()):
                return False
            continue
        x = r["figures"].get(k)
        if x is None or not OPS[op](x, v):
            return False
    terms = terms_of(flt["q"])
    if terms:
        secs = [s for s in r["sections"] if not flt["section"] or s["key"] == flt["section"]]
        hay = r["title"] + " ".join(s["text"] for s in secs)
        if not all(t in hay for t in terms):
            return False
    return True


def snippets(r, flt):
    terms = terms_of(flt["q"]) or ["政务公开"]
    out = []
    for s in r["sections"]:
        if flt["section"] and s["key"] != flt["section"]:
            continue
        if any(t in s["text"] for t in terms):
            esc = html.escape(s["text"][:160], quote=True)
            for t in terms:
                et = html.escape(t, quote=True)
                esc = esc.replace(et, f"<mark>{et}</mark>")
            out.append({"section": s["key"], "html": esc})
        if len(out) >= 2:
            break
    if r is REPORTS[1]:
        # a misbehaving server: raw tag in snippet html; the page must show it as text
        out.append({"section": "other", "html": '<img src=x onerror=alert(1)>未转义<mark>片段</mark>'})
    return out


def facet_counts(flt):
    def count(fn, ignore):
        c = {}
        for r in REPORTS:
            if matches(r, flt, ignore):
                for v in fn(r):
                    c[v] = c.get(v, 0) + 1
        return c
    years = count(lambda r: [str(r["year"])], "year")
    issuers = count(lambda r: [r["issuer"]], "issuer")
    levels = count(lambda r: [r["level"]], "level")
    templates = count(lambda r: [r["template"]], "template")
    failed = count(lambda r: [k for k, ok in r["checks"].items() if not ok], "failed_checks")

    def prefixes(r):
        p = (r["region"] or {}).get("path")
        if not p:
            return []
        parts = p.split("/")
        return ["/".join(parts[:i + 1]) for i in range(len(parts))]
    regions = count(prefixes, "region")

    def tree(parent, depth):
        kids = []
        for p, n in regions.items():
            parts = p.split("/")
            if len(parts) == depth + 1 and (depth == 0 or "/".join(parts[:-1]) == parent):
                kids.append({"name": parts[-1], "path": p, "count": n, "children": tree(p, depth + 1)})
        kids.sort(key=lambda x: -x["count"])
        return kids

    def vc(d, by_value=False):
        items = [{"value": k, "count": v} for k, v in d.items()]
        items.sort(key=(lambda x: x["value"]) if by_value else (lambda x: -x["count"]))
        return items
    return {"region": tree("", 0), "year": vc(years, True), "issuer": vc(issuers)[:50], "level": vc(levels),
            "template": vc(templates), "failed_checks": vc(failed)}


def sorted_hits(hits, sort):
    if sort in ("", "relevance"):
        return hits
    desc = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "year":
        return sorted(hits, key=lambda r: r["year"], reverse=desc)
    if key not in FIELD_BY_KEY:
        raise BadRequest(f"sort: unknown sort key '{sort}'")
    have = [r for r in hits if r["figures"].get(key) is not None]
    missing = [r for r in hits if r["figures"].get(key) is None]
    return sorted(have, key=lambda r: r["figures"][key], reverse=desc) + missing


def parse_int(qs, name, default, lo, hi):
    v = qs.get(name, [str(default)])[-1]
    try:
        n = int(v)
    except ValueError:
        raise BadRequest(f"{name}: not an integer: '{v}'")
    if not lo <= n <= hi:
        raise BadRequest(f"{name}: must be between {lo} and {hi}")
    return n


def figures_param(qs):
    f = qs.get("figures", [""])[-1]
    keys = [k for k in f.split(",") if k]
    for k in keys:
        if k not in FIELD_BY_KEY:
            raise BadRequest(f"figures: unknown figure key '{k}'")
    return keys or ["requests.new.total", "requests.granted.total", "review.total", "review.corrected", "litigation.total"]


def api_search(qs):
    t0 = time.time()
    flt = parse_filters(qs)
    page = parse_int(qs, "page", 1, 1, 10000)
    size = parse_int(qs, "size", 20, 1, 100)
    figs = figures_param(qs)
    hits = [r for r in REPORTS if matches(r, flt)]
    hits = sorted_hits(hits, qs.get("sort", [""])[-1])
    total = len(hits)
    out = []
    for n, r in enumerate(hits[(page - 1) * size: page * size]):
        out.append({"id": r["id"], "title": r["title"], "year": r["year"], "region": r["region"], "issuer": r["issuer"],
                    "level": r["level"], "template": r["template"], "score": round(10 / (n + 1 + (page - 1) * size), 3),
                    "snippets": snippets(r, flt),
                    "figures": {k: r["figures"][k] for k in figs if k in r["figures"]},
                    "failed_checks": [k for k, ok in r["checks"].items() if not ok]})
    return {"demo": DEMO, "total": total, "took_ms": int((time.time() - t0) * 1000) + 3, "page": page, "size": size,
            "hits": out, "facets": facet_counts(flt)}


def api_report(rid):
    r = BY_ID.get(rid)
    if not r:
        return None
    figs = [{"key": f["key"], "label": f["label_zh"], "table": f["table"], "value": r["figures"][f["key"]]}
            for f in FIELDS if f["key"] in r["figures"]]
    d = {k: v for k, v in r.items() if k != "figures"}
    d["figures"] = figs
    return d


def api_stats(qs):
    flt = parse_filters(qs)
    group = qs.get("group", ["year"])[-1]
    if group not in ("year", "region", "issuer"):
        raise BadRequest(f"group: must be year, region or issuer, not '{group}'")
    fig = qs.get("figure", [""])[-1]
    if fig not in FIELD_BY_KEY:
        raise BadRequest(f"figure: unknown figure key '{fig}'")
    lvl = qs.get("region_level", ["province"])[-1]
    depth = {"province": 1, "prefecture": 2, "county": 3}.get(lvl)
    if depth is None:
        raise BadRequest(f"region_level: must be province, prefecture or county, not '{lvl}'")
    groups = {}
    for r in REPORTS:
        if not matches(r, flt):
            continue
        if group == "year":
            k = str(r["year"])
        elif group == "issuer":
            k = r["issuer"]
        else:
            p = (r["region"] or {}).get("path")
            if not p or len(p.split("/")) < depth:
                continue
            k = "/".join(p.split("/")[:depth])
        v = r["figures"].get(fig)
        if v is None:
            continue
        groups.setdefault(k, []).append(v)
    rows = []
    for k, vs in sorted(groups.items()):
        rows.append({"key": k, "count": len(vs), "sum": sum(vs), "mean": round(sum(vs) / len(vs), 3),
                     "min": min(vs), "max": max(vs)})
    return {"group": group, "figure": fig, "rows": rows}


def api_export(qs):
    flt = parse_filters(qs)
    fmt = qs.get("format", ["csv"])[-1]
    figs = figures_param(qs)
    hits = [r for r in REPORTS if matches(r, flt)]
    if fmt == "jsonl":
        body = "".join(json.dumps({"id": r["id"], "title": r["title"], "year": r["year"],
                                   "figures": {k: r["figures"].get(k) for k in figs}}, ensure_ascii=False) + "\n" for r in hits)
        return "application/x-ndjson", "gongkai.jsonl", body
    if fmt != "csv":
        raise BadRequest(f"format: must be csv or jsonl, not '{fmt}'")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "title", "year", "region", "issuer", "level"] + figs)
    for r in hits:
        w.writerow([r["id"], r["title"], r["year"], (r["region"] or {}).get("path", ""), r["issuer"], r["level"]]
                   + [r["figures"].get(k, "") for k in figs])
    return "text/csv; charset=utf-8", "gongkai.csv", "\ufeff" + buf.getvalue()


TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


class H(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("mock: " + (fmt % args) + "\n")

    def send(self, code, ctype, body, extra=None):
        b = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(b)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(b)

    def json(self, code, obj):
        self.send(code, "application/json; charset=utf-8", json.dumps(obj, ensure_ascii=False))

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        qs = urllib.parse.parse_qs(u.query, keep_blank_values=True)
        path = urllib.parse.unquote(u.path)
        if os.environ.get("MOCK_SLOW"):
            time.sleep(float(os.environ["MOCK_SLOW"]))
        try:
            if path == "/api/search":
                return self.json(200, api_search(qs))
            if path == "/api/fields":
                return self.json(200, FIELDS)
            if path == "/api/stats":
                return self.json(200, api_stats(qs))
            if path == "/api/export":
                ctype, name, body = api_export(qs)
                return self.send(200, ctype, body, {"Content-Disposition": f'attachment; filename="{name}"'})
            if path.startswith("/api/reports/"):
                r = api_report(path[len("/api/reports/"):])
                if r is None:
                    return self.json(404, {"error": "id: no such report"})
                return self.json(200, r)
            if path.startswith("/api/"):
                return self.json(404, {"error": "no such endpoint"})
        except BadRequest as e:
            return self.json(400, {"error": str(e)})
        name = "index.html" if path in ("/", "") else path.lstrip("/")
        full = os.path.normpath(os.path.join(WEB, name))
        if not full.startswith(WEB + os.sep) or full.endswith(".py") or not os.path.isfile(full):
            return self.send(404, "text/plain", "not found")
        with open(full, "rb") as f:
            self.send(200, TYPES.get(os.path.splitext(full)[1], "application/octet-stream"), f.read())


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    print(f"mock on http://127.0.0.1:{port}/ ({len(REPORTS)} reports, {len(FIELDS)} fields)")
    ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
