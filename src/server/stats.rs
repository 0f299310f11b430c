//! `/api/stats`: a figure aggregated over the filtered set, grouped.

use super::error::{ApiError, ApiResult, ErrorBody};
use super::params::{Filters, GroupName, Params, RegionLevelName};
use super::responses::{year_changes, StatsBody, StatsRow};
use super::{blocking, AppState};
use crate::model::fields;
use crate::search::Group;
use axum::extract::{RawQuery, State};
use axum::Json;
use std::time::Instant;

/// Parameters of `/api/stats` besides the filters.
#[allow(dead_code)] // documentation and the parser's list of names
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// Group by: year (default), region, issuer, level or template.
    #[param(inline)]
    group: Option<GroupName>,
    /// Level of the region groups: province (default), prefecture or county.
    #[param(inline)]
    region_level: Option<RegionLevelName>,
    /// Figure key to aggregate (count, sum, mean, min, max); without it only counts.
    figure: Option<String>,
    /// true (default): a body's reports for one year count once (its report of record: most known figures, then newest); false: every report counts.
    #[param(default = true)]
    dedupe: Option<bool>,
}

/// Aggregate a figure over the filtered set, grouped
///
/// A body's reports for one year count once unless `dedupe=false`.
#[utoipa::path(get, path = "/api/stats", params(Filters, StatsParams),
    responses(
        (status = 200, description = "rows of {key, count, n, sum, mean, min, max, change}; with group=year, change is against the previous year's row", body = StatsBody),
        (status = 400, description = "A parameter is malformed; the message names it.", body = ErrorBody),
    ))]
pub async fn api_stats(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<StatsBody>> {
    let p = Params::parse::<StatsParams>(raw)?;
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
    let dedupe = match p.one("dedupe").unwrap_or("true") {
        "true" | "1" => true,
        "false" | "0" => false,
        d => {
            return Err(ApiError::bad(
                "dedupe",
                format!("{d:?} is not true or false"),
            ))
        }
    };
    let index = st.index.clone();
    let started = Instant::now();
    let groups = blocking(&st, move || {
        Ok(crate::search::aggregate(
            &index, &req, group, figure, dedupe,
        )?)
    })
    .await?;
    let mut rows: Vec<StatsRow> = groups
        .iter()
        .map(|g| StatsRow::new(g, figure.is_some()))
        .collect();
    if matches!(group, Group::Year) {
        year_changes(&mut rows, &groups, figure.is_some());
    }
    Ok(Json(StatsBody {
        dedupe,
        figure,
        group: group_name,
        label: figure.and_then(fields::get).map(|f| f.label_zh),
        took_ms: started.elapsed().as_millis() as u64,
        rows,
    }))
}
