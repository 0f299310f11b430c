//! The report view, the chart, the keyboard and a phone-sized screen in
//! headless Chromium (issue 15, points 4 7 8 9), and the checks that lived in
//! the old mock page (web/mock/test.js), now against the real server.
//! The harness (server, Chromium, DevTools) is in `browser.rs`.

use crate::browser::{click_facet, wait_for_csv, Cdp, Session, NO_INJECTION};
use crate::common::{self, HOSTILE_WORD, IMG, SCRIPT};
use serde_json::{json, Value};

fn session(name: &str) -> Session {
    let root = common::scratch(name);
    let index = common::build_index(&root);
    Session::start(&root, &index)
}

/// The id of the first hit of `query` (through the API, not the page).
fn report_id(s: &mut Session, query: &str) -> String {
    let url = format!("/api/search?q={query}&size=1");
    let js = format!(
        "fetch({}).then(r => r.json()).then(d => d.hits[0].id)",
        json!(url)
    );
    s.page.eval(&js).as_str().unwrap().to_string()
}

fn key(page: &mut Cdp, key: &str, code: u32) {
    for kind in ["keyDown", "keyUp"] {
        page.call(
            "Input.dispatchKeyEvent",
            json!({ "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code }),
        );
    }
}

fn s(v: Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// The report of 张店 breaks requests_balance (common::write_corpus): the page
/// shows the equation with its numbers, warnings in Chinese, the query's terms
/// marked, and each table once.
#[test]
fn report_view_equations_highlight_and_tables_once() {
    let mut b = session("browser-report-view");
    b.goto("/");
    b.page.wait(
        "results",
        "document.querySelectorAll('#results li.hit').length > 0",
    );
    let id = report_id(&mut b, "张店");
    b.goto(&format!("/?q=行政复议 \"依申请\" -撤销&report={id}"));
    b.page
        .wait("the report", "!!document.querySelector('#report-view .qa')");

    // ── point 4: the failed relation with the report's numbers
    let bad = s(b.page.eval(
        "document.querySelector('#report-view .checks li.bad[data-check=requests_balance]').textContent",
    ));
    assert!(
        bad.contains("本年新收 169 + 上年结转 16 = 185 ≠ 本年办理总计 168 + 结转下年度继续办理 7 = 175（相差 10）"),
        "{bad}"
    );
    assert_eq!(
        b.page
            .eval("document.querySelectorAll('#report-view .checks li.ok .eq').length"),
        0,
        "passing checks show no equation"
    );
    let qa = s(b
        .page
        .eval("document.querySelector('#report-view .qa').innerText"));
    assert!(qa.contains("校验未通过：申请数平衡"), "{qa}");
    let visible = s(b
        .page
        .eval("document.getElementById('report-view').innerText"));
    for english in [
        "unknown",
        "check failed",
        "not found",
        "or as stated in prose",
        "left unknown",
    ] {
        assert!(
            !visible.contains(english),
            "English left on the page: {english:?}"
        );
    }

    // ── point 7: the query's words marked (not the excluded one), and a count
    let marks = b.page.eval(
        "[...new Set([...document.querySelectorAll('#report-view mark.q')].map(m => m.textContent))].sort().join(',')",
    );
    assert_eq!(marks, "依申请,行政复议");
    let summary = s(b
        .page
        .eval("document.querySelector('#report-view .hit-summary').textContent"));
    assert!(summary.contains("出现"), "{summary}");
    // ── each table once: table 2's raw lines are folded away, not lost
    let req = "[...document.querySelectorAll('#report-view section.sec')].find(s => s.querySelector('.sec-key').textContent === 'requests')";
    let shown = s(b
        .page
        .eval(&format!("{req}.querySelector('.sec-text').innerText")));
    assert!(
        !shown.contains("上年结转政府信息公开申请数量"),
        "raw table lines shown: {shown}"
    );
    let all = s(b
        .page
        .eval(&format!("{req}.querySelector('.sec-text').textContent")));
    assert!(
        all.contains("二、上年结转政府信息公开申请数量"),
        "raw table lines lost"
    );
    let table = s(b.page.eval(&format!(
        "{req}.querySelector('table.report-table.requests').innerText"
    )));
    assert!(table.contains("上年结转政府信息公开申请数量"), "{table}");
    assert_eq!(
        b.page
            .text("#report-view [data-key='requests.carried_in.total']"),
        "16"
    );
    // prose of the section stays in view
    let overview = s(b.page.eval(
        "[...document.querySelectorAll('#report-view section.sec')].find(s => s.querySelector('.sec-key').textContent === 'overview').querySelector('.sec-text').innerText",
    ));
    assert!(overview.contains("依申请公开"), "{overview}");

    // ── marks never turn report text into markup
    let hostile = report_id(&mut b, HOSTILE_WORD);
    b.goto(&format!("/?q={HOSTILE_WORD} script&report={hostile}"));
    b.page.wait(
        "the hostile report",
        "!!document.querySelector('#report-view .qa')",
    );
    let h1 = b.page.text("#report-view h1.report-title");
    assert!(h1.contains(SCRIPT) && h1.contains(IMG), "{h1}");
    assert_eq!(
        b.page.eval(&format!(
            "[...document.querySelectorAll('#report-view mark.q')].some(m => m.textContent === {})",
            json!(HOSTILE_WORD)
        )),
        true
    );
    b.page.eval(
        "document.querySelectorAll('#report-view .sec-orig-toggle').forEach(c => c.click()); true",
    );
    assert_eq!(
        b.page.eval(NO_INJECTION),
        true,
        "markup injected by highlighting"
    );
    b.finish();
}

/// Tab presses from a fresh page to the first result: the region tree is one
/// stop, arrow keys move in it; at 390 px table 2 and the chart stay readable.
#[test]
fn keyboard_tree_and_phone_width() {
    let mut b = session("browser-keyboard");
    b.goto("/");
    b.page.wait(
        "results",
        "document.querySelectorAll('#results li.hit').length === 8",
    );
    let (tabs, tree_stops) = tabs_to_first_result(&mut b.page);
    eprintln!("Tab presses to the first result: {tabs} ({tree_stops} in the region tree)");
    assert_eq!(tree_stops, 1, "the region tree is one Tab stop");
    // 42 before the tree had one stop (each region took two); 116 → 58 on 300 generated reports
    assert!(tabs <= 40, "{tabs} Tab presses to the first result");
    // or the skip link: Tab, Tab, Enter, Tab
    b.page
        .eval("document.activeElement.blur(); window.scrollTo(0, 0); true");
    b.goto("/");
    b.page.wait(
        "results",
        "document.querySelectorAll('#results li.hit').length === 8",
    );
    key(&mut b.page, "Tab", 9);
    key(&mut b.page, "Tab", 9);
    assert_eq!(
        b.page.eval("document.activeElement.getAttribute('href')"),
        "#results"
    );
    key(&mut b.page, "Enter", 13);
    key(&mut b.page, "Tab", 9);
    assert_eq!(
        b.page
            .eval("!!document.activeElement.closest('#results .hit-title')"),
        true,
        "the skip link leads to the first result"
    );

    // arrow keys: down to the second province, open it, into its first child, Enter filters
    b.page.eval(
        "document.querySelector('#facet-region [role=treeitem][tabindex=\"0\"]').focus(); true",
    );
    let first = s(b.page.eval("document.activeElement.dataset.path"));
    key(&mut b.page, "ArrowDown", 40);
    let second = s(b.page.eval("document.activeElement.dataset.path"));
    assert_ne!(first, second);
    assert_eq!(
        b.page.eval("document.activeElement.getAttribute('role')"),
        "treeitem"
    );
    let hebei = "河北省";
    while s(b.page.eval("document.activeElement.dataset.path")) != hebei {
        key(&mut b.page, "ArrowDown", 40);
    }
    assert_eq!(
        b.page
            .eval("document.activeElement.getAttribute('aria-expanded')"),
        "false"
    );
    key(&mut b.page, "ArrowRight", 39);
    b.page.wait(
        "河北省 open",
        "document.activeElement.getAttribute('aria-expanded') === 'true'",
    );
    key(&mut b.page, "ArrowRight", 39);
    let child = s(b.page.eval("document.activeElement.dataset.path"));
    assert!(child.starts_with("河北省/"), "{child}");
    assert_eq!(
        b.page
            .eval("document.querySelectorAll('#facet-region [tabindex=\"0\"]').length"),
        1
    );
    key(&mut b.page, "ArrowLeft", 37);
    assert_eq!(s(b.page.eval("document.activeElement.dataset.path")), hebei);
    key(&mut b.page, "ArrowRight", 39);
    key(&mut b.page, "Enter", 13);
    b.page.wait(
        "the region filter",
        &format!("decodeURIComponent(location.search).includes('region={child}')"),
    );
    b.page.wait(
        "focus kept on the chosen region",
        &format!("document.activeElement.dataset.path === {}", json!(child)),
    );

    // ── a phone: 390 px wide
    b.page.call(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true }),
    );
    let id = report_id(&mut b, "张店");
    b.goto(&format!("/?report={id}"));
    b.page.wait(
        "table 2",
        "!!document.querySelector('#report-view table.report-table.requests')",
    );
    assert_eq!(b.page.eval("innerWidth"), 390);
    // no label squeezed to one character a line: each is at least three characters wide
    let squeezed = b.page.eval(
        "[...document.querySelectorAll('#report-view table.report-table.requests th')]
           .filter(th => th.textContent.trim().length >= 3)
           .filter(th => th.getBoundingClientRect().width < 3 * parseFloat(getComputedStyle(th).fontSize))
           .map(th => th.textContent)",
    );
    assert_eq!(squeezed, json!([]), "table 2 labels squeezed at 390 px");
    assert_eq!(
        b.page
            .eval("document.documentElement.scrollWidth <= innerWidth"),
        true,
        "the page scrolls sideways (the table must scroll in its box)"
    );
    b.goto("/?chart=requests.new.total&agg=sum&group=region");
    b.page.wait(
        "the chart",
        "document.querySelectorAll('#chart svg text.lbl').length > 0",
    );
    let small = b.page.eval(
        "[...document.querySelectorAll('#chart svg text.lbl')].map(t => t.getBoundingClientRect().height).filter(h => h < 11).length",
    );
    assert_eq!(small, 0, "chart labels under 11 px at 390 px");
    b.finish();
}

/// Presses Tab from the top of the page until the first result's link has
/// focus; returns the presses and how many stops were in the region tree.
fn tabs_to_first_result(page: &mut Cdp) -> (u32, u32) {
    page.eval("document.activeElement && document.activeElement.blur(); window.focus(); true");
    let mut tree = 0;
    for n in 0..300 {
        let at = page.eval(
            "(() => { const e = document.activeElement; if (!e) return ''; \
               if (e.closest('#results .hit-title')) return 'hit'; \
               return e.closest('#facet-region') ? 'tree' : 'other'; })()",
        );
        match at.as_str() {
            Some("hit") => return (n, tree),
            Some("tree") => tree += 1,
            _ => {}
        }
        key(page, "Tab", 9);
    }
    panic!("the first result was not reached in 300 Tab presses");
}

/// The chart: shares of all reports, every province (those without reports
/// said so), the unknown region named and explained, and its data as CSV.
#[test]
fn chart_shares_provinces_and_csv() {
    let mut b = session("browser-chart");
    let downloads = b.root.join("downloads");
    let _ = std::fs::remove_dir_all(&downloads);
    std::fs::create_dir_all(&downloads).unwrap();
    b.browser.call(
        "Browser.setDownloadBehavior",
        json!({ "behavior": "allow", "downloadPath": downloads.to_str().unwrap() }),
    );
    b.goto("/?year=2021&chart=requests.new.total&agg=share&group=year");
    b.page.wait(
        "the chart",
        "document.querySelectorAll('#chart svg .bar-row').length > 0",
    );
    // 2021: three reports of three in the index match year=2021
    let row = s(b.page.eval(
        "[...document.querySelectorAll('#chart table.chart-data tbody tr')].map(r => [...r.children].map(c => c.textContent).join(' ')).join(' | ')",
    ));
    assert!(row.starts_with("2021 3 3 3 100%"), "{row}");
    b.goto("/?q=\"齐农通\"&chart=requests.new.total&agg=share&group=region");
    b.page.wait(
        "the province chart",
        "document.querySelectorAll('#chart svg .bar-row').length >= 31",
    );
    let labels: Vec<String> = serde_json::from_value(b.page.eval(
        "[...document.querySelectorAll('#chart svg .bar-row text.lbl')].map(t => t.textContent)",
    ))
    .unwrap();
    assert!(labels.iter().any(|l| l == "西藏自治区"), "{labels:?}");
    assert!(!labels.iter().any(|l| l == "unknown"), "{labels:?}");
    let none = s(b.page.eval(
        "[...document.querySelectorAll('#chart svg .bar-row.none')].map(g => g.textContent).join(' ')",
    ));
    assert!(none.contains("西藏自治区无报告"), "{none}");
    // a province with reports but none matching says so, not a missing bar
    assert!(none.contains("河北省无匹配报告"), "{none}");
    let shandong = s(b.page.eval(
        "[...document.querySelectorAll('#chart svg .bar-row')].find(g => g.querySelector('text.lbl').textContent === '山东省').querySelector('text.val').textContent",
    ));
    assert_eq!(shandong, "100%", "2 of 山东省's 2 reports name 齐农通");
    b.goto("/?chart=requests.new.total&agg=count&group=region");
    b.page.wait(
        "the chart",
        "document.querySelectorAll('#chart svg .bar-row').length >= 31",
    );
    let unknown = s(b.page.eval(
        "(() => { const g = document.querySelector('#chart svg .bar-row.unknown'); \
           return g ? g.querySelector('text.lbl').textContent + '|' + g.querySelector('title').textContent : ''; })()",
    ));
    assert!(
        unknown.starts_with("地区不明|地区不明：这些报告中未能识别出所属地区"),
        "{unknown}"
    );
    // the CSV: what the chart shows, one line a group
    b.page
        .eval("document.querySelector('#chart a.chart-csv').click(); true");
    let csv = wait_for_csv(&downloads, 0, 15);
    let text = csv.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "地区,当前结果报告数,有此数字的报告数,全部报告数,占全部报告比例,一、本年新收政府信息公开申请数量·总计·报告数"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() >= 31, "{text}");
    assert!(rows.iter().any(|r| r.starts_with("河北省,")), "{text}");
    assert!(rows.contains(&"西藏自治区,0,0,0,,"), "{text}");
    b.finish();
}

/// What web/mock/test.js checked against a mock API, against the real one.
#[test]
fn former_mock_checks() {
    let mut b = session("browser-mock-checks");
    b.goto("/?q=政务");
    b.page.wait(
        "results",
        "document.querySelectorAll('#results li.hit').length > 0",
    );
    assert_eq!(
        b.page.eval("document.getElementById('demo-banner').hidden"),
        true
    );
    assert_eq!(
        b.page
            .eval("document.querySelectorAll('.snip mark').length > 0"),
        true
    );
    // a region facet: the URL and a chip
    b.page.eval(&click_facet("facet-region", "河北省"));
    b.page
        .wait("region in the URL", "location.search.includes('region=')");
    b.page
        .wait("a chip", "document.querySelectorAll('.chip').length >= 1");
    // the where builder: the URL and the export link
    b.page.eval(
        "document.getElementById('builder').open = true; \
         document.getElementById('where-field').value = 'requests.new.total'; \
         document.getElementById('where-op').value = '>='; \
         document.getElementById('where-value').value = '5'; \
         document.getElementById('where-form').requestSubmit(); true",
    );
    b.page.wait(
        "where in the URL",
        "decodeURIComponent(location.search).includes('where=requests.new.total>=5')",
    );
    assert_eq!(
        b.page.eval("decodeURIComponent(document.getElementById('export-csv').getAttribute('href')).includes('figures=requests.new.total')"),
        true
    );
    // sort descending by a figure
    b.goto("/");
    b.page.wait(
        "results",
        "document.querySelectorAll('#results li.hit').length === 8",
    );
    b.page.eval(
        "const s = document.getElementById('sort-field'); s.value = 'requests.new.total'; \
         s.dispatchEvent(new Event('change')); true",
    );
    b.page.wait(
        "sort in the URL",
        "location.search.includes('sort=-requests.new.total')",
    );
    b.page.wait(
        "sorted",
        "!document.getElementById('results').classList.contains('loading')",
    );
    let vals: Vec<f64> = serde_json::from_value(b.page.eval(
        "[...document.querySelectorAll('#results li.hit .fig:first-child dd')].filter(d => !d.classList.contains('absent')).map(d => Number(d.textContent.replace(/,/g, '')))",
    ))
    .unwrap();
    assert!(
        vals.len() >= 2 && vals.windows(2).all(|w| w[0] >= w[1]),
        "{vals:?}"
    );
    // open a report: tables, absent cells, the original text
    let search_url = s(b.page.eval("location.href"));
    let first = s(b.page.eval(
        "new URL(document.querySelector('#results .hit-title a').href).searchParams.get('report')",
    ));
    b.page
        .eval("document.querySelector('#results .hit-title a').click(); true");
    b.page.wait(
        "the report",
        "document.querySelectorAll('#report-view .report-table').length >= 3",
    );
    assert_eq!(
        b.page.eval(
            "[...document.querySelectorAll('td.absent')].every(td => td.textContent === '—')"
        ),
        true
    );
    b.page
        .eval("document.querySelector('.sec-orig-toggle').click(); true");
    assert_eq!(
        b.page.eval("!document.querySelector('.sec-orig-toggle').closest('.sec').querySelector('.original').hidden"),
        true
    );
    // back and forward
    b.page.eval("history.back(); true");
    b.page.wait(
        "the search view",
        "!document.getElementById('search-view').hidden",
    );
    assert_eq!(s(b.page.eval("location.href")), search_url);
    b.page.eval("history.forward(); true");
    b.page.wait(
        "the report again",
        "!document.getElementById('report-view').hidden",
    );
    assert_eq!(
        s(b.page
            .eval("new URLSearchParams(location.search).get('report')")),
        first
    );
    // an API error shown inline, cleared by a good search
    b.goto("/?where=nosuch.key%3E1");
    b.page.wait(
        "the error",
        "!document.getElementById('search-error').hidden",
    );
    assert!(
        b.page.text("#search-error").contains("nosuch.key"),
        "{}",
        b.page.text("#search-error")
    );
    b.page.eval("history.pushState(null, '', '/?chart=requests.new.total&agg=mean&group=region'); dispatchEvent(new PopStateEvent('popstate')); true");
    b.page.wait(
        "chart bars",
        "document.querySelectorAll('#chart svg rect').length > 0",
    );
    b.page.wait(
        "error cleared",
        "document.getElementById('search-error').hidden",
    );
    // the old hash route
    b.goto(&format!("/#/report/{first}"));
    b.page.wait(
        "hash route",
        "document.querySelectorAll('.report-table').length > 0",
    );
    assert_eq!(
        s(b.page
            .eval("new URLSearchParams(location.search).get('report')")),
        first
    );
    b.finish();
}
