//! Every endpoint's answer on the fixture index, byte for byte (object key order
//! included), against a snapshot recorded before the server's responses became
//! typed structs. The index is built from the reports the snapshot recorded
//! (not parsed again), so parser changes do not touch it.

use crate::common;
use axum::http::StatusCode;
use gongkai::index::{Index, IndexDoc};
use gongkai::Report;
use serde_json::{json, Value};
use std::path::Path;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/api_snapshot.txt");

/// Requests covering every endpoint, their parameters, and their errors.
const REQUESTS: &[&str] = &[
    "/healthz",
    "/api/fields",
    "/api/openapi.json",
    "/api/search",
    "/api/search?q=%E9%BD%90%E5%86%9C%E9%80%9A",
    "/api/search?q=%22%E9%BD%90%E5%86%9C%E9%80%9A%22+-%E5%BC%A0%E5%BA%97",
    "/api/search?q=%22%E9%BD%90%E5%86%9C%E9%80%9A%22+OR+%E9%94%A6%E5%B7%9E&sort=-year",
    "/api/search?q=%E6%B3%A8%E5%85%A5%E6%B5%8B%E8%AF%95&section=problems",
    "/api/search?q=problems%3A%E6%B3%A8%E5%85%A5%E6%B5%8B%E8%AF%95",
    "/api/search?q=%E5%85%AC%E5%BC%80&sort=requests.new.total&size=3&page=2",
    "/api/search?year=2019..&sort=-requests.new.total&figures=review.total,litigation.total",
    "/api/search?region=%E6%B7%84%E5%8D%9A%E5%B8%82",
    "/api/search?region=%E6%B2%B3%E5%8C%97%E7%9C%81&level=prefecture&template=2021",
    "/api/search?issuer=%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&sort=year",
    "/api/search?where=requests.new.total+%3E%3D+10&where=review.total+%3C+5",
    "/api/search?failed_check=requests_balance",
    "/api/search?issuer_exact=%E7%A7%A6%E7%9A%87%E5%B2%9B%E5%B8%82%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C",
    "/api/search?q=%22%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80%E7%A7%A6%E7%9A%87%E5%B2%9B%22",
    "/api/search?where=checks.failed",
    "/api/search?q=%22%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E7%9F%AD%E8%AF%AD%E7%94%B2%E4%B9%99%E4%B8%99%22",
    "/api/stats",
    "/api/stats?group=year&figure=requests.new.total",
    "/api/stats?group=region&figure=review.total",
    "/api/stats?group=region&region_level=prefecture&figure=requests.new.total",
    "/api/stats?group=region&region_level=county",
    "/api/stats?group=issuer&figure=litigation.total",
    "/api/stats?group=level&figure=requests.granted.total&year=2021",
    "/api/stats?group=template&q=%E5%85%AC%E5%BC%80",
    "/api/stats?group=year&figure=requests.new.total&dedupe=false",
    "/api/export",
    "/api/export?format=jsonl",
    "/api/export?format=csv&figures=review.total,review.corrected&sort=-year&limit=3",
    "/api/export?format=jsonl&region=%E8%BE%BD%E5%AE%81%E7%9C%81&sort=year",
    "/api/export?labels=zh&sort=-requests.new.total",
    "/api/export?labels=fr",
    "/api/stats?dedupe=maybe",
    "/api/reports/0123456789abcdef/file",
    "/api/search?foo=1",
    "/api/search?size=0",
    "/api/search?page=x",
    "/api/search?year=2023..2019",
    "/api/search?region=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E5%9C%B0%E6%96%B9",
    "/api/search?level=village",
    "/api/search?template=1999",
    "/api/search?where=no.such.key+%3E%3D+1",
    "/api/search?where=requests.new.total+~+1",
    "/api/search?failed_check=no_such_check",
    "/api/search?q=%22unbalanced",
    "/api/search?q=nosuch%3Aword",
    "/api/search?q=a+OR",
    "/api/search?section=nosuch",
    "/api/search?sort=nosuch",
    "/api/search?figures=requests.new.total,nosuch",
    "/api/stats?group=nosuch",
    "/api/stats?region_level=nosuch",
    "/api/stats?figure=nosuch",
    "/api/stats?sort=year",
    "/api/export?format=xml",
    "/api/export?limit=x",
    "/api/export?size=10",
    "/api/reports/bad%20id",
    "/api/reports/0123456789abcdef",
    "/api/nosuch",
];

/// One request through the router (no socket), as text: status, content type, body.
fn answer(app: &common::App, uri: &str) -> String {
    let r = app.get(uri);
    format!(
        "### GET {uri}\n{}\n{}\n{}\n",
        r.status, r.content_type, r.body
    )
}

/// Masks what differs between runs: time taken and where the fixture lives.
fn mask(s: &str, root: &Path) -> String {
    let took = regex::Regex::new(r#""took_ms":\d+"#).unwrap();
    let s = s.replace(&root.display().to_string(), "<ROOT>");
    took.replace_all(&s, r#""took_ms":0"#).into_owned()
}

/// The reports of a recorded snapshot (its `/api/reports/{id}` answers): id,
/// path as ingested, url and the report, in the order ingest met the files.
fn recorded_reports(snapshot: &str, root: &Path) -> Vec<(String, String, Option<String>, Report)> {
    let mut out = Vec::new();
    for entry in snapshot.split("### GET /api/reports/").skip(1) {
        let mut lines = entry.splitn(4, '\n');
        let (status, body) = (lines.nth(1).unwrap_or(""), lines.nth(1).unwrap_or(""));
        if !status.starts_with("200") {
            continue;
        }
        let v: Value = serde_json::from_str(body.trim_end()).unwrap();
        let figures: serde_json::Map<String, Value> = v["figures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["key"].as_str().unwrap().to_string(), f["value"].clone()))
            .collect();
        let sections: Vec<Value> = v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| json!({ "key": s["key"], "headings": s["headings"], "text": s["text"], "original": s["original"] }))
            .collect();
        let mut report = json!({
            "title": v["title"], "title_composed": v["title_composed"], "year": v["year"],
            "region": v["region"], "issuer": v["issuer"], "level": v["level"],
            "published": v["published"], "index_no": v["index_no"], "template": v["template"],
            "sections": sections, "figures": figures, "checks": v["checks"], "warnings": v["warnings"],
        });
        if v["format"].is_string() {
            report["format"] = v["format"].clone();
        }
        let report: Report = serde_json::from_value(report).unwrap();
        let path = v["path"]
            .as_str()
            .unwrap()
            .replace("<ROOT>", &root.display().to_string());
        let url = v["url"].as_str().map(String::from);
        out.push((v["id"].as_str().unwrap().to_string(), path, url, report));
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// The fixture index made of the recorded reports themselves, so that the
/// snapshot checks index, search and server whatever the parser does today.
fn recorded_index(root: &Path) -> std::path::PathBuf {
    let _ = std::fs::remove_dir_all(root);
    let recorded = std::fs::read_to_string(SNAPSHOT).unwrap();
    let dir = root.join("index");
    let index = Index::open_or_create(&dir).unwrap();
    let mut writer = index.writer(50_000_000, 1).unwrap();
    for (id, path, url, report) in recorded_reports(&recorded, root) {
        assert_eq!(gongkai::index::content_id(&report), id, "{path}");
        let doc = IndexDoc {
            src: id.clone(),
            id,
            path_key: path.clone(),
            path,
            url,
            bytes: 0,
            sha: String::new(),
            report,
            copies: Default::default(),
        };
        writer.add_document(index.document(&doc)).unwrap();
    }
    writer.commit().unwrap();
    dir
}

/// Every answer of [`REQUESTS`] on the fixture index, plus each report's.
pub fn snapshot(root: &Path) -> String {
    let app = common::App::new(&recorded_index(root));
    let mut out = String::new();
    for uri in REQUESTS {
        out.push_str(&answer(&app, uri));
    }
    // Each report, by the ids the search gives (sorted for a stable order).
    let v: serde_json::Value = serde_json::from_str(&app.get("/api/search?size=100").body).unwrap();
    let mut ids: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    for id in ids {
        out.push_str(&answer(&app, &format!("/api/reports/{id}")));
    }
    assert!(out.contains(&format!("### GET /healthz\n{}", StatusCode::OK)));
    mask(&out, root)
}

/// The snapshot with the body of `uri` taken out, and that body.
fn split_out(snapshot: &str, uri: &str) -> (String, String) {
    let head = format!("### GET {uri}\n");
    let Some(at) = snapshot.find(&head) else {
        return (snapshot.to_string(), String::new());
    };
    let rest = &snapshot[at + head.len()..];
    let end = rest.find("\n### GET ").map_or(rest.len(), |e| e + 1);
    let entry = &rest[..end];
    let body = entry
        .splitn(3, '\n')
        .nth(2)
        .unwrap_or("")
        .trim_end()
        .to_string();
    (format!("{}{}", &snapshot[..at], &rest[end..]), body)
}

/// Every key and value of `old` is in `new` (which may add keys).
fn contains(old: &serde_json::Value, new: &serde_json::Value, at: &str) -> Result<(), String> {
    use serde_json::Value::*;
    match (old, new) {
        (Object(o), Object(n)) => o.iter().try_for_each(|(k, v)| match n.get(k) {
            Some(nv) => contains(v, nv, &format!("{at}/{k}")),
            None => Err(format!("{at}/{k} is gone")),
        }),
        // A list may gain entries (new parameters), keeping the old in order.
        (Array(o), Array(n)) => {
            let mut rest = n.iter();
            o.iter().enumerate().try_for_each(|(i, a)| {
                rest.find(|b| contains(a, b, "").is_ok())
                    .map(|_| ())
                    .ok_or_else(|| format!("{at}/{i} is gone: {a}"))
            })
        }
        _ if old == new => Ok(()),
        _ => Err(format!("{at}: {old} became {new}")),
    }
}

#[test]
fn every_endpoint_answers_as_recorded() {
    let root = common::scratch("snapshot-fixture");
    let got = snapshot(&root);
    // Re-record on purpose (a response gained a field): GONGKAI_WRITE_SNAPSHOT=1.
    if std::env::var_os("GONGKAI_WRITE_SNAPSHOT").is_some() {
        std::fs::write(SNAPSHOT, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(SNAPSHOT)
        .unwrap_or_else(|e| panic!("{SNAPSHOT}: {e} (record it from known-good code)"));
    // The OpenAPI document gained the response schemas derived from the
    // response types since the recording: it must keep all it said then.
    let (got, got_doc) = split_out(&got, "/api/openapi.json");
    let (want, want_doc) = split_out(&want, "/api/openapi.json");
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    if let Err(e) = contains(&parse(&want_doc), &parse(&got_doc), "") {
        panic!("the OpenAPI document lost what it said: {e}");
    }
    if got != want {
        let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
        let at = g
            .iter()
            .zip(&w)
            .position(|(a, b)| a != b)
            .unwrap_or(g.len().min(w.len()));
        panic!(
            "answers differ from the snapshot at line {}:\n got: {}\nwant: {}",
            at + 1,
            g.get(at).unwrap_or(&"<end>"),
            w.get(at).unwrap_or(&"<end>")
        );
    }
}

/// The schemas of the OpenAPI document name exactly the keys the answers have.
#[test]
fn openapi_schemas_describe_the_answers() {
    let app = common::App::new(&common::build_index(&common::scratch("schema-fixture")));
    let get =
        |uri: &str| -> serde_json::Value { serde_json::from_str(&app.get(uri).body).unwrap() };
    let doc = get("/api/openapi.json");
    let schemas = &doc["components"]["schemas"];
    let props = |name: &str| -> Vec<String> {
        let mut v: Vec<String> = schemas[name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no schema {name}"))
            .keys()
            .cloned()
            .collect();
        v.sort();
        v
    };
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let search = get("/api/search");
    assert_eq!(props("SearchBody"), keys(&search));
    assert_eq!(props("HitBody"), keys(&search["hits"][0]));
    assert_eq!(props("Facets"), keys(&search["facets"]));
    assert_eq!(props("RegionNode"), keys(&search["facets"]["region"][0]));
    let id = search["hits"][0]["id"].as_str().unwrap();
    let report = get(&format!("/api/reports/{id}"));
    assert_eq!(props("ReportBody"), keys(&report));
    assert_eq!(props("SectionBody"), keys(&report["sections"][0]));
    assert_eq!(props("FigureBody"), keys(&report["figures"][0]));
    let stats = get("/api/stats?figure=review.total");
    assert_eq!(props("StatsBody"), keys(&stats));
    assert_eq!(props("StatsRow"), keys(&stats["rows"][0]));
    assert_eq!(props("Health"), keys(&get("/healthz")));
    assert_eq!(props("FieldBody"), keys(&get("/api/fields")[0]));
    assert_eq!(props("Error"), keys(&get("/api/search?size=0")));
    // Every reference resolves.
    let text = doc.to_string();
    for r in text.split("\"#/components/schemas/").skip(1) {
        let name = &r[..r.find('"').unwrap()];
        assert!(schemas.get(name).is_some(), "dangling $ref {name}");
    }
}
