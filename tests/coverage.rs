//! Every character of a report's body ends up in exactly one section (or the
//! preamble), in the heading that anchored a section, or in the list of text a
//! named rule removed (chrome, title, signature, markup): nothing is lost and
//! nothing is counted twice. Checked over generated reports, the seeds and the
//! real reports.

use gongkai::parse::{normalize, parse_explained, read};
use std::collections::HashMap;
use std::path::Path;

/// Characters of the normalised body minus those accounted for; empty when the invariant holds.
fn unaccounted(bytes: &[u8], ext: &str) -> Vec<(char, i64)> {
    let doc = read::decode(bytes, ext).expect("decodes");
    let mut count: HashMap<char, i64> = HashMap::new();
    for l in &doc.lines {
        let o = read::strip_markup(l);
        for c in normalize::fold(o.trim())
            .chars()
            .filter(|c| !c.is_whitespace())
        {
            *count.entry(c).or_default() += 1;
        }
    }
    let Some((report, explain)) = parse_explained(doc) else {
        return Vec::new();
    };
    let out = report
        .sections
        .iter()
        .map(|s| s.text.as_str())
        .chain(
            explain
                .sections
                .iter()
                .filter(|a| !a.in_text)
                .map(|a| a.text.as_str()),
        )
        .chain(explain.removed.iter().map(|r| r.text.as_str()));
    for t in out {
        for c in t.chars().filter(|c| !c.is_whitespace()) {
            *count.entry(c).or_default() -= 1;
        }
    }
    let mut bad: Vec<(char, i64)> = count.into_iter().filter(|(_, n)| *n != 0).collect();
    bad.sort();
    bad
}

#[test]
fn every_character_is_accounted_for_in_generated_reports() {
    let mut failures = Vec::new();
    for i in 0..5000 {
        let g = gongkai::synth::generate_one(7, i, gongkai::synth::Shapes::NONE);
        let ext = g.file.rsplit('.').next().unwrap_or("txt").to_string();
        let bad = unaccounted(&g.bytes, &ext);
        if !bad.is_empty() {
            failures.push(format!("{}: {:?}", g.file, &bad[..bad.len().min(8)]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 5000 reports lose or repeat text:\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}

#[test]
fn every_character_is_accounted_for_in_seeds_and_real_reports() {
    let shared = Path::new(crate::common::SHARED).join("corpus");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seen = 0;
    for dir in [
        shared.join("seeds"),
        shared.join("real"),
        fixtures.join("figures"),
        fixtures,
    ] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                continue;
            }
            let name = p.to_string_lossy().to_string();
            // tests/fixtures/figures/ holds the figures tests' own fixtures.
            if p.is_dir()
                || name.ends_with(".json")
                || name.ends_with(".tsv")
                || name.ends_with(".md")
            {
                continue;
            }
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("txt");
            let bad = unaccounted(&std::fs::read(&p).unwrap(), ext);
            assert!(bad.is_empty(), "{name}: {bad:?}");
            seen += 1;
        }
    }
    assert!(seen >= 8, "seeds and real reports not found ({seen})");
}
