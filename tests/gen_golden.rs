//! Generates a small corpus with `gongkai gen` and scores the parser on it with
//! the shared golden checker.
//!
//! `gen` writes reports in the shapes real reports come in (`--shapes`, see
//! `src/synth/shapes.rs`). Every point (sections, metadata, figures, checks)
//! must pass in every shape; the figures and checks are also scored on a
//! second corpus below.

use std::path::Path;
use std::process::Command;

/// The shapes whose every point the parser passes: all of them.
const SHAPES: &str = "all";

/// The checker's output on `count` reports generated with `shapes`, or `None`
/// when the checker is not there.
fn score(shapes: &str, count: usize, seed: u64) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_gongkai");
    let dir = tempfile::tempdir().unwrap();
    let st = Command::new(bin)
        .args([
            "gen",
            "--count",
            &count.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .args(["--shapes", shapes, "--out"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(st.success());
    let checker = Path::new(crate::common::SHARED).join("tools/golden_check.py");
    if !checker.exists() {
        eprintln!("skipped: {} not found", checker.display());
        return None;
    }
    let mut expected: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    expected.sort();
    assert_eq!(expected.len(), count);
    let out = Command::new("python3")
        .arg(&checker)
        .arg("--cmd")
        .arg(format!("{bin} check --json {{file}}"))
        .args(&expected)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        stdout
            .lines()
            .last()
            .unwrap_or_default()
            .starts_with("golden: "),
        "no summary:\n{stdout}"
    );
    Some(stdout)
}

#[test]
fn generated_reports_pass_the_golden_checker() {
    let Some(stdout) = score(SHAPES, 150, 2024) else {
        return;
    };
    let summary = stdout.lines().last().unwrap_or_default();
    let fails: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("FAIL"))
        .take(40)
        .collect();
    assert!(
        summary.ends_with(" 0 failed"),
        "{summary}\n{}",
        fails.join("\n")
    );
}

/// Table figures and checks in every shape (one-line bodies with glued cells,
/// converter-made markdown tables, …), whatever the text stages make of the
/// sections around them.
#[test]
fn generated_reports_in_every_shape_give_their_figures() {
    let Some(stdout) = score("all", 200, 7) else {
        return;
    };
    let fails: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("FAIL figure") || l.contains("FAIL check"))
        .collect();
    let shown: Vec<&str> = fails.iter().take(40).copied().collect();
    assert!(
        fails.is_empty(),
        "{} figure or check points failed:\n{}",
        fails.len(),
        shown.join("\n")
    );
}
