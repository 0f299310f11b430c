//! The HTTP API end to end: an index of the seeds plus crafted reports, every
//! endpoint driven through the router (no socket; the browser test has one).

use crate::common::{self, FORMULA_WORD, HOSTILE_WORD, IMG, SCRIPT};
use serde_json::Value;
use std::sync::OnceLock;

fn app() -> &'static common::App {
    static S: OnceLock<common::App> = OnceLock::new();
    S.get_or_init(|| common::App::new(&common::build_index(&common::scratch("api-fixture"))))
}

/// Query string from pairs (percent-encoded).
fn qs(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

struct Resp {
    status: u16,
    content_type: String,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", &self.body))
    }
}

fn get_raw(path_and_query: &str) -> Resp {
    let r = app().get(path_and_query);
    let (status, content_type, body) = (r.status.as_u16(), r.content_type, r.body);
    assert!(status < 500, "GET {path_and_query} → {status}: {body}");
    Resp {
        status,
        content_type,
        body,
    }
}

fn get(path: &str, pairs: &[(&str, &str)]) -> Resp {
    if pairs.is_empty() {
        get_raw(path)
    } else {
        get_raw(&format!("{path}?{}", qs(pairs)))
    }
}

/// A 200 JSON answer.
fn ok(path: &str, pairs: &[(&str, &str)]) -> Value {
    let r = get(path, pairs);
    assert_eq!(r.status, 200, "{path} {pairs:?}: {}", r.body);
    assert!(
        r.content_type.starts_with("application/json"),
        "{}",
        r.content_type
    );
    r.json()
}

fn search(pairs: &[(&str, &str)]) -> Value {
    ok("/api/search", pairs)
}

/// A 400 whose `error` names `param`.
fn bad(path: &str, pairs: &[(&str, &str)], param: &str) {
    let r = get(path, pairs);
    assert_eq!(r.status, 400, "{path} {pairs:?}: {}", r.body);
    let v = r.json();
    let msg = v["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error string: {v}"));
    assert!(
        msg.contains(&format!("`{param}`")),
        "{path} {pairs:?}: error does not name `{param}`: {msg}"
    );
}

/// Region paths of the hits, in order.
fn regions(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["region"]["path"].as_str().unwrap_or("-").to_string())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn total(v: &Value) -> u64 {
    v["total"].as_u64().unwrap()
}

const QHD: &str = "河北省/秦皇岛市";
const TS: &str = "河北省/唐山市";
const JZ: &str = "辽宁省/锦州市";
const DL: &str = "辽宁省/大连市";
const SB: &str = "云南省/楚雄彝族自治州/双柏县";
const LZ: &str = "山东省/淄博市/临淄区";
const ZD: &str = "山东省/淄博市/张店区";

fn id_of(region: &str) -> String {
    let v = search(&[("region", region), ("size", "100")]);
    assert_eq!(total(&v), 1, "{region}: {v}");
    v["hits"][0]["id"].as_str().unwrap().to_string()
}

// ───────────────────────────── health, fields, OpenAPI

#[test]
fn healthz_counts_reports() {
    let v = ok("/healthz", &[]);
    assert_eq!(v["ok"], true);
    assert_eq!(v["reports"], 8);
    assert_eq!(v["demo"], false);
}

#[test]
fn page_and_assets_are_served() {
    let r = get("/", &[]);
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/html"));
    assert!(r.body.contains("app.js"));
    let r = get("/app.js", &[]);
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/javascript"));
    let r = get("/style.css", &[]);
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/css"));
    let r = get("/no/such/page", &[]);
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].is_string());
}

#[test]
fn fields_dictionary_has_chinese_labels() {
    let v = ok("/api/fields", &[]);
    let a = v.as_array().unwrap();
    assert!(a.len() > 50, "{} fields", a.len());
    let f = a
        .iter()
        .find(|f| f["key"] == "requests.new.total")
        .expect("requests.new.total");
    assert!(f["label_zh"].as_str().unwrap().contains("新收"), "{f}");
}

#[test]
fn openapi_lists_every_path_and_parameter() {
    let v = ok("/api/openapi.json", &[]);
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    let paths = v["paths"].as_object().unwrap();
    for p in [
        "/api/search",
        "/api/reports/{id}",
        "/api/reports/{id}/file",
        "/api/bodies/{id}",
        "/api/stats",
        "/api/export",
        "/api/fields",
        "/api/openapi.json",
        "/healthz",
    ] {
        assert!(paths.contains_key(p), "openapi lacks {p}");
    }
    // every route the router mounts is in the document, and nothing else
    let mut mounted = gongkai::server::api_paths();
    mounted.sort();
    let mut documented: Vec<String> = paths.keys().cloned().collect();
    documented.sort();
    assert_eq!(mounted, documented);
    // and each documented path answers (not the fallback's 404)
    let id = id_of("秦皇岛市");
    let report = ok(&format!("/api/reports/{id}"), &[]);
    let body = report["body"].as_str().unwrap().to_string();
    for p in &documented {
        let which = if p.starts_with("/api/bodies/") {
            &body
        } else {
            &id
        };
        let r = get_raw(&p.replace("{id}", which));
        assert_eq!(r.status, 200, "{p}: {}", r.body);
    }
    let filters = [
        "q",
        "section",
        "year",
        "region",
        "issuer",
        "issuer_exact",
        "body",
        "level",
        "template",
        "where",
        "failed_check",
    ];
    let expect: &[(&str, &[&str])] = &[
        ("/api/search", &["sort", "page", "size", "figures"]),
        ("/api/stats", &["group", "region_level", "figure", "dedupe"]),
        (
            "/api/export",
            &["sort", "format", "figures", "limit", "labels"],
        ),
    ];
    for (path, extra) in expect {
        let names: Vec<&str> = v["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        for n in filters.iter().chain(extra.iter()) {
            assert!(names.contains(n), "openapi {path} lacks parameter {n}");
        }
        // and the server knows every parameter the document lists
        for n in &names {
            let r = get(path, &[(n, "")]);
            assert_eq!(r.status, 200, "{path}?{n}= : {}", r.body);
        }
    }
}

// ───────────────────────────── search

#[test]
fn search_everything_with_facets() {
    let v = search(&[]);
    assert_eq!(total(&v), 8);
    assert_eq!(v["page"], 1);
    assert_eq!(v["size"], 20);
    assert_eq!(v["hits"].as_array().unwrap().len(), 8);
    assert!(v["took_ms"].is_u64());
    // region tree with counts
    let region = v["facets"]["region"].as_array().unwrap();
    let node = |list: &Value, name: &str| -> Value {
        list.as_array()
            .unwrap()
            .iter()
            .find(|n| n["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {list}"))
            .clone()
    };
    let region = Value::Array(region.clone());
    let hb = node(&region, "河北省");
    assert_eq!(hb["count"], 2);
    assert_eq!(hb["path"], "河北省");
    assert_eq!(node(&hb["children"], "秦皇岛市")["count"], 1);
    assert_eq!(node(&hb["children"], "秦皇岛市")["path"], QHD);
    assert_eq!(node(&hb["children"], "唐山市")["count"], 1);
    let sd = node(&region, "山东省");
    assert_eq!(sd["count"], 2);
    let zb = node(&sd["children"], "淄博市");
    assert_eq!(zb["count"], 2);
    assert_eq!(zb["path"], "山东省/淄博市");
    // counties show under a filtered region only
    assert!(zb["children"].as_array().unwrap().is_empty(), "{zb}");
    let v2 = search(&[("region", "淄博市")]);
    let zb = node(
        &node(&v2["facets"]["region"], "山东省")["children"],
        "淄博市",
    );
    assert_eq!(node(&zb["children"], "临淄区")["count"], 1);
    assert_eq!(node(&zb["children"], "临淄区")["path"], LZ);
    assert_eq!(node(&zb["children"], "张店区")["count"], 1);
    assert_eq!(node(&region, "辽宁省")["count"], 2);
    assert_eq!(node(&region, "云南省")["count"], 1);
    // year facet
    let years: Vec<(String, u64)> = v["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["value"].to_string().replace('"', ""),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect();
    for (y, n) in [("2017", 2), ("2020", 1), ("2021", 3), ("2023", 2)] {
        assert!(years.contains(&(y.to_string(), n)), "year {y}: {years:?}");
    }
    // failed checks facet: only the crafted report
    let failed = v["facets"]["failed_checks"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["value"], "requests_balance");
    assert_eq!(failed[0]["count"], 1);
    // template and level facets exist
    assert!(v["facets"]["template"].is_array());
    assert!(v["facets"]["level"].is_array());
}

#[test]
fn search_words_phrase_or_exclusion() {
    // a word: only 临淄's report mentions 临淄 (the crafted copy was renamed)
    let v = search(&[("q", "临淄")]);
    assert_eq!(regions(&v), vec![LZ]);
    // an exact phrase: 临淄 and its copy
    let v = search(&[("q", "\"齐农通\"")]);
    assert_eq!(sorted(regions(&v)), sorted(vec![LZ.into(), ZD.into()]));
    // words AND
    let v = search(&[("q", "齐农通 张店")]);
    assert_eq!(regions(&v), vec![ZD]);
    // exclusion
    let v = search(&[("q", "\"齐农通\" -张店")]);
    assert_eq!(regions(&v), vec![LZ]);
    // OR
    let v = search(&[("q", "\"齐农通\" OR 锦州")]);
    assert_eq!(
        sorted(regions(&v)),
        sorted(vec![LZ.into(), ZD.into(), JZ.into()])
    );
    assert_eq!(total(&v), 3);
    // nothing
    let v = search(&[("q", "\"不存在的短语甲乙丙\"")]);
    assert_eq!(total(&v), 0);
    assert!(v["hits"].as_array().unwrap().is_empty());
}

#[test]
fn search_section_scope() {
    let v = search(&[("q", HOSTILE_WORD), ("section", "problems")]);
    assert_eq!(regions(&v), vec![TS]);
    let v = search(&[("q", HOSTILE_WORD), ("section", "overview")]);
    assert_eq!(total(&v), 0, "{v}");
    let v = search(&[("q", &format!("problems:{HOSTILE_WORD}"))]);
    assert_eq!(regions(&v), vec![TS]);
}

#[test]
fn search_year_filters() {
    let v = search(&[("year", "2021")]);
    assert_eq!(
        sorted(regions(&v)),
        sorted(vec![QHD.into(), TS.into(), SB.into()])
    );
    let v = search(&[("year", "2020..2023")]);
    assert_eq!(total(&v), 6);
    let v = search(&[("year", "..2017")]);
    assert_eq!(sorted(regions(&v)), sorted(vec![JZ.into(), DL.into()]));
    let v = search(&[("year", "2022..")]);
    assert_eq!(sorted(regions(&v)), sorted(vec![LZ.into(), ZD.into()]));
}

#[test]
fn search_region_filters() {
    // province: everything under it
    let v = search(&[("region", "河北省")]);
    assert_eq!(sorted(regions(&v)), sorted(vec![QHD.into(), TS.into()]));
    // prefecture, by name, path and code
    for r in ["淄博市", "山东省/淄博市", "370300"] {
        let v = search(&[("region", r)]);
        assert_eq!(
            sorted(regions(&v)),
            sorted(vec![LZ.into(), ZD.into()]),
            "{r}"
        );
    }
    let v = search(&[("region", "秦皇岛市")]);
    assert_eq!(regions(&v), vec![QHD]);
    // county
    let v = search(&[("region", "临淄区")]);
    assert_eq!(regions(&v), vec![LZ]);
    // the facet of a filtered search still counts the hits
    let v = search(&[("region", "山东省")]);
    assert_eq!(v["facets"]["region"][0]["name"], "山东省");
    assert_eq!(v["facets"]["region"][0]["count"], 2);
}

#[test]
fn search_issuer_level_template() {
    let all = search(&[]);
    // issuer: take a value from the facet and filter by it
    let issuers = all["facets"]["issuer"].as_array().unwrap();
    assert!(!issuers.is_empty(), "no issuer facet: {all}");
    for f in issuers {
        let name = f["value"].as_str().unwrap();
        let v = search(&[("issuer", name)]);
        assert!(total(&v) >= f["count"].as_u64().unwrap(), "issuer {name}");
        for h in v["hits"].as_array().unwrap() {
            assert!(
                h["issuer"].as_str().unwrap_or("").contains(name),
                "issuer {name}: {h}"
            );
        }
    }
    // level: same, for every value of the facet
    for f in all["facets"]["level"].as_array().unwrap() {
        let lv = f["value"].as_str().unwrap();
        let v = search(&[("level", lv)]);
        assert_eq!(total(&v), f["count"].as_u64().unwrap(), "level {lv}");
        for h in v["hits"].as_array().unwrap() {
            assert_eq!(h["level"], lv);
        }
    }
    // template
    let v = search(&[("template", "narrative")]);
    assert_eq!(sorted(regions(&v)), sorted(vec![JZ.into(), DL.into()]));
    let v = search(&[("template", "2019")]);
    assert_eq!(total(&v), 1);
    let v = search(&[("template", "2021")]);
    assert_eq!(total(&v), 5);
    for h in v["hits"].as_array().unwrap() {
        assert_eq!(h["template"], "2021");
    }
}

#[test]
fn search_where_and_failed_check() {
    // repeated where: ANDed
    let v = search(&[
        ("where", "requests.new.total >= 169"),
        ("where", "requests.new.total < 500"),
    ]);
    assert_eq!(
        sorted(regions(&v)),
        sorted(vec![LZ.into(), ZD.into(), JZ.into(), DL.into()])
    );
    let v = search(&[("where", "requests.new.total = 513")]);
    assert_eq!(sorted(regions(&v)), sorted(vec![QHD.into(), TS.into()]));
    // reports breaking a relation
    let v = search(&[("where", "checks.failed")]);
    assert_eq!(regions(&v), vec![ZD]);
    let v = search(&[("failed_check", "requests_balance")]);
    assert_eq!(regions(&v), vec![ZD]);
    assert_eq!(v["hits"][0]["failed_checks"][0], "requests_balance");
    let v = search(&[("failed_check", "review_sum")]);
    assert_eq!(total(&v), 0);
    // where and other filters together
    let v = search(&[
        ("where", "requests.new.total >= 100"),
        ("region", "山东省"),
        ("year", "2023"),
        ("failed_check", "requests_balance"),
    ]);
    assert_eq!(regions(&v), vec![ZD]);
}

fn sort_values(v: &Value) -> Vec<f64> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["sort_value"].as_f64().unwrap())
        .collect()
}

#[test]
fn search_sort_by_year_and_figure() {
    let years = |v: &Value| -> Vec<i64> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["year"].as_i64().unwrap())
            .collect()
    };
    let v = search(&[("sort", "year")]);
    assert_eq!(
        years(&v),
        vec![2017, 2017, 2020, 2021, 2021, 2021, 2023, 2023]
    );
    let v = search(&[("sort", "-year")]);
    assert_eq!(
        years(&v),
        vec![2023, 2023, 2021, 2021, 2021, 2020, 2017, 2017]
    );

    let w = ("where", "requests.new.total >= 1");
    let v = search(&[("sort", "requests.new.total"), w]);
    assert_eq!(
        sort_values(&v),
        vec![169.0, 169.0, 192.0, 192.0, 513.0, 513.0]
    );
    let v = search(&[("sort", "-requests.new.total"), w]);
    assert_eq!(
        sort_values(&v),
        vec![513.0, 513.0, 192.0, 192.0, 169.0, 169.0]
    );
    assert_eq!(
        sorted(regions(&v)[..2].to_vec()),
        sorted(vec![QHD.into(), TS.into()])
    );
    // the figure sorted on is returned with the hit
    for h in v["hits"].as_array().unwrap() {
        assert_eq!(
            h["figures"]["requests.new.total"].as_f64(),
            h["sort_value"].as_f64()
        );
    }
}

#[test]
fn search_pages_and_sizes() {
    let all = search(&[("sort", "year"), ("size", "100")]);
    let ids: Vec<Value> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].clone())
        .collect();
    assert_eq!(ids.len(), 8);
    let mut paged = Vec::new();
    for page in 1..=3 {
        let p = page.to_string();
        let v = search(&[("sort", "year"), ("size", "3"), ("page", &p)]);
        assert_eq!(total(&v), 8);
        assert_eq!(v["page"], page);
        assert_eq!(v["size"], 3);
        let n = v["hits"].as_array().unwrap().len();
        assert_eq!(n, if page < 3 { 3 } else { 2 });
        paged.extend(
            v["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["id"].clone()),
        );
    }
    assert_eq!(paged, ids, "pages concatenate to the whole list");
    let v = search(&[("size", "3"), ("page", "4")]);
    assert_eq!(total(&v), 8);
    assert!(v["hits"].as_array().unwrap().is_empty());
    let v = search(&[("size", "100"), ("page", "10000")]);
    assert!(v["hits"].as_array().unwrap().is_empty());
}

#[test]
fn search_figures_parameter() {
    let v = search(&[
        ("region", "秦皇岛市"),
        ("figures", "requests.new.total,review.total"),
    ]);
    let f = v["hits"][0]["figures"].as_object().unwrap();
    let keys: Vec<&String> = f.keys().collect();
    assert_eq!(keys.len(), 2, "{f:?}");
    assert_eq!(f["requests.new.total"], 513);
    assert!(f.contains_key("review.total"));
    // default figures
    let v = search(&[("region", "临淄区")]);
    let f = v["hits"][0]["figures"].as_object().unwrap();
    assert_eq!(f["requests.new.total"], 169);
    assert_eq!(f["requests.granted.total"], 85);
    assert!(f.contains_key("litigation.total"));
    // repeated figures= add up
    let v = search(&[
        ("region", "临淄区"),
        ("figures", "requests.new.total"),
        ("figures", "requests.carried_in.total"),
    ]);
    let f = v["hits"][0]["figures"].as_object().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f["requests.carried_in.total"], 6);
}

#[test]
fn search_hit_metadata() {
    let v = search(&[("region", "临淄区")]);
    let h = &v["hits"][0];
    assert_eq!(h["year"], 2023);
    assert_eq!(h["region"]["code"], "370305");
    assert!(h["title"].as_str().unwrap().contains("临淄区"));
    assert_eq!(h["template"], "2021");
    assert_eq!(h["failed_checks"].as_array().unwrap().len(), 0);
    assert!(h["id"]
        .as_str()
        .unwrap()
        .chars()
        .all(|c| c.is_ascii_alphanumeric()));
}

#[test]
fn snippets_are_escaped_and_marked() {
    let v = search(&[("q", HOSTILE_WORD)]);
    assert_eq!(regions(&v), vec![TS]);
    let h = &v["hits"][0];
    // the title comes back as the text it is (the page inserts it as text)
    assert!(h["title"].as_str().unwrap().contains(SCRIPT));
    let snips = h["snippets"].as_array().unwrap();
    assert!(!snips.is_empty(), "{h}");
    let html: String = snips
        .iter()
        .map(|s| s["html"].as_str().unwrap().to_string())
        .collect();
    assert!(
        html.contains(&format!("<mark>{HOSTILE_WORD}</mark>")),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(html.contains("&lt;img"), "{html}");
    // the only markup left is <mark>
    let stripped = html.replace("<mark>", "").replace("</mark>", "");
    assert!(
        !stripped.contains('<') && !stripped.contains('>'),
        "markup in snippet: {html}"
    );
    assert_eq!(snips[0]["section"], "problems");

    // a phrase is marked too, and a plain word in an ordinary report
    let v = search(&[("q", "\"齐农通\""), ("region", "临淄区")]);
    let html = v["hits"][0]["snippets"][0]["html"].as_str().unwrap();
    assert!(html.contains("<mark>齐农通</mark>"), "{html}");
}

// ───────────────────────────── reports

#[test]
fn report_has_sections_figures_checks() {
    let id = id_of("秦皇岛市");
    let v = ok(&format!("/api/reports/{id}"), &[]);
    assert_eq!(v["id"], id.as_str());
    assert_eq!(v["year"], 2021);
    assert_eq!(v["region"]["path"], QHD);
    assert_eq!(v["region"]["code"], "130300");
    assert_eq!(v["template"], "2021");
    assert_eq!(v["title"], "秦皇岛市2021年政府信息公开工作年度报告");
    let sections = v["sections"].as_array().unwrap();
    let keys: Vec<&str> = sections
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    for k in ["overview", "proactive", "requests", "appeals", "problems"] {
        assert!(keys.contains(&k), "no section {k}: {keys:?}");
    }
    for s in sections {
        assert!(!s["label"].as_str().unwrap().is_empty());
        assert!(s["text"].is_string() && s["original"].is_string(), "{s}");
    }
    let problems = sections.iter().find(|s| s["key"] == "problems").unwrap();
    assert!(problems["text"].as_str().unwrap().contains("政务新媒体"));
    assert!(problems["original"]
        .as_str()
        .unwrap()
        .contains("政务新媒体"));
    // figures with Chinese labels
    let figs = v["figures"].as_array().unwrap();
    let f = figs
        .iter()
        .find(|f| f["key"] == "requests.new.total")
        .expect("requests.new.total");
    assert_eq!(f["value"], 513);
    assert!(f["label"].as_str().unwrap().contains("新收"), "{f}");
    assert_eq!(f["table"], "requests");
    // checks: all passing for this seed
    let checks = v["checks"].as_object().unwrap();
    assert_eq!(checks["requests_balance"], true);
    assert_eq!(checks["review_sum"], true);
    assert!(v["warnings"].is_array());
}

#[test]
fn report_of_crafted_inconsistent_report() {
    let id = id_of("张店区");
    let v = ok(&format!("/api/reports/{id}"), &[]);
    assert_eq!(v["checks"]["requests_balance"], false, "{}", v["checks"]);
    let fig = |k: &str| {
        v["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == k)
            .map(|f| f["value"].clone())
    };
    assert_eq!(fig("requests.carried_in.total"), Some(16.into()));
    assert_eq!(fig("requests.new.total"), Some(169.into()));
}

#[test]
fn report_of_hostile_report_is_returned_as_text() {
    let id = id_of("唐山市");
    let v = ok(&format!("/api/reports/{id}"), &[]);
    assert!(v["title"].as_str().unwrap().contains(SCRIPT));
    let problems = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "problems")
        .unwrap();
    assert!(problems["original"].as_str().unwrap().contains(IMG));
}

#[test]
fn report_errors() {
    let r = get("/api/reports/0123456789abcdef", &[]);
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].is_string());
    let r = get_raw("/api/reports/..%2F..%2Fetc");
    assert!(r.status == 400 || r.status == 404, "{}", r.status);
    assert!(r.json()["error"].is_string());
    bad("/api/reports/bad%20id", &[], "id");
    let long = "a".repeat(65);
    bad(&format!("/api/reports/{long}"), &[], "id");
}

// ───────────────────────────── stats

fn stats(pairs: &[(&str, &str)]) -> Vec<Value> {
    let v = ok("/api/stats", pairs);
    v["rows"].as_array().unwrap().clone()
}

fn row<'a>(rows: &'a [Value], key: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key}: {rows:?}"))
}

#[test]
fn stats_by_year() {
    let f = ("figure", "requests.new.total");
    let rows = stats(&[f]);
    let r = row(&rows, "2021");
    assert_eq!(r["count"], 3);
    assert_eq!(r["n"], 3);
    assert_eq!(r["sum"], 513 + 513);
    assert_eq!(r["min"], 0);
    assert_eq!(r["max"], 513);
    assert_eq!(r["mean"].as_f64().unwrap(), 1026.0 / 3.0);
    let r = row(&rows, "2023");
    assert_eq!(
        (r["count"].clone(), r["sum"].clone()),
        (2.into(), 338.into())
    );
    assert_eq!(r["mean"], 169.0);
    let r = row(&rows, "2017");
    assert_eq!(r["sum"], 384);
    assert_eq!(r["min"], 192);
    // group defaults to year; label in Chinese
    let v = ok("/api/stats", &[f]);
    assert_eq!(v["group"], "year");
    assert_eq!(v["figure"], "requests.new.total");
    assert!(v["label"].as_str().unwrap().contains("新收"));
    // counts only without a figure
    let rows = stats(&[("group", "year")]);
    let r = row(&rows, "2021");
    assert_eq!(r["count"], 3);
    assert!(r["sum"].is_null());
}

#[test]
fn stats_known_figures_of_the_seeds() {
    let f = ("figure", "requests.new.total");
    let rows = stats(&[f, ("region", "秦皇岛市"), ("year", "2021")]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["sum"], 513);
    let rows = stats(&[f, ("region", "临淄区"), ("year", "2023")]);
    assert_eq!(rows[0]["sum"], 169);
    assert_eq!(rows[0]["max"], 169);
    let rows = stats(&[f, ("region", "锦州市")]);
    assert_eq!(rows[0]["sum"], 192);
}

#[test]
fn stats_by_region_levels() {
    let f = ("figure", "requests.new.total");
    let rows = stats(&[f, ("group", "region")]);
    assert_eq!(row(&rows, "河北省")["sum"], 1026);
    assert_eq!(row(&rows, "河北省")["count"], 2);
    assert_eq!(row(&rows, "山东省")["sum"], 338);
    assert_eq!(row(&rows, "辽宁省")["sum"], 384);
    assert_eq!(row(&rows, "unknown")["count"], 1);
    let rows = stats(&[f, ("group", "region"), ("region_level", "prefecture")]);
    assert_eq!(row(&rows, QHD)["sum"], 513);
    assert_eq!(row(&rows, TS)["sum"], 513);
    assert_eq!(row(&rows, "山东省/淄博市")["sum"], 338);
    assert_eq!(row(&rows, "山东省/淄博市")["count"], 2);
    assert_eq!(row(&rows, "云南省/楚雄彝族自治州")["sum"], 0);
    let rows = stats(&[f, ("group", "region"), ("region_level", "county")]);
    assert_eq!(row(&rows, LZ)["sum"], 169);
    // filtered and grouped
    let rows = stats(&[
        f,
        ("group", "region"),
        ("region_level", "prefecture"),
        ("region", "山东省"),
    ]);
    assert_eq!(rows.len(), 1);
}

#[test]
fn stats_by_issuer_level_template() {
    let rows = stats(&[("group", "issuer"), ("figure", "requests.new.total")]);
    let n: u64 = rows.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(n, 8);
    let all = search(&[]);
    for f in all["facets"]["issuer"].as_array().unwrap() {
        let r = row(&rows, f["value"].as_str().unwrap());
        assert_eq!(r["count"], f["count"]);
    }
    let rows = stats(&[("group", "template"), ("figure", "requests.new.total")]);
    assert_eq!(row(&rows, "narrative")["sum"], 384);
    assert_eq!(row(&rows, "2021")["count"], 5);
    let rows = stats(&[("group", "level")]);
    let n: u64 = rows.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(n, 8);
}

// ───────────────────────────── export

fn export(pairs: &[(&str, &str)]) -> Resp {
    let r = get("/api/export", pairs);
    assert_eq!(r.status, 200, "{pairs:?}: {}", r.body);
    r
}

#[test]
fn export_csv() {
    let r = export(&[("sort", "year")]);
    assert!(r.content_type.starts_with("text/csv"), "{}", r.content_type);
    assert!(r.body.starts_with('\u{feff}'), "no BOM");
    let mut rd = csv::Reader::from_reader(r.body.trim_start_matches('\u{feff}').as_bytes());
    let head: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&head[..5], ["id", "path", "url", "title", "year"]);
    assert!(head.contains(&"requests.new.total".to_string()));
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 8);
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let years: Vec<&str> = rows.iter().map(|r| &r[col("year")]).collect();
    assert_eq!(
        years,
        ["2017", "2017", "2020", "2021", "2021", "2021", "2023", "2023"]
    );
    // known figures, failed checks
    let qhd = rows.iter().find(|r| &r[col("region")] == QHD).unwrap();
    assert_eq!(&qhd[col("requests.new.total")], "513");
    assert_eq!(&qhd[col("region_code")], "130300");
    let zd = rows.iter().find(|r| &r[col("region")] == ZD).unwrap();
    assert_eq!(&zd[col("failed_checks")], "requests_balance");
    // a title a spreadsheet would run as a formula is defused
    let dl = rows.iter().find(|r| &r[col("region")] == DL).unwrap();
    let title = &dl[col("title")];
    assert!(title.starts_with("'="), "title not defused: {title}");
    assert!(title.contains(FORMULA_WORD));
    for r in &rows {
        for cell in r.iter() {
            let live = cell.starts_with(['=', '+', '@'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!live, "live formula cell {cell:?}");
        }
    }
    // hostile text comes back intact, quoted by the CSV writer
    let ts = rows.iter().find(|r| &r[col("region")] == TS).unwrap();
    assert!(ts[col("title")].contains(IMG));
}

#[test]
fn export_csv_filtered_with_figures() {
    let r = export(&[
        ("region", "河北省"),
        ("figures", "requests.new.total,requests.carried_over.total"),
    ]);
    let body = r.body.trim_start_matches('\u{feff}');
    let mut rd = csv::Reader::from_reader(body.as_bytes());
    let head: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &head[head.len() - 2..],
        ["requests.new.total", "requests.carried_over.total"]
    );
    assert_eq!(rd.records().count(), 2);
    // limit
    let r = export(&[("limit", "3")]);
    let mut rd = csv::Reader::from_reader(r.body.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(rd.records().count(), 3);
    // empty result: header only
    let r = export(&[("q", "\"不存在的短语甲乙丙\"")]);
    assert!(r.body.starts_with("\u{feff}id,"));
    assert_eq!(r.body.trim_end().lines().count(), 1);
}

#[test]
fn export_jsonl() {
    let r = export(&[("format", "jsonl"), ("figures", "requests.new.total")]);
    assert!(
        r.content_type.starts_with("application/x-ndjson"),
        "{}",
        r.content_type
    );
    let lines: Vec<Value> = r
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 8);
    let lz = lines.iter().find(|l| l["region"]["path"] == LZ).unwrap();
    assert_eq!(lz["figures"]["requests.new.total"], 169);
    assert_eq!(lz["year"], 2023);
    let ids: std::collections::HashSet<&str> =
        lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 8);
}

// ───────────────────────────── errors

#[test]
fn errors_name_the_parameter() {
    let s = "/api/search";
    bad(s, &[("foo", "1")], "foo");
    bad(s, &[("size", "0")], "size");
    bad(s, &[("size", "101")], "size");
    bad(s, &[("size", "x")], "size");
    bad(s, &[("size", "-1")], "size");
    bad(s, &[("page", "0")], "page");
    bad(s, &[("page", "x")], "page");
    bad(s, &[("page", "1.5")], "page");
    bad(s, &[("year", "abc")], "year");
    bad(s, &[("year", "2023..2019")], "year");
    bad(s, &[("year", "..")], "year");
    bad(s, &[("region", "不存在的地方")], "region");
    bad(s, &[("level", "village")], "level");
    bad(s, &[("template", "1999")], "template");
    bad(s, &[("where", "no.such.key >= 1")], "where");
    bad(s, &[("where", "requests.new.total ~ 1")], "where");
    bad(s, &[("where", "requests.new.total >= abc")], "where");
    bad(s, &[("where", "requests.new.total >=")], "where");
    bad(s, &[("where", ">= 5")], "where");
    bad(s, &[("where", "checks.failed = no_such_check")], "where");
    bad(s, &[("failed_check", "no_such_check")], "failed_check");
    bad(s, &[("q", "\"unbalanced")], "q");
    bad(s, &[("q", "nosuch:word")], "q");
    bad(s, &[("q", "a OR")], "q");
    bad(s, &[("q", &"字".repeat(501))], "q");
    bad(s, &[("section", "nosuch")], "section");
    bad(s, &[("sort", "nosuch")], "sort");
    bad(s, &[("figures", "requests.new.total,nosuch")], "figures");
    let st = "/api/stats";
    bad(st, &[("group", "nosuch")], "group");
    bad(st, &[("region_level", "nosuch")], "region_level");
    bad(st, &[("figure", "nosuch")], "figure");
    bad(st, &[("sort", "year")], "sort");
    bad(st, &[("year", "x")], "year");
    let ex = "/api/export";
    bad(ex, &[("format", "xml")], "format");
    bad(ex, &[("limit", "x")], "limit");
    bad(ex, &[("figures", "nosuch")], "figures");
    bad(ex, &[("size", "10")], "size");
    bad(ex, &[("where", "x > 1")], "where");
}

#[test]
fn over_long_query_string_is_414() {
    let long = "a".repeat(9000);
    for path in ["/api/search", "/api/stats", "/api/export"] {
        let r = get(path, &[("q", &long)]);
        assert_eq!(r.status, 414, "{path}");
        assert!(r.json()["error"].is_string());
    }
}

#[test]
fn odd_input_never_gives_a_server_error() {
    // get() itself asserts status < 500
    let odd: &[&str] = &[
        "q=",
        "q=%",
        "q=%FF%FE",
        "q=-",
        "q=OR",
        "q=%22",
        "q=%22%22",
        "q=section:",
        "q=section:problems",
        "q=title:%22%22",
        "q=-%22x%22",
        "q=%E2%80%8B",
        "q=%00",
        "q=*",
        "q=a%20OR%20OR%20b",
        "q=--x",
        "q=problems:",
        "q=%EF%BC%82x",
        "where=",
        "where=%20",
        "where=checks.failed%20=",
        "where=requests.new.total%20%3E%3D%201e309",
        "where=requests.new.total%20%3E%3D%20NaN",
        "where=requests.new.total%20%3E%3D%20-inf",
        "year=99999999999999999999",
        "year=-5",
        "year=2021..2021",
        "region=/",
        "region=//",
        "region=0",
        "region=%2F%2F%2F河北省",
        "issuer=%25",
        "figures=,",
        "figures=%20,%20",
        "sort=-",
        "sort=--year",
        "sort=relevance",
        "sort=-relevance",
        "page=18446744073709551616",
        "size=99999999999999999999999",
        "&&&",
        "=",
        "==",
        "q",
        "q&q=x",
        "size=1&size=2",
    ];
    for path in ["/api/search", "/api/stats", "/api/export"] {
        for q in odd {
            get_raw(&format!("{path}?{q}"));
        }
    }
    for id in ["%00", "%FF", "a%2Fb", "", "..", "%E4%B8%AD"] {
        get_raw(&format!("/api/reports/{id}"));
    }
}

// ───────────────────────────── sources, versions, export labels, exact issuer, suggestions

/// The index of [`common::build_versions_index`] and its corpus.
struct Dupes {
    app: common::App,
    corpus: std::path::PathBuf,
}

use common::{JZ_URL, QHD_URL};

fn dupes() -> &'static Dupes {
    static S: OnceLock<Dupes> = OnceLock::new();
    S.get_or_init(|| {
        let (dir, corpus) = common::build_versions_index(&common::scratch("api-dupes"));
        Dupes {
            app: common::App::new(&dir),
            corpus,
        }
    })
}

fn dupes_ok(path: &str, pairs: &[(&str, &str)]) -> Value {
    let uri = if pairs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", qs(pairs))
    };
    let r = dupes().app.get(&uri);
    assert_eq!(r.status.as_u16(), 200, "{uri}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

fn qhd_ids() -> Vec<String> {
    let v = dupes_ok("/api/search", &[("region", QHD), ("size", "100")]);
    assert_eq!(total(&v), 4, "{v}");
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn stats_count_a_body_year_once_unless_dedupe_false() {
    let row_of = |pairs: &[(&str, &str)], key: &str| {
        let v = dupes_ok("/api/stats", pairs);
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("no row {key}: {v}"))
            .clone()
    };
    let fig = ("figure", "requests.new.total");
    let once = row_of(&[fig], "2021");
    assert_eq!(
        (once["count"].as_u64(), once["sum"].as_u64()),
        (Some(1), Some(513))
    );
    let all = row_of(&[fig, ("dedupe", "false")], "2021");
    assert_eq!(
        (all["count"].as_u64(), all["sum"].as_u64()),
        (Some(4), Some(2052))
    );
    assert_eq!(
        dupes_ok("/api/stats", &[("dedupe", "false")])["dedupe"],
        false
    );
    // by region too, and a report alone in its body-year still counts
    let p = row_of(&[("group", "region"), fig], "河北省");
    assert_eq!(p["count"], 1);
    let p = row_of(&[("group", "region"), fig, ("dedupe", "false")], "河北省");
    assert_eq!(p["count"], 4);
    assert_eq!(row_of(&[("group", "region")], "辽宁省")["count"], 1);
    bad("/api/stats", &[("dedupe", "maybe")], "dedupe");
}

#[test]
fn a_report_lists_the_other_versions_of_its_body_year() {
    let ids = qhd_ids();
    let mut of_record = Vec::new();
    let mut body = None;
    for id in &ids {
        let v = dupes_ok(&format!("/api/reports/{id}"), &[]);
        assert_eq!(v["format"], "text");
        let versions = v["versions"].as_array().unwrap();
        let mut listed: Vec<&str> = versions.iter().map(|x| x["id"].as_str().unwrap()).collect();
        listed.push(id);
        listed.sort();
        let mut want: Vec<&str> = ids.iter().map(String::as_str).collect();
        want.sort();
        assert_eq!(listed, want, "{id}: versions are the other three");
        let marked = versions.iter().filter(|x| x["of_record"] == true).count();
        if v["of_record"] == true {
            of_record.push(id.clone());
            assert_eq!(marked, 0);
        } else {
            assert_eq!(marked, 1, "{id}: one of the others is of record");
        }
        assert!(v["body"].is_string());
        if let Some(b) = &body {
            assert_eq!(&v["body"], b);
        }
        body = Some(v["body"].clone());
    }
    assert_eq!(
        of_record.len(),
        1,
        "exactly one report of record: {of_record:?}"
    );
    // a report alone in its body-year is its own record, with no versions
    let jz = dupes_ok("/api/search", &[("region", JZ)]);
    let id = jz["hits"][0]["id"].as_str().unwrap();
    let v = dupes_ok(&format!("/api/reports/{id}"), &[]);
    assert_eq!(v["of_record"], true);
    assert_eq!(v["versions"].as_array().unwrap().len(), 0);
}

#[test]
fn a_facet_lists_bodies_with_several_versions() {
    let v = dupes_ok("/api/search", &[]);
    let facet = v["facets"]["versions"].as_array().unwrap();
    assert_eq!(facet.len(), 1, "{facet:?}");
    let f = &facet[0];
    assert_eq!(
        (f["count"].as_u64(), f["year"].as_i64()),
        (Some(4), Some(2021))
    );
    assert!(f["issuer"].as_str().unwrap().contains("秦皇岛"), "{f}");
    // the click: body and year
    let body = f["body"].as_str().unwrap();
    let v = dupes_ok("/api/search", &[("body", body), ("year", "2021")]);
    assert_eq!(total(&v), 4);
    // the search results still list every copy
    assert_eq!(total(&dupes_ok("/api/search", &[])), 5);
}

#[test]
fn the_ingested_file_is_served_as_it_was() {
    let v = dupes_ok("/api/search", &[("region", JZ)]);
    let id = v["hits"][0]["id"].as_str().unwrap();
    assert_eq!(v["hits"][0]["url"], JZ_URL);
    let r = dupes().app.get(&format!("/api/reports/{id}/file"));
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    assert!(
        r.content_type.starts_with("text/plain"),
        "{}",
        r.content_type
    );
    let want = std::fs::read_to_string(dupes().corpus.join("jz.txt")).unwrap();
    assert_eq!(r.body, want);
    let r = dupes().app.get("/api/reports/0123456789abcdef/file");
    assert_eq!(r.status.as_u16(), 404, "{}", r.body);
    let r = dupes().app.get("/api/reports/..%2Fetc/file");
    assert!(matches!(r.status.as_u16(), 400 | 404), "{}", r.status);
}

#[test]
fn a_changed_or_vanished_file_is_refused() {
    let root = common::scratch("api-file-changes");
    let _ = std::fs::remove_dir_all(&root);
    let corpus = root.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), common::seed("000_")).unwrap();
    std::fs::write(corpus.join("b.txt"), common::seed("001_")).unwrap();
    let dir = root.join("index");
    let index = gongkai::index::Index::open_or_create(&dir).unwrap();
    let opts = gongkai::index::ingest::IngestOptions::default();
    gongkai::index::ingest::ingest(&index, std::slice::from_ref(&corpus), &opts).unwrap();
    let app = common::App::new(&dir);
    let id = |region: &str| {
        let r = app.get(&format!("/api/search?{}", qs(&[("region", region)])));
        let v: Value = serde_json::from_str(&r.body).unwrap();
        v["hits"][0]["id"].as_str().unwrap().to_string()
    };
    let (a, b) = (id(QHD), id(JZ));
    assert_eq!(
        app.get(&format!("/api/reports/{a}/file")).status.as_u16(),
        200
    );
    // edited after ingest: 409, saying so
    std::fs::write(corpus.join("a.txt"), common::seed("000_") + "改动\n").unwrap();
    let r = app.get(&format!("/api/reports/{a}/file"));
    assert_eq!(r.status.as_u16(), 409, "{}", r.body);
    assert!(
        r.body.contains("changed since it was ingested"),
        "{}",
        r.body
    );
    // deleted: 410
    std::fs::remove_file(corpus.join("b.txt")).unwrap();
    let r = app.get(&format!("/api/reports/{b}/file"));
    assert_eq!(r.status.as_u16(), 410, "{}", r.body);
    assert!(r.body.contains("no longer"), "{}", r.body);
}

fn csv_rows(body: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut rd = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    let head = rd.headers().unwrap().iter().map(String::from).collect();
    (head, rd.records().map(Result::unwrap).collect())
}

#[test]
fn export_has_url_and_path_columns() {
    let r = dupes().app.get("/api/export?sort=year");
    assert_eq!(r.status.as_u16(), 200);
    let (head, rows) = csv_rows(&r.body);
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let urls: Vec<&str> = rows.iter().map(|r| &r[col("url")]).collect();
    assert!(
        urls.contains(&QHD_URL) && urls.contains(&JZ_URL),
        "{urls:?}"
    );
    assert!(
        urls.contains(&"javascript:alert(1)"),
        "kept as text: {urls:?}"
    );
    assert!(rows.iter().all(|r| r[col("path")].ends_with(".txt")));
    let v = dupes_ok("/api/export", &[("format", "jsonl"), ("region", JZ)]);
    assert_eq!(v["url"], JZ_URL);
}

#[test]
fn export_follows_the_sort_of_the_page() {
    for sort in ["-requests.new.total", "requests.new.total", "year", "-year"] {
        let v = search(&[("sort", sort), ("size", "100")]);
        let shown: Vec<&str> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap())
            .collect();
        let r = export(&[("sort", sort)]);
        let (head, rows) = csv_rows(&r.body);
        let id = head.iter().position(|h| h == "id").unwrap();
        let exported: Vec<&str> = rows.iter().map(|r| &r[id]).collect();
        assert_eq!(exported, shown, "sort {sort}");
    }
}

#[test]
fn export_with_chinese_labels() {
    let r = export(&[("labels", "zh"), ("sort", "year")]);
    let (head, rows) = csv_rows(&r.body);
    for h in [
        "编号",
        "来源文件",
        "原文链接",
        "标题",
        "年份",
        "地区",
        "发布机关",
        "层级",
    ] {
        assert!(head.iter().any(|x| x == h), "no header {h}: {head:?}");
    }
    let label = gongkai::model::fields::get("requests.new.total")
        .unwrap()
        .label_zh;
    assert!(head.iter().any(|x| x == label), "{head:?}");
    assert!(!head.iter().any(|x| x == "requests.new.total"), "{head:?}");
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let levels: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[col("层级")]).collect();
    assert!(levels.contains("市级"), "{levels:?}");
    assert!(
        levels.iter().all(|l| l.is_empty() || !l.is_ascii()),
        "{levels:?}"
    );
    let qhd = rows.iter().find(|r| &r[col("地区")] == QHD).unwrap();
    assert_eq!(&qhd[col(label)], "513");
    let zd = rows.iter().find(|r| &r[col("地区")] == ZD).unwrap();
    assert_eq!(&zd[col("未通过的校验")], "申请数平衡");
    // formulas stay defused with Chinese labels too
    let dl = rows.iter().find(|r| &r[col("地区")] == DL).unwrap();
    assert!(dl[col("标题")].starts_with("'="), "{}", &dl[col("标题")]);
    // keys stay available
    let (head, _) = csv_rows(&export(&[("labels", "key")]).body);
    assert_eq!(&head[..5], ["id", "path", "url", "title", "year"]);
    bad("/api/export", &[("labels", "fr")], "labels");
}

#[test]
fn issuer_facet_counts_match_the_exact_filter_on_a_generated_index() {
    let root = common::scratch("api-generated");
    let _ = std::fs::remove_dir_all(&root);
    let corpus = root.join("corpus");
    gongkai::synth::generate(120, &corpus, 11, gongkai::synth::Shapes::NONE).unwrap();
    let dir = root.join("index");
    let index = gongkai::index::Index::open_or_create(&dir).unwrap();
    gongkai::index::ingest::ingest(&index, &[corpus], &Default::default()).unwrap();
    let app = common::App::new(&dir);
    let get = |pairs: &[(&str, &str)]| -> Value {
        let r = app.get(&format!("/api/search?{}", qs(pairs)));
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        serde_json::from_str(&r.body).unwrap()
    };
    let all = get(&[]);
    let facet = all["facets"]["issuer"].as_array().unwrap();
    assert!(facet.len() >= 20, "{} issuers", facet.len());
    let mut wider = 0;
    for f in facet {
        let name = f["value"].as_str().unwrap();
        let exact = get(&[("issuer_exact", name), ("size", "100")]);
        assert_eq!(
            total(&exact),
            f["count"].as_u64().unwrap(),
            "issuer_exact={name}"
        );
        assert!(exact["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["issuer"] == name));
        // the substring filter finds at least as many, more when the name is part of another
        let sub = total(&get(&[("issuer", name)]));
        assert!(sub >= total(&exact), "{name}");
        wider += usize::from(sub > total(&exact));
    }
    eprintln!(
        "{wider} of {} issuer names are part of another",
        facet.len()
    );
}

#[test]
fn zero_results_suggest_queries_that_match() {
    let q = "\"信息公开秦皇岛\"";
    let v = search(&[("q", q)]);
    assert_eq!(total(&v), 0);
    let sugg = v["suggestions"].as_array().unwrap();
    assert!(!sugg.is_empty(), "{v}");
    assert!(sugg.iter().any(|s| s["q"] == "秦皇岛"), "{sugg:?}");
    for s in sugg {
        let sq = s["q"].as_str().unwrap();
        assert!(!sq.contains('"') && sq != q);
        let n = s["count"].as_u64().unwrap();
        assert!(n > 0);
        assert_eq!(total(&search(&[("q", sq)])), n, "suggestion {sq}");
    }
    // under a filter, counts are those of the filtered set
    let v = search(&[("q", q), ("region", "辽宁省")]);
    for s in v["suggestions"].as_array().unwrap() {
        let sq = s["q"].as_str().unwrap();
        assert_eq!(
            total(&search(&[("q", sq), ("region", "辽宁省")])),
            s["count"].as_u64().unwrap()
        );
    }
    // a search that finds something suggests nothing
    assert_eq!(
        search(&[("q", "秦皇岛")])["suggestions"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

// ───────────────────────────── year over year, copied passages (issue 16)

/// One body across 2020–2022 (400, 513, 600 new requests) and another body
/// (唐山 2022, 600) copying a passage of its 2022 problems section.
fn years() -> &'static common::App {
    static S: OnceLock<common::App> = OnceLock::new();
    S.get_or_init(|| common::App::new(&common::build_years_index(&common::scratch("api-years"))))
}

fn years_ok(path: &str, pairs: &[(&str, &str)]) -> Value {
    let uri = format!("{path}?{}", qs(pairs));
    let r = years().get(&uri);
    assert_eq!(r.status.as_u16(), 200, "{uri}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// Report ids by (region, year).
fn years_ids() -> Vec<(String, i64, String, String)> {
    let v = years_ok("/api/search", &[("size", "10"), ("sort", "year")]);
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let id = h["id"].as_str().unwrap().to_string();
            let r = years_ok(&format!("/api/reports/{id}"), &[]);
            (
                r["region"]["path"].as_str().unwrap().to_string(),
                r["year"].as_i64().unwrap(),
                id,
                r["body"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// (region, year) → (report id, body id).
fn years_by(ids: &[(String, i64, String, String)], region: &str, year: i64) -> (String, String) {
    let x = ids
        .iter()
        .find(|x| x.0 == region && x.1 == year)
        .unwrap_or_else(|| panic!("no report {region} {year}: {ids:?}"));
    (x.2.clone(), x.3.clone())
}

#[test]
fn stats_by_year_carry_the_change_from_the_year_before() {
    let f = ("figure", "requests.new.total");
    let v = years_ok("/api/stats", &[("group", "year"), f]);
    let rows = v["rows"].as_array().unwrap();
    let keys: Vec<&str> = rows.iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["2020", "2021", "2022"]);
    // The first year has nothing to compare with.
    assert!(rows[0]["change"].is_null(), "{}", rows[0]);
    assert_eq!(rows[1]["change"]["sum"], 113);
    assert_eq!(rows[1]["change"]["count"], 0);
    assert_eq!(rows[1]["change"]["mean"], 113.0);
    // 2022: 秦皇岛 600 and 唐山 600 against 秦皇岛 513 alone.
    assert_eq!(rows[2]["change"]["sum"], 1200 - 513);
    assert_eq!(rows[2]["change"]["count"], 1);
    assert_eq!(rows[2]["change"]["mean"], 87.0);
    // One body: its own year over year.
    let ids = years_ids();
    let (_, body) = years_by(&ids, QHD, 2022);
    let v = years_ok("/api/stats", &[("group", "year"), ("body", &body), f]);
    let changes: Vec<&Value> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["change"]["sum"])
        .collect();
    assert_eq!(changes, [&Value::Null, &Value::from(113), &Value::from(87)]);
    // A gap in the years: no change across it.
    let v = years_ok("/api/stats", &[("group", "year"), ("year", "2020"), f]);
    assert!(v["rows"][0]["change"].is_null());
    let v = years_ok("/api/stats", &[("group", "year"), ("year", "2022"), f]);
    assert!(
        v["rows"][0]["change"].is_null(),
        "the filtered set has no 2021"
    );
    // Counts only: the change of the count, no sum or mean.
    let v = years_ok("/api/stats", &[("group", "year")]);
    let c = &v["rows"][2]["change"];
    assert_eq!(
        (c["count"].as_i64(), c["sum"].is_null(), c["mean"].is_null()),
        (Some(1), true, true)
    );
    // Other groups carry none.
    let v = years_ok("/api/stats", &[("group", "region"), f]);
    assert!(v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["change"].is_null()));
}

#[test]
fn export_change_columns_compare_with_the_same_body_a_year_before() {
    let ids = years_ids();
    let id = |region: &str, year: i64| years_by(&ids, region, year).0;
    let figs = "requests.new.total,copied.previous_year";
    // Sorted against the years: each row still compares with its own body.
    let r = years().get(&format!(
        "/api/export?sort=-year&change=true&figures={figs}"
    ));
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let (head, rows) = csv_rows(&r.body);
    assert_eq!(
        &head[head.len() - 4..],
        [
            "requests.new.total",
            "requests.new.total.change",
            "copied.previous_year",
            "copied.previous_year.change"
        ]
    );
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let cell = |rid: &str, n: &str| -> String {
        let row = rows.iter().find(|r| &r[0] == rid).unwrap();
        row[col(n)].to_string()
    };
    let ch = "requests.new.total.change";
    assert_eq!(cell(&id(QHD, 2020), ch), "", "no 2019 report");
    assert_eq!(cell(&id(QHD, 2021), ch), "113");
    assert_eq!(cell(&id(QHD, 2022), ch), "87");
    assert_eq!(cell(&id(TS, 2022), ch), "", "唐山 has no 2021 report");
    assert_eq!(cell(&id(QHD, 2022), "requests.new.total"), "600");
    // A figure missing the year before leaves the change empty.
    assert_eq!(cell(&id(QHD, 2020), "copied.previous_year.change"), "");
    // Chinese headers
    let r = years().get(&format!("/api/export?labels=zh&change=1&figures={figs}"));
    let (head, _) = csv_rows(&r.body);
    let label = gongkai::model::fields::get("requests.new.total")
        .unwrap()
        .label_zh;
    let at = head.iter().position(|h| h == label).unwrap();
    assert_eq!(head[at + 1], format!("{label}（较上年增减）"));
    // Without change=true, no change columns (scripts keep their layout).
    let r = years().get(&format!("/api/export?figures={figs}"));
    let (head, _) = csv_rows(&r.body);
    assert!(!head.iter().any(|h| h.ends_with(".change")), "{head:?}");
    // JSONL: a change object
    let r =
        years().get("/api/export?format=jsonl&change=true&figures=requests.new.total&sort=year");
    let lines: Vec<Value> = r
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let line = lines
        .iter()
        .find(|l| l["id"] == id(QHD, 2021).as_str())
        .unwrap();
    assert_eq!(line["change"]["requests.new.total"], 113);
    let line = lines
        .iter()
        .find(|l| l["id"] == id(QHD, 2020).as_str())
        .unwrap();
    assert!(line["change"]["requests.new.total"].is_null());
    let r = years().get("/api/export?format=jsonl");
    assert!(!r.body.contains("\"change\""));
    let r = years().get("/api/export?change=maybe");
    assert_eq!(r.status.as_u16(), 400);
    assert!(r.body.contains("change"), "{}", r.body);
}

#[test]
fn report_names_its_copy_sources_and_marks_the_copied_passages() {
    let ids = years_ids();
    let (q22, body) = years_by(&ids, QHD, 2022);
    let (q21, _) = years_by(&ids, QHD, 2021);
    let (t22, _) = years_by(&ids, TS, 2022);
    let r = years_ok(&format!("/api/reports/{q22}"), &[]);
    assert_eq!(r["body"], body.as_str());
    let problems: Vec<char> = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "problems")
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .chars()
        .collect();
    let marked = |m: &Value| -> Vec<String> {
        m.as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let (a, b) = (
                    m[0].as_u64().unwrap() as usize,
                    m[1].as_u64().unwrap() as usize,
                );
                problems[a..b].iter().collect()
            })
            .collect()
    };
    let prev = &r["copied"]["previous_year"];
    assert_eq!(prev["id"], q21.as_str());
    assert_eq!(prev["year"], 2021);
    assert_eq!(prev["share"], 0.258);
    // The first paragraph, copied from 2021 but for its year.
    assert_eq!(
        marked(&prev["marks"]),
        ["年我市政府信息公开工作虽取得较大进展,但仍存在一些短板和不足,主要体现在:公共企事业单位信息公开不够全面、不够及时;政务新媒体公开信息的精准度、时效性仍需提升;部分单位依申请公开办理能力水平有待进一步提高"]
    );
    let other = &r["copied"]["other_body"];
    assert_eq!(other["id"], t22.as_str());
    assert_eq!(other["issuer"], "唐山市人民政府");
    assert_eq!(other["share"], 0.71);
    // The passage 唐山 also has, to its last significant character (the
    // stored text has its full-width commas normalised).
    assert_eq!(
        marked(&other["marks"]),
        [common::SHARED_PASSAGE
            .trim_end_matches('。')
            .replace('，', ",")]
    );
    // The first report of a body has no previous year; nothing copied, nothing named.
    let (q20, _) = years_by(&ids, QHD, 2020);
    let r = years_ok(&format!("/api/reports/{q20}"), &[]);
    assert!(r["copied"]["previous_year"].is_null() && r["copied"]["other_body"].is_null());
    // 2021 is compared with 2020 and shares nothing with it.
    let r = years_ok(&format!("/api/reports/{q21}"), &[]);
    assert_eq!(r["copied"]["previous_year"]["share"], 0.0);
    assert_eq!(r["copied"]["previous_year"]["marks"], serde_json::json!([]));
}
