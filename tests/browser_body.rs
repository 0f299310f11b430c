//! Issue 16 in headless Chromium: a body's page (its reports by year, the
//! table of key figures with the change from the year before, the small
//! charts) and the copied passages marked in the report view with links to
//! their sources. The index is `common::build_years_index`: 秦皇岛 2020–2022
//! (400, 513, 600 new requests), and 唐山 2022 sharing a passage of 秦皇岛
//! 2022's problems section. The harness is in `browser.rs`.

use crate::browser::{Session, NO_INJECTION};
use crate::common;
use serde_json::Value;

fn s(v: Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// The ids of the reports by "region year" (through the API, not the page),
/// and the body id of 秦皇岛.
fn ids(b: &mut Session) -> (Value, String) {
    let v = b.page.eval(
        "fetch('/api/search?size=10&sort=year').then(r => r.json()).then(d => \
         Object.fromEntries(d.hits.map(h => [h.region.path.split('/').pop() + h.year, h.id])))",
    );
    let q22 = s(v["秦皇岛市2022"].clone());
    let body = s(b.page.eval(&format!(
        "fetch('/api/reports/{q22}').then(r => r.json()).then(d => d.body)"
    )));
    (v, body)
}

#[test]
fn body_page_and_copied_marks_in_the_report_view() {
    let root = common::scratch("browser-body");
    let index = common::build_years_index(&root);
    let mut b = Session::start(&root, &index);
    b.goto("/");
    let (ids, body) = ids(&mut b);
    let id = |k: &str| s(ids[k].clone());
    assert_eq!(ids.as_object().unwrap().len(), 4, "{ids}");

    // ── the body's page: reports by year
    // A hash change, not a new document.
    b.page
        .eval(&format!("location.hash = '#/body/{body}'; true"));
    b.page.wait(
        "the body page",
        "!document.getElementById('body-view').hidden && !!document.querySelector('#body-view table.body-figures')",
    );
    assert_eq!(
        b.page.eval("document.getElementById('search-view').hidden"),
        true
    );
    let title = s(b
        .page
        .eval("document.querySelector('#body-view h1').textContent"));
    assert_eq!(title, "秦皇岛市人民政府");
    let reports: Vec<String> = serde_json::from_value(b.page.eval(
        "[...document.querySelectorAll('#body-view .body-reports li a')].map(a => a.textContent)",
    ))
    .unwrap();
    assert_eq!(
        reports,
        [
            "2020 秦皇岛市2020年政府信息公开工作年度报告",
            "2021 秦皇岛市2021年政府信息公开工作年度报告",
            "2022 秦皇岛市2022年政府信息公开工作年度报告"
        ]
    );
    // Each links to its report.
    let href = s(b.page.eval(
        "document.querySelector('#body-view .body-reports li:last-child a').getAttribute('href')",
    ));
    assert_eq!(href, format!("#/report/{}", id("秦皇岛市2022")));

    // ── the table: years as columns, each value with its change from the year before
    let years: Vec<String> = serde_json::from_value(b.page.eval(
        "[...document.querySelectorAll('#body-view table.body-figures thead th')].map(t => t.textContent)",
    ))
    .unwrap();
    assert_eq!(years[1..4], ["2020", "2021", "2022"], "{years:?}");
    let row = "[...document.querySelectorAll('#body-view table.body-figures tbody tr')]\
               .find(tr => tr.querySelector('th').title === 'requests.new.total')";
    let cells: Vec<String> = serde_json::from_value(b.page.eval(&format!(
        "[...{row}.querySelectorAll('td.num')].map(td => td.textContent)"
    )))
    .unwrap();
    assert_eq!(cells, ["400", "513 +113", "600 +87"]);
    let changes: Vec<String> = serde_json::from_value(b.page.eval(&format!(
        "[...{row}.querySelectorAll('td.num small.change.up')].map(c => c.textContent)"
    )))
    .unwrap();
    assert_eq!(changes, ["+113", "+87"], "rises marked as rises");
    // ── the small charts: a line through the three years
    let points = s(b.page.eval(&format!(
        "{row}.querySelector('svg.spark polyline').getAttribute('points')"
    )));
    assert_eq!(points.split(' ').count(), 3, "{points}");
    let charts = b.page.eval(
        "document.querySelectorAll('#body-view table.body-figures svg.spark polyline').length",
    );
    assert!(charts.as_u64().unwrap() >= 2, "{charts}");
    // ── the problems sections year by year, 2022's repeats of 2021 marked
    let marked = s(b.page.eval(
        "[...document.querySelectorAll('#body-view .problems-year:not(.previous)')].pop()\
         .querySelector('mark.copied').textContent",
    ));
    assert!(
        marked.starts_with("年我市政府信息公开工作虽取得较大进展"),
        "{marked}"
    );
    assert_eq!(b.page.eval(NO_INJECTION), true);

    // ── the report view of 秦皇岛 2022: copied passages marked, with their sources
    let q22 = id("秦皇岛市2022");
    b.goto(&format!("/?report={q22}"));
    b.page.wait(
        "the report with its copied passages",
        "!!document.querySelector('#report-view .problems-copied mark.copied')",
    );
    let prev: Vec<String> = serde_json::from_value(b.page.eval(
        "[...document.querySelectorAll('#report-view mark.copied.copied-prev')].map(m => m.textContent)",
    ))
    .unwrap();
    assert_eq!(
        prev,
        ["年我市政府信息公开工作虽取得较大进展,但仍存在一些短板和不足,主要体现在:公共企事业单位信息公开不够全面、不够及时;政务新媒体公开信息的精准度、时效性仍需提升;部分单位依申请公开办理能力水平有待进一步提高"]
    );
    let other: Vec<String> = serde_json::from_value(b.page.eval(
        "[...document.querySelectorAll('#report-view mark.copied.copied-other')].map(m => m.textContent)",
    ))
    .unwrap();
    assert_eq!(
        other,
        [common::SHARED_PASSAGE
            .trim_end_matches('。')
            .replace('，', ",")]
    );
    // The text around the marks is all there, unmarked.
    let text = s(b
        .page
        .eval("document.querySelector('#report-view .problems-copied').textContent"));
    assert!(text.starts_with("2022年我市"), "{text}");
    // Each mark is followed by a link to its source report.
    let links: Vec<(String, String)> = serde_json::from_value(b.page.eval(
        "[...document.querySelectorAll('#report-view .problems-copied sup a.copy-source')]\
         .map(a => [a.textContent, new URL(a.href).searchParams.get('report')])",
    ))
    .unwrap();
    assert_eq!(
        links,
        [
            ("上年".to_string(), id("秦皇岛市2021")),
            ("他机关".to_string(), id("唐山市2022"))
        ]
    );
    // The summary above the section: shares and sources.
    let summary = s(b
        .page
        .eval("document.querySelector('#report-view .copied-box').innerText"));
    assert!(
        summary.contains("本节 25.8% 的文字见于 本机关上年报告"),
        "{summary}"
    );
    assert!(
        summary.contains("本节 71.0% 的文字见于 其他机关同年报告"),
        "{summary}"
    );
    assert!(
        summary.contains("唐山市2022年政府信息公开工作年度报告"),
        "{summary}"
    );
    assert_eq!(b.page.eval(NO_INJECTION), true);

    // ── following the other body's link opens 唐山's report
    b.page.eval(
        "document.querySelector('#report-view .problems-copied sup a.copy-source[title*=其他机关]').click(); true",
    );
    b.page.wait(
        "唐山's report",
        "(document.querySelector('#report-view h1.report-title') || {}).textContent === '唐山市2022年政府信息公开工作年度报告'",
    );
    assert!(s(b.page.eval("location.search")).contains(&id("唐山市2022")));
    // 唐山's section marks the passage found in 秦皇岛's report, linking back.
    let back = s(b.page.eval(
        "new URL(document.querySelector('#report-view .problems-copied sup a.copy-source').href).searchParams.get('report')",
    ));
    assert_eq!(back, q22);

    // ── from a report to its body's page
    b.goto(&format!("/?report={}", id("秦皇岛市2021")));
    b.page.wait(
        "the 2021 report",
        "!!document.querySelector('#report-view a.body-link')",
    );
    assert_eq!(
        s(b.page
            .eval("document.querySelector('#report-view a.body-link').getAttribute('href')")),
        format!("#/body/{body}")
    );
    b.page
        .eval("document.querySelector('#report-view a.body-link').click(); true");
    b.page.wait(
        "the body page from the report",
        "!document.getElementById('body-view').hidden && !!document.querySelector('#body-view table.body-figures')",
    );
    assert_eq!(
        b.page.eval("document.getElementById('report-view').hidden"),
        true
    );
    b.finish();
}
