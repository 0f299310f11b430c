//! Every endpoint's answer on the fixture index, byte for byte (object key order
//! included), against a snapshot recorded before the server's responses became
//! typed structs. Run with `GONGKAI_WRITE_SNAPSHOT=1` only to record a snapshot
//! from code known to be right; never to make this test pass.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use gongkai::index::Index;
use gongkai::server::{router, AppState};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

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
    "/api/export",
    "/api/export?format=jsonl",
    "/api/export?format=csv&figures=review.total,review.corrected&sort=-year&limit=3",
    "/api/export?format=jsonl&region=%E8%BE%BD%E5%AE%81%E7%9C%81&sort=year",
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
async fn answer(app: axum::Router, uri: &str) -> String {
    let resp = app
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    format!(
        "### GET {uri}\n{status}\n{ct}\n{}\n",
        String::from_utf8(body.to_vec()).unwrap()
    )
}

/// Masks what differs between runs: time taken and where the fixture lives.
fn mask(s: &str, root: &Path) -> String {
    let took = regex::Regex::new(r#""took_ms":\d+"#).unwrap();
    let s = s.replace(&root.display().to_string(), "<ROOT>");
    took.replace_all(&s, r#""took_ms":0"#).into_owned()
}

/// Every answer of [`REQUESTS`] on the fixture index, plus each report's.
pub fn snapshot(root: &Path) -> String {
    let index_dir = common::build_index(root);
    let index = Arc::new(Index::open(&index_dir).unwrap());
    let app = router(AppState {
        index,
        demo: false,
        timeout: Duration::from_secs(60),
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut out = String::new();
        for uri in REQUESTS {
            out.push_str(&answer(app.clone(), uri).await);
        }
        // Each report, by the ids the search gives (sorted for a stable order).
        let all = answer(app.clone(), "/api/search?size=100").await;
        let body = all.splitn(4, '\n').nth(3).unwrap();
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        let mut ids: Vec<String> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        for id in ids {
            out.push_str(&answer(app.clone(), &format!("/api/reports/{id}")).await);
        }
        assert!(out.contains(&format!("### GET /healthz\n{}", StatusCode::OK)));
        mask(&out, root)
    })
}

#[test]
fn every_endpoint_answers_as_recorded() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("snapshot-fixture");
    let got = snapshot(&root);
    if std::env::var_os("GONGKAI_WRITE_SNAPSHOT").is_some() {
        std::fs::write(SNAPSHOT, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(SNAPSHOT)
        .unwrap_or_else(|e| panic!("{SNAPSHOT}: {e} (record it from known-good code)"));
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
