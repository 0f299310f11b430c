//! Arbitrary bytes and mutated seeds never panic the parser.

use proptest::prelude::*;
use std::path::Path;

fn seeds() -> Vec<Vec<u8>> {
    let dir = Path::new(crate::common::SEEDS);
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v.into_iter().map(|p| std::fs::read(p).unwrap()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4000), html in any::<bool>()) {
        let _ = gongkai::parse_bytes(&bytes, if html { "html" } else { "txt" });
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[一二三四五六七八九十、.()|0-9 \n本年新收上年结转行政复议总计其他处理<>tdr/政府信息公开报告年]{0,600}") {
        let _ = gongkai::parse_bytes(text.as_bytes(), "txt");
        let _ = gongkai::parse_bytes(format!("<table><tr><td>{text}</td></tr></table>").as_bytes(), "html");
    }

    #[test]
    fn mutated_seeds_never_panic(
        which in 0usize..5,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..3, any::<u8>(), 1usize..200), 1..12),
    ) {
        let mut bytes = seeds()[which].clone();
        for (at, kind, b, len) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = b,
                1 => { let end = (i + len).min(bytes.len()); bytes.drain(i..end); }
                _ => { let chunk: Vec<u8> = bytes[i..(i + len).min(bytes.len())].to_vec(); bytes.splice(i..i, chunk); }
            }
        }
        let _ = gongkai::parse_bytes(&bytes, "txt");
    }
}

#[test]
fn a_large_report_parses() {
    // ~1 MB: a seed repeated. (Speed is measured by the benchmark, not here.)
    let seed = &seeds()[0];
    let mut big = Vec::new();
    while big.len() < 1_000_000 {
        big.extend_from_slice(seed);
        big.push(b'\n');
    }
    let r = gongkai::parse_bytes(&big, "txt").unwrap();
    assert_eq!(r.year, Some(2021));
    assert!(r.full_text().len() > 500_000);
}

/// Counts the heap bytes each thread holds and their peak. The parser runs on
/// the calling thread, so a test reads its own parse's peak whatever other
/// tests running beside it allocate.
struct Counting;

thread_local! {
    static LIVE: std::cell::Cell<isize> = const { std::cell::Cell::new(0) };
    static PEAK: std::cell::Cell<isize> = const { std::cell::Cell::new(0) };
}

fn count(delta: isize) {
    let _ = LIVE.try_with(|l| {
        let v = l.get() + delta;
        l.set(v);
        let _ = PEAK.try_with(|p| p.set(p.get().max(v)));
    });
}

// SAFETY: every call goes to the system allocator unchanged; only counters are added.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        let p = unsafe { std::alloc::System.alloc(l) };
        if !p.is_null() {
            count(l.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, l: std::alloc::Layout) -> *mut u8 {
        let p = unsafe { std::alloc::System.alloc_zeroed(l) };
        if !p.is_null() {
            count(l.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(p, l) };
        count(-(l.size() as isize));
    }
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, new: usize) -> *mut u8 {
        let q = unsafe { std::alloc::System.realloc(p, l, new) };
        if !q.is_null() {
            count(new as isize - l.size() as isize);
        }
        q
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Runs `f` on this thread and returns its result, its CPU seconds and the
/// peak of heap bytes it held beyond what the thread held before.
fn cost<T>(f: impl FnOnce() -> T) -> (T, f64, usize) {
    let base = LIVE.with(|l| l.get());
    PEAK.with(|p| p.set(base));
    let cpu = gongkai::index::ingest::thread_cpu_secs();
    let out = f();
    let secs = gongkai::index::ingest::thread_cpu_secs() - cpu;
    let peak = PEAK.with(|p| p.get()) - base;
    (out, secs, peak.max(0) as usize)
}

/// `gongkai check FILE`: whether it succeeded, and its stderr.
fn check_cli(path: &Path) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("check")
        .arg(path)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A report's text, so that a hostile page still has something to read.
fn report_text() -> String {
    String::from_utf8(seeds()[0].clone()).unwrap()
}

/// Each input of issue 13 that took the reader down: parsed within a second of
/// CPU and 100 MB of heap, with the report's text kept, and `check` succeeds.
#[test]
fn hostile_pages_cost_at_most_a_second_and_100_mb() {
    let dir = tempfile::tempdir().unwrap();
    let text = report_text().replace('\n', "<br>\n");
    let cases: Vec<(&str, String)> = vec![
        (
            "span5k.html",
            format!("<body>{}{text}", "<span>".repeat(5054)),
        ),
        (
            "span20k.html",
            format!("<body>{}{text}", "<span>".repeat(20156)),
        ),
        (
            "div60k.html",
            format!("<body>{}{text}", "<div>".repeat(60_000)),
        ),
        (
            "spans.html",
            format!(
                "<body>{text}<table><tr>{}</tr></table>",
                "<td rowspan=100 colspan=100>x</td>".repeat(3000)
            ),
        ),
        (
            "formatting.html",
            format!(
                "<body>{}{}{text}",
                (0..20_000).map(|i| format!("<b a{i}>")).collect::<String>(),
                "<p>x</p>".repeat(2000)
            ),
        ),
        (
            "tables.html",
            format!("<body>{}{text}", "<table><tr><td>".repeat(20_000)),
        ),
    ];
    for (name, page) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &page).unwrap();
        let (r, cpu, heap) = cost(|| gongkai::parse_file(&path));
        assert!(cpu < 1.0, "{name}: {cpu:.2}s of CPU");
        assert!(heap < 100 << 20, "{name}: {} MB of heap", heap >> 20);
        // The report's text survives the flattening.
        assert_eq!(r.unwrap().year, Some(2021), "{name}");
        let (ok, err) = check_cli(&path);
        assert!(ok, "{name}: {err}");
    }
}

#[test]
fn deep_nesting_is_flattened_with_a_warning_and_the_text_kept() {
    let page = format!(
        "<body>{}{}",
        "<span>".repeat(gongkai::parse::read::MAX_DEPTH * 4),
        report_text().replace('\n', "<br>\n")
    );
    // Rayon's worker threads have 2 MB stacks: the walk must not need more.
    let r = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || gongkai::parse_bytes(page.as_bytes(), "html"))
        .unwrap()
        .join()
        .unwrap()
        .unwrap();
    assert!(
        r.warnings.iter().any(|w| w.contains("nested deeper than")),
        "{:?}",
        r.warnings
    );
    assert!(r.full_text().contains("政府信息公开"));
}

#[test]
fn spans_past_the_budget_are_ignored_with_a_warning() {
    let page = format!(
        "<body><table><tr>{}</tr></table>",
        "<td rowspan=100 colspan=100>申请</td>".repeat(200)
    );
    let doc = gongkai::parse::read::decode(page.as_bytes(), "html").unwrap();
    let cells: usize = doc.lines.iter().map(|l| l.split(" | ").count()).sum();
    // The budget for a 7 KB page is 64 Ki positions, not 200 × 10,000.
    assert!(cells < 80_000, "{cells}");
    assert_eq!(doc.lines.join("").matches("申请").count(), 200);
    assert!(doc.warnings.iter().any(|w| w.contains("spans ignored")));
}

#[test]
fn a_corrupted_title_end_tag_is_not_an_empty_file() {
    let page = format!(
        "<html><head><title>秦皇岛市2021年政府信息公开工作年度报告</tittle></head><body>{}</body></html>",
        report_text().replace('\n', "<br>\n")
    );
    let r = gongkai::parse_bytes(page.as_bytes(), "html").unwrap();
    assert_eq!(r.year, Some(2021));
    assert!(
        r.warnings.iter().any(|w| w.contains("</title>")),
        "{:?}",
        r.warnings
    );
    // Markup without text is "no report text", not "empty file".
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("tags.html");
    std::fs::write(&p, "<html><body><div><span></span></div></body></html>").unwrap();
    let e = gongkai::parse_file(&p).unwrap_err().to_string();
    assert!(
        e.contains("tags.html") && e.contains("no report text"),
        "{e}"
    );
}

#[test]
fn files_past_the_size_limit_are_refused_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.html");
    let f = std::fs::File::create(&p).unwrap();
    // Sparse: the size is what counts, no need to write 8 MB.
    f.set_len(gongkai::parse::read::MAX_FILE_BYTES + 1).unwrap();
    let (ok, err) = check_cli(&p);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    let limit = gongkai::parse::read::MAX_FILE_BYTES.to_string();
    assert!(err.contains("huge.html") && err.contains(&limit), "{err}");
}

#[test]
fn a_named_pipe_is_refused_without_being_opened() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pipe.txt");
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let e = gongkai::parse_file(&p).unwrap_err().to_string();
    assert!(e.contains("pipe.txt") && e.contains("named pipe"), "{e}");
}

fn gongkai() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

fn seed_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/seeds")
}

fn ingest_opts() -> gongkai::index::ingest::IngestOptions {
    gongkai::index::ingest::IngestOptions {
        heap_bytes: 30_000_000,
        ..Default::default()
    }
}

/// Copies the seed reports (not their expectations) into `dir`.
fn copy_seeds(dir: &Path) -> usize {
    std::fs::create_dir_all(dir).unwrap();
    let mut n = 0;
    for e in std::fs::read_dir(seed_dir()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
            n += 1;
        }
    }
    n
}

#[test]
fn a_closed_pipe_ends_check_and_search_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    copy_seeds(&corpus);
    let index = dir.path().join("idx");
    let st = gongkai()
        .args(["ingest", "-q", "--index"])
        .arg(&index)
        .arg(&corpus)
        .status()
        .unwrap();
    assert!(st.success());
    let seed = std::fs::read_dir(&corpus)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut check = gongkai();
    check.args(["check", "--json"]).arg(&seed);
    let mut search = gongkai();
    search
        .args(["search", "--json", "--limit", "0", "--index"])
        .arg(&index);
    for mut cmd in [check, search] {
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reading end closes before anything is written: every write fails with EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(err.is_empty(), "{err}");
    }
}

#[test]
fn bad_command_lines_get_one_line_saying_what_is_wrong() {
    for args in [
        vec!["search", "x", "--limit", "abc"],
        vec!["search", "x", "--nope"],
        vec!["check"],
        vec!["frobnicate"],
        vec!["ingest", "--threads", "-3", "x"],
    ] {
        let out = gongkai().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("gongkai: ") && !err.contains("Usage"),
            "{err}"
        );
    }
    // A query may start with `-` (exclusion): it is a query, not an option.
    let out = gongkai()
        .args(["search", "-政府", "--index", "/nonexistent/idx"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("unexpected argument"), "{err}");
    // Help is still help.
    let out = gongkai().arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
}

#[test]
fn serve_and_gen_refuse_to_write_into_a_directory_holding_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "my notes").unwrap();
    let out = gongkai()
        .args(["serve", "--addr", "127.0.0.1:0", "--index"])
        .arg(&mine)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("not an index") && err.contains("mine"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&mine).unwrap().count(), 1);

    let out = gongkai()
        .args(["gen", "--count", "2", "--out"])
        .arg(&mine)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_dir(&mine).unwrap().count(), 1);
    let out = gongkai()
        .args(["gen", "--count", "2", "--force", "--out"])
        .arg(&mine)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(std::fs::read_dir(&mine).unwrap().count() > 1);
}

/// One batch holding every hostile input beside good reports: the good ones are
/// indexed, the bad ones listed with their reason, the run ends.
#[test]
fn one_hostile_file_never_takes_down_a_batch() {
    use gongkai::index::{ingest::ingest, Index};
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    let good = copy_seeds(&corpus);
    let text = report_text().replace('\n', "<br>\n");
    std::fs::write(
        corpus.join("nested.html"),
        format!("<body>{}{text}", "<span>".repeat(5054)),
    )
    .unwrap();
    std::fs::write(
        corpus.join("spans.html"),
        "<td rowspan=100 colspan=100>x</td>".repeat(3000),
    )
    .unwrap();
    // Over the per-file budget set below on any machine: 700,000 cells of text
    // in one table row (seconds of tree building, well within the size limit).
    std::fs::write(
        corpus.join("slow.html"),
        format!("<body><table><tr>{}", "<td>x".repeat(700_000)),
    )
    .unwrap();
    let big = std::fs::File::create(corpus.join("big.txt")).unwrap();
    big.set_len(gongkai::parse::read::MAX_FILE_BYTES + 1)
        .unwrap();
    let fifo = std::ffi::CString::new(corpus.join("fifo.txt").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    // A link to a report is followed; a link loop is listed as skipped.
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, report_text().replace("秦皇岛", "承德")).unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("linked.txt")).unwrap();
    std::os::unix::fs::symlink(&corpus, corpus.join("loop")).unwrap();

    let idx = Index::open_or_create(&dir.path().join("idx")).unwrap();
    let opts = gongkai::index::ingest::IngestOptions {
        file_budget: std::time::Duration::from_millis(300),
        ..ingest_opts()
    };
    let st = ingest(&idx, &[corpus.clone(), corpus.join("fifo.txt")], &opts).unwrap();
    let why = |name: &str| {
        st.failed
            .iter()
            .chain(&st.skipped)
            .find(|(p, _)| p.file_name().is_some_and(|n| n == name))
            .map(|(_, w)| w.clone())
            .unwrap_or_else(|| panic!("{name} not listed: {st:?}"))
    };
    assert!(why("slow.html").contains("budget"), "{}", why("slow.html"));
    assert!(why("big.txt").contains("limit"), "{}", why("big.txt"));
    assert!(
        why("fifo.txt").contains("named pipe"),
        "{}",
        why("fifo.txt")
    );
    assert!(why("loop").contains("loop"), "{}", why("loop"));
    // The seeds, the linked report and the two flattened or trimmed pages.
    assert_eq!(st.added as usize, good + 2, "{st:?}");
    assert_eq!(idx.num_docs() as usize, good + 2);
}

/// A full disk: ingest says so, leaves no uncommitted segment files, and a rerun
/// succeeds once space is freed. Needs a small tmpfs, so root (CI runs as root).
#[test]
fn a_full_disk_is_named_and_a_rerun_succeeds_after_freeing_space() {
    use gongkai::index::{ingest::ingest, Index};
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    // SAFETY: geteuid has no preconditions.
    let mounted = unsafe { libc::geteuid() } == 0
        && std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
            .arg(&mnt)
            .status()
            .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _guard = Unmount(&mnt);
    let corpus = dir.path().join("c");
    let gen = gongkai()
        .args(["gen", "--count", "120", "--out"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(gen.status.success());
    let ballast = mnt.join("ballast");
    std::fs::write(&ballast, vec![1u8; 7 << 20]).unwrap();
    let idx_dir = mnt.join("idx");
    let idx = Index::open_or_create(&idx_dir).unwrap();
    let e = ingest(&idx, std::slice::from_ref(&corpus), &ingest_opts())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("no space left on") && e.contains("idx"),
        "{e}"
    );
    assert_eq!(e.matches("no space").count(), 1, "{e}");
    let files = |ext: &str| {
        std::fs::read_dir(&idx_dir)
            .unwrap()
            .filter(|f| {
                f.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == ext)
            })
            .count()
    };
    assert_eq!(files("store"), 0, "uncommitted segment files left behind");
    std::fs::remove_file(&ballast).unwrap();
    let st = ingest(&idx, &[corpus], &ingest_opts()).unwrap();
    assert_eq!(st.added, 120, "{st:?}");
    assert_eq!(idx.num_docs(), 120);
}

/// A server on 127.0.0.1 over an index of the seeds, closing connections whose
/// headers take longer than `header_timeout`.
struct TestServer {
    addr: std::net::SocketAddr,
    index_dir: std::path::PathBuf,
    _dir: tempfile::TempDir,
    _rt: tokio::runtime::Runtime,
}

fn test_server(header_timeout: std::time::Duration) -> TestServer {
    use gongkai::index::{ingest::ingest, Index};
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    copy_seeds(&corpus);
    let index_dir = dir.path().join("idx");
    let idx = Index::open_or_create(&index_dir).unwrap();
    ingest(&idx, &[corpus], &ingest_opts()).unwrap();
    let state = gongkai::server::AppState {
        index: std::sync::Arc::new(idx),
        demo: false,
        timeout: std::time::Duration::from_secs(20),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let app = gongkai::server::router(state);
    rt.spawn(gongkai::server::serve_on(
        listener,
        app,
        header_timeout,
        std::future::pending(),
    ));
    TestServer {
        addr,
        index_dir,
        _dir: dir,
        _rt: rt,
    }
}

/// Sends `raw` and returns what the server answered until it closed the
/// connection (or 10 s passed), and how long that took.
fn exchange(addr: std::net::SocketAddr, raw: &[u8]) -> (String, std::time::Duration) {
    use std::io::{Read, Write};
    let t = std::time::Instant::now();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    s.write_all(raw).unwrap();
    let mut got = Vec::new();
    let _ = s.read_to_end(&mut got);
    (String::from_utf8_lossy(&got).into_owned(), t.elapsed())
}

#[test]
fn half_requests_and_idle_connections_are_closed_after_the_header_timeout() {
    let timeout = std::time::Duration::from_millis(500);
    let srv = test_server(timeout);
    for raw in [
        &b"\r\n\r\n"[..],
        b"GET /api/search?q=x HTTP/1.1\r\nHost: a\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n",
    ] {
        let (got, took) = exchange(srv.addr, raw);
        assert!(
            took < std::time::Duration::from_secs(5),
            "{:?}: held for {took:?}",
            String::from_utf8_lossy(raw)
        );
        if raw.ends_with(b"\r\n\r\n") && raw.len() > 4 {
            // A whole request is answered, then the idle connection is closed.
            assert!(got.starts_with("HTTP/1.1 200"), "{got}");
        }
    }
}

#[test]
fn malformed_percent_encoding_is_a_400_naming_the_parameter() {
    let srv = test_server(std::time::Duration::from_secs(10));
    for (query, param) in [
        ("q=%G1", "`q`"),
        ("q=%C3", "`q`"),
        ("q=ok&region=%E6%B2", "`region`"),
        ("q=%", "`q`"),
    ] {
        let req =
            format!("GET /api/search?{query} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        let (got, _) = exchange(srv.addr, req.as_bytes());
        assert!(got.starts_with("HTTP/1.1 400"), "{query}: {got}");
        assert!(got.contains(param), "{query}: {got}");
    }
    let req =
        "GET /api/search?q=%E6%94%BF%E5%BA%9C HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    let (got, _) = exchange(srv.addr, req.as_bytes());
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
}

#[test]
fn a_running_server_sees_a_later_ingest() {
    use gongkai::index::{ingest::ingest, Index};
    let srv = test_server(std::time::Duration::from_secs(10));
    let count = || {
        let req = "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        let (got, _) = exchange(srv.addr, req.as_bytes());
        let body = got.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["reports"].as_u64().unwrap()
    };
    let before = count();
    let more = srv.index_dir.parent().unwrap().join("more");
    std::fs::create_dir(&more).unwrap();
    std::fs::write(
        more.join("new.txt"),
        report_text().replace("秦皇岛", "承德"),
    )
    .unwrap();
    let idx = Index::open(&srv.index_dir).unwrap();
    let st = ingest(&idx, &[more], &ingest_opts()).unwrap();
    assert_eq!(st.added, 1);
    let t = std::time::Instant::now();
    while count() == before && t.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(count(), before + 1);
}

// ───────────── fuzzing: bounded proptest runs; GONGKAI_FUZZ_CASES sets the inputs per target

fn fuzz_cases(default: u32) -> u32 {
    std::env::var("GONGKAI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Starting inputs: the seeds, the real reports and generated reports (text and HTML).
fn fuzz_corpus() -> &'static [Vec<u8>] {
    static CORPUS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let mut v = Vec::new();
        for sub in ["seeds", "real"] {
            let mut files: Vec<_> = std::fs::read_dir(shared.join(sub))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| !p.to_string_lossy().ends_with(".json"))
                .collect();
            files.sort();
            v.extend(files.into_iter().map(|p| std::fs::read(p).unwrap()));
        }
        v.extend(
            (0..12)
                .map(|i| gongkai::synth::generate_one(13, i, gongkai::synth::Shapes::all()).bytes),
        );
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: fuzz_cases(300),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Windows of the corpus (up to 3 KB, so a run of a million stays short),
    /// mutated by overwriting, deleting, duplicating and inserting markup.
    #[test]
    fn fuzz_parser(
        which in any::<prop::sample::Index>(),
        start in any::<prop::sample::Index>(),
        len in 1usize..3000,
        edits in proptest::collection::vec(
            (any::<prop::sample::Index>(), 0usize..4, any::<u8>(), 1usize..64), 0..8),
        html in any::<bool>(),
    ) {
        const MARKUP: [&[u8]; 6] = [b"<td rowspan=99 colspan=99>", b"<span>", b"</title>", b"<table><tr><td>", b"&#x4e00;", b"\xe4\xb8"];
        let src = &fuzz_corpus()[which.index(fuzz_corpus().len())];
        let s = start.index(src.len());
        let mut bytes = src[s..(s + len).min(src.len())].to_vec();
        for (at, kind, b, n) in edits {
            let i = at.index(bytes.len() + 1);
            match kind {
                0 if i < bytes.len() => bytes[i] = b,
                1 => { let end = (i + n).min(bytes.len()); bytes.drain(i..end); }
                2 => { let chunk = bytes[i..(i + n).min(bytes.len())].to_vec(); bytes.splice(i..i, chunk); }
                _ => { bytes.splice(i..i, MARKUP[b as usize % MARKUP.len()].iter().copied()); }
            }
        }
        let _ = gongkai::parse_bytes(&bytes, if html { "html" } else { "txt" });
    }

    /// The search grammar and the request's other fields: an answer or a
    /// `QueryError`, never a panic.
    #[test]
    fn fuzz_query(
        parts in proptest::collection::vec(prop_oneof![
            Just("\"".to_string()), Just(" OR ".to_string()), Just("-".to_string()),
            Just("section:".to_string()), Just("(".to_string()), Just(")".to_string()),
            Just(":".to_string()), Just("*".to_string()), Just("..".to_string()),
            Just(" ".to_string()), Just(">=".to_string()), Just("requests.new.total".to_string()),
            "[a-z政府公开申请]{1,4}", "[0-9]{1,6}", ".{0,3}",
        ], 0..16),
        year in proptest::option::of("[0-9.]{0,10}"),
        cond in proptest::option::of("[a-z._]{0,20} ?[<>=!]{0,2} ?[-0-9.e]{0,8}"),
        sort in proptest::option::of("-?[a-z._]{0,20}"),
    ) {
        let q = parts.concat();
        let _ = gongkai::search::parse_query(&q);
        let mut req = gongkai::search::SearchRequest::new(q);
        req.year = year;
        req.where_ = cond.into_iter().collect();
        req.sort = sort;
        let _ = gongkai::search::validate(&req);
    }

    /// Query strings the server accepts decode without replacement characters;
    /// refused ones name a parameter that was sent.
    #[test]
    fn fuzz_http_params(raw in "[a-z=&%0-9A-Fa-fG+\u{80}-\u{ff}]{0,120}") {
        match gongkai::server::params::check_encoding(&raw) {
            Ok(()) => {
                for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
                    prop_assert!(!k.contains('\u{fffd}') && !v.contains('\u{fffd}'), "{raw}");
                }
            }
            Err((param, _)) => prop_assert!(raw.contains(&param), "{raw}: {param}"),
        }
    }
}
