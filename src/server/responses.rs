//! The JSON bodies of the API as types: serialised by the handlers, and
//! described in the OpenAPI document through their derived schemas. Fields
//! are declared in alphabetical order: that is the order the API has always
//! sent (its objects were once built as sorted maps), and clients and the
//! snapshot test rely on it.

use crate::gazetteer::{Level, Region};
use crate::model::equations::Equation;
use crate::model::report::{IssuerLevel, Report};
use crate::search::{FacetCount, GroupStats, Snippet};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A figure: a whole number when it is one, else a decimal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.fract() == 0.0 && v.abs() < 9e15 {
            s.serialize_i64(v as i64)
        } else {
            s.serialize_f64(v)
        }
    }
}

/// Figure key → value (null when the report lacks it).
pub type FigureMap = BTreeMap<&'static str, Option<Num>>;

/// The figures `keys` of a report.
pub fn figure_map(r: Option<&Report>, keys: &[&'static str]) -> FigureMap {
    keys.iter()
        .map(|k| (*k, r.and_then(|r| r.figures.get(*k)).map(|v| Num(*v))))
        .collect()
}

/// `/healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub demo: bool,
    pub ok: bool,
    pub reports: u64,
}

/// A resolved region.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionBody {
    pub code: String,
    /// province, prefecture or county.
    #[schema(value_type = String)]
    pub level: Level,
    pub path: String,
}

impl From<&Region> for RegionBody {
    fn from(r: &Region) -> Self {
        RegionBody {
            code: r.code.clone(),
            level: r.level,
            path: r.path.clone(),
        }
    }
}

/// A snippet as HTML: escaped text, highlights in `<mark>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SnippetBody {
    pub html: String,
    pub section: String,
}

impl From<&Snippet> for SnippetBody {
    fn from(s: &Snippet) -> Self {
        SnippetBody {
            html: snippet_html(s),
            section: s.section.clone(),
        }
    }
}

/// Escapes a snippet and marks its highlights with `<mark>`.
pub fn snippet_html(s: &Snippet) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(a, b) in &s.highlights {
        if a < at || b > s.text.len() || !s.text.is_char_boundary(a) || !s.text.is_char_boundary(b)
        {
            continue;
        }
        out.push_str(&html_escape::encode_text(&s.text[at..a]));
        out.push_str("<mark>");
        out.push_str(&html_escape::encode_text(&s.text[a..b]));
        out.push_str("</mark>");
        at = b;
    }
    out.push_str(&html_escape::encode_text(&s.text[at..]));
    out
}

/// One hit of `/api/search`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HitBody {
    pub failed_checks: Vec<String>,
    /// Figure key → value (null when the report lacks it).
    #[schema(value_type = Object)]
    pub figures: FigureMap,
    pub id: String,
    pub issuer: Option<String>,
    /// province, prefecture, county or department.
    #[schema(value_type = Option<String>)]
    pub level: Option<IssuerLevel>,
    pub path: String,
    pub published: Option<String>,
    pub region: Option<RegionBody>,
    pub score: f64,
    pub snippets: Vec<SnippetBody>,
    pub sort_value: Option<f64>,
    pub template: Option<&'static str>,
    pub title: String,
    pub url: Option<String>,
    pub year: Option<i32>,
}

/// A facet value and its count.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetBody {
    pub count: u64,
    pub value: String,
}

impl From<&FacetCount> for FacetBody {
    fn from(f: &FacetCount) -> Self {
        FacetBody {
            count: f.count,
            value: f.value.clone(),
        }
    }
}

/// A region of the region facet, with the regions under it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionNode {
    #[schema(no_recursion)]
    pub children: Vec<RegionNode>,
    pub count: u64,
    pub name: String,
    /// Path from the province ("河北省/秦皇岛市").
    pub path: String,
}

/// Facet counts over the whole result set (a facet is absent when the index has no segment).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Facets {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_checks: Option<Vec<FacetBody>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Vec<FacetBody>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Vec<FacetBody>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Vec<RegionNode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<Vec<FacetBody>>,
    /// on_time, late, unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeliness: Option<Vec<FacetBody>>,
    /// Bodies with several reports for one year (re-publications, mirrors,
    /// corrected versions), most reports first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<VersionFacet>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<Vec<FacetBody>>,
}

/// A body-year with several reports: filter with `body` and `year`.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionFacet {
    pub body: String,
    pub count: u64,
    /// The issuer's name (as one of the reports gives it).
    pub issuer: String,
    pub year: i64,
}

impl From<&crate::search::Repeated> for VersionFacet {
    fn from(r: &crate::search::Repeated) -> Self {
        VersionFacet {
            body: r.body.clone(),
            count: r.count,
            issuer: r.issuer.clone(),
            year: r.year,
        }
    }
}

/// A query that would match when the one asked finds nothing.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionBody {
    pub count: usize,
    pub q: String,
}

/// `/api/search`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchBody {
    pub demo: bool,
    pub facets: Facets,
    pub hits: Vec<HitBody>,
    pub page: usize,
    pub size: usize,
    /// When nothing matches: queries that would (the phrase unquoted, the
    /// query's words), each with its count under the same filters.
    pub suggestions: Vec<SuggestionBody>,
    pub took_ms: u64,
    pub total: usize,
}

/// A section of `/api/reports/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionBody {
    pub headings: Vec<String>,
    pub key: &'static str,
    pub label: &'static str,
    pub original: String,
    pub text: String,
}

/// A figure of `/api/reports/{id}`, with its Chinese label.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureBody {
    pub key: &'static str,
    pub label: &'static str,
    pub table: &'static str,
    #[schema(value_type = f64)]
    pub value: Num,
}

/// Another report of the same body and year.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionBody {
    /// Figures known in it.
    pub figures: usize,
    pub id: String,
    pub issuer: Option<String>,
    /// The report of record of its body-year (the one statistics count).
    pub of_record: bool,
    pub path: String,
    pub published: Option<String>,
    pub title: String,
    pub url: Option<String>,
}

/// A report whose text this report's problems section repeats.
#[derive(Debug, Serialize, ToSchema)]
pub struct CopySourceBody {
    pub id: String,
    pub issuer: Option<String>,
    /// Passages of this report's problems section (`sections[key=problems].text`)
    /// that stand in the source's problems section: [start, end) offsets in
    /// Unicode characters, at least 12 significant characters long.
    pub marks: Vec<[usize; 2]>,
    /// Share of this report's problems section found in the source (the
    /// figure `copied.previous_year` or `copied.other_body`), template wording left out.
    pub share: Option<f64>,
    pub title: String,
    pub year: Option<i32>,
}

/// Where this report's text was found (issue 16's copy pass).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct CopiedBody {
    /// The most similar report of another body the same year.
    pub other_body: Option<CopySourceBody>,
    /// The same body's report of the previous year.
    pub previous_year: Option<CopySourceBody>,
}

/// `/api/reports/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportBody {
    /// Stable id of the issuing body across years (its page: `/api/bodies/{body}`).
    pub body: Option<String>,
    pub checks: BTreeMap<String, bool>,
    /// Each relation of `checks` written out with the report's numbers.
    #[schema(value_type = Vec<Object>)]
    pub checks_detail: Vec<Equation>,
    /// The reports its problems section repeats, with the copied passages.
    pub copied: CopiedBody,
    pub demo: bool,
    pub figures: Vec<FigureBody>,
    /// The format the text was read from: html, text, pdf or docx.
    #[schema(value_type = String)]
    pub format: crate::model::report::Format,
    pub id: String,
    pub index_no: Option<String>,
    pub issuer: Option<String>,
    /// province, prefecture, county or department.
    #[schema(value_type = Option<String>)]
    pub level: Option<IssuerLevel>,
    /// The report of record of its body and year: statistics count it, and
    /// not its `versions`.
    pub of_record: bool,
    pub path: String,
    pub published: Option<String>,
    pub region: Option<RegionBody>,
    pub sections: Vec<SectionBody>,
    pub template: &'static str,
    pub title: String,
    pub title_composed: bool,
    pub url: Option<String>,
    /// The other reports of the same body and year, the report of record first.
    pub versions: Vec<VersionBody>,
    pub warnings: Vec<String>,
    /// `warnings` in Chinese, one for one, for the page.
    pub warnings_zh: Vec<String>,
    pub year: Option<i32>,
}

/// A year's group against the previous year's (`group=year` only).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsChange {
    /// Reports this year less reports the year before.
    pub count: i64,
    /// This year's mean less the previous year's, when both have the figure.
    pub mean: Option<f64>,
    /// This year's sum less the previous year's, when both have the figure.
    #[schema(value_type = Option<f64>)]
    pub sum: Option<Num>,
}

/// A group of `/api/stats`.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsRow {
    /// With `group=year`: the change from the previous year's group (null for
    /// other groups, and when the filtered set has no report of the previous year).
    pub change: Option<StatsChange>,
    pub count: u64,
    pub key: String,
    #[schema(value_type = Option<f64>)]
    pub max: Option<Num>,
    pub mean: Option<f64>,
    #[schema(value_type = Option<f64>)]
    pub min: Option<Num>,
    pub n: u64,
    /// Null when no figure was asked for.
    #[schema(value_type = Option<f64>)]
    pub sum: Option<Num>,
}

impl StatsRow {
    pub fn new(g: &GroupStats, with_figure: bool) -> Self {
        StatsRow {
            change: None,
            count: g.count,
            key: g.key.clone(),
            max: g.max.map(Num),
            mean: g.mean(),
            min: g.min.map(Num),
            n: g.n,
            sum: with_figure.then_some(Num(g.sum)),
        }
    }
}

/// Sets each year row's `change` against the row of the year before (rows
/// keyed by year; a year whose previous year has no row gets none).
pub fn year_changes(rows: &mut [StatsRow], groups: &[GroupStats], with_figure: bool) {
    let by_key: std::collections::HashMap<&str, &GroupStats> =
        groups.iter().map(|g| (g.key.as_str(), g)).collect();
    for (row, g) in rows.iter_mut().zip(groups) {
        let Ok(y) = g.key.parse::<i32>() else {
            continue;
        };
        let Some(p) = by_key.get((y - 1).to_string().as_str()) else {
            continue;
        };
        let both = with_figure && g.n > 0 && p.n > 0;
        row.change = Some(StatsChange {
            count: g.count as i64 - p.count as i64,
            mean: g.mean().zip(p.mean()).filter(|_| both).map(|(a, b)| a - b),
            sum: both.then_some(Num(g.sum - p.sum)),
        });
    }
}

/// `/api/stats`.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsBody {
    /// Whether a body's reports for one year counted once.
    pub dedupe: bool,
    pub figure: Option<&'static str>,
    pub group: String,
    pub label: Option<&'static str>,
    pub rows: Vec<StatsRow>,
    pub took_ms: u64,
}

/// One line of the JSONL export.
#[derive(Debug, Serialize)]
pub struct ExportLine<'a> {
    /// With `change=true`: each figure less the same body's previous-year
    /// report of record (null when there is none or either value is missing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<FigureMap>,
    pub failed_checks: Vec<&'a str>,
    pub figures: FigureMap,
    pub id: &'a str,
    pub issuer: &'a Option<String>,
    pub level: Option<IssuerLevel>,
    pub path: &'a str,
    pub published: &'a Option<String>,
    pub region: Option<RegionBody>,
    pub template: &'static str,
    pub title: &'a str,
    pub url: &'a Option<String>,
    pub year: Option<i32>,
}

/// An entry of `/api/fields`, the data dictionary.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldBody {
    pub key: &'static str,
    /// int or float.
    #[schema(value_type = String)]
    pub kind: crate::model::fields::Kind,
    pub label_zh: &'static str,
    pub note: &'static str,
    pub table: &'static str,
    pub templates: Vec<&'static str>,
}

impl From<&crate::model::fields::Field> for FieldBody {
    fn from(f: &crate::model::fields::Field) -> Self {
        FieldBody {
            key: f.key,
            kind: f.kind,
            label_zh: f.label_zh,
            note: f.note,
            table: f.table,
            templates: f.templates.clone(),
        }
    }
}
