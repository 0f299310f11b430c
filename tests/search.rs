//! Index, ingest and search on a corpus built from the seeds plus variations.

use gongkai::index::ingest::{ingest, IngestOptions};
use gongkai::index::Index;
use gongkai::parse::sections::SectionKey;
use gongkai::search::{self, SearchRequest, SearchResponse};
use gongkai::Report;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::common::SEEDS;
const BIN: &str = env!("CARGO_BIN_EXE_gongkai");

fn tmp(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("search-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

fn seed(prefix: &str) -> String {
    let dir = std::fs::read_dir(SEEDS).unwrap();
    for e in dir {
        let p = e.unwrap().path();
        let n = p.file_name().unwrap().to_string_lossy().to_string();
        if n.starts_with(prefix) && n.ends_with(".txt") {
            return std::fs::read_to_string(p).unwrap();
        }
    }
    panic!("no seed {prefix}")
}

/// Seeds plus variations: other years, another issuer, a traditional-script copy.
fn build_corpus(dir: &Path) {
    for e in std::fs::read_dir(SEEDS).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    let s0 = seed("000");
    std::fs::write(dir.join("v_000_2022.txt"), s0.replace("2021", "2022")).unwrap();
    let s4 = seed("004");
    std::fs::write(
        dir.join("v_004_edu.txt"),
        s4.replace("市工信局", "市教育局").replace("2020", "2019"),
    )
    .unwrap();
    // Traditional characters written literally, plus a sentence of its own.
    let trad = s0
        .replace("政府信息公开", "政府信息公開")
        .replace("问题", "問題")
        .replace("总体情况", "總體情況")
        .replace("报告", "報告")
        .replace("进一步", "進一步")
        + "\n附記：本報告為繁體測試版本。\n";
    std::fs::write(dir.join("v_000_trad.htm"), trad).unwrap();
    let s3 = seed("003");
    std::fs::write(
        dir.join("v_003_2022.md"),
        s3.replace("2023", "2022") + "\n补充说明：网站集约化平台建设进展顺利。\n",
    )
    .unwrap();
    let s1 = seed("001");
    std::fs::write(dir.join("v_001_2016.txt"), s1.replace("2017", "2016")).unwrap();
    // A short report that gives no figures at all.
    std::fs::write(
        dir.join("v_min.txt"),
        "滦州市统计局2015年政府信息公开工作年度报告\n一、总体情况\n本年度我局认真贯彻落实政府信息公开条例，\
         主动公开统计公报和统计数据解读。\n二、存在的主要问题及改进情况\n公开内容不够全面，培训不足。\n",
    )
    .unwrap();
    // Not a report file: must be skipped.
    std::fs::write(dir.join("notes.expected.json"), "{}").unwrap();
}

struct Fixture {
    index: Index,
    /// path as ingested → parsed report
    reports: BTreeMap<String, Report>,
}

fn quiet() -> IngestOptions {
    IngestOptions::default()
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let corpus = tmp("corpus");
        build_corpus(&corpus);
        let dir = tmp("index");
        let index = Index::open_or_create(&dir).unwrap();
        let st = ingest(&index, std::slice::from_ref(&corpus), &quiet()).unwrap();
        assert!(st.failed.is_empty(), "{:?}", st.failed);
        let mut reports = BTreeMap::new();
        for p in gongkai::index::ingest::walk(std::slice::from_ref(&corpus)) {
            let r = gongkai::parse_file(&p).unwrap();
            reports.insert(p.to_string_lossy().into_owned(), r);
        }
        assert_eq!(st.added as usize, reports.len());
        assert_eq!(index.num_docs() as usize, reports.len());
        Fixture { index, reports }
    })
}

fn all(q: &str) -> SearchRequest {
    let mut r = SearchRequest::new(q);
    r.limit = 0;
    r.snippets = false;
    r
}

fn run(req: &SearchRequest) -> SearchResponse {
    search::search(&fixture().index, req).unwrap()
}

fn paths(resp: &SearchResponse) -> BTreeSet<String> {
    resp.hits.iter().map(|h| h.path.clone()).collect()
}

fn grep(pred: impl Fn(&Report) -> bool) -> BTreeSet<String> {
    fixture()
        .reports
        .iter()
        .filter(|(_, r)| pred(r))
        .map(|(p, _)| p.clone())
        .collect()
}

fn section_has(r: &Report, key: SectionKey, s: &str) -> bool {
    r.sections
        .iter()
        .any(|x| x.key == key && x.text.contains(s))
}

/// Random substrings of the normalised texts (within a line).
fn samples(n: usize, seed: u64) -> Vec<(String, Option<SectionKey>)> {
    let f = fixture();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let reports: Vec<&Report> = f.reports.values().collect();
    let mut out = Vec::new();
    while out.len() < n {
        let r = reports[rng.random_range(0..reports.len())];
        let (text, key) = if rng.random_range(0..10) == 0 {
            (r.title.clone(), None)
        } else {
            let s = &r.sections[rng.random_range(0..r.sections.len())];
            (s.text.clone(), Some(s.key))
        };
        let chars: Vec<char> = text.chars().collect();
        let len = if rng.random_range(0..20) == 0 {
            1
        } else {
            rng.random_range(2..=8)
        };
        if chars.len() < len {
            continue;
        }
        let start = rng.random_range(0..=chars.len() - len);
        let sub: String = chars[start..start + len].iter().collect();
        if sub.contains('\n')
            || sub.contains('"')
            || sub.trim() != sub
            || gongkai::parse::normalize::fold(&sub) != sub
        {
            continue;
        }
        out.push((sub, key));
    }
    out
}

#[test]
fn quoted_phrases_return_exactly_the_grep_set() {
    let mut checked = 0;
    for (sub, _) in samples(400, 7) {
        let got = paths(&run(&all(&format!("\"{sub}\""))));
        let want = grep(|r| r.full_text().contains(&sub));
        assert!(!want.is_empty());
        assert_eq!(got, want, "phrase {sub:?}");
        checked += 1;
    }
    assert_eq!(checked, 400);
}

#[test]
fn section_scoped_phrases_match_the_section_text() {
    for (sub, key) in samples(200, 11) {
        let Some(key) = key else { continue };
        let want = grep(|r| section_has(r, key, &sub));
        let got = paths(&run(&all(&format!("{}:\"{sub}\"", key.as_str()))));
        assert_eq!(got, want, "{}:{sub:?}", key.as_str());
        // the query-wide form
        let got2 = paths(&run(&all(&format!("section:{} \"{sub}\"", key.as_str()))));
        assert_eq!(got2, want);
        let mut req = all(&format!("\"{sub}\""));
        req.section = Some(key.as_str().into());
        assert_eq!(paths(&run(&req)), want);
    }
    // A plain word scoped to a section finds the reports whose section text has it.
    for w in ["不足", "培训", "申请", "复议", "政务公开"] {
        for key in [
            SectionKey::Problems,
            SectionKey::Overview,
            SectionKey::Appeals,
        ] {
            let want = grep(|r| section_has(r, key, w));
            let got = paths(&run(&all(&format!("{}:{w}", key.as_str()))));
            assert_eq!(got, want, "{}:{w}", key.as_str());
        }
    }
}

#[test]
fn or_and_exclusion_follow_set_logic() {
    let s = samples(60, 3);
    for w in s.chunks(2) {
        let (a, b) = (&w[0].0, &w[1].0);
        let ga = grep(|r| r.full_text().contains(a.as_str()));
        let gb = grep(|r| r.full_text().contains(b.as_str()));
        let or = paths(&run(&all(&format!("\"{a}\" OR \"{b}\""))));
        assert_eq!(or, ga.union(&gb).cloned().collect());
        let and = paths(&run(&all(&format!("\"{a}\" \"{b}\""))));
        assert_eq!(and, ga.intersection(&gb).cloned().collect());
        let not = paths(&run(&all(&format!("\"{a}\" -\"{b}\""))));
        assert_eq!(not, ga.difference(&gb).cloned().collect());
    }
}

#[test]
fn words_find_their_phrase_and_traditional_matches_simplified() {
    // a plain word finds at least every report containing it literally
    for w in ["政务公开", "行政复议", "依申请", "培训"] {
        let got = paths(&run(&all(w)));
        let want = grep(|r| r.full_text().contains(w));
        assert!(!want.is_empty(), "{w}");
        assert!(got.is_superset(&want), "{w}");
    }
    // traditional query → simplified reports, and the reverse
    for (t, s) in [
        ("政務公開", "政务公开"),
        ("\"政府資訊\"", "\"政府资讯\""),
        ("雙柏縣", "双柏县"),
        ("\"本報告為繁體測試版本\"", "\"本报告为繁体测试版本\""),
        ("問題", "问题"),
    ] {
        let a = paths(&run(&all(t)));
        let b = paths(&run(&all(s)));
        assert_eq!(a, b, "{t} vs {s}");
    }
    let trad = paths(&run(&all("\"本报告为繁体测试版本\"")));
    assert_eq!(trad.len(), 1);
    assert!(trad.iter().next().unwrap().ends_with("v_000_trad.htm"));
    // the traditional-script seed (雙柏縣) is found in simplified
    let sb = paths(&run(&all("\"双柏县政务服务管理局\"")));
    assert!(sb.iter().any(|p| p.contains("002_")));
}

#[test]
fn filters_match_the_reports() {
    let f = fixture();
    let q = |setup: &dyn Fn(&mut SearchRequest)| {
        let mut r = all("");
        setup(&mut r);
        paths(&run(&r))
    };
    assert_eq!(q(&|_| {}).len(), f.reports.len());
    assert_eq!(
        q(&|r| r.year = Some("2021".into())),
        grep(|r| r.year == Some(2021))
    );
    assert_eq!(
        q(&|r| r.year = Some("2019..2021".into())),
        grep(|r| r.year.is_some_and(|y| (2019..=2021).contains(&y)))
    );
    assert_eq!(
        q(&|r| r.year = Some("2021..".into())),
        grep(|r| r.year.is_some_and(|y| y >= 2021))
    );
    assert_eq!(
        q(&|r| r.year = Some("..2017".into())),
        grep(|r| r.year.is_some_and(|y| y <= 2017))
    );
    let hebei = grep(|r| {
        r.region
            .as_ref()
            .is_some_and(|g| g.path.starts_with("河北省"))
    });
    assert!(!hebei.is_empty());
    for region in ["河北省", "秦皇岛市", "河北省/秦皇岛市", "130300", "河北"] {
        if region == "河北" {
            continue; // not a division name
        }
        assert_eq!(q(&|r| r.region = Some(region.into())), hebei, "{region}");
    }
    assert_eq!(
        q(&|r| r.region = Some("山东省".into())),
        grep(|r| r
            .region
            .as_ref()
            .is_some_and(|g| g.path.starts_with("山东省")))
    );
    assert_eq!(
        q(&|r| r.issuer = Some("工信局".into())),
        grep(|r| r.issuer.as_deref().is_some_and(|i| i.contains("工信局")))
    );
    assert_eq!(q(&|r| r.issuer = Some("市教育局".into())).len(), 1);
    for level in ["province", "prefecture", "county", "department"] {
        assert_eq!(
            q(&|r| r.level = Some(level.into())),
            grep(|r| r.level.map(|l| l.as_str()) == Some(level)),
            "{level}"
        );
    }
    for t in ["2021", "2019", "narrative"] {
        assert_eq!(
            q(&|r| r.template = Some(t.into())),
            grep(|r| r.template.as_str() == t)
        );
    }
    let fig = |k: &'static str, pred: fn(f64) -> bool| {
        grep(move |r| r.figures.get(k).is_some_and(|v| pred(*v)))
    };
    let has_new = fig("requests.new.total", |_| true);
    assert!(has_new.len() >= 3);
    for (w, want) in [
        (
            "requests.new.total >= 100",
            fig("requests.new.total", |v| v >= 100.0),
        ),
        (
            "requests.new.total < 100",
            fig("requests.new.total", |v| v < 100.0),
        ),
        (
            "requests.new.total > 0",
            fig("requests.new.total", |v| v > 0.0),
        ),
        (
            "requests.new.total <= 3",
            fig("requests.new.total", |v| v <= 3.0),
        ),
        (
            "requests.new.total = 0",
            fig("requests.new.total", |v| v == 0.0),
        ),
        (
            "requests.new.total != 0",
            fig("requests.new.total", |v| v != 0.0),
        ),
        ("requests.new.total", has_new.clone()),
        ("review.total >= 0", fig("review.total", |_| true)),
    ] {
        assert_eq!(q(&|r| r.where_ = vec![w.into()]), want, "{w}");
    }
    // absent is absent, not 0: `< 100` only matches reports that give the figure
    assert!(q(&|r| r.where_ = vec!["requests.new.total < 100".into()]).is_subset(&has_new));
    assert!(has_new.len() < f.reports.len());
    // several conditions AND
    assert_eq!(
        q(&|r| r.where_ = vec!["requests.new.total >= 1".into(), "year >= 2021".into()]),
        grep(|r| r
            .figures
            .get("requests.new.total")
            .is_some_and(|v| *v >= 1.0)
            && r.year.is_some_and(|y| y >= 2021))
    );
    assert_eq!(
        q(&|r| r.where_ = vec!["checks.failed".into()]),
        grep(|r| !r.failed_checks().is_empty())
    );
    for c in gongkai::model::checks::CHECKS {
        assert_eq!(
            q(&|r| r.where_ = vec![format!("checks.failed = {c}")]),
            grep(|r| r.failed_checks().contains(&c))
        );
        assert_eq!(
            q(&|r| r.where_ = vec![format!("checks.failed != {c}")]),
            grep(|r| !r.failed_checks().contains(&c))
        );
    }
}

#[test]
fn sorting_and_paging() {
    let f = fixture();
    let mut r = all("");
    r.sort = Some("-requests.new.total".into());
    let resp = run(&r);
    let vals: Vec<Option<f64>> = resp
        .hits
        .iter()
        .map(|h| {
            f.reports[&h.path]
                .figures
                .get("requests.new.total")
                .copied()
        })
        .collect();
    let present: Vec<f64> = vals.iter().flatten().copied().collect();
    assert!(present.windows(2).all(|w| w[0] >= w[1]), "{vals:?}");
    // missing values last
    let first_none = vals.iter().position(|v| v.is_none()).unwrap_or(vals.len());
    assert!(vals[first_none..].iter().all(|v| v.is_none()));
    // ascending with --desc absent; desc flag equals '-'
    r.sort = Some("requests.new.total".into());
    let asc: Vec<f64> = run(&r).hits.iter().filter_map(|h| h.sort_value).collect();
    assert!(asc.windows(2).all(|w| w[0] <= w[1]));
    r.desc = true;
    let desc: Vec<f64> = run(&r).hits.iter().filter_map(|h| h.sort_value).collect();
    assert_eq!(desc, present);
    // year
    let mut r = all("");
    r.sort = Some("year".into());
    let years: Vec<i32> = run(&r).hits.iter().filter_map(|h| h.year).collect();
    assert!(years.windows(2).all(|w| w[0] <= w[1]));
    r.sort = Some("-year".into());
    let years: Vec<i32> = run(&r).hits.iter().filter_map(|h| h.year).collect();
    assert!(years.windows(2).all(|w| w[0] >= w[1]));
    // relevance: scores non-increasing
    let resp = run(&all("公开 复议"));
    assert!(resp.hits.windows(2).all(|w| w[0].score >= w[1].score));
    // paging: offset/limit slices the same order
    let full: Vec<String> = run(&all("公开"))
        .hits
        .iter()
        .map(|h| h.id.clone())
        .collect();
    let mut page = all("公开");
    page.limit = 3;
    page.offset = 2;
    let got: Vec<String> = run(&page).hits.iter().map(|h| h.id.clone()).collect();
    assert_eq!(got, full[2..5.min(full.len())].to_vec());
    assert_eq!(run(&page).total, full.len());
}

#[test]
fn facet_counts_cover_the_whole_result_set() {
    let mut req = all("公开");
    req.limit = 1;
    let resp = run(&req);
    let set: Vec<&Report> = {
        let f = fixture();
        let all_hits = paths(&run(&all("公开")));
        all_hits.iter().map(|p| &f.reports[p]).collect()
    };
    assert_eq!(resp.total, set.len());
    let count = |name: &str, value: &str| {
        resp.facets[name]
            .iter()
            .find(|f| f.value == value)
            .map_or(0, |f| f.count)
    };
    let mut years: BTreeMap<String, u64> = BTreeMap::new();
    let mut regions: BTreeMap<String, u64> = BTreeMap::new();
    let mut levels: BTreeMap<String, u64> = BTreeMap::new();
    let mut templates: BTreeMap<String, u64> = BTreeMap::new();
    let mut issuers: BTreeMap<String, u64> = BTreeMap::new();
    for r in &set {
        if let Some(y) = r.year {
            *years.entry(y.to_string()).or_default() += 1;
        }
        if let Some(g) = &r.region {
            let parts: Vec<&str> = g.path.split('/').collect();
            for d in 1..=parts.len().min(2) {
                *regions
                    .entry(format!("/{}", parts[..d].join("/")))
                    .or_default() += 1;
            }
        }
        if let Some(l) = r.level {
            *levels.entry(l.as_str().into()).or_default() += 1;
        }
        *templates.entry(r.template.as_str().into()).or_default() += 1;
        if let Some(i) = &r.issuer {
            *issuers.entry(i.clone()).or_default() += 1;
        }
    }
    for (name, m) in [
        ("year", &years),
        ("region", &regions),
        ("level", &levels),
        ("template", &templates),
        ("issuer", &issuers),
    ] {
        assert_eq!(resp.facets[name].len(), m.len(), "{name}");
        for (v, n) in m {
            assert_eq!(count(name, v), *n, "{name} {v}");
        }
    }
    // a region filter adds the counties under it
    let mut req = all("");
    req.region = Some("山东省".into());
    let resp = run(&req);
    assert!(resp.facets["region"]
        .iter()
        .any(|f| f.value == "/山东省/淄博市/临淄区" && f.count >= 1));
}

#[test]
fn hits_carry_metadata_snippets_and_reports() {
    let f = fixture();
    let mut req = SearchRequest::new("problems:\"存在的主要问题\"");
    req.limit = 0;
    let resp = run(&req);
    assert!(resp.total > 0);
    for h in &resp.hits {
        let r = &f.reports[&h.path];
        assert_eq!(h.title, r.title);
        assert_eq!(h.year, r.year);
        assert_eq!(h.issuer, r.issuer);
        let s = &h.snippets[0];
        assert_eq!(s.section, "problems");
        for &(a, b) in &s.highlights {
            assert_eq!(&s.text[a..b], "存在的主要问题");
        }
        assert!(!s.highlights.is_empty());
        let got = f.index.get(&h.id).unwrap();
        assert_eq!(got.full_text(), r.full_text());
    }
    let json = serde_json::to_value(&resp).unwrap();
    for k in ["total", "hits", "facets"] {
        assert!(json.get(k).is_some());
    }
    for k in [
        "id", "path", "title", "year", "region", "issuer", "score", "snippets",
    ] {
        assert!(json["hits"][0].get(k).is_some(), "{k}");
    }
    assert!(f.index.get("0000000000000000").is_none());
    // iterate the filtered set
    let m = search::matching(&f.index, &all("公开")).unwrap();
    let n = m.reports(&f.index, 0..usize::MAX).count();
    assert_eq!(n, m.hits.len());
}

#[test]
fn reingest_is_idempotent_and_replaces_changed_files() {
    let corpus = tmp("idem-corpus");
    build_corpus(&corpus);
    let dir = tmp("idem-index");
    let idx = Index::open_or_create(&dir).unwrap();
    let st = ingest(&idx, std::slice::from_ref(&corpus), &quiet()).unwrap();
    let n = idx.num_docs();
    assert_eq!(st.added, n);
    let st = ingest(&idx, std::slice::from_ref(&corpus), &quiet()).unwrap();
    assert_eq!((st.added, st.unchanged), (0, n));
    assert_eq!(idx.num_docs(), n);
    // a copy under another name is the same document
    std::fs::copy(corpus.join("v_000_2022.txt"), corpus.join("copy.txt")).unwrap();
    let st = ingest(&idx, std::slice::from_ref(&corpus), &quiet()).unwrap();
    assert_eq!((st.added, st.duplicates), (0, 1));
    // a changed file replaces its old version
    let p = corpus.join("v_003_2022.md");
    let old = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        old.replace("网站集约化平台建设进展顺利", "政务新媒体矩阵运行平稳"),
    )
    .unwrap();
    let st = ingest(&idx, std::slice::from_ref(&corpus), &quiet()).unwrap();
    assert_eq!((st.added, st.replaced), (1, 1));
    assert_eq!(idx.num_docs(), n);
    let hits = |q: &str| search::search(&idx, &all(q)).unwrap().total;
    assert_eq!(hits("\"网站集约化平台建设进展顺利\""), 0);
    assert_eq!(hits("\"政务新媒体矩阵运行平稳\""), 1);
    // a failing file is listed, the rest goes on
    std::fs::write(corpus.join("empty.txt"), "").unwrap();
    std::fs::write(corpus.join("new.txt"), seed("001").replace("2017", "2013")).unwrap();
    let st = ingest(&idx, std::slice::from_ref(&corpus), &quiet()).unwrap();
    assert_eq!(st.failed.len(), 1);
    assert!(st.failed[0].0.ends_with("empty.txt"));
    assert_eq!(st.added, 1);
    assert_eq!(idx.num_docs(), n + 1);
    // Small ingests into an index leave a few segments, not one per run, and
    // facet counts over several segments are those of the merged index.
    let segs = idx.segment_ids().unwrap().len();
    assert!((2..=4).contains(&segs), "{segs} segments");
    let before = search::search(&idx, &all("公开")).unwrap();
    idx.compact(50_000_000).unwrap();
    assert_eq!(idx.segment_ids().unwrap().len(), 1);
    let after = search::search(&idx, &all("公开")).unwrap();
    assert_eq!(before.total, after.total);
    assert_eq!(
        serde_json::to_value(&before.facets).unwrap(),
        serde_json::to_value(&after.facets).unwrap()
    );
}

#[test]
fn manifest_overrides_the_parser() {
    let corpus = tmp("manifest-corpus");
    std::fs::write(corpus.join("a.txt"), seed("004")).unwrap();
    std::fs::write(corpus.join("b.txt"), seed("001")).unwrap();
    let manifest = corpus.join("manifest.csv");
    std::fs::write(
        &manifest,
        "path,region,issuer,year,url\n\
         a.txt,河北省/秦皇岛市,秦皇岛市工业和信息化局,2020,http://example.org/a.html\n\
         b.txt,130300,,2018,\n",
    )
    .unwrap();
    let dir = tmp("manifest-index");
    let idx = Index::open_or_create(&dir).unwrap();
    let opts = IngestOptions {
        manifest: Some(manifest.clone()),
        ..quiet()
    };
    let st = ingest(&idx, &[corpus.join("a.txt"), corpus.join("b.txt")], &opts).unwrap();
    assert_eq!(st.added, 2);
    let mut req = all("");
    req.region = Some("秦皇岛市".into());
    let resp = search::search(&idx, &req).unwrap();
    assert_eq!(resp.total, 2);
    let a = resp
        .hits
        .iter()
        .find(|h| h.path.ends_with("a.txt"))
        .unwrap();
    assert_eq!(a.issuer.as_deref(), Some("秦皇岛市工业和信息化局"));
    assert_eq!(a.url.as_deref(), Some("http://example.org/a.html"));
    assert_eq!(a.region.as_deref(), Some("河北省/秦皇岛市"));
    let b = resp
        .hits
        .iter()
        .find(|h| h.path.ends_with("b.txt"))
        .unwrap();
    assert_eq!(b.year, Some(2018));
    // without the manifest the same files are different documents' metadata: replaced
    let st = ingest(&idx, &[corpus.join("a.txt")], &quiet()).unwrap();
    assert_eq!((st.added, st.replaced), (1, 1));
    assert_eq!(idx.num_docs(), 2);
    // a bad manifest is an error
    std::fs::write(&manifest, "path,year\na.txt,20x0\n").unwrap();
    let opts = IngestOptions {
        manifest: Some(manifest),
        ..quiet()
    };
    let e = ingest(&idx, &[corpus.join("a.txt")], &opts).err().unwrap();
    assert!(e.to_string().contains("20x0"), "{e}");
}

#[test]
fn kill_during_ingest_then_rerun_completes() {
    let corpus = tmp("kill-corpus");
    let seeds: Vec<String> = ["000", "001", "002", "003", "004"]
        .iter()
        .map(|s| seed(s))
        .collect();
    let n = 300;
    for i in 0..n {
        let body = format!("{}\n附注：本报告流水号K{i:04}。\n", seeds[i % 5]);
        std::fs::write(corpus.join(format!("r{i:04}.txt")), body).unwrap();
    }
    let dir = tmp("kill-index");
    let spawn = || {
        Command::new(BIN)
            .args(["ingest", "--quiet", "--commit-docs", "16", "--index"])
            .arg(&dir)
            .arg(&corpus)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut child = spawn();
    // wait for a first commit, then kill -9
    let t = Instant::now();
    let killed_at = loop {
        if t.elapsed() > Duration::from_secs(60) {
            break None;
        }
        if child.try_wait().unwrap().is_some() {
            break None; // finished before it could be killed
        }
        if let Ok(idx) = Index::open(&dir) {
            let k = idx.num_docs();
            if k > 0 {
                child.kill().unwrap(); // SIGKILL
                break Some(k);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.wait();
    let k = killed_at.expect("killed after a first commit, before the end");
    assert!(k < n as u64, "killed after {k} docs");
    let idx = Index::open(&dir).unwrap();
    let before = idx.num_docs();
    assert!(before >= k && before < n as u64);
    let status = spawn().wait().unwrap();
    assert!(status.success());
    let idx = Index::open(&dir).unwrap();
    assert_eq!(idx.num_docs(), n as u64);
    for i in [0usize, 7, 150, 299] {
        let resp = search::search(&idx, &all(&format!("\"流水号K{i:04}\""))).unwrap();
        assert_eq!(resp.total, 1, "K{i:04}");
        assert!(resp.hits[0].path.ends_with(&format!("r{i:04}.txt")));
    }
    // a third run adds nothing
    let out = Command::new(BIN)
        .args(["ingest", "--quiet", "--index"])
        .arg(&dir)
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 added"));
}

#[test]
fn bad_queries_exit_2_with_a_message() {
    let dir = tmp("bad-index");
    // even without an index, bad input is exit 2
    for (args, needle) in [
        (vec!["公开 \"依申请"], "column 4"),
        (vec!["a OR"], "OR"),
        (vec!["foo:bar"], "unknown section"),
        (
            vec!["x", "--where", "requests.new.totl >= 1"],
            "unknown key",
        ),
        (
            vec!["x", "--where", "requests.new.total >= abc"],
            "not a number",
        ),
        (vec!["x", "--where", "requests.new.total ~ 3"], "operator"),
        (
            vec!["x", "--where", "checks.failed = nope"],
            "unknown check",
        ),
        (vec!["x", "--year", "20x1"], "not a year"),
        (vec!["x", "--region", "火星省"], "unknown region"),
        (vec!["x", "--level", "city"], "unknown level"),
        (vec!["x", "--sort", "nope"], "unknown sort key"),
    ] {
        let out = Command::new(BIN)
            .arg("search")
            .args(&args)
            .arg("--index")
            .arg(&dir)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}

#[test]
fn cli_search_prints_json() {
    let corpus = tmp("cli-corpus");
    std::fs::write(corpus.join("a.txt"), seed("000")).unwrap();
    let dir = tmp("cli-index");
    let out = Command::new(BIN)
        .args(["ingest", "--quiet", "--index"])
        .arg(&dir)
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = Command::new(BIN)
        .args(["search", "政務公開", "--json"])
        .env("GONGKAI_INDEX", &dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], 1);
    assert!(v["hits"][0]["path"].as_str().unwrap().ends_with("a.txt"));
    assert!(v["facets"]["year"].is_array());
}
