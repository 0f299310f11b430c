//! Query-string parameters: parsed in order, each checked on its own so that
//! a 400 names the one at fault.

use super::error::{ApiError, ApiResult};
use crate::model::fields;
use crate::parse::sections::SectionKey;
use crate::search::SearchRequest;
use serde::Deserialize;
use utoipa::openapi::path::ParameterIn;
use utoipa::{IntoParams, ToSchema};

/// A parameter's name and how it sets its value alone on an empty request.
type Probe<'a> = (&'static str, &'a dyn Fn(&mut SearchRequest));

/// Query-string pairs, in order (repeated keys kept).
pub struct Params(Vec<(String, String)>);

/// The filter parameters every listing endpoint takes. This struct is their
/// documentation and the list the parser accepts: its fields become the
/// OpenAPI parameters ([`IntoParams`]) and [`names`] reads them back.
#[allow(dead_code)] // read by the OpenAPI derive and `names`, never built
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filters {
    /// Query: words (AND), "exact phrase", OR, -exclusion, section:problems scoping; traditional characters are folded to simplified.
    #[param(max_length = 500)]
    q: Option<String>,
    /// Search only this section.
    #[param(inline)]
    section: Option<SectionName>,
    /// Year reported, or a range: 2021, 2019..2023, 2019.., ..2020.
    year: Option<String>,
    /// Region name, path (河北省/秦皇岛市) or GB/T 2260 code; includes everything under it.
    region: Option<String>,
    /// Part of the issuing body's name (a substring match: 市教育局 also finds 某市教育局).
    issuer: Option<String>,
    /// The issuing body's name exactly, as the issuer facet lists it.
    issuer_exact: Option<String>,
    /// Stable id of the issuing body across years and renamings (`versions` facet, `body` of a report).
    body: Option<String>,
    /// Kind of issuer.
    #[param(inline)]
    level: Option<LevelName>,
    /// Template era.
    #[param(inline)]
    template: Option<TemplateName>,
    /// Figure condition, repeatable (ANDed): `requests.new.total >= 100` with = != < <= > >= and any key of /api/fields; `checks.failed` for reports breaking any consistency relation; `checks.failed = review_sum` for one.
    #[param(rename = "where", explode)]
    where_: Option<Vec<String>>,
    /// Reports breaking this consistency relation (requests_balance, requests_outcomes_sum, requests_columns_sum, review_sum); repeatable; same as `where=checks.failed = NAME`.
    #[param(explode)]
    failed_check: Option<Vec<String>>,
    /// Published by the deadline (31 January for departments, 31 March for governments, of the next year): on_time, late, unknown.
    #[param(inline)]
    timeliness: Option<TimelinessName>,
}

/// Whether a report came out by its deadline.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimelinessName {
    OnTime,
    Late,
    Unknown,
}

/// A section key.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SectionName {
    Overview,
    Proactive,
    Requests,
    Appeals,
    Problems,
    Other,
}

/// A kind of issuer.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LevelName {
    Province,
    Prefecture,
    County,
    Department,
}

/// A template era.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
pub enum TemplateName {
    #[serde(rename = "2021")]
    T2021,
    #[serde(rename = "2019")]
    T2019,
    #[serde(rename = "narrative")]
    Narrative,
}

/// Values of an endpoint parameter that takes one of a few words, as a schema.
macro_rules! word_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[allow(dead_code)]
        #[derive(Deserialize, ToSchema)]
        #[serde(rename_all = "lowercase")]
        pub enum $name {
            $($variant),+
        }
    };
}

word_enum!(
    /// An export format.
    FormatName { Csv, Jsonl }
);
word_enum!(
    /// How the CSV names columns and values.
    LabelsName { Key, Zh }
);
word_enum!(
    /// What statistics are grouped by.
    GroupName { Year, Region, Issuer, Level, Template }
);
word_enum!(
    /// The level of region groups.
    RegionLevelName { Province, Prefecture, County }
);

/// The names of a parameter struct's parameters, as documented.
pub fn names<P: IntoParams>() -> Vec<String> {
    P::into_params(|| Some(ParameterIn::Query))
        .into_iter()
        .map(|p| p.name)
        .collect()
}

impl Params {
    /// Parses a raw query string, refusing a key that is not one of
    /// [`Filters`] or of the endpoint's own parameters `E`.
    pub fn parse<E: IntoParams>(raw: Option<String>) -> ApiResult<Params> {
        let known: Vec<String> = names::<Filters>().into_iter().chain(names::<E>()).collect();
        let raw = raw.unwrap_or_default();
        check_encoding(&raw).map_err(|(param, why)| ApiError::bad(&param, why))?;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        for (k, _) in &pairs {
            if !known.contains(k) {
                return Err(ApiError::bad(
                    k,
                    format!("unknown parameter; known: {}", known.join(", ")),
                ));
            }
        }
        Ok(Params(pairs))
    }

    /// The last non-blank value of `key`.
    pub fn one(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every non-blank value of `key`, in order.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// A whole number in `range`, or `default` when absent.
    pub fn number(
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

    /// Figure keys, comma-separated and repeatable, each checked against the dictionary.
    pub fn figures(&self, key: &str) -> ApiResult<Vec<&'static str>> {
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

    /// Figure keys of `key`, or `default` when none are given.
    pub fn figures_or(&self, key: &str, default: &[&'static str]) -> ApiResult<Vec<&'static str>> {
        let figs = self.figures(key)?;
        Ok(if figs.is_empty() {
            default.to_vec()
        } else {
            figs
        })
    }

    /// Builds and checks the filtered-set part of a request, naming the parameter at fault.
    pub fn search_request(&self) -> ApiResult<SearchRequest> {
        let mut req = SearchRequest::new(self.one("q").unwrap_or(""));
        if req.q.chars().count() > 500 {
            return Err(ApiError::bad("q", "longer than 500 characters"));
        }
        req.section = self.one("section").map(String::from);
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
        req.year = self.one("year").map(String::from);
        req.region = self.one("region").map(String::from);
        req.issuer = self.one("issuer").map(String::from);
        req.issuer_exact = self.one("issuer_exact").map(String::from);
        req.body = self.one("body").map(String::from);
        req.level = self.one("level").map(String::from);
        req.template = self.one("template").map(String::from);
        req.timeliness = self.one("timeliness").map(String::from);
        req.where_ = self.all("where");
        // A failed-checks facet click: reports breaking that relation (checked on
        // its own below, so that an error names `failed_check`, not `where`).
        let failed: Vec<String> = self
            .all("failed_check")
            .into_iter()
            .map(|c| format!("checks.failed = {c}"))
            .collect();
        if req.where_.len() + failed.len() > 20 {
            return Err(ApiError::bad("where", "more than 20 conditions"));
        }
        // Check each parameter alone, so that the error names it.
        let alone = |set: &dyn Fn(&mut SearchRequest)| {
            let mut probe = SearchRequest::default();
            set(&mut probe);
            crate::search::validate(&probe)
        };
        let probes: [Probe; 9] = [
            ("q", &|p| p.q = req.q.clone()),
            ("year", &|p| p.year = req.year.clone()),
            ("region", &|p| p.region = req.region.clone()),
            ("issuer", &|p| p.issuer = req.issuer.clone()),
            ("level", &|p| p.level = req.level.clone()),
            ("template", &|p| p.template = req.template.clone()),
            ("timeliness", &|p| p.timeliness = req.timeliness.clone()),
            ("where", &|p| p.where_ = req.where_.clone()),
            ("failed_check", &|p| p.where_ = failed.clone()),
        ];
        for (name, set) in probes {
            alone(set).map_err(|e| ApiError::bad(name, e))?;
        }
        req.where_.extend(failed);
        if let Some(s) = self.one("sort") {
            let sort = Some(s.to_string());
            alone(&|p| p.sort = sort.clone()).map_err(|e| ApiError::bad("sort", e))?;
            req.sort = sort;
        }
        Ok(req)
    }
}

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
