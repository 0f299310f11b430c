//! Collecting every hit of a query in one pass: scores or sort keys, and
//! facet counts by term ordinal, read from fast fields in batches.

use super::compile::{compile, Compiled};
use super::request::{SearchRequest, SortKey};
use super::SearchError;
use crate::index::{figure_field_name, schema, Index, IndexError, StoredReport, TermCache};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// A facet value and how many hits have it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Every hit of a request, sorted, before loading documents.
pub struct Matches {
    searcher: tantivy::Searcher,
    /// (score, address, sort value)
    pub hits: Vec<(f32, DocAddress, Option<f64>)>,
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    pub compiled: Compiled,
}

impl Matches {
    /// The searcher the hits' addresses belong to.
    pub fn searcher(&self) -> &tantivy::Searcher {
        &self.searcher
    }

    /// Loads the stored reports of hits `range` (in sorted order).
    pub fn reports<'a>(
        &'a self,
        idx: &'a Index,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = Result<(f32, Option<f64>, StoredReport), IndexError>> + 'a {
        let end = range.end.min(self.hits.len());
        let start = range.start.min(end);
        self.hits[start..end]
            .iter()
            .map(move |(s, a, v)| idx.stored(&self.searcher, *a).map(|r| (*s, *v, r)))
    }
}

fn cmp_f64(a: f64, b: f64) -> std::cmp::Ordering {
    a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal)
}

/// Runs a request and returns every hit (sorted) with facet counts.
pub fn matching(index: &Index, req: &SearchRequest) -> Result<Matches, SearchError> {
    matching_top(index, req, None)
}

/// Like [`matching`], but only the first `top` hits are put in order (the
/// rest follow in no particular order).
pub fn matching_top(
    index: &Index,
    req: &SearchRequest,
    top: Option<usize>,
) -> Result<Matches, SearchError> {
    let compiled = compile(&index.fields, req)?;
    let searcher = index.searcher();
    let scoring = compiled.sort == SortKey::Relevance && compiled.has_text;
    let collector = Gather {
        sort_field: match &compiled.sort {
            SortKey::Figure(k) => Some(figure_field_name(k)),
            _ => None,
        },
        sort_year: compiled.sort == SortKey::Year,
        scoring,
        terms: index.terms.clone(),
    };
    let fruits = searcher
        .search(compiled.query.as_ref(), &collector)
        .map_err(|e| index.terr(e))?;
    let mut hits = Vec::new();
    let mut parts: BTreeMap<&'static str, Vec<SegCounts>> = BTreeMap::new();
    let mut years: HashMap<i64, u64> = HashMap::new();
    for (seg, h, strs, ys) in fruits {
        hits.extend(
            h.into_iter()
                .map(|(s, d, v)| (s, DocAddress::new(seg, d), v)),
        );
        for (name, names, counts) in strs {
            parts.entry(name).or_default().push((names, counts));
        }
        for (y, n) in ys {
            *years.entry(y).or_default() += n;
        }
    }
    let desc = compiled.descending;
    let cmp = |a: &(Score, DocAddress, Option<f64>), b: &(Score, DocAddress, Option<f64>)| {
        use std::cmp::Ordering::*;
        match compiled.sort {
            SortKey::Relevance => cmp_f64(b.0 as f64, a.0 as f64).then(a.1.cmp(&b.1)),
            _ => match (a.2, b.2) {
                (Some(x), Some(y)) => {
                    let o = cmp_f64(x, y);
                    if desc {
                        o.reverse()
                    } else {
                        o
                    }
                }
                (Some(_), None) => Less,
                (None, Some(_)) => Greater,
                (None, None) => Equal,
            }
            .then(a.1.cmp(&b.1)),
        }
    };
    // Only the hits up to the end of the page need an order.
    match top {
        Some(k) if k < hits.len() => {
            if k > 0 {
                hits.select_nth_unstable_by(k - 1, cmp);
            }
            hits[..k].sort_unstable_by(cmp);
        }
        _ => hits.sort_unstable_by(cmp),
    }
    let counts: Vec<(&'static str, Vec<(&str, u64)>)> = parts
        .iter()
        .map(|(name, segs)| (*name, merge_counts(segs)))
        .collect();
    let mut facets = build_facets(counts, &compiled.regions, req.facet_limit);
    let mut ys: Vec<(i64, u64)> = years.into_iter().collect();
    ys.sort();
    facets.insert(
        "year".to_string(),
        ys.into_iter()
            .map(|(y, count)| FacetCount {
                value: y.to_string(),
                count,
            })
            .collect(),
    );
    Ok(Matches {
        searcher,
        hits,
        facets,
        compiled,
    })
}

/// Named counts of one facet over all segments (one segment, the usual case
/// after an ingest, needs no hashing).
/// A segment's terms by ordinal and hits per ordinal, for one facet.
type SegCounts = (std::sync::Arc<Vec<String>>, Vec<u64>);

fn merge_counts(segs: &[SegCounts]) -> Vec<(&str, u64)> {
    fn nonzero<'a>(
        names: &'a [String],
        counts: &'a [u64],
    ) -> impl Iterator<Item = (&'a str, u64)> + 'a {
        names
            .iter()
            .zip(counts.iter())
            .filter(|(_, n)| **n > 0)
            .map(|(s, n)| (s.as_str(), *n))
    }
    match segs {
        [(names, counts)] => nonzero(names, counts).collect(),
        _ => {
            let mut m: HashMap<&str, u64> = HashMap::new();
            for (names, counts) in segs {
                for (k, n) in nonzero(names, counts) {
                    *m.entry(k).or_default() += n;
                }
            }
            m.into_iter().collect()
        }
    }
}

/// Most frequent first, then by value; only the first `limit` (0: all) are named.
fn top_counts(mut v: Vec<(&str, u64)>, limit: usize) -> Vec<FacetCount> {
    let cmp = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then(a.0.cmp(b.0));
    if limit > 0 && v.len() > limit {
        v.select_nth_unstable_by(limit - 1, cmp);
        v.truncate(limit);
    }
    v.sort_unstable_by(cmp);
    v.into_iter()
        .map(|(value, count)| FacetCount {
            value: value.to_string(),
            count,
        })
        .collect()
}

fn build_facets(
    counts: Vec<(&'static str, Vec<(&str, u64)>)>,
    regions: &[String],
    limit: usize,
) -> BTreeMap<String, Vec<FacetCount>> {
    let mut out = BTreeMap::new();
    for (name, m) in counts {
        match name {
            schema::REGION_S => {
                // Hierarchy: count every ancestor; keep provinces and prefectures,
                // and everything under a filtered region.
                let mut h: HashMap<&str, u64> = HashMap::new();
                for (path, n) in m {
                    // Prefixes "/省", "/省/市", "/省/市/县" as slices of the path.
                    let ends = path
                        .char_indices()
                        .skip(1)
                        .filter(|(_, c)| *c == '/')
                        .map(|(i, _)| i)
                        .chain(std::iter::once(path.len()));
                    for (depth, end) in ends.enumerate().map(|(d, e)| (d + 1, e)) {
                        let p = &path[..end];
                        let under_filter = regions
                            .iter()
                            .any(|r| p.starts_with(r.as_str()) && p.len() > r.len());
                        if depth <= 2 || under_filter {
                            *h.entry(p).or_default() += n;
                        }
                    }
                }
                let mut v: Vec<(&str, u64)> = h.into_iter().collect();
                v.sort_unstable();
                out.insert(
                    "region".to_string(),
                    v.into_iter()
                        .map(|(value, count)| FacetCount {
                            value: value.to_string(),
                            count,
                        })
                        .collect(),
                );
            }
            schema::FAILED => {
                out.insert("failed_checks".to_string(), top_counts(m, 0));
            }
            _ => {
                out.insert(name.to_string(), top_counts(m, limit));
            }
        }
    }
    out
}

struct Gather {
    sort_field: Option<String>,
    sort_year: bool,
    scoring: bool,
    terms: TermCache,
}

/// All terms of a string column in ordinal order, from the cache or decoded now.
pub(crate) fn column_terms(
    cache: &TermCache,
    seg: tantivy::index::SegmentId,
    name: &'static str,
    col: &StrColumn,
) -> std::sync::Arc<Vec<String>> {
    if let Some(t) = cache.lock().ok().and_then(|m| m.get(&(seg, name)).cloned()) {
        return t;
    }
    let mut terms = Vec::with_capacity(col.dictionary().num_terms());
    if let Ok(mut stream) = col.dictionary().stream() {
        while stream.advance() {
            terms.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
    }
    let terms = std::sync::Arc::new(terms);
    if let Ok(mut m) = cache.lock() {
        m.insert((seg, name), terms.clone());
    }
    terms
}

struct SegmentGather {
    seg: SegmentOrdinal,
    sort_col: Option<Column<f64>>,
    year_col: Option<Column<i64>>,
    scoring: bool,
    docs: Vec<DocId>,
    scores: Vec<Score>,
    facets: SegFacets,
}

/// A string facet of one segment: name, column, terms by ordinal.
type StrFacet = (&'static str, Option<StrColumn>, std::sync::Arc<Vec<String>>);

struct SegFacets {
    year: Option<Column<i64>>,
    strs: Vec<StrFacet>,
}

/// Counts of one string facet in one segment: the column's terms by ordinal and
/// the number of hits per ordinal.
type OrdCounts = (&'static str, std::sync::Arc<Vec<String>>, Vec<u64>);

type SegFruit = (
    SegmentOrdinal,
    Vec<(Score, DocId, Option<f64>)>,
    Vec<OrdCounts>,
    HashMap<i64, u64>,
);

const STR_FACETS: [&str; 6] = [
    schema::REGION_S,
    schema::ISSUER,
    schema::LEVEL,
    schema::TEMPLATE,
    schema::FAILED,
    schema::TIMELINESS,
];

/// Doc ids per batched column read.
const CHUNK: usize = 512;

/// The first value of `col` for every doc of `docs` (ascending), read in batches:
/// much cheaper than one lookup per hit when a query matches most of the corpus.
fn first_values<T>(col: &Column<T>, docs: &[DocId], mut each: impl FnMut(usize, T))
where
    T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static,
{
    let mut out = [None; CHUNK];
    for (c, chunk) in docs.chunks(CHUNK).enumerate() {
        let out = &mut out[..chunk.len()];
        out.iter_mut().for_each(|v| *v = None);
        col.first_vals(chunk, out);
        for (i, v) in out.iter().enumerate() {
            if let Some(v) = v {
                each(c * CHUNK + i, *v);
            }
        }
    }
}

impl Collector for Gather {
    type Fruit = Vec<SegFruit>;
    type Child = SegmentGather;

    fn for_segment(
        &self,
        seg: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentGather> {
        let ff = reader.fast_fields();
        let sort_col = match &self.sort_field {
            Some(n) => Some(ff.f64(n)?),
            None => None,
        };
        let year = ff.i64(schema::YEAR).ok();
        let mut strs = Vec::new();
        for n in STR_FACETS {
            let col = ff.str(n)?;
            let names = match &col {
                Some(c) => column_terms(&self.terms, reader.segment_id(), n, c),
                None => Default::default(),
            };
            strs.push((n, col, names));
        }
        Ok(SegmentGather {
            seg,
            sort_col,
            year_col: if self.sort_year { year.clone() } else { None },
            scoring: self.scoring,
            docs: Vec::new(),
            scores: Vec::new(),
            facets: SegFacets { year, strs },
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<SegFruit>) -> tantivy::Result<Vec<SegFruit>> {
        Ok(fruits)
    }
}

impl SegmentCollector for SegmentGather {
    type Fruit = SegFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.docs.push(doc);
        if self.scoring {
            self.scores.push(score);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.docs.extend_from_slice(docs);
    }

    fn harvest(self) -> SegFruit {
        let docs = &self.docs;
        // Sort keys.
        let mut keys: Vec<Option<f64>> = vec![
            None;
            if self.sort_col.is_some() || self.year_col.is_some() {
                docs.len()
            } else {
                0
            }
        ];
        if let Some(c) = &self.sort_col {
            first_values(c, docs, |i, v| keys[i] = Some(v));
        } else if let Some(c) = &self.year_col {
            first_values(c, docs, |i, v| keys[i] = Some(v as f64));
        }
        let hits = docs
            .iter()
            .enumerate()
            .map(|(i, &d)| {
                (
                    self.scores.get(i).copied().unwrap_or(0.0),
                    d,
                    keys.get(i).copied().flatten(),
                )
            })
            .collect();
        // Facet counts by ordinal; named only when the facets are built.
        let mut strs = Vec::new();
        for (name, col, names) in &self.facets.strs {
            let mut counts = vec![0u64; names.len()];
            if let Some(col) = col {
                if col.ords().get_cardinality() == tantivy::columnar::Cardinality::Multivalued {
                    for &d in docs {
                        for o in col.term_ords(d) {
                            if let Some(c) = counts.get_mut(o as usize) {
                                *c += 1;
                            }
                        }
                    }
                } else {
                    first_values(col.ords(), docs, |_, o| {
                        if let Some(c) = counts.get_mut(o as usize) {
                            *c += 1;
                        }
                    });
                }
            }
            strs.push((*name, names.clone(), counts));
        }
        let mut years: HashMap<i64, u64> = HashMap::new();
        if let Some(c) = &self.facets.year {
            first_values(c, docs, |_, v| *years.entry(v).or_default() += 1);
        }
        (self.seg, hits, strs, years)
    }
}
