//! Hand-made fixtures (tests/fixtures, shapes seen in public reports) against
//! their golden files, scored by the shared checker.

use std::path::Path;
use std::process::Command;

#[test]
fn fixtures_match_their_golden_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checker = root.join("../shared/tools/golden_check.py");
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
