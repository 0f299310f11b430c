//! Statistics over the filtered set: a figure summed, averaged and bounded per
//! group (year, region, issuer, level or template), read from fast fields.

use super::{column_terms, SearchError, SearchRequest};
use crate::index::{figure_field_name, schema, Index};
use std::collections::{BTreeMap, HashMap};

/// What the reports are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Year,
    /// Regions cut to this many levels (1 province, 2 prefecture, 3 county).
    Region {
        depth: usize,
    },
    Issuer,
    Level,
    Template,
}

impl Group {
    /// The fast field holding the group's value.
    fn column(self) -> &'static str {
        match self {
            Group::Year => schema::YEAR,
            Group::Region { .. } => schema::REGION_S,
            Group::Issuer => schema::ISSUER,
            Group::Level => schema::LEVEL,
            Group::Template => schema::TEMPLATE,
        }
    }
}

/// One group: how many reports, and the figure over those that have it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupStats {
    /// The group's value ("unknown" when a report has none).
    pub key: String,
    /// Reports in the group.
    pub count: u64,
    /// Reports in the group that have the figure.
    pub n: u64,
    pub sum: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl GroupStats {
    fn add(&mut self, value: Option<f64>) {
        self.count += 1;
        if let Some(v) = value {
            self.n += 1;
            self.sum += v;
            self.min = Some(self.min.map_or(v, |m| m.min(v)));
            self.max = Some(self.max.map_or(v, |m| m.max(v)));
        }
    }

    /// The mean of the figure, when any report has it.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}

/// Groups the reports matching `req` and aggregates `figure` (a key of the data
/// dictionary) in each; groups come sorted by key. With `dedupe`, a body-year
/// counts once: only its report of record is aggregated.
pub fn aggregate(
    index: &Index,
    req: &SearchRequest,
    group: Group,
    figure: Option<&'static str>,
    dedupe: bool,
) -> Result<Vec<GroupStats>, SearchError> {
    let m = super::matching_top(index, req, Some(0))?;
    let searcher = m.searcher();
    let column = group.column();
    let skip = if dedupe {
        super::not_of_record(index, &m)?
    } else {
        Default::default()
    };
    let mut groups: HashMap<String, GroupStats> = HashMap::new();
    let mut by_segment: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (_, addr, _) in m.hits.iter().filter(|h| !skip.contains(&h.1)) {
        by_segment
            .entry(addr.segment_ord)
            .or_default()
            .push(addr.doc_id);
    }
    for (seg, docs) in by_segment {
        let reader = searcher.segment_reader(seg);
        let ff = reader.fast_fields();
        let years = ff.i64(schema::YEAR).ok();
        let strs = if group == Group::Year {
            None
        } else {
            ff.str(column).ok().flatten()
        };
        // Terms by ordinal, decoded once per segment and cached by the index.
        let names = strs
            .as_ref()
            .map(|c| column_terms(&index.terms, reader.segment_id(), column, c))
            .unwrap_or_default();
        let values = figure.and_then(|k| ff.f64(&figure_field_name(k)).ok());
        for d in docs {
            let key: std::borrow::Cow<str> = if group == Group::Year {
                years
                    .as_ref()
                    .and_then(|c| c.first(d))
                    .map_or("unknown".into(), |y| y.to_string().into())
            } else {
                match strs
                    .as_ref()
                    .and_then(|c| c.term_ords(d).next())
                    .and_then(|o| names.get(o as usize))
                {
                    Some(t) => match group {
                        Group::Region { depth } => t
                            .trim_matches('/')
                            .split('/')
                            .take(depth)
                            .collect::<Vec<_>>()
                            .join("/")
                            .into(),
                        _ => t.as_str().into(),
                    },
                    None => "unknown".into(),
                }
            };
            let g = match groups.get_mut(key.as_ref()) {
                Some(g) => g,
                None => {
                    let key = key.into_owned();
                    groups.entry(key.clone()).or_insert_with(|| GroupStats {
                        key,
                        ..GroupStats::default()
                    })
                }
            };
            g.add(values.as_ref().and_then(|c| c.first(d)));
        }
    }
    let mut rows: Vec<GroupStats> = groups.into_values().collect();
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(rows)
}
