//! The seeds and the real reports against their golden files, scored by the
//! project's own checker: every point must pass.

use std::path::Path;

#[test]
fn seeds_match_their_golden_files() {
    let shared = Path::new(crate::common::SHARED);
    let golden = crate::common::golden_files(&shared.join("corpus/seeds"), 5);
    let (stdout, ok) = crate::common::run_golden(&golden);
    assert!(ok, "golden check failed:\n{stdout}");
}

/// The real reports (PDF-to-markdown and OCR text, `corpus/real`): title,
/// metadata, sections, every figure and check.
#[test]
fn real_reports_match_their_golden_files() {
    let shared = Path::new(crate::common::SHARED);
    let golden = crate::common::golden_files(&shared.join("corpus/real"), 3);
    let (stdout, ok) = crate::common::run_golden(&golden);
    assert!(ok, "golden check failed:\n{stdout}");
}
