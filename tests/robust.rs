//! Arbitrary bytes and mutated seeds never panic the parser.

use proptest::prelude::*;
use std::path::Path;

fn seeds() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/seeds");
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

/// What `gongkai check FILE` cost: its stderr, CPU seconds and peak RSS in bytes
/// (from the kernel's accounting of the child, so other tests do not count).
struct Cost {
    ok: bool,
    stderr: String,
    cpu_secs: f64,
    peak_rss: u64,
}

fn check_cost(path: &Path) -> Cost {
    use std::process::{Command, Stdio};
    // Reaped by wait4 below, which also reports the child's resource use.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("check")
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.unwrap(), &mut stderr).unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid, "wait4");
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Cost {
        ok: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        stderr,
        cpu_secs: secs(usage.ru_utime) + secs(usage.ru_stime),
        peak_rss: usage.ru_maxrss as u64 * 1024,
    }
}

/// A report's text, so that a hostile page still has something to read.
fn report_text() -> String {
    String::from_utf8(seeds()[0].clone()).unwrap()
}

/// Each input of issue 13 that took the reader down: handled by `check` within a
/// second of CPU and 100 MB, exit 0 (text kept) or a one-line error naming the file.
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
        let c = check_cost(&path);
        assert!(
            c.ok || (c.stderr.lines().count() == 1 && c.stderr.contains(name)),
            "{name}: {}",
            c.stderr
        );
        assert!(c.cpu_secs < 1.0, "{name}: {:.2}s of CPU", c.cpu_secs);
        assert!(
            c.peak_rss < 100 << 20,
            "{name}: peak RSS {} MB",
            c.peak_rss >> 20
        );
        // The report's text survives the flattening.
        let r = gongkai::parse_file(&path).unwrap();
        assert_eq!(r.year, Some(2021), "{name}");
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
    let c = check_cost(&p);
    assert!(!c.ok);
    assert_eq!(c.stderr.lines().count(), 1, "{}", c.stderr);
    assert!(
        c.stderr.contains("huge.html")
            && c.stderr
                .contains(&gongkai::parse::read::MAX_FILE_BYTES.to_string()),
        "{}",
        c.stderr
    );
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
