//! `/api/export`: the filtered set as CSV (UTF-8 with BOM) or JSONL, streamed
//! in chunks from the blocking pool.

use super::error::{ApiError, ApiResult, ErrorBody};
use super::params::{Filters, FormatName, LabelsName, Params};
use super::responses::{figure_map, ExportLine, Num, RegionBody};
use super::search::DEFAULT_HIT_FIGURES;
use super::{blocking, AppState};
use crate::index::{Index, StoredReport};
use crate::model::fields;
use crate::model::report::IssuerLevel;
use crate::parse::figures::Figures;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

/// Columns of the CSV before the figures: key and Chinese header.
const CSV_HEAD: [(&str, &str); 12] = [
    ("id", "编号"),
    ("path", "来源文件"),
    ("url", "原文链接"),
    ("title", "标题"),
    ("year", "年份"),
    ("region", "地区"),
    ("region_code", "区划代码"),
    ("issuer", "发布机关"),
    ("level", "层级"),
    ("template", "表格模板"),
    ("published", "发布日期"),
    ("failed_checks", "未通过的校验"),
];

/// Chinese names of the consistency checks, for `labels=zh`.
const CHECK_ZH: [(&str, &str); 4] = [
    ("requests_balance", "申请数平衡"),
    ("requests_outcomes_sum", "办理结果合计"),
    ("requests_columns_sum", "申请人列合计"),
    ("review_sum", "行政复议合计"),
];

/// How the CSV names its columns and values.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Labels {
    /// Keys (`requests.new.total`, `prefecture`): for scripts.
    Key,
    /// Chinese headers from the data dictionary and Chinese level and check names.
    Zh,
}

fn level_zh(l: IssuerLevel) -> &'static str {
    match l {
        IssuerLevel::Province => "省级",
        IssuerLevel::Prefecture => "市级",
        IssuerLevel::County => "县级",
        IssuerLevel::Department => "部门",
    }
}

/// Parameters of `/api/export` besides the filters.
#[allow(dead_code)] // documentation and the parser's list of names
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// csv (default; UTF-8 with BOM) or jsonl.
    #[param(inline)]
    format: Option<FormatName>,
    /// Comma-separated figure keys as columns.
    figures: Option<String>,
    /// As for /api/search: the rows come in the order the page shows.
    sort: Option<String>,
    /// At most this many rows (0 = all).
    #[param(minimum = 0, default = 0)]
    limit: Option<usize>,
    /// CSV headers and values: `key` (default; keys for scripts) or `zh` (Chinese headers from the data dictionary, Chinese level and check names; what the page downloads).
    #[param(inline)]
    labels: Option<LabelsName>,
    /// true: after each figure a `KEY.change` column (zh: `LABEL（较上年增减）`), this report's value less the value in the same body's report of record of the previous year, whatever the sort; empty when the body has no report that year or either value is missing. JSONL lines get a `change` object. Default false.
    #[param(default = false)]
    change: Option<bool>,
}

/// Previous-year values of the exported figures, looked up once per body-year
/// (only the exported figures are kept, so a large export stays small).
struct PreviousYears {
    figs: Vec<&'static str>,
    seen: HashMap<(String, i32), Option<Vec<Option<f64>>>>,
}

impl PreviousYears {
    fn new(figs: &[&'static str]) -> Self {
        PreviousYears {
            figs: figs.to_vec(),
            seen: HashMap::new(),
        }
    }

    /// The exported figures (in `figs` order) of the report of record of
    /// `s`'s body the year before, when there is one.
    fn of(&mut self, index: &Index, s: &StoredReport) -> Option<&[Option<f64>]> {
        let (Some(body), Some(y)) = (&s.body, s.report.year) else {
            return None;
        };
        let figs = &self.figs;
        self.seen
            .entry((body.clone(), y - 1))
            .or_insert_with(|| {
                let prev = crate::search::versions(index, body, i64::from(y) - 1)
                    .ok()?
                    .into_iter()
                    .next()?;
                Some(
                    figs.iter()
                        .map(|k| prev.report.report.figures.get(*k).copied())
                        .collect(),
                )
            })
            .as_deref()
    }
}

/// This year's value of `figs[i]` less the previous year's, when both exist.
fn change_of(r: &Figures, prev: Option<&[Option<f64>]>, figs: &[&str], i: usize) -> Option<f64> {
    Some(r.get(figs[i])? - prev?[i]?)
}

/// Reports loaded and sent per chunk.
const CHUNK: usize = 256;

/// A text cell that a spreadsheet would run as a formula gets a leading quote.
pub fn defuse_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r', '|']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The filtered set as CSV or JSONL, streamed
///
/// Rows come in the order of `sort`, as the page shows them.
#[utoipa::path(get, path = "/api/export", params(Filters, ExportParams),
    responses(
        (status = 200, description = "text/csv (UTF-8 with BOM) or application/x-ndjson"),
        (status = 400, description = "A parameter is malformed; the message names it.", body = ErrorBody),
    ))]
pub async fn api_export(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse::<ExportParams>(raw)?;
    let mut req = p.search_request()?;
    let format = p.one("format").unwrap_or("csv").to_string();
    if format != "csv" && format != "jsonl" {
        return Err(ApiError::bad(
            "format",
            format!("{format:?} is not csv or jsonl"),
        ));
    }
    let labels = match p.one("labels").unwrap_or("key") {
        "key" => Labels::Key,
        "zh" => Labels::Zh,
        l => return Err(ApiError::bad("labels", format!("{l:?} is not key or zh"))),
    };
    let figs = p.figures_or("figures", DEFAULT_HIT_FIGURES)?;
    let change = match p.one("change").unwrap_or("false") {
        "true" | "1" => true,
        "false" | "0" => false,
        c => {
            return Err(ApiError::bad(
                "change",
                format!("{c:?} is not true or false"),
            ))
        }
    };
    let limit = p.number("limit", 0, 0..=10_000_000)?;
    req.limit = limit;
    req.snippets = false;
    let index = st.index.clone();
    let m = blocking(&st, {
        let index = index.clone();
        move || Ok(crate::search::matching(&index, &req)?)
    })
    .await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, std::io::Error>>(8);
    let csv = format == "csv";
    tokio::task::spawn_blocking(move || {
        let total = if limit == 0 {
            m.hits.len()
        } else {
            limit.min(m.hits.len())
        };
        let mut buf: Vec<u8> = Vec::new();
        if csv {
            buf.extend_from_slice("\u{feff}".as_bytes());
            let mut head: Vec<String> = CSV_HEAD
                .iter()
                .map(|c| match labels {
                    Labels::Key => c.0,
                    Labels::Zh => c.1,
                })
                .map(String::from)
                .collect();
            for k in &figs {
                let name = match labels {
                    Labels::Key => k.to_string(),
                    Labels::Zh => fields::get(k).map_or(*k, |f| f.label_zh).to_string(),
                };
                if change {
                    head.push(name.clone());
                    head.push(match labels {
                        Labels::Key => format!("{name}.change"),
                        Labels::Zh => format!("{name}（较上年增减）"),
                    });
                } else {
                    head.push(name);
                }
            }
            let _ = csv::Writer::from_writer(&mut buf).write_record(&head);
        }
        let mut previous = PreviousYears::new(&figs);
        for start in (0..total).step_by(CHUNK) {
            let end = (start + CHUNK).min(total);
            for item in m.reports(&index, start..end) {
                let Ok((_, _, s)) = item else { continue };
                let prev = if change {
                    Some(previous.of(&index, &s))
                } else {
                    None
                };
                if csv {
                    csv_row(&mut buf, &s, &figs, labels, prev);
                } else {
                    jsonl_line(&mut buf, &s, &figs, prev);
                }
            }
            if tx
                .blocking_send(Ok(bytes::Bytes::from(std::mem::take(&mut buf))))
                .is_err()
            {
                return; // client went away
            }
        }
        if !buf.is_empty() {
            let _ = tx.blocking_send(Ok(bytes::Bytes::from(buf)));
        }
    });
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    let (ct, name) = if csv {
        ("text/csv; charset=utf-8", "gongkai.csv")
    } else {
        ("application/x-ndjson; charset=utf-8", "gongkai.jsonl")
    };
    Ok((
        [
            (header::CONTENT_TYPE, ct.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// One CSV row; `prev` is there when the change columns are asked for (and
/// holds the previous year's figures when the body has such a report).
fn csv_row(
    buf: &mut Vec<u8>,
    s: &StoredReport,
    figs: &[&'static str],
    labels: Labels,
    prev: Option<Option<&[Option<f64>]>>,
) {
    let r = &s.report;
    let level = r.level.map(|l| match labels {
        Labels::Key => l.as_str(),
        Labels::Zh => level_zh(l),
    });
    let failed: Vec<&str> = r
        .failed_checks()
        .into_iter()
        .map(|c| match labels {
            Labels::Key => c,
            Labels::Zh => CHECK_ZH.iter().find(|z| z.0 == c).map_or(c, |z| z.1),
        })
        .collect();
    let mut rec: Vec<String> = vec![
        s.id.clone(),
        defuse_cell(&s.path),
        defuse_cell(s.url.as_deref().unwrap_or("")),
        defuse_cell(&r.title),
        r.year.map(|y| y.to_string()).unwrap_or_default(),
        r.region
            .as_ref()
            .map(|g| g.path.clone())
            .unwrap_or_default(),
        r.region
            .as_ref()
            .map(|g| g.code.clone())
            .unwrap_or_default(),
        defuse_cell(r.issuer.as_deref().unwrap_or("")),
        level.unwrap_or_default().to_string(),
        r.template.as_str().to_string(),
        defuse_cell(r.published.as_deref().unwrap_or("")),
        failed.join(" "),
    ];
    let cell = |v: Option<f64>| {
        v.map(|v| serde_json::to_string(&Num(v)).unwrap_or_default())
            .unwrap_or_default()
    };
    for (i, k) in figs.iter().enumerate() {
        rec.push(cell(r.figures.get(*k).copied()));
        if let Some(p) = prev {
            rec.push(cell(change_of(&r.figures, p, figs, i)));
        }
    }
    let _ = csv::Writer::from_writer(buf).write_record(&rec);
}

fn jsonl_line(
    buf: &mut Vec<u8>,
    s: &StoredReport,
    figs: &[&'static str],
    prev: Option<Option<&[Option<f64>]>>,
) {
    let r = &s.report;
    let line = ExportLine {
        change: prev.map(|p| {
            figs.iter()
                .enumerate()
                .map(|(i, k)| (*k, change_of(&r.figures, p, figs, i).map(Num)))
                .collect()
        }),
        failed_checks: r.failed_checks(),
        figures: figure_map(Some(r), figs),
        id: &s.id,
        issuer: &r.issuer,
        level: r.level,
        path: &s.path,
        published: &r.published,
        region: r.region.as_ref().map(RegionBody::from),
        template: r.template.as_str(),
        title: &r.title,
        url: &s.url,
        year: r.year,
    };
    if serde_json::to_writer(&mut *buf, &line).is_ok() {
        buf.push(b'\n');
    }
}
