//! Search over the index, in the stages of a query's life: [`grammar`]
//! parses the query language (no index involved), [`request`] checks the
//! filters, [`mod@compile`] maps both onto the schema, [`collect`] gathers every
//! hit with facet counts, [`mod@aggregate`] computes statistics per group
//! (counting a body-year once, [`mod@versions`]), [`snippet`] cuts the
//! highlighted passages shown with a hit, and [`mod@suggest`] offers queries
//! that would match when one finds nothing.

pub mod aggregate;
pub mod collect;
pub mod compile;
pub mod grammar;
pub mod request;
pub mod snippet;
pub mod suggest;
pub mod versions;

pub use aggregate::{aggregate, Group, GroupStats};
pub use collect::{matching, matching_top, FacetCount, Matches};
pub use compile::{compile, Compiled};
pub use grammar::{parse_query, Clause, ParsedQuery, Scope, Term_};
pub use request::{region_paths, SearchRequest, SortKey};
pub use snippet::{snippets_for, Snippet};
pub use suggest::{suggest, Suggestion};
pub use versions::{not_of_record, repeated, versions, Repeated, Version};

pub(crate) use collect::column_terms;

use crate::index::{Fields, Index, IndexError};
use serde::Serialize;
use std::collections::BTreeMap;

/// A bad query or filter: what is wrong, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[error("{source_name}: {message}{}", .column.map(|c| format!(" (column {c})")).unwrap_or_default())]
pub struct QueryError {
    /// Which input: "query", "--year", "--where 'x >= 1'", …
    pub source_name: String,
    pub message: String,
    /// 1-based character column in that input.
    pub column: Option<usize>,
}

impl QueryError {
    pub(crate) fn new(
        source_name: impl Into<String>,
        message: impl Into<String>,
        column: Option<usize>,
    ) -> Self {
        QueryError {
            source_name: source_name.into(),
            message: message.into(),
            column,
        }
    }
}

/// Errors of a search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// Checks a request without an index (for a quick exit-2 on bad input).
pub fn validate(req: &SearchRequest) -> Result<(), QueryError> {
    compile(&Fields::standard(), req).map(|_| ())
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    /// The file as it was ingested.
    pub path: String,
    pub url: Option<String>,
    pub title: String,
    pub year: Option<i32>,
    /// Region path (河北省/秦皇岛市).
    pub region: Option<String>,
    pub issuer: Option<String>,
    pub score: f32,
    /// The sort key's value when sorting by a figure or year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_value: Option<f64>,
    pub snippets: Vec<Snippet>,
    /// The whole report, already loaded (for callers that show more than the hit).
    #[serde(skip)]
    pub report: Option<Box<crate::Report>>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Facet name → values with counts over the whole result set.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// Body-years with several reports among the hits (as many as
    /// [`SearchRequest::versions_facet`] asks for).
    #[serde(skip)]
    pub repeated: Vec<Repeated>,
}

/// Runs a request: the page of hits asked for, with snippets, and facet counts.
pub fn search(index: &Index, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
    let top = (req.limit > 0).then(|| req.offset.saturating_add(req.limit));
    let m = matching_top(index, req, top)?;
    let end = top.unwrap_or(m.hits.len());
    let needles = snippet::needles(&m.compiled.parsed);
    let scope = m.compiled.parsed.scope;
    let mut hits = Vec::new();
    for r in m.reports(index, req.offset..end) {
        let (score, sort_value, s) = r?;
        let snippets = if req.snippets {
            snippets_for(&s.report, &needles, scope)
        } else {
            Vec::new()
        };
        hits.push(Hit {
            id: s.id,
            path: s.path,
            url: s.url,
            title: s.report.title.clone(),
            year: s.report.year,
            region: s.report.region.as_ref().map(|r| r.path.clone()),
            issuer: s.report.issuer.clone(),
            score,
            sort_value,
            snippets,
            report: Some(Box::new(s.report)),
        });
    }
    let repeated = if req.versions_facet > 0 {
        repeated(index, &m, req.versions_facet)
    } else {
        Vec::new()
    };
    Ok(SearchResponse {
        total: m.hits.len(),
        hits,
        facets: m.facets,
        repeated,
    })
}
