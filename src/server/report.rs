//! `/api/reports/{id}`: one report with its sections, labelled figures,
//! checks written out as equations, and warnings (also in Chinese).

use super::error::{ApiError, ApiResult};
use super::responses::{FigureBody, Num, RegionBody, ReportBody, SectionBody};
use super::{blocking, AppState};
use crate::index::StoredReport;
use crate::model::equations::equations;
use crate::model::fields;
use crate::model::warnings::warning_zh;
use axum::extract::{Path, State};
use axum::Json;

pub async fn api_report(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<ReportBody>> {
    if id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ApiError::bad("id", "not a report id"));
    }
    let index = st.index.clone();
    let demo = st.demo;
    blocking(&st, move || {
        let s = index
            .get_stored(&id)
            .ok_or_else(|| ApiError::not_found(format!("no report with id {id:?}")))?;
        Ok(Json(report_body(s, demo)))
    })
    .await
}

fn report_body(s: StoredReport, demo: bool) -> ReportBody {
    let r = s.report;
    let figures = fields::all()
        .iter()
        .filter_map(|f| {
            r.figures.get(f.key).map(|v| FigureBody {
                key: f.key,
                label: f.label_zh,
                table: f.table,
                value: Num(*v),
            })
        })
        .collect();
    ReportBody {
        region: r.region.as_ref().map(RegionBody::from),
        template: r.template.as_str(),
        sections: r
            .sections
            .into_iter()
            .map(|sec| SectionBody {
                headings: sec.headings,
                key: sec.key.as_str(),
                label: sec.key.label_zh(),
                original: sec.original,
                text: sec.text,
            })
            .collect(),
        figures,
        checks: r.checks,
        checks_detail: equations(&r.figures, r.template),
        demo,
        id: s.id,
        index_no: r.index_no,
        issuer: r.issuer,
        level: r.level,
        path: s.path,
        published: r.published,
        title: r.title,
        title_composed: r.title_composed,
        url: s.url,
        warnings_zh: r.warnings.iter().map(|w| warning_zh(w)).collect(),
        warnings: r.warnings,
        year: r.year,
    }
}
