//! `/api/bodies/{id}`: one issuing body across the years: its reports, its key
//! figures per year with the change from the year before, and each year's
//! problems section with the passages that repeat the previous year's marked.

use super::error::{ApiError, ApiResult, ErrorBody};
use super::responses::Num;
use super::{blocking, AppState};
use crate::analysis::copies::copied_passages;
use crate::index::{Index, StoredReport};
use crate::model::{derived, fields};
use crate::parse::sections::SectionKey;
use crate::search::{search, SearchRequest};
use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// Reports of one body listed at most (a body reports once a year).
const MAX_REPORTS: usize = 200;
/// Shortest repeated run marked (significant characters).
pub(crate) const MIN_MARK: usize = 12;

/// The figures a body's page follows: requests and their outcomes, refusals
/// by ground, review and lawsuits with outcomes, timeliness, copying.
pub const KEY_FIGURES: &[&str] = &[
    "requests.new.total",
    "requests.handled.total",
    "rates.granted",
    "rates.partial",
    "rates.denied",
    "rates.denied.state_secret",
    "rates.denied.law_prohibited",
    "rates.denied.security_stability",
    "rates.denied.third_party",
    "rates.denied.internal_affairs",
    "rates.denied.process_info",
    "rates.denied.enforcement_file",
    "rates.denied.query_matter",
    "rates.unable",
    "rates.not_processed",
    "review.total",
    "review.corrected",
    "rates.review_corrected",
    "litigation.total",
    "rates.litigation_corrected",
    "timeliness.days_late",
    "copied.previous_year",
    "copied.other_body",
];

/// One figure of a year, and its change from the year before.
#[derive(Debug, Serialize, ToSchema)]
pub struct YearValue {
    /// This year's value less the previous year's, when both exist.
    #[schema(value_type = Option<f64>)]
    pub change: Option<Num>,
    #[schema(value_type = Option<f64>)]
    pub value: Option<Num>,
    pub year: i32,
}

/// One figure over the body's years.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureSeries {
    pub key: &'static str,
    pub label: &'static str,
    pub values: Vec<YearValue>,
}

/// One report of the body.
#[derive(Debug, Serialize, ToSchema)]
pub struct BodyReport {
    /// Share of the problems section found in the previous year's report.
    pub copied_previous_year: Option<f64>,
    /// Id of the previous year's report compared.
    pub copied_previous_year_from: Option<String>,
    /// Id of the most similar report of another body the same year.
    pub copied_other_body_from: Option<String>,
    pub id: String,
    pub issuer: Option<String>,
    pub problems: Option<String>,
    /// Passages of `problems` that stand in the previous year's problems
    /// section: [start, end) offsets in Unicode characters.
    pub problems_marks: Vec<[usize; 2]>,
    pub published: Option<String>,
    /// on_time, late or unknown.
    pub timeliness: &'static str,
    pub title: String,
    pub year: Option<i32>,
}

/// `/api/bodies/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BodyBody {
    pub demo: bool,
    pub figures: Vec<FigureSeries>,
    pub id: String,
    /// The names it reported under, oldest first.
    pub names: Vec<String>,
    pub region: Option<String>,
    /// Its reports, oldest first.
    pub reports: Vec<BodyReport>,
}

/// One issuing body across the years: its reports, key figures per year with the change from the year before, each problems section with the passages repeating the previous year's marked
#[utoipa::path(get, path = "/api/bodies/{id}",
    params(("id" = String, Path, description = "Body id (`body` of a report, the `body` filter of /api/search; with /api/stats?group=year&body=ID: its year-over-year figures)")),
    responses(
        (status = 200, description = "The body", body = BodyBody),
        (status = 400, description = "Not a body id", body = ErrorBody),
        (status = 404, description = "No body with this id", body = ErrorBody),
    ))]
pub async fn api_body(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<BodyBody>> {
    if id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ApiError::bad("id", "not a body id"));
    }
    let index = st.index.clone();
    let demo = st.demo;
    blocking(&st, move || {
        let reports = reports_of(&index, &id)?;
        if reports.is_empty() {
            return Err(ApiError::not_found(format!("no body with id {id:?}")));
        }
        Ok(Json(body_of(id, reports, demo)))
    })
    .await
}

/// The body's reports, oldest first.
fn reports_of(index: &Index, id: &str) -> ApiResult<Vec<StoredReport>> {
    let req = SearchRequest {
        body: Some(id.to_string()),
        limit: MAX_REPORTS,
        sort: Some("year".into()),
        ..SearchRequest::default()
    };
    let resp = search(index, &req).map_err(|e| ApiError::bad("id", e.to_string()))?;
    let mut out: Vec<StoredReport> = resp
        .hits
        .iter()
        .filter_map(|h| index.get_stored(&h.id))
        .collect();
    out.sort_by(|a, b| (a.report.year, &a.id).cmp(&(b.report.year, &b.id)));
    Ok(out)
}

pub(crate) fn problems(s: &StoredReport) -> Option<&str> {
    s.report
        .section(SectionKey::Problems)
        .map(|p| p.text.as_str())
}

/// Byte ranges of `text` as character offsets.
pub(crate) fn char_marks(text: &str, ranges: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    ranges
        .iter()
        .map(|r| {
            [
                text[..r.start].chars().count(),
                text[..r.end].chars().count(),
            ]
        })
        .collect()
}

fn body_of(id: String, reports: Vec<StoredReport>, demo: bool) -> BodyBody {
    let prev_of = |i: usize| -> Option<&StoredReport> {
        let y = reports[i].report.year?;
        reports[..i]
            .iter()
            .rev()
            .find(|p| p.report.year == Some(y - 1))
    };
    let figures = KEY_FIGURES
        .iter()
        .filter_map(|&key| {
            let f = fields::get(key)?;
            let values: Vec<YearValue> = reports
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    let v = s.report.figures.get(key).copied();
                    let p = prev_of(i).and_then(|p| p.report.figures.get(key).copied());
                    Some(YearValue {
                        year: s.report.year?,
                        value: v.map(Num),
                        change: v.zip(p).map(|(v, p)| Num(v - p)),
                    })
                })
                .collect();
            values
                .iter()
                .any(|v| v.value.is_some())
                .then_some(FigureSeries {
                    key,
                    label: f.label_zh,
                    values,
                })
        })
        .collect();
    let body_reports = (0..reports.len())
        .map(|i| {
            let s = &reports[i];
            let text = problems(s);
            let marks = match (text, prev_of(i).and_then(problems)) {
                (Some(t), Some(p)) => char_marks(t, &copied_passages(t, p, MIN_MARK)),
                _ => Vec::new(),
            };
            BodyReport {
                copied_previous_year: s.report.figures.get("copied.previous_year").copied(),
                copied_previous_year_from: s.copies.previous_year.clone(),
                copied_other_body_from: s.copies.other_body.clone(),
                id: s.id.clone(),
                issuer: s.report.issuer.clone(),
                problems: text.map(String::from),
                problems_marks: marks,
                published: s.report.published.clone(),
                timeliness: derived::timeliness_of(&s.report).as_str(),
                title: s.report.title.clone(),
                year: s.report.year,
            }
        })
        .collect();
    let mut names: Vec<String> = Vec::new();
    for s in &reports {
        if let Some(n) = &s.report.issuer {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
    }
    BodyBody {
        demo,
        figures,
        id,
        names,
        region: reports
            .iter()
            .rev()
            .find_map(|s| s.report.region.as_ref().map(|r| r.path.clone())),
        reports: body_reports,
    }
}
