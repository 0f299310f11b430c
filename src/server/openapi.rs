//! The OpenAPI description served at `/api/openapi.json`, derived from the
//! code: paths from the handlers' `#[utoipa::path]` (whose paths the router
//! also mounts, [`super::router`]), parameters from the structs the parser
//! accepts ([`super::params::Filters`] and each endpoint's own), bodies from
//! the types of [`super::responses`]. Nothing here is written twice.

use super::error::ErrorBody;
use super::responses::{FieldBody, Health, ReportBody, SearchBody, StatsBody};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gongkai API",
        description = "Search Chinese government information disclosure annual reports (政府信息公开工作年度报告)."
    ),
    paths(
        super::search::api_search,
        super::report::api_report,
        super::bodies::api_body,
        super::file::api_file,
        super::stats::api_stats,
        super::export::api_export,
        super::api_fields,
        super::api_openapi,
        super::healthz,
    ),
    components(schemas(
        SearchBody,
        ReportBody,
        StatsBody,
        super::bodies::BodyBody,
        FieldBody,
        Health,
        ErrorBody
    ))
)]
struct ApiDoc;

/// The OpenAPI document.
pub fn document() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises")
}
