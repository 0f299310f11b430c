//! Issue 12: no report text is lost. After ingesting generated reports in every
//! shape, three random sentences of each report's body, searched as exact
//! phrases, return that report.
//!
//! `GONGKAI_PHRASE_SHAPES=none` (or a list, as for `gen --shapes`) narrows it.

use gongkai::index::ingest::{ingest, IngestOptions};
use gongkai::index::Index;
use gongkai::search::{self, SearchRequest};
use gongkai::synth::{generate_one, Shapes};
use rand::seq::IndexedRandom;
use rand::SeedableRng;

const REPORTS: u64 = 1000;

/// Sentences of a paragraph: the pieces that end in 。；！？, 6 to 80 characters,
/// no markup. A paragraph's last piece without an end mark is not a sentence:
/// it is a line such as the sub-heading "（一）存在的主要问题" that the parser may
/// take as the heading of a section (headings are not section text).
fn sentences(para: &str) -> Vec<String> {
    let mut pieces: Vec<&str> = para.split(['。', '；', '！', '？']).collect();
    pieces.pop();
    pieces
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| (6..=80).contains(&s.chars().count()))
        .filter(|s| !s.contains(['#', '"', '|']))
        .collect()
}

#[test]
fn three_sentences_of_every_report_find_it() {
    let shapes: Shapes = std::env::var("GONGKAI_PHRASE_SHAPES")
        .ok()
        .map(|s| s.parse().expect("GONGKAI_PHRASE_SHAPES"))
        .unwrap_or_else(Shapes::all);
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
    let mut wanted: Vec<(String, String, String, String)> = Vec::new();
    for i in 0..REPORTS {
        let g = generate_one(12, i, shapes);
        std::fs::write(corpus.join(&g.file), &g.bytes).unwrap();
        let all: Vec<String> = g.paragraphs.iter().flat_map(|p| sentences(p)).collect();
        let shape = g.expected["shapes"].to_string();
        let year = g.expected["year"].to_string();
        for s in all.choose_multiple(&mut rng, 3) {
            wanted.push((g.file.clone(), s.clone(), shape.clone(), year.clone()));
        }
    }
    let index = Index::open_or_create(&dir.path().join("index")).unwrap();
    let st = ingest(
        &index,
        std::slice::from_ref(&corpus),
        &IngestOptions::default(),
    )
    .unwrap();
    assert_eq!(st.added, REPORTS, "{:?}", st.failed);
    let mut missed = Vec::new();
    for (file, s, shape, year) in &wanted {
        let mut req = SearchRequest::new(format!("\"{s}\""));
        // The report's year (read right in every generated report, as the golden
        // test checks) keeps the hits of the statutory sentences few.
        req.year = Some(year.clone());
        req.limit = 10_000;
        req.snippets = false;
        let resp = search::search(&index, &req).unwrap();
        if !resp.hits.iter().any(|h| h.path.ends_with(file.as_str())) {
            missed.push(format!("{file} {shape}: {s}"));
        }
    }
    assert!(
        missed.is_empty(),
        "{} of {} phrases miss their report:\n{}",
        missed.len(),
        wanted.len(),
        missed[..missed.len().min(30)].join("\n")
    );
}
