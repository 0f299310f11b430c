//! `/api/reports/{id}`: one report with its sections, labelled figures,
//! checks written out as equations, warnings (also in Chinese), and the other
//! reports of its body and year.

use super::bodies::{char_marks, problems, MIN_MARK};
use super::error::{ApiError, ApiResult, ErrorBody};
use super::responses::{
    CopiedBody, CopySourceBody, FigureBody, Num, RegionBody, ReportBody, SectionBody, VersionBody,
};
use super::{blocking, AppState};
use crate::analysis::copies::copied_passages;
use crate::index::Index;
use crate::index::StoredReport;
use crate::model::equations::equations;
use crate::model::fields;
use crate::model::warnings::warning_zh;
use axum::extract::{Path, State};
use axum::Json;

/// A report id from the path, checked.
pub(crate) fn check_id(id: &str) -> ApiResult<()> {
    if id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ApiError::bad("id", "not a report id"));
    }
    Ok(())
}

/// One report: metadata, sections (normalised and original), figures with Chinese labels, checks, warnings
///
/// With `versions`: the other reports of its body and year.
#[utoipa::path(get, path = "/api/reports/{id}",
    params(("id" = String, Path, description = "Report id (as /api/search returns it)")),
    responses(
        (status = 200, description = "The report", body = ReportBody),
        (status = 400, description = "Not a report id", body = ErrorBody),
        (status = 404, description = "No report with this id", body = ErrorBody),
    ))]
pub async fn api_report(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<ReportBody>> {
    check_id(&id)?;
    let index = st.index.clone();
    let demo = st.demo;
    blocking(&st, move || {
        let s = index
            .get_stored(&id)
            .ok_or_else(|| ApiError::not_found(format!("no report with id {id:?}")))?;
        let all = match (&s.body, s.report.year) {
            (Some(b), Some(y)) => crate::search::versions(&index, b, y as i64)?,
            _ => Vec::new(),
        };
        let copied = copied_of(&index, &s);
        Ok(Json(report_body(s, all, copied, demo)))
    })
    .await
}

fn version_body(v: crate::search::Version) -> VersionBody {
    let s = v.report;
    VersionBody {
        figures: s.report.figures.values().filter(|x| x.is_finite()).count(),
        id: s.id,
        issuer: s.report.issuer,
        of_record: v.of_record,
        path: s.path,
        published: s.report.published,
        title: s.report.title,
        url: s.url,
    }
}

/// The sources the copy pass found for `s`, with the passages of its problems
/// section that stand in theirs (a source since deleted is left out).
fn copied_of(index: &Index, s: &StoredReport) -> CopiedBody {
    let source = |id: &Option<String>, figure: &str| -> Option<CopySourceBody> {
        let src = index.get_stored(id.as_deref()?)?;
        let marks = match (problems(s), problems(&src)) {
            (Some(t), Some(p)) => char_marks(t, &copied_passages(t, p, MIN_MARK)),
            _ => Vec::new(),
        };
        Some(CopySourceBody {
            id: src.id,
            issuer: src.report.issuer,
            marks,
            share: s.report.figures.get(figure).copied(),
            title: src.report.title,
            year: src.report.year,
        })
    };
    CopiedBody {
        other_body: source(&s.copies.other_body, "copied.other_body"),
        previous_year: source(&s.copies.previous_year, "copied.previous_year"),
    }
}

/// The report's body; `all` are the reports of its body-year (itself included).
fn report_body(
    s: StoredReport,
    all: Vec<crate::search::Version>,
    copied: CopiedBody,
    demo: bool,
) -> ReportBody {
    // Alone in its body-year (or without one), a report is its own record.
    let of_record = all.iter().all(|v| v.report.id != s.id || v.of_record);
    let versions = all
        .into_iter()
        .filter(|v| v.report.id != s.id)
        .map(version_body)
        .collect();
    let body = s.body;
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
        body,
        format: r.format,
        of_record,
        versions,
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
        copied,
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
