//! The OpenAPI description served at `/api/openapi.json`: paths and
//! parameters written here, response bodies described by the schemas derived
//! from the types of [`super::responses`] (one source for the JSON and its
//! description).

use super::error::ErrorBody;
use super::responses::{FieldBody, Health, ReportBody, SearchBody, StatsBody};
use serde_json::{json, Value};
use utoipa::openapi::ComponentsBuilder;
use utoipa::ToSchema;

fn param(name: &str, desc: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": desc, "schema": schema })
}

fn filters() -> Vec<Value> {
    vec![
        param("q", "Query: words (AND), \"exact phrase\", OR, -exclusion, section:problems scoping; traditional characters are folded to simplified.", json!({"type": "string", "maxLength": 500})),
        param("section", "Search only this section.", json!({"type": "string", "enum": ["overview", "proactive", "requests", "appeals", "problems", "other"]})),
        param("year", "Year reported, or a range: 2021, 2019..2023, 2019.., ..2020.", json!({"type": "string"})),
        param("region", "Region name, path (河北省/秦皇岛市) or GB/T 2260 code; includes everything under it.", json!({"type": "string"})),
        param("issuer", "Part of the issuing body's name.", json!({"type": "string"})),
        param("level", "Kind of issuer.", json!({"type": "string", "enum": ["province", "prefecture", "county", "department"]})),
        param("template", "Template era.", json!({"type": "string", "enum": ["2021", "2019", "narrative"]})),
        json!({ "name": "where", "in": "query", "required": false, "explode": true,
                "description": "Figure condition, repeatable (ANDed): `requests.new.total >= 100` with = != < <= > >= and any key of /api/fields; `checks.failed` for reports breaking any consistency relation; `checks.failed = review_sum` for one.",
                "schema": {"type": "array", "items": {"type": "string"}} }),
        json!({ "name": "failed_check", "in": "query", "required": false, "explode": true,
                "description": "Reports breaking this consistency relation (requests_balance, requests_outcomes_sum, requests_columns_sum, review_sum); repeatable; same as `where=checks.failed = NAME`.",
                "schema": {"type": "array", "items": {"type": "string"}} }),
        param("body", "Body id: the reports of one issuing body over the years (with group=year in /api/stats: its year-over-year figures).", json!({"type": "string"})),
        param("timeliness", "Published by the deadline (31 January for departments, 31 March for governments, of the next year).", json!({"type": "string", "enum": ["on_time", "late", "unknown"]})),
    ]
}

/// The schemas of every response body, and of the types they contain.
fn schemas() -> Value {
    let mut nested = Vec::new();
    SearchBody::schemas(&mut nested);
    ReportBody::schemas(&mut nested);
    StatsBody::schemas(&mut nested);
    super::bodies::BodyBody::schemas(&mut nested);
    let components = ComponentsBuilder::new()
        .schema_from::<SearchBody>()
        .schema_from::<ReportBody>()
        .schema_from::<StatsBody>()
        .schema_from::<super::bodies::BodyBody>()
        .schema_from::<FieldBody>()
        .schema_from::<Health>()
        .schema_from::<ErrorBody>()
        .schemas_from_iter(nested)
        .build();
    serde_json::to_value(components.schemas).expect("schemas serialise")
}

/// A JSON response whose body is the schema `name`.
fn body(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": {"application/json": {"schema": schema}} })
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The OpenAPI 3.0 document.
pub fn document() -> Value {
    let err = json!({ "description": "A parameter is malformed; the message names it.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}} });
    let mut search_params = filters();
    search_params.extend([
        param("sort", "relevance (default), year, or a figure key; prefix - for descending (-year, -requests.new.total).", json!({"type": "string"})),
        param("page", "Page number, from 1.", json!({"type": "integer", "minimum": 1, "default": 1})),
        param("size", "Hits per page.", json!({"type": "integer", "minimum": 1, "maximum": 100, "default": 20})),
        param("figures", "Comma-separated figure keys to return with each hit.", json!({"type": "string"})),
    ]);
    let mut stats_params = filters();
    stats_params.extend([
        param("group", "Group by.", json!({"type": "string", "enum": ["year", "region", "issuer", "level", "template"], "default": "year"})),
        param("region_level", "Level of the region groups.", json!({"type": "string", "enum": ["province", "prefecture", "county"], "default": "province"})),
        param("figure", "Figure key to aggregate (count, sum, mean, min, max); without it only counts.", json!({"type": "string"})),
    ]);
    let mut export_params = filters();
    export_params.extend([
        param(
            "format",
            "csv (UTF-8 with BOM) or jsonl.",
            json!({"type": "string", "enum": ["csv", "jsonl"], "default": "csv"}),
        ),
        param(
            "figures",
            "Comma-separated figure keys as columns.",
            json!({"type": "string"}),
        ),
        param("sort", "As for /api/search.", json!({"type": "string"})),
        param(
            "limit",
            "At most this many rows (0 = all).",
            json!({"type": "integer", "minimum": 0, "default": 0}),
        ),
    ]);
    json!({
        "openapi": "3.0.3",
        "info": { "title": "gongkai API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Search Chinese government information disclosure annual reports (政府信息公开工作年度报告)." },
        "paths": {
            "/api/search": { "get": { "summary": "Search, with facet counts over the whole result set", "parameters": search_params,
                "responses": { "200": body("total, took_ms, hits (id, title, year, region, issuer, score, snippets with <mark>, figures), facets (region tree, year, issuer, level, template, failed_checks)", schema_ref("SearchBody")), "400": err, "503": {"description": "The query ran too long and was cut off."} } } },
            "/api/reports/{id}": { "get": { "summary": "One report: metadata, sections (normalised and original), figures with Chinese labels, checks, warnings",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": { "200": body("The report", schema_ref("ReportBody")), "400": err, "404": {"description": "No report with this id"} } } },
            "/api/bodies/{id}": { "get": { "summary": "One issuing body across the years: its reports, key figures per year with the change from the year before, each problems section with the passages repeating the previous year's marked",
                "parameters": [{"name": "id", "in": "path", "required": true, "description": "Body id (StoredReport.body, `body` filter of /api/search)", "schema": {"type": "string"}}],
                "responses": { "200": body("The body", schema_ref("BodyBody")), "400": err, "404": {"description": "No body with this id"} } } },
            "/api/stats": { "get": { "summary": "Aggregate a figure over the filtered set, grouped", "parameters": stats_params,
                "responses": { "200": body("rows of {key, count, n, sum, mean, min, max}", schema_ref("StatsBody")), "400": err } } },
            "/api/export": { "get": { "summary": "The filtered set as CSV or JSONL, streamed", "parameters": export_params,
                "responses": { "200": {"description": "text/csv or application/x-ndjson"}, "400": err } } },
            "/api/fields": { "get": { "summary": "The data dictionary: figure keys, Chinese labels, tables", "responses": { "200": body("list of fields", json!({"type": "array", "items": schema_ref("FieldBody")})) } } },
            "/api/openapi.json": { "get": { "summary": "This document", "responses": { "200": {"description": "OpenAPI 3.0 JSON"} } } },
            "/healthz": { "get": { "summary": "Liveness and the number of reports", "responses": { "200": body("ok", schema_ref("Health")) } } }
        },
        "components": { "schemas": schemas() }
    })
}
