//! Issue 16 on a generated corpus with plants (`synth::plants`): bodies across
//! years (some renamed), copied problems sections (from the previous year or
//! another body), late and on-time dates, zero denominators. Each feature must
//! find what was planted; copies with precision and recall of at least 0.95,
//! and template wording never counted as copying.

use crate::common;
use gongkai::index::ingest::{ingest, IngestOptions};
use gongkai::index::{Index, StoredReport};
use gongkai::model::derived;
use gongkai::search::{search, SearchRequest};
use gongkai::synth::{generate_planted, Shapes};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const COUNT: u64 = 2000;
/// A share at or above this is a copy.
const COPIED: f64 = 0.5;

struct Corpus {
    index_dir: PathBuf,
    index: Index,
    /// File stem → (stored report, expected JSON).
    reports: HashMap<String, (StoredReport, Value)>,
}

fn stem(path: &str) -> String {
    let name = Path::new(path).file_name().unwrap().to_string_lossy();
    name.split('.').next().unwrap().to_string()
}

/// The planted corpus, generated and indexed once for every test here.
fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(|| {
        let root = common::scratch("invest");
        let _ = std::fs::remove_dir_all(&root);
        let dir = root.join("corpus");
        generate_planted(COUNT, &dir, 16, Shapes::NONE, true).unwrap();
        let index_dir = root.join("index");
        let index = Index::open_or_create(&index_dir).unwrap();
        let st = ingest(
            &index,
            std::slice::from_ref(&dir),
            &IngestOptions::default(),
        )
        .unwrap();
        assert_eq!(st.added, COUNT, "{st:?}");
        assert_eq!(st.copies.reports, COUNT);
        // Run again: nothing new, and the copy pass finds nothing to change.
        let again = ingest(
            &index,
            std::slice::from_ref(&dir),
            &IngestOptions::default(),
        )
        .unwrap();
        assert_eq!((again.added, again.copies.rewritten), (0, 0), "{again:?}");
        let mut req = SearchRequest::new("");
        req.limit = 0;
        req.snippets = false;
        let resp = search(&index, &req).unwrap();
        assert_eq!(resp.hits.len() as u64, COUNT);
        let reports = resp
            .hits
            .iter()
            .map(|h| {
                let s = stem(&h.path);
                let exp = std::fs::read_to_string(dir.join(format!("{s}.expected.json"))).unwrap();
                let stored = index.get_stored(&h.id).unwrap();
                (s, (stored, serde_json::from_str(&exp).unwrap()))
            })
            .collect();
        Corpus {
            index_dir,
            index,
            reports,
        }
    })
}

fn plant<'a>(e: &'a Value, key: &str) -> Option<&'a str> {
    e["plants"][key].as_str()
}

fn fig(r: &StoredReport, key: &str) -> Option<f64> {
    r.report.figures.get(key).copied()
}

#[test]
fn bodies_are_followed_across_years_and_renamings() {
    let c = corpus();
    let (mut chained, mut renamed) = (0, 0);
    for (s, (r, e)) in &c.reports {
        let Some(prev) = plant(e, "same_body_as") else {
            continue;
        };
        let (p, _) = &c.reports[prev];
        assert!(r.body.is_some(), "{s}: no body");
        assert_eq!(
            r.body, p.body,
            "{s} ({:?}) and {prev} ({:?})",
            r.report.issuer, p.report.issuer
        );
        chained += 1;
        if e["plants"]["renamed"] == true {
            assert_ne!(r.report.issuer, p.report.issuer, "{s}");
            renamed += 1;
        }
    }
    assert!(
        chained >= 100 && renamed >= 10,
        "{chained} chained, {renamed} renamed"
    );
}

#[test]
fn timeliness_against_the_deadline() {
    let c = corpus();
    let (mut late, mut on_time) = (0, 0);
    for (s, (r, e)) in &c.reports {
        let rep = &r.report;
        let published = e["published"].as_str();
        let want = derived::days_late(rep.year, published, rep.level);
        assert_eq!(fig(r, derived::DAYS_LATE), want, "{s}");
        if published.is_some() && e["plants"]["late"] == true {
            assert!(want.unwrap() > 0.0, "{s}: planted late, {want:?}");
        }
        match derived::timeliness(want) {
            derived::Timeliness::Late => late += 1,
            derived::Timeliness::OnTime => on_time += 1,
            derived::Timeliness::Unknown => assert_eq!(published, None, "{s}"),
        }
    }
    // The facet and the filter count the same reports.
    let mut req = SearchRequest::new("");
    req.limit = 0;
    req.snippets = false;
    let resp = search(&c.index, &req).unwrap();
    let count = |v: &str| {
        resp.facets["timeliness"]
            .iter()
            .find(|f| f.value == v)
            .map_or(0, |f| f.count)
    };
    assert_eq!((count("late"), count("on_time")), (late, on_time));
    req.timeliness = Some("late".into());
    assert_eq!(search(&c.index, &req).unwrap().total as u64, late);
    req.timeliness = None;
    req.where_ = vec!["timeliness.days_late > 0".into()];
    assert_eq!(search(&c.index, &req).unwrap().total as u64, late);
    assert!(
        late >= 100 && on_time >= 100,
        "{late} late, {on_time} on time"
    );
}

#[test]
fn rates_and_zero_denominators() {
    let c = corpus();
    let (mut zero, mut with_rate) = (0, 0);
    for (s, (r, e)) in &c.reports {
        let handled = fig(r, "requests.handled.total");
        let has_rates = r
            .report
            .figures
            .keys()
            .any(|k| k.starts_with("rates.") && !k.contains("corrected"));
        if e["plants"]["zero_requests"] == true {
            assert_eq!(handled, Some(0.0), "{s}");
            assert!(!has_rates, "{s}: a rate over zero requests");
            zero += 1;
        }
        if let (Some(h), Some(g)) = (handled, fig(r, "requests.granted.total")) {
            if h > 0.0 {
                let got = fig(r, "rates.granted").unwrap();
                assert!((got - g / h).abs() < 1e-12, "{s}: {got} for {g}/{h}");
                with_rate += 1;
            } else {
                assert_eq!(fig(r, "rates.granted"), None, "{s}");
            }
        }
    }
    assert!(zero >= 20, "{zero} zero-request reports");
    let mut req = SearchRequest::new("");
    req.limit = 0;
    req.snippets = false;
    req.where_ = vec!["rates.granted >= 0".into()];
    assert_eq!(search(&c.index, &req).unwrap().total, with_rate);
}

/// Precision and recall of flagged reports against planted ones.
fn precision_recall(flagged: &HashSet<String>, planted: &HashSet<String>) -> (f64, f64) {
    let hit = flagged.intersection(planted).count() as f64;
    (
        hit / flagged.len().max(1) as f64,
        hit / planted.len().max(1) as f64,
    )
}

#[test]
fn copies_of_the_previous_year() {
    let c = corpus();
    let id_of: HashMap<&str, &str> = c
        .reports
        .iter()
        .map(|(s, (r, _))| (s.as_str(), r.id.as_str()))
        .collect();
    let mut planted = HashSet::new();
    let mut flagged = HashSet::new();
    let mut template_only = 0;
    for (s, (r, e)) in &c.reports {
        let share = fig(r, "copied.previous_year");
        if let Some(src) = plant(e, "problems_copied_from") {
            planted.insert(s.clone());
            assert_eq!(r.copies.previous_year.as_deref(), Some(id_of[src]), "{s}");
        }
        if share.is_some_and(|v| v >= COPIED) {
            flagged.insert(s.clone());
        }
        // Same body, own problems: the template they share is not copying.
        if plant(e, "same_body_as").is_some() && plant(e, "problems_copied_from").is_none() {
            let text = fig(r, "copied.previous_year_text").unwrap_or(0.0);
            assert!(
                text < COPIED,
                "{s}: template counted as copied text ({text})"
            );
            template_only += 1;
        }
    }
    let (p, rc) = precision_recall(&flagged, &planted);
    eprintln!(
        "previous year: {} planted, {} flagged, precision {p:.3}, recall {rc:.3}",
        planted.len(),
        flagged.len()
    );
    assert!(
        planted.len() >= 30 && template_only >= 30,
        "{} planted",
        planted.len()
    );
    assert!(p >= 0.95 && rc >= 0.95, "precision {p}, recall {rc}");
}

#[test]
fn copies_from_another_body() {
    let c = corpus();
    // A planted copy and its source have the same problems: both must find
    // the other (or another report with the same text).
    let mut group: HashMap<String, String> = HashMap::new();
    for (s, (_, e)) in &c.reports {
        if let Some(src) = plant(e, "problems_copied_from_other") {
            group.insert(s.clone(), src.to_string());
            group.insert(src.to_string(), src.to_string());
        }
    }
    let by_id: HashMap<&str, &str> = c
        .reports
        .iter()
        .map(|(s, (r, _))| (r.id.as_str(), s.as_str()))
        .collect();
    let planted: HashSet<String> = group.keys().cloned().collect();
    let mut flagged = HashSet::new();
    let mut wrong = Vec::new();
    for (s, (r, _)) in &c.reports {
        if !fig(r, "copied.other_body").is_some_and(|v| v >= COPIED) {
            continue;
        }
        let other = by_id[r.copies.other_body.as_deref().unwrap()];
        if group.contains_key(s) && group.get(s) == group.get(other) {
            flagged.insert(s.clone());
        } else {
            wrong.push((s.clone(), other.to_string()));
            flagged.insert(format!("wrong {s}"));
        }
    }
    let (p, rc) = precision_recall(&flagged, &planted);
    eprintln!(
        "other body: {} planted, {} flagged, precision {p:.3}, recall {rc:.3}; wrong: {wrong:?}",
        planted.len(),
        flagged.len()
    );
    assert!(planted.len() >= 60, "{} planted", planted.len());
    assert!(p >= 0.95 && rc >= 0.95, "precision {p}, recall {rc}");
    // Filter, sort and facet like any figure.
    let mut req = SearchRequest::new("");
    req.limit = 1;
    req.snippets = false;
    req.where_ = vec![format!("copied.other_body >= {COPIED}")];
    req.sort = Some("-copied.other_body".into());
    let resp = search(&c.index, &req).unwrap();
    assert_eq!(resp.total, flagged.len());
    assert!(resp.hits[0].sort_value.unwrap() >= 0.99);
    let _ = &c.index_dir;
}

#[test]
fn body_page_api() {
    let c = corpus();
    let app = common::App::new(&c.index_dir);
    // The body with most reports among those with a planted previous-year copy.
    let mut reports_of: HashMap<&str, Vec<&StoredReport>> = HashMap::new();
    for (r, _) in c.reports.values() {
        reports_of
            .entry(r.body.as_deref().unwrap_or(""))
            .or_default()
            .push(r);
    }
    let (s, (copier, _)) = c
        .reports
        .iter()
        .filter(|(_, (_, e))| plant(e, "problems_copied_from").is_some())
        .max_by_key(|(s, (r, _))| (reports_of[r.body.as_deref().unwrap()].len(), s.to_string()))
        .unwrap();
    let id = copier.body.as_deref().unwrap();
    let a = app.get(&format!("/api/bodies/{id}"));
    assert_eq!(a.status, 200, "{}", a.body);
    let b: Value = serde_json::from_str(&a.body).unwrap();
    let listed = b["reports"].as_array().unwrap();
    assert_eq!(listed.len(), reports_of[id].len(), "{s}");
    assert!(listed
        .windows(2)
        .all(|w| w[0]["year"].as_i64() <= w[1]["year"].as_i64()));
    // The planted copy: its problems section is marked as the previous year's
    // nearly all through.
    let mine = listed
        .iter()
        .find(|r| r["id"] == copier.id.as_str())
        .unwrap();
    let text: Vec<char> = mine["problems"].as_str().unwrap().chars().collect();
    let marked: u64 = mine["problems_marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[1].as_u64().unwrap() - m[0].as_u64().unwrap())
        .sum();
    assert!(
        marked as f64 >= 0.8 * text.len() as f64,
        "{s}: {marked} of {}",
        text.len()
    );
    // The change column: this year's value less the previous year's.
    for f in b["figures"].as_array().unwrap() {
        let vals = f["values"].as_array().unwrap();
        for w in vals.windows(2) {
            if let (Some(x), Some(y), Some(ch)) = (
                w[0]["value"].as_f64(),
                w[1]["value"].as_f64(),
                w[1]["change"].as_f64(),
            ) {
                if w[1]["year"].as_i64().unwrap() == w[0]["year"].as_i64().unwrap() + 1 {
                    assert!(
                        (ch - (y - x)).abs() < 1e-9,
                        "{}: {ch} for {x} → {y}",
                        f["key"]
                    );
                }
            }
        }
    }
    // Year over year for the same body through /api/stats.
    let st = app.get(&format!(
        "/api/stats?group=year&body={id}&figure=requests.new.total"
    ));
    assert_eq!(st.status, 200, "{}", st.body);
    let rows: Value = serde_json::from_str(&st.body).unwrap();
    let n: u64 = rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(n as usize, listed.len());
    assert_eq!(app.get("/api/bodies/0123456789abcdef").status, 404);
    assert_eq!(app.get("/api/bodies/..%2Fx").status, 400);
    let doc = app.get("/api/openapi.json").body;
    assert!(doc.contains("/api/bodies/{id}") && doc.contains("BodyBody"));
}
