//! The HTTP API and the web page (`gongkai serve`), over the same library as the CLI.
//!
//! Every parameter is checked on its own so that a 400 names it; searches run on
//! the blocking pool under a time limit; report text is escaped wherever it becomes HTML.

pub mod openapi;

use crate::index::{figure_field_name, Index};
use crate::model::fields;
use crate::model::report::json_num;
use crate::parse::sections::SectionKey;
use crate::search::{SearchError, SearchRequest};
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest accepted query string (bytes).
pub const MAX_QUERY_STRING: usize = 8 * 1024;
/// Largest page.
pub const MAX_PAGE_SIZE: usize = 100;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub index: Arc<Index>,
    /// The index holds synthetic demo data: every page says so.
    pub demo: bool,
    /// Longest a search may run before it is cut off.
    pub timeout: Duration,
}

/// An API error: a status and a message that names the parameter.
#[derive(Debug)]
pub struct ApiError(StatusCode, String);

impl ApiError {
    fn bad(param: &str, msg: impl std::fmt::Display) -> Self {
        ApiError(
            StatusCode::BAD_REQUEST,
            format!("parameter `{param}`: {msg}"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The router: API, web page, health check.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(page_index))
        .route("/app.js", get(page_js))
        .route("/style.css", get(page_css))
        .route("/healthz", get(healthz))
        .route("/api/search", get(api_search))
        .route("/api/reports/{id}", get(api_report))
        .route("/api/stats", get(api_stats))
        .route("/api/export", get(api_export))
        .route("/api/fields", get(api_fields))
        .route("/api/openapi.json", get(api_openapi))
        .fallback(|| async { ApiError(StatusCode::NOT_FOUND, "no such page".into()) })
        .layer(axum::middleware::from_fn(limit_request))
        .layer(axum::extract::DefaultBodyLimit::max(16 * 1024))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state)
}

/// Refuses oversized requests before any handler runs.
async fn limit_request(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if req.uri().query().map_or(0, str::len) > MAX_QUERY_STRING {
        return ApiError(
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
    if declared.is_some_and(|n| n > 16 * 1024) {
        return ApiError(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request body too large".into(),
        )
        .into_response();
    }
    next.run(req).await
}

/// Longest a client may take to send a request's headers, and to start the
/// next request on a kept-alive connection: a client that sends half a request
/// (or only `\r\n\r\n`) or idles holds its connection no longer than this.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Binds (127.0.0.1 by default) and serves until Ctrl-C.
pub async fn serve(state: AppState, addr: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!(
        "gongkai: serving {} reports on http://{}",
        state.index.num_docs(),
        listener.local_addr()?
    );
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

// ─────────────────────────────── static page

const INDEX_HTML: &str = include_str!("../../web/index.html");
const APP_JS: &str = include_str!("../../web/app.js");
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
async fn page_css() -> Response {
    static_page("text/css; charset=utf-8", STYLE_CSS)
}

async fn healthz(State(st): State<AppState>) -> Json<Value> {
    Json(json!({ "ok": true, "reports": st.index.num_docs(), "demo": st.demo }))
}

// ─────────────────────────────── parameters

/// Checks a query string's percent-encoding: every `%` starts two hex digits
/// and every decoded key and value is UTF-8. On failure: the parameter's name
/// (as sent) and why. Lossy decoding would search for something not asked for.
pub fn check_encoding(raw: &str) -> Result<(), (String, String)> {
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        for (part, what) in [(key, "name"), (value, "value")] {
            let b = part.as_bytes();
            let bad_escape = b.iter().enumerate().any(|(i, &c)| {
                c == b'%'
                    && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                        && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            });
            let why = if bad_escape {
                format!("malformed percent-encoding in the {what} (`%` must start two hex digits)")
            } else if percent_encoding::percent_decode_str(part)
                .decode_utf8()
                .is_err()
            {
                format!("the {what} is not UTF-8 once percent-decoded")
            } else {
                continue;
            };
            return Err((key.chars().take(64).collect(), why));
        }
    }
    Ok(())
}

/// Query-string pairs, in order (repeated keys kept).
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(raw: Option<String>, allowed: &[&str]) -> ApiResult<Params> {
        let raw = raw.unwrap_or_default();
        check_encoding(&raw).map_err(|(param, why)| ApiError::bad(&param, why))?;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        for (k, _) in &pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(ApiError::bad(
                    k,
                    format!("unknown parameter; known: {}", allowed.join(", ")),
                ));
            }
        }
        Ok(Params(pairs))
    }
    fn one(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
    fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }
    fn number(
        &self,
        key: &str,
        default: usize,
        range: std::ops::RangeInclusive<usize>,
    ) -> ApiResult<usize> {
        match self.one(key) {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if range.contains(&n) => Ok(n),
                _ => Err(ApiError::bad(
                    key,
                    format!(
                        "{v:?} is not a whole number in {}..={}",
                        range.start(),
                        range.end()
                    ),
                )),
            },
        }
    }
    fn figures(&self, key: &str) -> ApiResult<Vec<&'static str>> {
        let mut out = Vec::new();
        for v in self.all(key) {
            for k in v.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                match fields::get(k) {
                    Some(f) => out.push(f.key),
                    None => {
                        return Err(ApiError::bad(
                            key,
                            format!("unknown figure key {k:?} (see /api/fields)"),
                        ))
                    }
                }
            }
        }
        Ok(out)
    }
}

const FILTER_PARAMS: &[&str] = &[
    "q",
    "section",
    "year",
    "region",
    "issuer",
    "level",
    "template",
    "where",
    "failed_check",
];

/// Builds and checks the filtered-set part of a request, naming the parameter at fault.
fn search_request(p: &Params) -> ApiResult<SearchRequest> {
    let mut req = SearchRequest::new(p.one("q").unwrap_or(""));
    if req.q.chars().count() > 500 {
        return Err(ApiError::bad("q", "longer than 500 characters"));
    }
    req.section = p.one("section").map(String::from);
    if let Some(s) = &req.section {
        if SectionKey::parse(s).is_none() {
            return Err(ApiError::bad(
                "section",
                format!(
                    "{s:?} is not one of overview, proactive, requests, appeals, problems, other"
                ),
            ));
        }
    }
    req.year = p.one("year").map(String::from);
    req.region = p.one("region").map(String::from);
    req.issuer = p.one("issuer").map(String::from);
    req.level = p.one("level").map(String::from);
    req.template = p.one("template").map(String::from);
    req.where_ = p.all("where");
    // A failed-checks facet click: reports breaking that relation (checked on
    // its own below, so that an error names `failed_check`, not `where`).
    let failed: Vec<String> = p
        .all("failed_check")
        .into_iter()
        .map(|c| format!("checks.failed = {c}"))
        .collect();
    if req.where_.len() + failed.len() > 20 {
        return Err(ApiError::bad("where", "more than 20 conditions"));
    }
    // Check each parameter alone, so that the error names it.
    let probes: Vec<(&str, SearchRequest)> = vec![
        (
            "q",
            SearchRequest {
                q: req.q.clone(),
                ..SearchRequest::default()
            },
        ),
        (
            "year",
            SearchRequest {
                year: req.year.clone(),
                ..SearchRequest::default()
            },
        ),
        (
            "region",
            SearchRequest {
                region: req.region.clone(),
                ..SearchRequest::default()
            },
        ),
        (
            "issuer",
            SearchRequest {
                issuer: req.issuer.clone(),
                ..SearchRequest::default()
            },
        ),
        (
            "level",
            SearchRequest {
                level: req.level.clone(),
                ..SearchRequest::default()
            },
        ),
        (
            "template",
            SearchRequest {
                template: req.template.clone(),
                ..SearchRequest::default()
            },
        ),
        (
            "where",
            SearchRequest {
                where_: req.where_.clone(),
                ..SearchRequest::default()
            },
        ),
        (
            "failed_check",
            SearchRequest {
                where_: failed.clone(),
                ..SearchRequest::default()
            },
        ),
    ];
    for (name, probe) in probes {
        if let Err(e) = crate::search::validate(&probe) {
            return Err(ApiError::bad(name, e));
        }
    }
    req.where_.extend(failed);
    if let Some(s) = p.one("sort") {
        let probe = SearchRequest {
            sort: Some(s.to_string()),
            ..SearchRequest::default()
        };
        crate::search::validate(&probe).map_err(|e| ApiError::bad("sort", e))?;
        req.sort = Some(s.to_string());
    }
    Ok(req)
}

fn search_error(e: SearchError) -> ApiError {
    match e {
        SearchError::Query(q) => ApiError(StatusCode::BAD_REQUEST, q.to_string()),
        SearchError::Index(i) => ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("index error: {i}"),
        ),
    }
}

/// Runs blocking index work under the time limit.
async fn blocking<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    match tokio::time::timeout(st.timeout, tokio::task::spawn_blocking(f)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("search task failed: {e}"),
        )),
        Err(_) => Err(ApiError(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the query ran longer than {} ms and was cut off; narrow it down",
                st.timeout.as_millis()
            ),
        )),
    }
}

// ─────────────────────────────── /api/search

/// Escapes a snippet and marks its highlights with `<mark>`.
pub fn snippet_html(s: &crate::search::Snippet) -> String {
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

fn region_json(r: &Option<crate::gazetteer::Region>) -> Value {
    r.as_ref().map_or(
        Value::Null,
        |r| json!({ "path": r.path, "code": r.code, "level": r.level }),
    )
}

/// Region facet values ("/河北省/秦皇岛市") as a tree.
fn region_tree(values: &[crate::search::FacetCount]) -> Value {
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
    fn emit(children: &BTreeMap<String, Node>, prefix: &str) -> Value {
        let mut v: Vec<(u64, Value)> = children
            .iter()
            .map(|(name, n)| {
                let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
                (n.count, json!({ "name": name, "path": path, "count": n.count, "children": emit(&n.children, &path) }))
            })
            .collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.0));
        Value::Array(v.into_iter().map(|(_, x)| x).collect())
    }
    emit(&root.children, "")
}

const DEFAULT_HIT_FIGURES: &[&str] = &[
    "requests.new.total",
    "requests.granted.total",
    "review.total",
    "review.corrected",
    "litigation.total",
];

async fn api_search(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Json<Value>> {
    let mut allowed = FILTER_PARAMS.to_vec();
    allowed.extend(["sort", "page", "size", "figures"]);
    let p = Params::parse(raw, &allowed)?;
    let mut req = search_request(&p)?;
    let size = p.number("size", 20, 1..=MAX_PAGE_SIZE)?;
    let page = p.number("page", 1, 1..=10_000)?;
    let mut figs = p.figures("figures")?;
    if figs.is_empty() {
        figs = DEFAULT_HIT_FIGURES.to_vec();
    }
    req.limit = size;
    req.offset = (page - 1) * size;
    req.snippets = true;
    req.facet_limit = 50;
    let demo = st.demo;
    let index = st.index.clone();
    let started = Instant::now();
    let out = blocking(&st, move || {
        let resp = index.search(&req).map_err(search_error)?;
        let hits: Vec<Value> = resp
            .hits
            .iter()
            .map(|h| {
                let r = h.report.as_deref();
                let figures: serde_json::Map<String, Value> = figs
                    .iter()
                    .map(|k| (k.to_string(), r.and_then(|r| r.figures.get(*k)).map_or(Value::Null, |v| json_num(*v))))
                    .collect();
                json!({
                    "id": h.id,
                    "path": h.path,
                    "url": h.url,
                    "title": h.title,
                    "year": h.year,
                    "region": r.map_or(Value::Null, |r| region_json(&r.region)),
                    "issuer": h.issuer,
                    "level": r.and_then(|r| r.level),
                    "template": r.map(|r| r.template.as_str()),
                    "published": r.and_then(|r| r.published.clone()),
                    "score": h.score,
                    "sort_value": h.sort_value,
                    "snippets": h.snippets.iter().map(|s| json!({ "section": s.section, "html": snippet_html(s) })).collect::<Vec<_>>(),
                    "figures": figures,
                    "failed_checks": r.map(|r| r.failed_checks()).unwrap_or_default(),
                })
            })
            .collect();
        let mut facets = serde_json::Map::new();
        for (name, values) in &resp.facets {
            let key = match name.as_str() {
                "region_s" | "region" => "region",
                "failed" | "failed_checks" => "failed_checks",
                other => other,
            };
            let v = if key == "region" {
                region_tree(values)
            } else {
                json!(values.iter().map(|f| json!({ "value": f.value, "count": f.count })).collect::<Vec<_>>())
            };
            facets.insert(key.to_string(), v);
        }
        Ok(json!({
            "demo": demo,
            "total": resp.total,
            "page": page,
            "size": size,
            "hits": hits,
            "facets": facets,
        }))
    })
    .await?;
    let mut out = out;
    out["took_ms"] = json!(started.elapsed().as_millis() as u64);
    Ok(Json(out))
}

// ─────────────────────────────── /api/reports/{id}

async fn api_report(State(st): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    if id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ApiError::bad("id", "not a report id"));
    }
    let index = st.index.clone();
    let demo = st.demo;
    blocking(&st, move || {
        let s = index.get_stored(&id).ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("no report with id {id:?}")))?;
        let r = &s.report;
        let sections: Vec<Value> = r
            .sections
            .iter()
            .map(|sec| {
                json!({ "key": sec.key.as_str(), "label": sec.key.label_zh(), "headings": sec.headings, "text": sec.text, "original": sec.original })
            })
            .collect();
        let figures: Vec<Value> = fields::all()
            .iter()
            .filter_map(|f| r.figures.get(f.key).map(|v| json!({ "key": f.key, "label": f.label_zh, "table": f.table, "value": json_num(*v) })))
            .collect();
        Ok(Json(json!({
            "demo": demo,
            "id": s.id,
            "path": s.path,
            "url": s.url,
            "title": r.title,
            "title_composed": r.title_composed,
            "year": r.year,
            "region": region_json(&r.region),
            "issuer": r.issuer,
            "level": r.level,
            "published": r.published,
            "index_no": r.index_no,
            "template": r.template.as_str(),
            "sections": sections,
            "figures": figures,
            "checks": r.checks,
            "warnings": r.warnings,
        })))
    })
    .await
}

// ─────────────────────────────── /api/stats

#[derive(Default)]
struct Agg {
    count: u64,
    n: u64,
    sum: f64,
    min: Option<f64>,
    max: Option<f64>,
}

async fn api_stats(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Json<Value>> {
    let mut allowed = FILTER_PARAMS.to_vec();
    allowed.extend(["group", "region_level", "figure"]);
    let p = Params::parse(raw, &allowed)?;
    let mut req = search_request(&p)?;
    req.limit = 0;
    req.snippets = false;
    let group = p.one("group").unwrap_or("year").to_string();
    let column = match group.as_str() {
        "year" => "year",
        "region" => "region_s",
        "issuer" => "issuer",
        "level" => "level",
        "template" => "template",
        g => {
            return Err(ApiError::bad(
                "group",
                format!("{g:?} is not one of year, region, issuer, level, template"),
            ))
        }
    };
    let depth = match p.one("region_level").unwrap_or("province") {
        "province" => 1,
        "prefecture" => 2,
        "county" => 3,
        l => {
            return Err(ApiError::bad(
                "region_level",
                format!("{l:?} is not one of province, prefecture, county"),
            ))
        }
    };
    let figure = p.figures("figure")?.first().copied();
    let index = st.index.clone();
    let started = Instant::now();
    let rows = blocking(&st, move || {
        let m = index.matching_top(&req, Some(0)).map_err(search_error)?;
        let searcher = m.searcher();
        let mut aggs: HashMap<String, Agg> = HashMap::new();
        let mut by_segment: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (_, addr, _) in &m.hits {
            by_segment
                .entry(addr.segment_ord)
                .or_default()
                .push(addr.doc_id);
        }
        for (seg, docs) in by_segment {
            let reader = searcher.segment_reader(seg);
            let ff = reader.fast_fields();
            let years = ff.i64("year").ok();
            let strs = if column == "year" {
                None
            } else {
                ff.str(column).ok().flatten()
            };
            // Terms by ordinal, decoded once per segment and cached by the index.
            let names = strs
                .as_ref()
                .map(|c| crate::search::column_terms(&index.terms, reader.segment_id(), column, c))
                .unwrap_or_default();
            let values = figure.and_then(|k| ff.f64(&figure_field_name(k)).ok());
            for d in docs {
                let key: std::borrow::Cow<str> = if column == "year" {
                    years
                        .as_ref()
                        .and_then(|c| c.first(d))
                        .map_or("unknown".into(), |y| y.to_string().into())
                } else {
                    match strs
                        .as_ref()
                        .and_then(|c| c.term_ords(d).next())
                        .and_then(|o| names.get(o as usize))
                    {
                        Some(t) if column == "region_s" => t
                            .trim_matches('/')
                            .split('/')
                            .take(depth)
                            .collect::<Vec<_>>()
                            .join("/")
                            .into(),
                        Some(t) => t.as_str().into(),
                        None => "unknown".into(),
                    }
                };
                let a = match aggs.get_mut(key.as_ref()) {
                    Some(a) => a,
                    None => aggs.entry(key.into_owned()).or_default(),
                };
                a.count += 1;
                if let Some(v) = values.as_ref().and_then(|c| c.first(d)) {
                    a.n += 1;
                    a.sum += v;
                    a.min = Some(a.min.map_or(v, |m: f64| m.min(v)));
                    a.max = Some(a.max.map_or(v, |m: f64| m.max(v)));
                }
            }
        }
        let mut rows: Vec<(String, Agg)> = aggs.into_iter().collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(rows)
    })
    .await?;
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|(k, a)| {
            json!({
                "key": k,
                "count": a.count,
                "n": a.n,
                "sum": figure.map(|_| json_num(a.sum)),
                "mean": (a.n > 0).then(|| a.sum / a.n as f64),
                "min": a.min.map(json_num),
                "max": a.max.map(json_num),
            })
        })
        .collect();
    Ok(Json(json!({
        "group": group,
        "figure": figure,
        "label": figure.and_then(fields::get).map(|f| f.label_zh),
        "took_ms": started.elapsed().as_millis() as u64,
        "rows": rows,
    })))
}

// ─────────────────────────────── /api/export

/// A text cell that a spreadsheet would run as a formula gets a leading quote.
pub fn defuse_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r', '|']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

async fn api_export(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let mut allowed = FILTER_PARAMS.to_vec();
    allowed.extend(["sort", "format", "figures", "limit"]);
    let p = Params::parse(raw, &allowed)?;
    let mut req = search_request(&p)?;
    let format = p.one("format").unwrap_or("csv").to_string();
    if format != "csv" && format != "jsonl" {
        return Err(ApiError::bad(
            "format",
            format!("{format:?} is not csv or jsonl"),
        ));
    }
    let mut figs = p.figures("figures")?;
    if figs.is_empty() {
        figs = DEFAULT_HIT_FIGURES.to_vec();
    }
    let limit = p.number("limit", 0, 0..=10_000_000)?;
    req.limit = limit;
    req.snippets = false;
    let index = st.index.clone();
    let m = blocking(&st, {
        let index = index.clone();
        move || index.matching(&req).map_err(search_error)
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
            let mut w = csv::Writer::from_writer(&mut buf);
            let mut head: Vec<String> = [
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
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            head.extend(figs.iter().map(|s| s.to_string()));
            let _ = w.write_record(&head);
            drop(w);
        }
        let mut start = 0;
        while start < total {
            let end = (start + 256).min(total);
            for item in m.reports(&index, start..end) {
                let Ok((_, _, s)) = item else { continue };
                let r = &s.report;
                if csv {
                    let mut w = csv::WriterBuilder::new().from_writer(&mut buf);
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
                            .map(|v| json_num(*v).to_string())
                            .unwrap_or_default()
                    }));
                    let _ = w.write_record(&rec);
                } else {
                    let figures: serde_json::Map<String, Value> = figs
                        .iter()
                        .map(|k| {
                            (
                                k.to_string(),
                                r.figures.get(*k).map_or(Value::Null, |v| json_num(*v)),
                            )
                        })
                        .collect();
                    let line = json!({
                        "id": s.id, "path": s.path, "title": r.title, "year": r.year, "region": region_json(&r.region),
                        "issuer": r.issuer, "level": r.level, "template": r.template.as_str(), "published": r.published,
                        "failed_checks": r.failed_checks(), "figures": figures,
                    });
                    buf.extend_from_slice(line.to_string().as_bytes());
                    buf.push(b'\n');
                }
            }
            if tx
                .blocking_send(Ok(bytes::Bytes::from(std::mem::take(&mut buf))))
                .is_err()
            {
                return; // client went away
            }
            start = end;
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

// ─────────────────────────────── /api/fields, OpenAPI

async fn api_fields() -> Json<Value> {
    Json(json!(fields::all()))
}

async fn api_openapi() -> Json<Value> {
    Json(crate::server::openapi::document())
}
