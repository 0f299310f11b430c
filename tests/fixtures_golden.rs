//! Hand-made fixtures (tests/fixtures, shapes seen in public reports) against
//! their golden files, scored by the shared checker.

use std::path::Path;
use std::process::Command;

#[test]
fn fixtures_match_their_golden_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checker = Path::new(crate::common::SHARED).join("tools/golden_check.py");
    let mut golden: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("tests/fixtures")
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    golden.sort();
    assert!(golden.len() >= 5, "fixtures missing");
    let cmd = format!("{} check --json {{file}}", env!("CARGO_BIN_EXE_gongkai"));
    let out = Command::new("python3")
        .arg(&checker)
        .arg("--cmd")
        .arg(&cmd)
        .args(&golden)
        .output()
        .expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or("");
    assert!(
        last.starts_with("golden: ") && last.ends_with(" 0 failed"),
        "fixtures golden check failed:\n{stdout}"
    );
}

/// The real reports' section and metadata points (title, year, region, issuer,
/// published, template, sections): all must pass. Their figures and checks are
/// the table reader's and are scored by the golden test of the seeds and real set.
#[test]
fn real_reports_sections_and_metadata_match() {
    let real = Path::new(crate::common::SHARED).join("corpus/real");
    let checker = Path::new(crate::common::SHARED).join("tools/golden_check.py");
    let mut golden: Vec<_> = std::fs::read_dir(&real)
        .expect("../shared/corpus/real")
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    golden.sort();
    assert!(golden.len() >= 3, "real golden files missing");
    let cmd = format!("{} check --json {{file}}", env!("CARGO_BIN_EXE_gongkai"));
    let out = Command::new("python3")
        .arg(&checker)
        .arg("--cmd")
        .arg(&cmd)
        .args(&golden)
        .output()
        .expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let text_fails: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("FAIL") && !l.contains("FAIL figure") && !l.contains("FAIL check"))
        .collect();
    assert!(stdout.contains("golden: "), "no summary:\n{stdout}");
    assert!(text_fails.is_empty(), "{}", text_fails.join("\n"));
}
