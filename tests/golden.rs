//! The seeds against their golden files, scored by the project's own checker.

use std::path::Path;

#[test]
fn seeds_match_their_golden_files() {
    let shared = Path::new(crate::common::SHARED);
    let golden = crate::common::golden_files(&shared.join("corpus/seeds"), 5);
    let (stdout, ok) = crate::common::run_golden(&golden);
    assert!(ok, "golden check failed:\n{stdout}");
}
