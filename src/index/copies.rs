//! The copy pass, run by ingest after its last commit: for every report, the
//! share of its problems section and of its whole text that repeats the same
//! body's previous report (`copied.previous_year`, `copied.previous_year_text`)
//! and the largest share of its problems section found in one report of
//! another body of the same year (`copied.other_body`), with the ids of those
//! reports ([`CopySources`]). The comparisons are [`crate::analysis::copies`]'.
//!
//! tantivy documents cannot change, and the values depend on other reports,
//! so they cannot be known when a report is first added. The pass reads every
//! stored report, computes the values, and writes again only the documents
//! whose values changed: each is deleted by its id and added back, all in one
//! commit. A run killed before that commit leaves the index as the ingest
//! left it, and the next ingest (even one with nothing new) runs the pass
//! again from scratch; a run with nothing changed writes nothing. Values are
//! rounded to 0.001, so that a few more reports (which move the boilerplate a
//! little) do not rewrite the whole index.

use super::document::{index_doc, CopySources};
use super::{Index, IndexError};
use crate::analysis::copies::{nearest_other_body, Boilerplate, Shingles};
use crate::parse::sections::SectionKey;
use rayon::prelude::*;
use std::collections::HashMap;
use tantivy::{DocAddress, TantivyDocument, Term};

/// Keys of the figures this pass sets.
pub const PREVIOUS_YEAR: &str = "copied.previous_year";
pub const PREVIOUS_YEAR_TEXT: &str = "copied.previous_year_text";
pub const OTHER_BODY: &str = "copied.other_body";
const KEYS: [&str; 3] = [PREVIOUS_YEAR, PREVIOUS_YEAR_TEXT, OTHER_BODY];

/// Reports the boilerplate is learned from at most (evenly spread): enough to
/// tell template wording, and memory that does not grow with the corpus.
const BOILERPLATE_SAMPLE: usize = 5000;

/// What a copy pass did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CopyStats {
    pub reports: u64,
    /// Wall seconds of the pass.
    pub secs: f64,
    /// Documents written again because their values changed.
    pub rewritten: u64,
    /// Boilerplate shingles left out (problems sections, whole texts).
    pub boilerplate: (usize, usize),
}

/// One report as the pass sees it.
struct Entry {
    addr: DocAddress,
    id: String,
    /// The body id, or the report id when it names no body (it then only
    /// matches itself).
    body: String,
    year: Option<i32>,
    problems: Shingles,
    text: Shingles,
    old: Values,
}

/// The values of one report.
#[derive(Debug, Clone, Default, PartialEq)]
struct Values {
    figures: [Option<f64>; 3],
    sources: CopySources,
}

fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn read_entry(index: &Index, doc: &TantivyDocument, addr: DocAddress) -> Option<Entry> {
    let s = super::document::from_document(&index.fields, doc).ok()?;
    let r = &s.report;
    let problems = r
        .section(SectionKey::Problems)
        .map(|p| Shingles::every(&p.text))
        .unwrap_or_default();
    Some(Entry {
        addr,
        body: s.body.clone().unwrap_or_else(|| s.id.clone()),
        year: r.year,
        problems,
        text: Shingles::of(&r.full_text()),
        old: Values {
            figures: KEYS.map(|k| r.figures.get(k).copied()),
            sources: s.copies.clone(),
        },
        id: s.id,
    })
}

/// Every live report of the opened commit, read in parallel.
fn read_all(index: &Index) -> Result<Vec<Entry>, IndexError> {
    let searcher = index.searcher();
    let mut addrs = Vec::new();
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        addrs.extend(seg.doc_ids_alive().map(|d| DocAddress::new(ord as u32, d)));
    }
    addrs
        .into_par_iter()
        .map(|a| {
            let doc: TantivyDocument = searcher.doc(a).map_err(|e| index.terr(e))?;
            Ok(read_entry(index, &doc, a))
        })
        .filter_map(Result::transpose)
        .collect()
}

/// Computes every report's values (boilerplate already left out of `entries`).
fn compute(entries: &[Entry]) -> Vec<Values> {
    let mut by_body_year: HashMap<(&str, i32), Vec<usize>> = HashMap::new();
    let mut by_year: HashMap<i32, Vec<usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if let Some(y) = e.year {
            by_body_year.entry((&e.body, y)).or_default().push(i);
            by_year.entry(y).or_default().push(i);
        }
    }
    let mut out = vec![Values::default(); entries.len()];
    for (i, e) in entries.iter().enumerate() {
        let Some(y) = e.year else { continue };
        let prev = by_body_year.get(&(e.body.as_str(), y - 1));
        // Several reports of one body and year (a corrected reissue): the
        // one this report repeats most.
        let best = prev
            .into_iter()
            .flatten()
            .map(|&j| {
                let p = e.problems.share_in(&entries[j].problems);
                let t = e.text.share_in(&entries[j].text);
                (j, p, t)
            })
            .max_by(|a, b| {
                (a.1.unwrap_or(-1.0), a.2.unwrap_or(-1.0))
                    .partial_cmp(&(b.1.unwrap_or(-1.0), b.2.unwrap_or(-1.0)))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        if let Some((j, p, t)) = best {
            out[i].figures[0] = p.map(round);
            out[i].figures[1] = t.map(round);
            if p.is_some() || t.is_some() {
                out[i].sources.previous_year = Some(entries[j].id.clone());
            }
        }
    }
    let mut years: Vec<_> = by_year.into_values().collect();
    years.sort();
    let found: Vec<Vec<(usize, usize, f64)>> = years
        .par_iter()
        .map(|members| {
            let reports: Vec<(&str, &Shingles)> = members
                .iter()
                .map(|&i| (entries[i].body.as_str(), &entries[i].problems))
                .collect();
            nearest_other_body(&reports)
                .into_iter()
                .enumerate()
                .filter_map(|(k, n)| n.map(|n| (members[k], members[n.other], n.share)))
                .collect()
        })
        .collect();
    for (i, j, share) in found.into_iter().flatten() {
        out[i].figures[2] = Some(round(share));
        out[i].sources.other_body = Some(entries[j].id.clone());
    }
    out
}

/// Runs the pass over the opened commit of `index` (see the module's doc).
pub fn run(index: &Index, heap_bytes: usize) -> Result<CopyStats, IndexError> {
    let started = std::time::Instant::now();
    let mut st = pass(index, heap_bytes)?;
    st.secs = started.elapsed().as_secs_f64();
    Ok(st)
}

fn pass(index: &Index, heap_bytes: usize) -> Result<CopyStats, IndexError> {
    let mut entries = read_all(index)?;
    // Documents move between segments when they merge: in id order, ties and
    // LSH buckets come out the same on every run, so a rerun rewrites nothing.
    entries.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let step = entries.len().div_ceil(BOILERPLATE_SAMPLE).max(1);
    let bp_problems = Boilerplate::learn(entries.iter().step_by(step).map(|e| &e.problems));
    let bp_text = Boilerplate::learn(entries.iter().step_by(step).map(|e| &e.text));
    entries.par_iter_mut().for_each(|e| {
        e.problems = e.problems.without(&bp_problems);
        e.text = e.text.without(&bp_text);
    });
    let values = compute(&entries);
    let mut st = CopyStats {
        reports: entries.len() as u64,
        boilerplate: (bp_problems.len(), bp_text.len()),
        ..Default::default()
    };
    let changed: Vec<(&Entry, Values)> = entries
        .iter()
        .zip(values)
        .filter(|(e, v)| e.old != *v)
        .collect();
    if changed.is_empty() {
        return Ok(st);
    }
    let searcher = index.searcher();
    let mut writer = index.writer(heap_bytes, 1)?;
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    for (e, v) in changed {
        let doc: TantivyDocument = searcher.doc(e.addr).map_err(|e| index.terr(e))?;
        let mut d = index_doc(&index.fields, &doc).map_err(|msg| IndexError::Other {
            dir: index.dir().to_path_buf(),
            msg,
        })?;
        for (k, val) in KEYS.iter().zip(v.figures) {
            match val {
                Some(x) => d.report.figures.insert(k.to_string(), x),
                None => d.report.figures.remove(*k),
            };
        }
        d.copies = v.sources;
        writer.delete_term(Term::from_field_text(index.fields.id, &e.id));
        writer
            .add_document(index.document(&d))
            .map_err(|e| index.terr(e))?;
        st.rewritten += 1;
    }
    writer.commit().map_err(|e| index.terr(e))?;
    writer.wait_merging_threads().map_err(|e| index.terr(e))?;
    index.reload()?;
    Ok(st)
}
