//! Reports of the same body and year: a re-publication, a mirror, a corrected
//! version. One is the report of record (the most complete: most known
//! figures, then the newest published, then the last ingested); the others are
//! its versions. Grouped at query time on the `body` and `year` fast fields,
//! so that statistics can count a body-year once.

use super::{column_terms, Matches};
use crate::index::{schema, Index, IndexError, StoredReport};
use std::collections::{BTreeMap, HashMap, HashSet};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

/// The reports of one body in one year, among a set of hits.
#[derive(Debug, Clone)]
pub struct BodyYear {
    pub body: String,
    pub year: i64,
    pub docs: Vec<DocAddress>,
}

/// The hits `addrs` grouped by body and year; a hit without a body or a year
/// is in no group. Groups come in no particular order.
pub fn body_years(
    index: &Index,
    searcher: &Searcher,
    addrs: impl Iterator<Item = DocAddress>,
) -> Vec<BodyYear> {
    let mut by_segment: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for a in addrs {
        by_segment.entry(a.segment_ord).or_default().push(a.doc_id);
    }
    let mut groups: HashMap<(String, i64), Vec<DocAddress>> = HashMap::new();
    for (seg, docs) in by_segment {
        let reader = searcher.segment_reader(seg);
        let ff = reader.fast_fields();
        let (Ok(Some(bodies)), Ok(years)) = (ff.str(schema::BODY), ff.i64(schema::YEAR)) else {
            continue;
        };
        let names = column_terms(&index.terms, reader.segment_id(), schema::BODY, &bodies);
        for d in docs {
            let body = bodies
                .term_ords(d)
                .next()
                .and_then(|o| names.get(o as usize));
            if let (Some(b), Some(y)) = (body, years.first(d)) {
                groups
                    .entry((b.clone(), y))
                    .or_default()
                    .push(DocAddress::new(seg, d));
            }
        }
    }
    groups
        .into_iter()
        .map(|((body, year), docs)| BodyYear { body, year, docs })
        .collect()
}

/// How complete a report is, for choosing the report of record: known
/// figures, then the publication date, then the order of ingest.
fn completeness(s: &StoredReport, addr: DocAddress) -> (usize, String, DocAddress) {
    let known = s.report.figures.values().filter(|v| v.is_finite()).count();
    (known, s.report.published.clone().unwrap_or_default(), addr)
}

/// The report of record among `docs` (not empty).
fn record_of(
    index: &Index,
    searcher: &Searcher,
    docs: &[DocAddress],
) -> Result<DocAddress, IndexError> {
    let mut best: Option<(usize, String, DocAddress)> = None;
    for &a in docs {
        let c = completeness(&index.stored(searcher, a)?, a);
        if best.as_ref().is_none_or(|b| c > *b) {
            best = Some(c);
        }
    }
    Ok(best.map_or(docs[0], |b| b.2))
}

/// The hits of `m` that are versions of another hit's report of record:
/// leaving them out counts every body-year once.
pub fn not_of_record(index: &Index, m: &Matches) -> Result<HashSet<DocAddress>, IndexError> {
    let searcher = m.searcher();
    let mut out = HashSet::new();
    for g in body_years(index, searcher, m.hits.iter().map(|h| h.1)) {
        if g.docs.len() > 1 {
            let keep = record_of(index, searcher, &g.docs)?;
            out.extend(g.docs.into_iter().filter(|a| *a != keep));
        }
    }
    Ok(out)
}

/// The issuer's name of one document, from its fast column.
fn issuer_of(index: &Index, searcher: &Searcher, a: DocAddress) -> Option<String> {
    let reader = searcher.segment_reader(a.segment_ord);
    let col = reader.fast_fields().str(schema::ISSUER).ok().flatten()?;
    let names = column_terms(&index.terms, reader.segment_id(), schema::ISSUER, &col);
    let ord = col.term_ords(a.doc_id).next()?;
    names.get(ord as usize).cloned()
}

/// A body-year with several reports among the hits, for a facet.
#[derive(Debug, Clone, PartialEq)]
pub struct Repeated {
    pub body: String,
    pub year: i64,
    /// The issuer's name as one of its reports gives it.
    pub issuer: String,
    pub count: u64,
}

/// Body-years with more than one report among the hits of `m`, most reports
/// first; at most `limit` (0: all).
pub fn repeated(index: &Index, m: &Matches, limit: usize) -> Vec<Repeated> {
    let searcher = m.searcher();
    let mut groups: Vec<BodyYear> = body_years(index, searcher, m.hits.iter().map(|h| h.1))
        .into_iter()
        .filter(|g| g.docs.len() > 1)
        .collect();
    groups.sort_by(|a, b| (b.docs.len(), a.year, &a.body).cmp(&(a.docs.len(), b.year, &b.body)));
    if limit > 0 {
        groups.truncate(limit);
    }
    let mut out = Vec::new();
    for g in groups {
        // The name from the fast column (no stored document to load per search).
        let issuer = issuer_of(index, searcher, g.docs[0]).unwrap_or_default();
        out.push(Repeated {
            count: g.docs.len() as u64,
            body: g.body,
            year: g.year,
            issuer,
        });
    }
    out
}

/// One report of a body-year.
#[derive(Debug, Clone)]
pub struct Version {
    pub report: StoredReport,
    pub of_record: bool,
}

/// Every report of `body` in `year`, the report of record first, then by
/// completeness.
pub fn versions(index: &Index, body: &str, year: i64) -> Result<Vec<Version>, IndexError> {
    let f = &index.fields;
    let searcher = index.searcher();
    let year_term = || Term::from_field_i64(f.year, year);
    let q: Vec<(Occur, Box<dyn Query>)> = vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.body, body),
                IndexRecordOption::Basic,
            )),
        ),
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                std::ops::Bound::Included(year_term()),
                std::ops::Bound::Included(year_term()),
            )),
        ),
    ];
    let addrs = searcher
        .search(&BooleanQuery::new(q), &DocSetCollector)
        .map_err(|e| index.terr(e))?;
    let mut all = Vec::new();
    for a in addrs {
        let s = index.stored(&searcher, a)?;
        all.push((completeness(&s, a), s));
    }
    all.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(all
        .into_iter()
        .enumerate()
        .map(|(i, (_, report))| Version {
            report,
            of_record: i == 0,
        })
        .collect())
}
