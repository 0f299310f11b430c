//! The web page in headless Chromium, over `gongkai serve` on 127.0.0.1 with
//! the seed index: search, a facet, a figure filter, a report, and the hostile
//! report's markup shown as text. Drives Chromium through the DevTools protocol
//! (a WebSocket on 127.0.0.1); nothing is downloaded.
//!
//! Chromium is required: the test fails when it is missing (CI installs it with
//! `.ci/browser-deps.sh`). `GONGKAI_CHROMIUM` overrides the binary.

use crate::common::{self, HOSTILE_WORD, IMG, SCRIPT};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// A child process killed when dropped.
pub struct Proc(Child);
impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find_chromium() -> PathBuf {
    if let Ok(p) = std::env::var("GONGKAI_CHROMIUM") {
        return PathBuf::from(p);
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
            let p = dir.join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!(
        "headless Chromium is needed for the browser test and was not found on PATH \
         (install it with `bash .ci/browser-deps.sh`, or set GONGKAI_CHROMIUM)"
    );
}

/// Starts `gongkai serve` on 127.0.0.1 (port chosen by the OS); returns it and its base URL.
pub fn start_server(index: &Path) -> (Proc, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["serve", "--index"])
        .arg(index)
        .args(["--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gongkai serve");
    let stderr = child.stderr.take().unwrap();
    let proc = Proc(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(at) = line.find("http://") {
                let _ = tx.send(line[at..].trim().to_string());
            }
        }
    });
    let base = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("gongkai serve did not print its address");
    (proc, base)
}

/// Launches headless Chromium with its own empty profile; returns it and its DevTools port.
pub fn start_chromium(profile: &Path) -> (Proc, u16) {
    let exe = find_chromium();
    let _ = std::fs::remove_dir_all(profile);
    std::fs::create_dir_all(profile).unwrap();
    let child = Command::new(&exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--no-proxy-server",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "--window-size=1280,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
    let proc = Proc(child);
    let file = profile.join("DevToolsActivePort");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(s) = std::fs::read_to_string(&file) {
            if let Some(port) = s.lines().next().and_then(|l| l.trim().parse().ok()) {
                return (proc, port);
            }
        }
        assert!(
            Instant::now() < deadline,
            "{} did not open its DevTools port",
            exe.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A DevTools connection to one page.
pub struct Cdp {
    ws: WebSocket<TcpStream>,
    next: u64,
    pub dialogs: Vec<String>,
    pub exceptions: Vec<String>,
}

impl Cdp {
    pub fn connect(port: u16, path: &str) -> Cdp {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let (ws, _) = tungstenite::client(format!("ws://127.0.0.1:{port}{path}"), stream)
            .expect("DevTools WebSocket");
        Cdp {
            ws,
            next: 0,
            dialogs: Vec::new(),
            exceptions: Vec::new(),
        }
    }

    pub fn send(&mut self, method: &str, params: Value) -> u64 {
        self.next += 1;
        let msg = json!({ "id": self.next, "method": method, "params": params });
        self.ws.send(Message::text(msg.to_string())).unwrap();
        self.next
    }

    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        loop {
            let msg = self.ws.read().expect("DevTools connection");
            let Message::Text(t) = msg else { continue };
            let v: Value = serde_json::from_str(t.as_str()).unwrap();
            if v["id"] == id {
                if let Some(e) = v.get("error") {
                    panic!("{method}: {e}");
                }
                return v["result"].clone();
            }
            match v["method"].as_str() {
                Some("Page.javascriptDialogOpening") => {
                    self.dialogs.push(v["params"]["message"].to_string());
                    self.send("Page.handleJavaScriptDialog", json!({ "accept": true }));
                }
                Some("Runtime.exceptionThrown") => {
                    self.exceptions
                        .push(v["params"]["exceptionDetails"].to_string());
                }
                _ => {}
            }
        }
    }

    /// Evaluates `expr` in the page (awaiting a promise) and returns its value.
    pub fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expr, "awaitPromise": true, "returnByValue": true }),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{expr}: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Waits until `cond` (JS) is true.
    pub fn wait(&mut self, what: &str, cond: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if self.eval(&format!("!!({cond})")) == true {
                return;
            }
            if Instant::now() > deadline {
                let state = self.eval(
                    "JSON.stringify({url: location.href, summary: (document.getElementById('summary')||{}).textContent, \
                     hits: document.querySelectorAll('#results li.hit').length, \
                     error: (document.getElementById('search-error')||{}).textContent})",
                );
                panic!("timed out waiting for {what} ({cond}); page: {state}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn hits(&mut self) -> u64 {
        self.eval("document.querySelectorAll('#results li.hit').length")
            .as_u64()
            .unwrap()
    }

    pub fn text(&mut self, selector: &str) -> String {
        let v = self.eval(&format!(
            "(document.querySelector({}) || {{}}).textContent || ''",
            json!(selector)
        ));
        v.as_str().unwrap_or("").to_string()
    }
}

/// JS that clicks the facet button whose name is `name` in the facet box `box_id`.
pub fn click_facet(box_id: &str, name: &str) -> String {
    format!(
        "(() => {{ const b = [...document.querySelectorAll('#{box_id} .facet-btn')]
            .find(b => b.querySelector('.f-name').textContent === {name});
          if (!b) throw new Error('no facet ' + {name}); b.click(); return true; }})()",
        name = json!(name)
    )
}

/// Asserts that nothing the reports contain became markup.
pub const NO_INJECTION: &str =
    "document.querySelectorAll('img, iframe, object, embed').length === 0 \
    && [...document.scripts].every(s => ['/app.js', '/body.js'].includes(new URL(s.src || 'x:', location.href).pathname)) \
    && !document.querySelector('[onerror]')";

/// A server over an index and a headless Chromium with one page open on it.
/// Fields drop in reverse order: the page and browser close before the processes.
pub struct Session {
    pub page: Cdp,
    pub browser: Cdp,
    pub base: String,
    pub root: PathBuf,
    _chrome: Proc,
    _server: Proc,
}

impl Session {
    /// Serves `index` and opens a blank page in a fresh Chromium profile under `root`.
    pub fn start(root: &Path, index: &Path) -> Session {
        let (server, chrome, browser, page, base) = launch(root, index);
        Session {
            page,
            browser,
            base,
            root: root.to_path_buf(),
            _chrome: chrome,
            _server: server,
        }
    }

    /// Opens `path_and_query` (like `/?q=x`) on the server and waits for the new document.
    pub fn goto(&mut self, path_and_query: &str) {
        let url = format!("{}{path_and_query}", self.base);
        self.page.eval("window.__leaving = true");
        self.page.call("Page.navigate", json!({ "url": url }));
        self.page.wait(
            "the new page",
            "!window.__leaving && document.readyState === 'complete' && !!document.getElementById('results')",
        );
    }

    /// No dialog opened and no uncaught JavaScript exception, then close.
    pub fn finish(mut self) {
        std::thread::sleep(Duration::from_millis(300));
        self.page.eval("1");
        assert!(
            self.page.dialogs.is_empty(),
            "dialogs opened: {:?}",
            self.page.dialogs
        );
        assert!(
            self.page.exceptions.is_empty(),
            "JavaScript exceptions: {:?}",
            self.page.exceptions
        );
        let _ = self.browser.send("Browser.close", json!({}));
    }
}

#[test]
fn web_page_in_headless_chromium() {
    let started = Instant::now();
    let root = common::scratch("browser-fixture");
    let index = common::build_index(&root);
    let Session {
        mut page,
        mut browser,
        base,
        _chrome,
        _server,
        ..
    } = Session::start(&root, &index);

    // ── the page lists every report
    page.call("Page.navigate", json!({ "url": format!("{base}/") }));
    page.wait(
        "the first results",
        "document.querySelectorAll('#results li.hit').length === 8",
    );
    assert!(
        page.text("#summary").contains('8'),
        "{}",
        page.text("#summary")
    );

    // ── a search
    page.eval(
        "document.getElementById('q').value = '\"齐农通\"'; \
         document.getElementById('search-form').requestSubmit(); true",
    );
    page.wait(
        "2 hits for 齐农通",
        "document.querySelectorAll('#results li.hit').length === 2",
    );
    assert_eq!(
        page.eval("document.querySelector('#results .snip-text mark').textContent"),
        "齐农通"
    );
    assert!(page
        .eval("location.search")
        .as_str()
        .unwrap()
        .contains("q="));

    // ── back to everything, then a facet click: year 2021
    page.eval("document.getElementById('q').value = ''; document.getElementById('search-form').requestSubmit(); true");
    page.wait(
        "all reports again",
        "document.querySelectorAll('#results li.hit').length === 8",
    );
    page.eval(&click_facet("facet-year", "2021"));
    page.wait(
        "3 reports of 2021",
        "document.querySelectorAll('#results li.hit').length === 3",
    );
    assert!(page
        .eval("location.search")
        .as_str()
        .unwrap()
        .contains("year=2021"));
    assert_eq!(
        page.eval("[...document.querySelectorAll('#results .m-year')].every(e => e.textContent === '2021年')"),
        true
    );

    // ── a figure filter: 新收申请 ≥ 100
    page.eval(
        "document.getElementById('builder').open = true; \
         document.getElementById('where-field').value = 'requests.new.total'; \
         document.getElementById('where-op').value = '>='; \
         document.getElementById('where-value').value = '100'; \
         document.getElementById('where-form').requestSubmit(); true",
    );
    page.wait(
        "2 reports with ≥ 100 requests",
        "document.querySelectorAll('#results li.hit').length === 2",
    );
    assert!(page
        .eval("decodeURIComponent(location.search)")
        .as_str()
        .unwrap()
        .contains("where=requests.new.total>=100"));
    let figs = page.eval("[...document.querySelectorAll('#results li.hit .figs dd')].map(d => d.textContent).join(' ')");
    assert!(figs.as_str().unwrap().contains("513"), "{figs}");
    // the region facet now counts only these: 河北省 (2)
    page.eval(&click_facet("facet-region", "河北省"));
    page.wait(
        "region filter in the URL",
        "decodeURIComponent(location.search).includes('region=河北省')",
    );
    page.wait(
        "2 hits in 河北省",
        "document.querySelectorAll('#results li.hit').length === 2",
    );
    assert_eq!(page.hits(), 2);

    // ── open a report: 秦皇岛
    page.eval(
        "[...document.querySelectorAll('#results .hit-title a')].find(a => a.textContent.startsWith('秦皇岛')).click(); true",
    );
    page.wait(
        "the report view",
        "!document.getElementById('report-view').hidden && !!document.querySelector('#report-view h1.report-title')",
    );
    assert_eq!(
        page.text("#report-view h1.report-title"),
        "秦皇岛市2021年政府信息公开工作年度报告"
    );
    assert_eq!(
        page.text("#report-view [data-key='requests.new.total']")
            .trim(),
        "513"
    );
    assert!(page.text("#report-view .qa h2").contains("全部通过"));
    assert!(page.text("#report-view .report-meta").contains("130300"));
    let sections =
        page.eval("document.querySelectorAll('#report-view section.sec h2 .sec-key').length");
    assert!(sections.as_u64().unwrap() >= 5, "{sections}");
    // and back
    page.eval("document.querySelector('#report-view .back a').click(); true");
    page.wait("results again", "document.getElementById('report-view').hidden && document.querySelectorAll('#results li.hit').length === 2");

    // ── the hostile report: its markup is text
    page.call(
        "Page.navigate",
        json!({ "url": format!("{base}/?q={HOSTILE_WORD}") }),
    );
    page.wait(
        "the hostile report",
        "document.querySelectorAll('#results li.hit').length === 1",
    );
    let title = page.text("#results .hit-title a");
    assert!(title.contains(SCRIPT) && title.contains(IMG), "{title}");
    let snip = page.text("#results .snip-text");
    assert!(snip.contains(SCRIPT), "{snip}");
    assert_eq!(
        page.eval("document.querySelector('#results .snip-text mark').textContent"),
        HOSTILE_WORD
    );
    assert_eq!(page.eval(NO_INJECTION), true, "markup injected in results");
    page.eval("document.querySelector('#results .hit-title a').click(); true");
    page.wait(
        "the hostile report's page",
        "!!document.querySelector('#report-view h1.report-title')",
    );
    let h1 = page.text("#report-view h1.report-title");
    assert!(h1.contains(SCRIPT) && h1.contains(IMG), "{h1}");
    let body = page.text("#report-view");
    assert!(body.contains(IMG), "section text lacks the markup as text");
    // original text too
    page.eval(
        "document.querySelectorAll('#report-view .sec-orig-toggle').forEach(c => c.click()); true",
    );
    assert_eq!(
        page.eval(NO_INJECTION),
        true,
        "markup injected in the report"
    );
    assert!(page
        .eval("document.title")
        .as_str()
        .unwrap()
        .contains(SCRIPT));

    std::thread::sleep(Duration::from_millis(300));
    page.eval("1");
    assert!(
        page.dialogs.is_empty(),
        "dialogs opened: {:?}",
        page.dialogs
    );
    assert!(
        page.exceptions.is_empty(),
        "JavaScript exceptions: {:?}",
        page.exceptions
    );
    let _ = browser.send("Browser.close", json!({}));
    eprintln!("browser test took {:?}", started.elapsed());
}

// ───────────── the search page as a journalist uses it: sources, versions, exact issuer, export, suggestions

/// A page of headless Chromium on `gongkai serve` over `index`.
fn open_page(root: &Path, index: &Path) -> (Proc, Proc, Cdp, String) {
    let (server, chrome, _browser, page, base) = launch(root, index);
    (server, chrome, page, base)
}

/// The server, Chromium, its browser connection and one blank page with the
/// page and runtime domains enabled, and the server's base URL.
fn launch(root: &Path, index: &Path) -> (Proc, Proc, Cdp, Cdp, String) {
    let (server, base) = start_server(index);
    let (chrome, port) = start_chromium(&root.join("profile"));
    let s = std::fs::read_to_string(root.join("profile/DevToolsActivePort")).unwrap();
    let mut browser = Cdp::connect(port, s.lines().nth(1).unwrap());
    let target = browser.call("Target.createTarget", json!({ "url": "about:blank" }));
    let target_id = target["targetId"].as_str().unwrap().to_string();
    let mut page = Cdp::connect(port, &format!("/devtools/page/{target_id}"));
    page.call("Page.enable", json!({}));
    page.call("Runtime.enable", json!({}));
    (server, chrome, browser, page, base)
}

#[test]
fn search_page_sources_versions_exact_issuer_export_and_suggestions() {
    let root = common::scratch("browser-versions");
    let (index, _) = common::build_versions_index(&root.join("data"));
    let (_server, _chrome, mut page, base) = open_page(&root, &index);
    let hits = "document.querySelectorAll('#results li.hit').length";
    page.call("Page.navigate", json!({ "url": format!("{base}/") }));
    page.wait("five reports", &format!("{hits} === 5"));

    // ── source links: only http(s) URLs become links
    let links =
        page.eval("[...document.querySelectorAll('#results a.m-url')].map(a => a.href).sort()");
    assert_eq!(links, json!([common::JZ_URL, common::QHD_URL]));
    assert_eq!(
        page.eval("document.querySelectorAll('a[href^=\"javascript\"]').length"),
        0
    );

    // ── the versions facet: one body-year with four reports; a click lists them
    assert_eq!(
        page.eval("document.querySelectorAll('#facet-versions .facet-btn').length"),
        1
    );
    assert_eq!(page.text("#facet-versions .f-count"), "4");
    page.eval("document.querySelector('#facet-versions .facet-btn').click(); true");
    page.wait(
        "the four versions",
        &format!("{hits} === 4 && location.search.includes('body=')"),
    );
    // a second click on the (now active) facet lifts both filters
    page.eval("document.querySelector('#facet-versions .facet-btn.active').click(); true");
    page.wait(
        "all again",
        &format!("{hits} === 5 && !location.search.includes('body=')"),
    );

    // ── an issuer name in the results filters on exactly that issuer
    page.eval(
        "[...document.querySelectorAll('#results .m-issuer')].find(b => b.textContent.includes('秦皇岛')).click(); true",
    );
    page.wait(
        "the exact issuer",
        &format!("{hits} === 4 && location.search.includes('issuer_exact=')"),
    );
    // the issuer facet shows the same count as the results
    let active = page.text("#facet-issuer .facet-btn.active .f-count");
    assert_eq!(active, "4");
    // the page says which filter is exact and which a substring
    let section = page.eval("document.getElementById('fh-issuer').parentElement.textContent");
    let section = section.as_str().unwrap();
    assert!(
        section.contains("精确") && section.contains("包含"),
        "{section}"
    );

    // ── export follows the sort on screen, with Chinese headers
    page.eval("const s = document.getElementById('sort-field'); s.value = 'requests.new.total'; s.dispatchEvent(new Event('change')); true");
    page.wait("sorted", "location.search.includes('sort=')");
    let href = page.eval("document.getElementById('export-csv').getAttribute('href')");
    let href = href.as_str().unwrap();
    assert!(
        href.contains("sort=-requests.new.total") && href.contains("labels=zh"),
        "{href}"
    );
    assert!(href.contains("issuer_exact="), "{href}");

    // ── a report view: its source URL, format, file, and its versions
    page.call("Page.navigate", json!({ "url": format!("{base}/") }));
    page.wait("five reports", &format!("{hits} === 5"));
    page.eval("[...document.querySelectorAll('#results li.hit')].find(li => li.textContent.includes('锦州')).querySelector('h3 a').click(); true");
    page.wait("the report of 锦州", "!document.getElementById('report-view').hidden && !!document.querySelector('#report-view .source-file')");
    assert_eq!(
        page.eval("document.querySelector('#report-view a.source-url').href"),
        common::JZ_URL
    );
    assert!(page.text("#report-view .report-meta").contains("纯文本"));
    let file = page.eval("fetch(document.querySelector('#report-view a.source-file').href).then(r => r.status + ' ' + r.headers.get('content-type'))");
    assert_eq!(file.as_str().unwrap(), "200 text/plain");
    assert_eq!(
        page.eval("document.querySelectorAll('#report-view .versions li').length"),
        0
    );
    let q = |q: &str| form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>();
    page.call(
        "Page.navigate",
        json!({ "url": format!("{base}/?q={}", q("\"转载的版本\"")) }),
    );
    page.wait("the copies", &format!("{hits} === 3"));
    page.eval("document.querySelector('#results h3 a').click(); true");
    page.wait(
        "a copy's report",
        "!!document.querySelector('#report-view .versions')",
    );
    assert_eq!(
        page.eval("document.querySelectorAll('#report-view .versions li').length"),
        3
    );

    // ── zero results: suggestions with counts, clickable
    page.call(
        "Page.navigate",
        json!({ "url": format!("{base}/?q={}", q("\"信息公开秦皇岛\"")) }),
    );
    page.wait(
        "suggestions",
        "!!document.querySelector('#results li.suggest a.suggestion')",
    );
    assert_eq!(page.eval(hits), 0);
    let first = page.text("#results a.suggestion .s-q");
    page.eval("document.querySelector('#results a.suggestion').click(); true");
    page.wait("the suggestion's results", &format!("{hits} > 0"));
    assert_eq!(
        page.eval("document.getElementById('q').value"),
        first.as_str()
    );

    assert!(page.dialogs.is_empty(), "dialogs: {:?}", page.dialogs);
    assert!(
        page.exceptions.is_empty(),
        "JavaScript exceptions: {:?}",
        page.exceptions
    );
}

/// Waits up to `secs` for a complete CSV beyond the `before` already in `dir`
/// (the newest one) and returns its text.
pub fn wait_for_csv(dir: &Path, before: usize, secs: u64) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let mut csv: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .collect();
        if csv.len() > before {
            csv.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
            if let Ok(t) = std::fs::read_to_string(csv.last().unwrap()) {
                if t.ends_with('\n') {
                    return t;
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "no CSV downloaded into {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
