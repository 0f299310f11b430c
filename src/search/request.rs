//! A search request as the CLI and the server receive it (filters as
//! strings), and the checks that turn its filters into typed values. Nothing
//! here knows the index: [`super::compile()`] maps the checked values onto it.

use super::QueryError;
use crate::model::checks::CHECKS;
use crate::model::report::IssuerLevel;
use crate::parse::figures::Template;
use serde::{Deserialize, Serialize};

/// A search, as the CLI and the server receive it (filters as strings, checked by [`super::compile()`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    pub q: String,
    /// `2019..2023`, `2021`, `2019..`, `..2020`.
    pub year: Option<String>,
    /// A region name, path (河北省/秦皇岛市) or code; matches the region and everything under it.
    pub region: Option<String>,
    /// Substring of the issuer's name.
    pub issuer: Option<String>,
    /// The issuer's name exactly, as a facet lists it.
    pub issuer_exact: Option<String>,
    /// Stable id of the issuing body ([`crate::model::body::body_id`]).
    pub body: Option<String>,
    /// province, prefecture, county or department.
    pub level: Option<String>,
    /// 2021, 2019 or narrative.
    pub template: Option<String>,
    /// on_time, late or unknown.
    pub timeliness: Option<String>,
    /// Conditions, ANDed: `requests.new.total >= 100`, `checks.failed`, `checks.failed = review_sum`.
    #[serde(rename = "where")]
    pub where_: Vec<String>,
    /// Section for every unscoped term.
    pub section: Option<String>,
    /// `relevance` (default), `year`, any figure key; `-` prefix for descending.
    pub sort: Option<String>,
    pub desc: bool,
    /// 0 = every hit.
    pub limit: usize,
    pub offset: usize,
    /// Build snippets for the hits returned.
    pub snippets: bool,
    /// Entries per facet (0 = all).
    pub facet_limit: usize,
    /// Body-years with several reports to list in [`super::SearchResponse::repeated`] (0: none).
    pub versions_facet: usize,
}

impl SearchRequest {
    pub fn new(q: impl Into<String>) -> Self {
        SearchRequest {
            q: q.into(),
            limit: 10,
            snippets: true,
            facet_limit: 30,
            ..Default::default()
        }
    }
}

/// Sort order of hits.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    Relevance,
    Year,
    Figure(&'static str),
}

/// A comparison of a `where` condition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

pub(crate) fn parse_year_range(s: &str) -> Result<(Option<i64>, Option<i64>), QueryError> {
    let name = format!("--year '{s}'");
    let num = |t: &str, col: usize| -> Result<Option<i64>, QueryError> {
        let t = t.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<i64>().map(Some).map_err(|_| {
            QueryError::new(
                name.clone(),
                format!("`{t}` is not a year (use 2021, 2019..2023, 2019.. or ..2020)"),
                Some(col + 1),
            )
        })
    };
    match s.find("..") {
        Some(p) => {
            let lo = num(&s[..p], 0)?;
            let hi = num(&s[p + 2..], s[..p + 2].chars().count())?;
            if lo.is_none() && hi.is_none() {
                return Err(QueryError::new(name, "empty range", Some(1)));
            }
            if let (Some(a), Some(b)) = (lo, hi) {
                if a > b {
                    return Err(QueryError::new(name, format!("{a} is after {b}"), Some(1)));
                }
            }
            Ok((lo, hi))
        }
        None => {
            let y = num(s, 0)?;
            if y.is_none() {
                return Err(QueryError::new(name, "empty year", Some(1)));
            }
            Ok((y, y))
        }
    }
}

/// Resolves a region filter to facet paths ("/河北省/秦皇岛市"); a name shared by
/// several divisions gives all of them.
pub fn region_paths(s: &str) -> Result<Vec<String>, QueryError> {
    let name = format!("--region '{s}'");
    let folded = crate::parse::normalize::fold(s);
    let t = folded.trim().trim_matches('/');
    if t.is_empty() {
        return Err(QueryError::new(name, "empty region", Some(1)));
    }
    let found: Vec<String> = if t.chars().all(|c| c.is_ascii_digit()) {
        crate::gazetteer::by_code(t, None)
            .into_iter()
            .map(|r| r.path)
            .collect()
    } else if t.contains('/') {
        crate::gazetteer::by_path(t, None)
            .into_iter()
            .map(|r| r.path)
            .collect()
    } else {
        let mut v: Vec<String> = crate::gazetteer::by_name(t, None)
            .into_iter()
            .map(|r| r.path)
            .collect();
        if v.is_empty() {
            v.extend(crate::gazetteer::resolve(t, None).map(|r| r.path));
        }
        v
    };
    if found.is_empty() {
        return Err(QueryError::new(
            name,
            format!("unknown region `{t}` (give a name, a path like 河北省/秦皇岛市, or a code)"),
            Some(1),
        ));
    }
    Ok(found
        .into_iter()
        .map(|p| format!("/{}", p.trim_matches('/')))
        .collect())
}

/// What a `where` condition compares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumKey {
    Year,
    /// A key of the data dictionary.
    Figure(&'static str),
}

/// A checked `where` condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `checks.failed`: the report breaks some consistency relation.
    AnyFailed,
    /// `checks.failed = NAME` (or `!=`).
    Failed { check: String, equal: bool },
    /// `KEY` alone: the report has a value for it.
    Exists(NumKey),
    /// `KEY OP NUMBER`.
    Compare { key: NumKey, op: Op, value: f64 },
}

/// Reads the operator at the start of `rest`, with its length in characters.
fn operator(rest: &str) -> Option<(Op, usize)> {
    [
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("==", Op::Eq),
        ("=", Op::Eq),
        ("<", Op::Lt),
        (">", Op::Gt),
    ]
    .into_iter()
    .find(|(s, _)| rest.starts_with(s))
    .map(|(s, op)| (op, s.len()))
}

/// Parses a `where` condition: `requests.new.total >= 100`, `year < 2020`,
/// `checks.failed`, `checks.failed = review_sum`.
pub fn parse_where(s: &str) -> Result<Condition, QueryError> {
    let name = format!("--where '{s}'");
    let chars: Vec<char> = s.chars().collect();
    let err = |m: String, col: usize| QueryError::new(name.clone(), m, Some(col + 1));
    let skip_space = |mut i: usize| {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        i
    };
    let kstart = skip_space(0);
    let mut i = kstart;
    while i < chars.len()
        && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.')
    {
        i += 1;
    }
    let key: String = chars[kstart..i].iter().collect();
    if key.is_empty() {
        return Err(err("expected a figure key".into(), kstart));
    }
    let ostart = skip_space(i);
    let rest: String = chars[ostart..].iter().collect();
    let op = if rest.is_empty() {
        None
    } else {
        let Some((op, len)) = operator(&rest) else {
            return Err(err(
                format!(
                    "expected an operator (= != < <= > >=), found `{}`",
                    rest.chars().take(8).collect::<String>()
                ),
                ostart,
            ));
        };
        let vstart = skip_space(ostart + len);
        let value: String = chars[vstart..]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        if value.is_empty() {
            return Err(err("missing value after the operator".into(), vstart));
        }
        Some((op, value, vstart))
    };
    if key == "checks.failed" {
        let Some((op, v, col)) = op else {
            return Ok(Condition::AnyFailed);
        };
        if !CHECKS.contains(&v.as_str()) {
            return Err(err(
                format!("unknown check `{v}` (checks: {})", CHECKS.join(", ")),
                col,
            ));
        }
        return match op {
            Op::Eq | Op::Ne => Ok(Condition::Failed {
                check: v,
                equal: op == Op::Eq,
            }),
            _ => Err(err("checks.failed takes = or !=".into(), ostart)),
        };
    }
    let num_key = if key == "year" {
        NumKey::Year
    } else if let Some(d) = crate::model::fields::get(&key) {
        NumKey::Figure(d.key)
    } else {
        return Err(err(
            format!("unknown key `{key}` (see fields.tsv; also year, checks.failed)"),
            kstart,
        ));
    };
    let Some((op, v, vcol)) = op else {
        return Ok(Condition::Exists(num_key));
    };
    let x: f64 = v
        .parse()
        .map_err(|_| err(format!("`{v}` is not a number"), vcol))?;
    if !x.is_finite() {
        return Err(err(format!("`{v}` is not a finite number"), vcol));
    }
    if num_key == NumKey::Year && x.fract() != 0.0 {
        return Err(err(format!("`{v}` is not a whole year"), vcol));
    }
    Ok(Condition::Compare {
        key: num_key,
        op,
        value: x,
    })
}

/// The timeliness filter, checked.
pub fn parse_timeliness(t: &str) -> Result<crate::model::derived::Timeliness, QueryError> {
    use crate::model::derived::Timeliness;
    [Timeliness::OnTime, Timeliness::Late, Timeliness::Unknown]
        .into_iter()
        .find(|x| x.as_str() == t.trim())
        .ok_or_else(|| {
            QueryError::new(
                format!("--timeliness '{t}'"),
                "unknown timeliness (on_time, late, unknown)",
                None,
            )
        })
}

/// The level filter, checked.
pub fn parse_level(l: &str) -> Result<IssuerLevel, QueryError> {
    IssuerLevel::parse(l.trim()).ok_or_else(|| {
        QueryError::new(
            format!("--level '{l}'"),
            "unknown level (province, prefecture, county, department)",
            Some(1),
        )
    })
}

/// The template filter, checked.
pub fn parse_template(t: &str) -> Result<Template, QueryError> {
    Template::parse(t.trim()).ok_or_else(|| {
        QueryError::new(
            format!("--template '{t}'"),
            "unknown template (2021, 2019, narrative)",
            Some(1),
        )
    })
}

pub(crate) fn parse_sort(s: Option<&str>, desc_flag: bool) -> Result<(SortKey, bool), QueryError> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok((SortKey::Relevance, true));
    };
    let (neg, key) = match s.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, s),
    };
    let k = match key {
        "relevance" | "score" => return Ok((SortKey::Relevance, true)),
        "year" => SortKey::Year,
        _ => match crate::model::fields::get(key) {
            Some(d) => SortKey::Figure(d.key),
            None => {
                return Err(QueryError::new(
                    format!("--sort '{s}'"),
                    format!("unknown sort key `{key}` (relevance, year, or a key of fields.tsv)"),
                    Some(if neg { 2 } else { 1 }),
                ))
            }
        },
    };
    Ok((k, neg || desc_flag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ranges() {
        assert!(parse_year_range("20x1").is_err());
        assert_eq!(parse_year_range("2019..").unwrap(), (Some(2019), None));
        assert_eq!(parse_year_range("..2020").unwrap(), (None, Some(2020)));
        assert_eq!(parse_year_range("2021").unwrap(), (Some(2021), Some(2021)));
        assert_eq!(parse_year_range("2023..2019").unwrap_err().column, Some(1));
    }

    #[test]
    fn where_conditions() {
        assert_eq!(
            parse_where("requests.new.total >= 100").unwrap(),
            Condition::Compare {
                key: NumKey::Figure("requests.new.total"),
                op: Op::Ge,
                value: 100.0
            }
        );
        assert_eq!(parse_where("checks.failed").unwrap(), Condition::AnyFailed);
        assert_eq!(
            parse_where("checks.failed != review_sum").unwrap(),
            Condition::Failed {
                check: "review_sum".into(),
                equal: false
            }
        );
        assert_eq!(
            parse_where("year").unwrap(),
            Condition::Exists(NumKey::Year)
        );
        let e = parse_where("year = 2020.5").unwrap_err();
        assert!(e.message.contains("whole year"), "{e}");
        assert_eq!(
            parse_where("checks.failed < review_sum")
                .unwrap_err()
                .column,
            Some(15)
        );
        assert_eq!(
            parse_where("requests.new.total ~ 1").unwrap_err().column,
            Some(20)
        );
        assert_eq!(parse_where("no.such >= 1").unwrap_err().column, Some(1));
    }
}
