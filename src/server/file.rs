//! `/api/reports/{id}/file`: the file a report was ingested from, as it was.
//!
//! Only the stored path of that id is ever read (the request names an id, not
//! a path), and only while its bytes are still those ingested (their blake3 is
//! in the index): a moved, deleted or edited file is refused with a 4xx that
//! says which. The file is sent as an attachment in a sandbox, so that an
//! ingested HTML page never runs as this site.

use super::error::{ApiError, ApiResult, ErrorBody};
use super::report::check_id;
use super::{blocking, AppState};
use crate::model::report::Format;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// The content type of a source format (the charset of a text or HTML file is
/// whatever it was written in: left to the reader to detect).
fn content_type(f: Format) -> &'static str {
    match f {
        Format::Html => "text/html",
        Format::Text => "text/plain",
        Format::Pdf => "application/pdf",
        Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
}

/// A file name for the download: the stored name's last part, ASCII-safe.
fn download_name(path: &str, id: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or("");
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty() && e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or("bin");
    format!("{id}.{ext}")
}

/// The file a report was ingested from, byte for byte
#[utoipa::path(get, path = "/api/reports/{id}/file",
    params(("id" = String, Path, description = "Report id")),
    responses(
        (status = 200, description = "The ingested file (text/html, text/plain, application/pdf or .docx), as an attachment"),
        (status = 400, description = "Not a report id", body = ErrorBody),
        (status = 404, description = "No report with this id", body = ErrorBody),
        (status = 409, description = "The file changed since it was ingested", body = ErrorBody),
        (status = 410, description = "The file is no longer where it was ingested from", body = ErrorBody),
    ))]
pub async fn api_file(State(st): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    check_id(&id)?;
    let index = st.index.clone();
    let (bytes, format, name) = blocking(&st, move || {
        let s = index
            .get_stored(&id)
            .ok_or_else(|| ApiError::not_found(format!("no report with id {id:?}")))?;
        let gone = || {
            ApiError::new(
                StatusCode::GONE,
                format!(
                    "the file of report {id} is no longer at {} (moved or deleted since ingest)",
                    s.path
                ),
            )
        };
        let (Some(path), Some(sha)) = (s.path_key.as_deref(), s.sha.as_deref()) else {
            return Err(gone());
        };
        let max = crate::parse::read::MAX_FILE_BYTES;
        let meta = std::fs::metadata(path).map_err(|_| gone())?;
        // Larger than ingest reads: not the file ingested.
        let bytes = if meta.is_file() && meta.len() <= max {
            Some(std::fs::read(path).map_err(|_| gone())?)
        } else {
            None
        };
        let Some(bytes) = bytes.filter(|b| blake3::hash(b).to_hex().as_str() == sha) else {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!(
                    "the file of report {id} at {} changed since it was ingested; ingest it again",
                    s.path
                ),
            ));
        };
        let name = download_name(&s.path, &id);
        Ok((bytes, s.report.format, name))
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type(format).to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_keep_only_a_safe_extension() {
        assert_eq!(download_name("/a/b/报告.PDF", "ab12"), "ab12.PDF");
        assert_eq!(download_name("x/y", "ab12"), "ab12.bin");
        assert_eq!(download_name("a.\"; x=1", "ab12"), "ab12.bin");
    }
}
