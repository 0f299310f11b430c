//! `/api/search`: a page of hits with snippets and figures, and facet counts
//! over the whole result set (regions as a tree).

use super::error::{ApiResult, ErrorBody};
use super::params::{Filters, Params};
use super::responses::{
    figure_map, FacetBody, Facets, HitBody, RegionBody, RegionNode, SearchBody, SuggestionBody,
    VersionFacet,
};
use super::{blocking, AppState, MAX_PAGE_SIZE};
use crate::search::{FacetCount, Hit, SearchResponse};
use axum::extract::{RawQuery, State};
use axum::Json;
use std::collections::BTreeMap;
use std::time::Instant;

/// Figures returned with each hit unless `figures` names others.
pub const DEFAULT_HIT_FIGURES: &[&str] = &[
    "requests.new.total",
    "requests.granted.total",
    "review.total",
    "review.corrected",
    "litigation.total",
];

/// Parameters of `/api/search` besides the filters.
#[allow(dead_code)] // documentation and the parser's list of names
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// relevance (default), year, or a figure key; prefix - for descending (-year, -requests.new.total).
    sort: Option<String>,
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 10000, default = 1)]
    page: Option<usize>,
    /// Hits per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    size: Option<usize>,
    /// Comma-separated figure keys to return with each hit.
    figures: Option<String>,
}

/// Suggestions offered when nothing matches, at most.
const MAX_SUGGESTIONS: usize = 6;
/// Body-years with several versions listed in the facet, at most.
const MAX_VERSION_FACET: usize = 50;

/// Search, with facet counts over the whole result set
#[utoipa::path(get, path = "/api/search", params(Filters, SearchParams),
    responses(
        (status = 200, description = "total, took_ms, hits (id, title, year, region, issuer, score, snippets with <mark>, figures), facets (region tree, year, issuer, level, template, failed_checks, versions), suggestions when nothing matches", body = SearchBody),
        (status = 400, description = "A parameter is malformed; the message names it.", body = ErrorBody),
        (status = 503, description = "The query ran too long and was cut off.", body = ErrorBody),
    ))]
pub async fn api_search(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<SearchBody>> {
    let p = Params::parse::<SearchParams>(raw)?;
    let mut req = p.search_request()?;
    let size = p.number("size", 20, 1..=MAX_PAGE_SIZE)?;
    let page = p.number("page", 1, 1..=10_000)?;
    let figs = p.figures_or("figures", DEFAULT_HIT_FIGURES)?;
    req.limit = size;
    req.offset = (page - 1) * size;
    req.snippets = true;
    req.facet_limit = 50;
    req.versions_facet = MAX_VERSION_FACET;
    let demo = st.demo;
    let index = st.index.clone();
    let started = Instant::now();
    let (resp, suggestions) = blocking(&st, move || {
        let resp = crate::search::search(&index, &req)?;
        let suggestions = if resp.total == 0 && !req.q.trim().is_empty() {
            crate::search::suggest(&index, &req, MAX_SUGGESTIONS)?
        } else {
            Vec::new()
        };
        Ok((resp, suggestions))
    })
    .await?;
    Ok(Json(SearchBody {
        demo,
        hits: resp.hits.iter().map(|h| hit(h, &figs)).collect(),
        facets: facets(&resp),
        page,
        size,
        suggestions: suggestions
            .into_iter()
            .map(|s| SuggestionBody {
                count: s.count,
                q: s.q,
            })
            .collect(),
        total: resp.total,
        took_ms: started.elapsed().as_millis() as u64,
    }))
}

fn hit(h: &Hit, figs: &[&'static str]) -> HitBody {
    let r = h.report.as_deref();
    HitBody {
        failed_checks: r
            .map(|r| r.failed_checks().into_iter().map(String::from).collect())
            .unwrap_or_default(),
        figures: figure_map(r, figs),
        id: h.id.clone(),
        issuer: h.issuer.clone(),
        level: r.and_then(|r| r.level),
        path: h.path.clone(),
        published: r.and_then(|r| r.published.clone()),
        region: r.and_then(|r| r.region.as_ref()).map(RegionBody::from),
        score: h.score as f64,
        snippets: h.snippets.iter().map(Into::into).collect(),
        sort_value: h.sort_value,
        template: r.map(|r| r.template.as_str()),
        title: h.title.clone(),
        url: h.url.clone(),
        year: h.year,
    }
}

fn facets(resp: &SearchResponse) -> Facets {
    let list = |v: &[FacetCount]| Some(v.iter().map(FacetBody::from).collect());
    let mut out = Facets::default();
    for (name, values) in &resp.facets {
        match name.as_str() {
            "region" => out.region = Some(region_tree(values)),
            "failed_checks" => out.failed_checks = list(values),
            "issuer" => out.issuer = list(values),
            "level" => out.level = list(values),
            "template" => out.template = list(values),
            "timeliness" => out.timeliness = list(values),
            "year" => out.year = list(values),
            _ => {}
        }
    }
    if !resp.facets.is_empty() {
        out.versions = Some(resp.repeated.iter().map(VersionFacet::from).collect());
    }
    out
}

/// Region facet values ("/河北省/秦皇岛市") as a tree, largest first.
fn region_tree(values: &[FacetCount]) -> Vec<RegionNode> {
    #[derive(Default)]
    struct Node {
        count: u64,
        children: BTreeMap<String, Node>,
    }
    let mut root = Node::default();
    for v in values {
        let mut n = &mut root;
        for part in v
            .value
            .trim_matches('/')
            .split('/')
            .filter(|p| !p.is_empty())
        {
            n = n.children.entry(part.to_string()).or_default();
        }
        n.count = n.count.max(v.count);
    }
    fn emit(children: BTreeMap<String, Node>, prefix: &str) -> Vec<RegionNode> {
        let mut v: Vec<RegionNode> = children
            .into_iter()
            .map(|(name, n)| {
                let path = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}/{name}")
                };
                RegionNode {
                    children: emit(n.children, &path),
                    count: n.count,
                    name,
                    path,
                }
            })
            .collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.count));
        v
    }
    emit(root.children, "")
}
