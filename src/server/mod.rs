//! The HTTP API and the web page (`gongkai serve`), over the same library as the CLI.
//!
//! Every parameter is checked on its own so that a 400 names it ([`params`]);
//! searches run on the blocking pool under a time limit; report text is
//! escaped wherever it becomes HTML. One module per endpoint; the bodies are
//! the types of [`responses`], errors those of [`error`].

pub mod bodies;
pub mod error;
pub mod export;
pub mod file;
pub mod openapi;
pub mod params;
pub mod report;
pub mod responses;
pub mod search;
pub mod stats;

pub use error::{ApiError, ApiResult};

use crate::index::Index;
use crate::model::fields;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{extract::State, Json, Router};
use responses::{FieldBody, Health};
use std::sync::Arc;
use std::time::Duration;

/// Longest accepted query string (bytes).
pub const MAX_QUERY_STRING: usize = 8 * 1024;
/// Largest page.
pub const MAX_PAGE_SIZE: usize = 100;
/// Largest accepted request body (bytes).
const MAX_BODY: usize = 16 * 1024;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub index: Arc<Index>,
    /// The index holds synthetic demo data: every page says so.
    pub demo: bool,
    /// Longest a search may run before it is cut off.
    pub timeout: Duration,
}

/// The path a handler's `#[utoipa::path]` declares: the router mounts each
/// endpoint there, so that the OpenAPI document and the routes cannot differ.
fn path_of<P: utoipa::Path>(_handler_doc: fn() -> P) -> String {
    P::path()
}

/// The paths of every API endpoint, as mounted (for tests and the docs).
pub fn api_paths() -> Vec<String> {
    vec![
        path_of(|| search::__path_api_search),
        path_of(|| report::__path_api_report),
        path_of(|| bodies::__path_api_body),
        path_of(|| file::__path_api_file),
        path_of(|| stats::__path_api_stats),
        path_of(|| export::__path_api_export),
        path_of(|| __path_api_fields),
        path_of(|| __path_api_openapi),
        path_of(|| __path_healthz),
    ]
}

/// The router: API, web page, health check.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(page_index))
        .route("/app.js", get(page_js))
        .route("/body.js", get(page_body_js))
        .route("/style.css", get(page_css))
        .route(&path_of(|| __path_healthz), get(healthz))
        .route(
            &path_of(|| search::__path_api_search),
            get(search::api_search),
        )
        .route(
            &path_of(|| report::__path_api_report),
            get(report::api_report),
        )
        .route(&path_of(|| bodies::__path_api_body), get(bodies::api_body))
        .route(&path_of(|| file::__path_api_file), get(file::api_file))
        .route(&path_of(|| stats::__path_api_stats), get(stats::api_stats))
        .route(
            &path_of(|| export::__path_api_export),
            get(export::api_export),
        )
        .route(&path_of(|| __path_api_fields), get(api_fields))
        .route(&path_of(|| __path_api_openapi), get(api_openapi))
        .fallback(|| async { ApiError::not_found("no such page") })
        .layer(axum::middleware::from_fn(limit_request))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state)
}

/// Refuses oversized requests before any handler runs.
async fn limit_request(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if req.uri().query().map_or(0, str::len) > MAX_QUERY_STRING {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("query string longer than {MAX_QUERY_STRING} bytes"),
        )
        .into_response();
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "request body too large")
            .into_response();
    }
    next.run(req).await
}

/// Longest a client may take to send a request's headers, and to start the
/// next request on a kept-alive connection: a client that sends half a request
/// (or only `\r\n\r\n`) or idles holds its connection no longer than this.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves on a bound listener until Ctrl-C (the caller binds, so that it can
/// say where before serving).
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_on(listener, router(state), HEADER_TIMEOUT, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Serves `app` on `listener` over HTTP/1.1 with hyper, closing connections
/// whose request headers (or next request) do not arrive within `header_timeout`,
/// until `shutdown` completes.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: std::time::Duration,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                // Out of file descriptors and the like: wait rather than spin.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => return Ok(()),
        };
        let svc = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

/// Runs blocking index work under the time limit.
pub(crate) async fn blocking<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    match tokio::time::timeout(st.timeout, tokio::task::spawn_blocking(f)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("search task failed: {e}"),
        )),
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the query ran longer than {} ms and was cut off; narrow it down",
                st.timeout.as_millis()
            ),
        )),
    }
}

// ─────────────────────────────── static page

const INDEX_HTML: &str = include_str!("../../web/index.html");
const APP_JS: &str = include_str!("../../web/app.js");
const BODY_JS: &str = include_str!("../../web/body.js");
const STYLE_CSS: &str = include_str!("../../web/style.css");

fn static_page(ct: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}
async fn page_index() -> Response {
    let mut r = static_page("text/html; charset=utf-8", INDEX_HTML);
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'"),
    );
    r
}
async fn page_js() -> Response {
    static_page("text/javascript; charset=utf-8", APP_JS)
}
async fn page_body_js() -> Response {
    static_page("text/javascript; charset=utf-8", BODY_JS)
}
async fn page_css() -> Response {
    static_page("text/css; charset=utf-8", STYLE_CSS)
}

/// Liveness and the number of reports
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "ok", body = Health)))]
async fn healthz(State(st): State<AppState>) -> Json<Health> {
    Json(Health {
        demo: st.demo,
        ok: true,
        reports: st.index.num_docs(),
    })
}

/// The data dictionary: figure keys, Chinese labels, tables
#[utoipa::path(get, path = "/api/fields", responses((status = 200, description = "list of fields", body = Vec<FieldBody>)))]
async fn api_fields() -> Json<Vec<FieldBody>> {
    Json(fields::all().iter().map(FieldBody::from).collect())
}

/// This document
#[utoipa::path(get, path = "/api/openapi.json", responses((status = 200, description = "OpenAPI JSON")))]
async fn api_openapi() -> Json<serde_json::Value> {
    Json(openapi::document())
}
