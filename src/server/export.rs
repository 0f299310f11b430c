//! `/api/export`: the filtered set as CSV (UTF-8 with BOM) or JSONL, streamed
//! in chunks from the blocking pool.

use super::error::{ApiError, ApiResult};
use super::params::Params;
use super::responses::{figure_map, ExportLine, Num, RegionBody};
use super::search::DEFAULT_HIT_FIGURES;
use super::{blocking, AppState};
use crate::index::StoredReport;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Columns of the CSV before the figures.
const CSV_HEAD: [&str; 11] = [
    "id",
    "path",
    "title",
    "year",
    "region",
    "region_code",
    "issuer",
    "level",
    "template",
    "published",
    "failed_checks",
];

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

pub async fn api_export(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse(raw, &["sort", "format", "figures", "limit"])?;
    let mut req = p.search_request()?;
    let format = p.one("format").unwrap_or("csv").to_string();
    if format != "csv" && format != "jsonl" {
        return Err(ApiError::bad(
            "format",
            format!("{format:?} is not csv or jsonl"),
        ));
    }
    let figs = p.figures_or("figures", DEFAULT_HIT_FIGURES)?;
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
            let mut head: Vec<&str> = CSV_HEAD.to_vec();
            head.extend(figs.iter());
            let _ = csv::Writer::from_writer(&mut buf).write_record(&head);
        }
        for start in (0..total).step_by(CHUNK) {
            let end = (start + CHUNK).min(total);
            for item in m.reports(&index, start..end) {
                let Ok((_, _, s)) = item else { continue };
                if csv {
                    csv_row(&mut buf, &s, &figs);
                } else {
                    jsonl_line(&mut buf, &s, &figs);
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

fn csv_row(buf: &mut Vec<u8>, s: &StoredReport, figs: &[&'static str]) {
    let r = &s.report;
    let mut rec: Vec<String> = vec![
        s.id.clone(),
        defuse_cell(&s.path),
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
        r.level.map(|l| l.as_str().to_string()).unwrap_or_default(),
        r.template.as_str().to_string(),
        r.published.clone().unwrap_or_default(),
        r.failed_checks().join(" "),
    ];
    rec.extend(figs.iter().map(|k| {
        r.figures
            .get(*k)
            .map(|v| serde_json::to_string(&Num(*v)).unwrap_or_default())
            .unwrap_or_default()
    }));
    let _ = csv::Writer::from_writer(buf).write_record(&rec);
}

fn jsonl_line(buf: &mut Vec<u8>, s: &StoredReport, figs: &[&'static str]) {
    let r = &s.report;
    let line = ExportLine {
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
        year: r.year,
    };
    if serde_json::to_writer(&mut *buf, &line).is_ok() {
        buf.push(b'\n');
    }
}
