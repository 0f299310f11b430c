//! The journalist's six tasks of issue 15, end to end in headless Chromium on a
//! generated corpus with re-published copies (same body and year, a changed
//! line) and manifest URLs (one of them hostile): what the user sees at each step,
//! with the versions and sources of the search page (web15a) on the way.

use crate::browser::{wait_for_csv, Cdp, Session, NO_INJECTION};
use crate::common;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

const COUNT: usize = 200;

fn gongkai(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .expect("run gongkai");
    assert!(
        out.status.success(),
        "gongkai {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Generates the corpus, adds three re-published copies and a manifest of
/// URLs, ingests it; returns the root and the index.
fn corpus() -> (PathBuf, PathBuf) {
    let root = common::scratch("browser-journalist");
    let _ = std::fs::remove_dir_all(&root);
    let gen = root.join("corpus");
    gongkai(&[
        "gen",
        "--count",
        &COUNT.to_string(),
        "--seed",
        "15",
        "--out",
        gen.to_str().unwrap(),
    ]);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&gen)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    // re-publications: the same report with one line more (not byte-identical)
    for (i, f) in files.iter().take(3).enumerate() {
        let text = std::fs::read_to_string(f).unwrap();
        std::fs::write(
            gen.join(format!("repub-{i}.txt")),
            format!("{text}\n（此为更正后重新发布的版本）\n"),
        )
        .unwrap();
    }
    let mut manifest = String::from("path,url\n");
    for (i, f) in files.iter().take(20).enumerate() {
        let url = if i == 0 {
            "javascript:alert(1)".to_string()
        } else {
            format!("https://example.gov.cn/xxgk/{i}.html")
        };
        manifest.push_str(&format!(
            "{},{url}\n",
            f.file_name().unwrap().to_string_lossy()
        ));
    }
    std::fs::write(gen.join("manifest.csv"), manifest).unwrap();
    let index = root.join("index");
    gongkai(&[
        "ingest",
        "-q",
        "--threads",
        "1",
        "--index",
        index.to_str().unwrap(),
        "--manifest",
        gen.join("manifest.csv").to_str().unwrap(),
        gen.to_str().unwrap(),
    ]);
    (root, index)
}

fn s(v: Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn total(page: &mut Cdp) -> u64 {
    let t = page.text("#summary strong").replace(',', "");
    t.parse().unwrap_or_else(|_| panic!("summary {t:?}"))
}

fn submit_query(page: &mut Cdp, q: &str) {
    page.eval(&format!(
        "document.getElementById('q').value = {}; document.getElementById('search-form').requestSubmit(); true",
        json!(q)
    ));
    page.wait(
        "the query in the URL",
        &format!(
            "new URLSearchParams(location.search).get('q') === {}",
            json!(q)
        ),
    );
    settle(page);
}

/// Waits until results and chart are drawn for the current URL.
fn settle(page: &mut Cdp) {
    page.wait(
        "results",
        "document.readyState === 'complete' && !!document.getElementById('results') \
         && !document.getElementById('results').classList.contains('loading') \
         && document.getElementById('results').childElementCount > 0",
    );
    std::thread::sleep(Duration::from_millis(200));
}

#[test]
fn journalist_tasks_end_to_end() {
    let (root, index) = corpus();
    let mut b = Session::start(&root, &index);
    let downloads = root.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    b.browser.call(
        "Browser.setDownloadBehavior",
        json!({ "behavior": "allow", "downloadPath": downloads.to_str().unwrap() }),
    );
    b.goto("/");
    settle(&mut b.page);
    let all = total(&mut b.page);
    assert!(all >= COUNT as u64 + 3, "{all} reports listed");

    // ── the re-publications: listed as versions of one body-year, counted once in charts
    let versions = s(b
        .page
        .eval("document.getElementById('facet-versions').innerText"));
    assert!(
        versions.lines().filter(|l| !l.trim().is_empty()).count() >= 3,
        "{versions}"
    );
    b.page
        .eval("document.querySelector('#facet-versions .facet-btn').click(); true");
    b.page
        .wait("one body-year", "location.search.includes('body=')");
    settle(&mut b.page);
    assert_eq!(total(&mut b.page), 2, "a report and its re-publication");
    b.page
        .eval("document.querySelector('#results .hit-title a').click(); true");
    b.page
        .wait("the report", "!!document.querySelector('#report-view .qa')");
    assert_eq!(
        b.page
            .eval("document.querySelectorAll('#report-view .versions li').length >= 1"),
        true,
        "the other version is listed on the report's page"
    );
    b.goto("/?chart=requests.new.total&agg=count&group=year");
    b.page.wait(
        "the year chart",
        "document.querySelectorAll('#chart table.chart-data tbody tr').length > 0",
    );
    let counted: f64 = serde_json::from_value::<Vec<f64>>(b.page.eval(
        "[...document.querySelectorAll('#chart table.chart-data tbody tr')].map(r => Number(r.children[1].textContent.replace(/,/g, '')))",
    ))
    .unwrap()
    .iter()
    .sum();
    assert!(
        counted <= (all - 3) as f64,
        "the chart counts {counted} of {all}: copies counted twice"
    );

    // ── the source: an http(s) manifest URL is a link, a javascript: one is not
    let (linked, hostile): (String, String) = {
        let v = b.page.eval(
            "Promise.all([1, 2, 3].map(p => fetch('/api/search?size=100&page=' + p).then(r => r.json()))) \
               .then(ds => ds.flatMap(d => d.hits || [])).then(hits => [ \
               hits.find(h => (h.url || '').startsWith('https://example.gov.cn/')).id, \
               hits.find(h => (h.url || '').startsWith('javascript:')).id])",
        );
        (s(v[0].clone()), s(v[1].clone()))
    };
    b.goto(&format!("/?report={linked}"));
    b.page
        .wait("the report", "!!document.querySelector('#report-view .qa')");
    assert_eq!(
        b.page.eval("[...document.querySelectorAll('#report-view a')].some(a => a.href.startsWith('https://example.gov.cn/xxgk/'))"),
        true,
        "no link to the source"
    );
    b.goto(&format!("/?report={hostile}"));
    b.page
        .wait("the report", "!!document.querySelector('#report-view .qa')");
    assert_eq!(
        b.page
            .eval("document.querySelectorAll('a[href^=\"javascript:\"]').length"),
        0
    );
    assert!(s(b
        .page
        .eval("document.getElementById('report-view').textContent"))
    .contains("javascript:alert(1)"));
    b.goto("/");
    settle(&mut b.page);

    // ── 1. refusals for state secrets by county, exported to CSV in the page's order
    b.page.eval(
        "document.getElementById('facet-level').querySelector('.facet-btn').scrollIntoView(); true",
    );
    b.page.eval(
        "[...document.querySelectorAll('#facet-level .facet-btn')].find(x => x.querySelector('.f-name').textContent.startsWith('县级')).click(); true",
    );
    b.page
        .wait("level=county", "location.search.includes('level=county')");
    b.page.eval(
        "document.getElementById('builder').open = true; \
         document.getElementById('where-field').value = 'requests.denied.state_secret.total'; \
         document.getElementById('where-field').dispatchEvent(new Event('change')); \
         document.getElementById('where-op').value = '>='; \
         document.getElementById('where-value').value = '0'; \
         document.getElementById('where-form').requestSubmit(); true",
    );
    b.page.wait(
        "the figure filter",
        "decodeURIComponent(location.search).includes('where=requests.denied.state_secret.total>=0')",
    );
    b.page.eval("const s = document.getElementById('sort-field'); s.value = 'requests.denied.state_secret.total'; s.dispatchEvent(new Event('change')); true");
    b.page.wait(
        "the sort",
        "location.search.includes('sort=-requests.denied.state_secret.total')",
    );
    settle(&mut b.page);
    let county = total(&mut b.page);
    assert!(county > 0, "no county report has the figure");
    assert_eq!(
        b.page.eval("[...document.querySelectorAll('#results .m-level')].every(e => e.textContent === '县级')"),
        true
    );
    b.page
        .eval("document.getElementById('export-csv').click(); true");
    let csv = wait_for_csv(&downloads, 0, 20);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len() as u64, county + 1, "CSV rows = reports shown");

    // ── 2. the provinces with the most lawsuits: a chart by province, biggest first
    b.goto("/?chart=litigation.total&agg=sum&group=region");
    b.page.wait(
        "the province chart",
        "document.querySelectorAll('#chart svg .bar-row').length >= 31",
    );
    let vals: Vec<f64> = serde_json::from_value(b.page.eval(
        "[...document.querySelectorAll('#chart table.chart-data tbody tr:not(.none) td:last-child')].map(td => Number(td.textContent.replace(/,/g, '')))",
    ))
    .unwrap();
    assert!(
        vals.len() >= 2 && vals.windows(2).all(|w| w[0] >= w[1]),
        "{vals:?}"
    );
    let top = s(b
        .page
        .eval("document.querySelector('#chart svg .bar-row text.lbl').textContent"));
    assert!(!top.is_empty() && top != "unknown", "{top}");
    let csv = {
        b.page
            .eval("document.querySelector('#chart a.chart-csv').click(); true");
        wait_for_csv(&downloads, 1, 20)
    };
    assert!(
        csv.lines().any(|l| l.starts_with(&format!("{top},"))),
        "{top} not in the chart's CSV"
    );

    // ── 3. problems sections naming staff shortages, in one province
    b.goto("/");
    settle(&mut b.page);
    submit_query(&mut b.page, "section:problems 人员");
    let province = s(b
        .page
        .eval("document.querySelector('#facet-region [role=treeitem]').dataset.path"));
    b.page
        .eval("document.querySelector('#facet-region [role=treeitem] .tree-row').click(); true");
    b.page
        .wait("the province filter", "location.search.includes('region=')");
    settle(&mut b.page);
    assert!(total(&mut b.page) > 0);
    assert_eq!(
        b.page.eval(&format!(
            "[...document.querySelectorAll('#results .m-region')].every(e => e.textContent.startsWith({}))",
            json!(province)
        )),
        true
    );
    assert_eq!(
        b.page.eval("[...document.querySelectorAll('#results li.hit')].every(li => [...li.querySelectorAll('.snip mark')].some(m => m.textContent.includes('人员')))"),
        true,
        "each hit shows 人员 marked"
    );
    // the report view marks the word too
    b.page
        .eval("document.querySelector('#results .hit-title a').click(); true");
    b.page
        .wait("the report", "!!document.querySelector('#report-view .qa')");
    assert_eq!(b.page.eval("[...document.querySelectorAll('#report-view mark.q')].some(m => m.textContent === '人员')"), true);
    let shared = {
        b.page
            .eval("document.querySelector('#report-view .back a').click(); true");
        settle(&mut b.page);
        s(b.page.eval("location.href"))
    };

    // ── 4. reports whose figures do not add up, and why
    b.goto("/?where=checks.failed");
    settle(&mut b.page);
    let failed = total(&mut b.page);
    assert!(
        failed > 0,
        "the generated corpus has reports failing checks"
    );
    assert_eq!(b.page.eval("[...document.querySelectorAll('#results li.hit')].every(li => li.classList.contains('has-failed'))"), true);
    b.page
        .eval("document.querySelector('#results .hit-title a').click(); true");
    b.page
        .wait("the report", "!!document.querySelector('#report-view .qa')");
    let eq = s(b.page.eval(
        "(document.querySelector('#report-view .checks li.bad .eq') || {}).textContent || ''",
    ));
    assert!(
        eq.contains(" = ") && eq.contains(" ≠ "),
        "no equation shown: {eq:?}"
    );

    // ── 5. a phrase in traditional script finds the simplified text
    b.goto("/");
    settle(&mut b.page);
    submit_query(&mut b.page, "\"政務公開\"");
    assert!(total(&mut b.page) > 0, "traditional phrase found nothing");

    // ── 6. the link of step 3 reproduces the same view in a fresh page
    let titles = |p: &mut Cdp| {
        p.eval("[...document.querySelectorAll('#results .hit-title a')].slice(0, 5).map(a => a.textContent).join('|')")
    };
    b.page.call("Page.navigate", json!({ "url": shared }));
    settle(&mut b.page);
    let (t1, sum1) = (titles(&mut b.page), b.page.text("#summary strong"));
    b.page
        .call("Page.navigate", json!({ "url": "about:blank" }));
    b.page.call("Page.navigate", json!({ "url": shared }));
    settle(&mut b.page);
    assert_eq!(titles(&mut b.page), t1);
    assert_eq!(b.page.text("#summary strong"), sum1);
    assert_eq!(
        b.page.eval("document.getElementById('q').value"),
        "section:problems 人员"
    );

    // nothing of the hostile manifest URL became a link or ran
    assert_eq!(
        b.page
            .eval("document.querySelectorAll('a[href^=\"javascript:\"]').length"),
        0
    );
    assert_eq!(b.page.eval(NO_INJECTION), true);
    b.finish();
}
