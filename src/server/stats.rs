//! `/api/stats`: a figure aggregated over the filtered set, grouped.

use super::error::{ApiError, ApiResult};
use super::params::Params;
use super::responses::{StatsBody, StatsRow};
use super::{blocking, AppState};
use crate::model::fields;
use crate::search::Group;
use axum::extract::{RawQuery, State};
use axum::Json;
use std::time::Instant;

pub async fn api_stats(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<StatsBody>> {
    let p = Params::parse(raw, &["group", "region_level", "figure"])?;
    let mut req = p.search_request()?;
    req.limit = 0;
    req.snippets = false;
    let group_name = p.one("group").unwrap_or("year").to_string();
    let mut group = match group_name.as_str() {
        "year" => Group::Year,
        "region" => Group::Region { depth: 1 },
        "issuer" => Group::Issuer,
        "level" => Group::Level,
        "template" => Group::Template,
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
    if let Group::Region { .. } = group {
        group = Group::Region { depth };
    }
    let figure = p.figures("figure")?.first().copied();
    let index = st.index.clone();
    let started = Instant::now();
    let groups = blocking(&st, move || {
        Ok(crate::search::aggregate(&index, &req, group, figure)?)
    })
    .await?;
    Ok(Json(StatsBody {
        figure,
        group: group_name,
        label: figure.and_then(fields::get).map(|f| f.label_zh),
        took_ms: started.elapsed().as_millis() as u64,
        rows: groups
            .iter()
            .map(|g| StatsRow::new(g, figure.is_some()))
            .collect(),
    }))
}
