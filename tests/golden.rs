//! The seeds against their golden files, scored by the project's own checker.

use std::path::Path;
use std::process::Command;

#[test]
fn seeds_match_their_golden_files() {
    let shared = Path::new(crate::common::SHARED);
    let checker = shared.join("tools/golden_check.py");
    let mut golden: Vec<_> = std::fs::read_dir(shared.join("corpus/seeds"))
        .expect("../shared/corpus/seeds")
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    golden.sort();
    assert!(golden.len() >= 5, "golden files missing");
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
        "golden check failed:\n{stdout}"
    );
    assert!(out.status.success());
}
