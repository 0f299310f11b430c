//! Hand-made fixtures (tests/fixtures, shapes seen in public reports) against
//! their golden files, scored by the shared checker.

use std::path::Path;

#[test]
fn fixtures_match_their_golden_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let golden = crate::common::golden_files(&root.join("tests/fixtures"), 5);
    let (stdout, ok) = crate::common::run_golden(&golden);
    assert!(ok, "fixtures golden check failed:\n{stdout}");
}

/// The real reports' section and metadata points (title, year, region, issuer,
/// published, template, sections): all must pass. Their figures and checks are
/// the table reader's and are scored by the golden test of the seeds and real set.
#[test]
fn real_reports_sections_and_metadata_match() {
    let real = Path::new(crate::common::SHARED).join("corpus/real");
    let golden = crate::common::golden_files(&real, 3);
    let (stdout, _) = crate::common::run_golden(&golden);
    let text_fails: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("FAIL") && !l.contains("FAIL figure") && !l.contains("FAIL check"))
        .collect();
    assert!(stdout.contains("golden: "), "no summary:\n{stdout}");
    assert!(text_fails.is_empty(), "{}", text_fails.join("\n"));
}
