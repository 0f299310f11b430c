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
