//! Figures computed from a report's own: rates of the requests table and of
//! appeals, and how late the report was published. They answer the questions
//! asked of every report ("how often are requests refused, and on what grounds?",
//! "was it on time?") and are filtered, sorted and aggregated like the tables'
//! figures. A rate whose denominator is missing or zero has no value.

use crate::model::report::{IssuerLevel, Report};
use crate::parse::figures::Figures;

/// Key of the days-late figure.
pub const DAYS_LATE: &str = "timeliness.days_late";

/// Grounds of refusal (不予公开) in table 2, as figure key stems.
const DENIED: [&str; 8] = [
    "state_secret",
    "law_prohibited",
    "security_stability",
    "third_party",
    "internal_affairs",
    "process_info",
    "enforcement_file",
    "query_matter",
];
const UNABLE: [&str; 3] = ["not_held", "needs_creation", "unclear"];
const NOT_PROCESSED: [&str; 5] = [
    "petition",
    "duplicate",
    "publication",
    "excessive",
    "confirmation",
];

/// Sum of `requests.<group>.<row>.total` over `rows`; none if no row is given.
fn group_sum(f: &Figures, group: &str, rows: &[&str]) -> Option<f64> {
    let vals: Vec<f64> = rows
        .iter()
        .filter_map(|r| f.get(&format!("requests.{group}.{r}.total")).copied())
        .collect();
    (!vals.is_empty()).then(|| vals.iter().sum())
}

fn ratio(num: Option<f64>, den: Option<f64>) -> Option<f64> {
    match (num, den) {
        (Some(n), Some(d)) if d > 0.0 && n >= 0.0 => Some(n / d),
        _ => None,
    }
}

/// Decided cases of an appeals group (审结 = 维持 + 纠正 + 其他结果): the stated
/// total less pending, or the sum of the three outcomes.
fn decided(f: &Figures, group: &str) -> Option<f64> {
    let get = |k: &str| f.get(&format!("{group}.{k}")).copied();
    match (get("total"), get("pending")) {
        (Some(t), Some(p)) => Some(t - p),
        _ => {
            let parts = [get("upheld"), get("corrected"), get("other")];
            parts
                .iter()
                .all(Option::is_some)
                .then(|| parts.iter().flatten().sum())
        }
    }
}

/// The derived rates, as (key, value) for every rate that has a value.
pub fn rates(f: &Figures) -> Vec<(String, f64)> {
    let handled = f.get("requests.handled.total").copied();
    let mut out = Vec::new();
    let mut put = |key: String, v: Option<f64>| {
        if let Some(v) = v {
            out.push((key, v));
        }
    };
    let total = |k: &str| f.get(&format!("requests.{k}.total")).copied();
    put("rates.granted".into(), ratio(total("granted"), handled));
    put("rates.partial".into(), ratio(total("partial"), handled));
    put(
        "rates.denied".into(),
        ratio(group_sum(f, "denied", &DENIED), handled),
    );
    for g in DENIED {
        put(
            format!("rates.denied.{g}"),
            ratio(total(&format!("denied.{g}")), handled),
        );
    }
    put(
        "rates.unable".into(),
        ratio(group_sum(f, "unable", &UNABLE), handled),
    );
    put(
        "rates.not_processed".into(),
        ratio(group_sum(f, "not_processed", &NOT_PROCESSED), handled),
    );
    put(
        "rates.review_corrected".into(),
        ratio(f.get("review.corrected").copied(), decided(f, "review")),
    );
    let lit = ["litigation.direct", "litigation.after_review"];
    let lit_corrected: Option<Vec<f64>> = lit
        .iter()
        .map(|g| f.get(&format!("{g}.corrected")).copied())
        .collect();
    let lit_decided: Option<Vec<f64>> = lit.iter().map(|g| decided(f, g)).collect();
    put(
        "rates.litigation_corrected".into(),
        ratio(
            lit_corrected.map(|v| v.iter().sum()),
            lit_decided.map(|v| v.iter().sum()),
        ),
    );
    out
}

/// Whether a report came out by its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    OnTime,
    Late,
    Unknown,
}

impl Timeliness {
    pub fn as_str(self) -> &'static str {
        match self {
            Timeliness::OnTime => "on_time",
            Timeliness::Late => "late",
            Timeliness::Unknown => "unknown",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Timeliness::OnTime => "按时发布",
            Timeliness::Late => "逾期发布",
            Timeliness::Unknown => "发布日期不明",
        }
    }
}

/// Days from 0001-01-01 (proleptic Gregorian) of a valid date.
fn day_number(y: i32, m: u32, d: u32) -> Option<i64> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d == 0 || d > month_days[m as usize - 1] || y < 1 {
        return None;
    }
    let y0 = i64::from(y) - 1;
    let before_year = y0 * 365 + y0 / 4 - y0 / 100 + y0 / 400;
    let before_month: i64 = month_days[..m as usize - 1]
        .iter()
        .map(|&x| i64::from(x))
        .sum();
    Some(before_year + before_month + i64::from(d))
}

fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    day_number(y, m, d)
}

/// Days past the legal deadline (政府信息公开条例 art. 49–50): departments by
/// 31 January, governments by 31 March of the year after the one reported.
/// Zero or negative when on time; none without a year or a valid date.
pub fn days_late(
    year: Option<i32>,
    published: Option<&str>,
    level: Option<IssuerLevel>,
) -> Option<f64> {
    let year = year?;
    let published = parse_date(published?)?;
    let deadline = match level {
        Some(IssuerLevel::Department) | None => day_number(year + 1, 1, 31)?,
        Some(_) => day_number(year + 1, 3, 31)?,
    };
    Some((published - deadline) as f64)
}

/// The timeliness facet value for `days_late`.
pub fn timeliness(days_late: Option<f64>) -> Timeliness {
    match days_late {
        Some(d) if d <= 0.0 => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None => Timeliness::Unknown,
    }
}

/// Adds the rates and the days late to a parsed report's figures (what the
/// index stores and searches). Any derived value already there is replaced.
pub fn derive(r: &mut Report) {
    r.figures
        .retain(|k, _| !(k.starts_with("rates.") || k == DAYS_LATE));
    for (k, v) in rates(&r.figures) {
        r.figures.insert(k, v);
    }
    if let Some(d) = days_late(r.year, r.published.as_deref(), r.level) {
        r.figures.insert(DAYS_LATE.into(), d);
    }
}

/// The timeliness of a report whose figures were [`derive()`]d.
pub fn timeliness_of(r: &Report) -> Timeliness {
    timeliness(r.figures.get(DAYS_LATE).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figs(pairs: &[(&str, f64)]) -> Figures {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    fn get(r: &[(String, f64)], k: &str) -> Option<f64> {
        r.iter().find(|(key, _)| key == k).map(|(_, v)| *v)
    }

    #[test]
    fn request_rates_share_of_handled() {
        let f = figs(&[
            ("requests.handled.total", 40.0),
            ("requests.granted.total", 20.0),
            ("requests.partial.total", 4.0),
            ("requests.denied.state_secret.total", 2.0),
            ("requests.denied.third_party.total", 6.0),
            ("requests.unable.not_held.total", 8.0),
        ]);
        let r = rates(&f);
        assert_eq!(get(&r, "rates.granted"), Some(0.5));
        assert_eq!(get(&r, "rates.partial"), Some(0.1));
        assert_eq!(get(&r, "rates.denied"), Some(0.2));
        assert_eq!(get(&r, "rates.denied.state_secret"), Some(0.05));
        assert_eq!(get(&r, "rates.denied.third_party"), Some(0.15));
        assert_eq!(get(&r, "rates.denied.process_info"), None);
        assert_eq!(get(&r, "rates.unable"), Some(0.2));
        assert_eq!(get(&r, "rates.not_processed"), None);
    }

    #[test]
    fn zero_or_missing_denominator_gives_no_value() {
        let f = figs(&[
            ("requests.handled.total", 0.0),
            ("requests.granted.total", 0.0),
            ("review.total", 3.0),
            ("review.pending", 3.0),
            ("review.corrected", 0.0),
        ]);
        let r = rates(&f);
        assert_eq!(get(&r, "rates.granted"), None);
        assert_eq!(get(&r, "rates.review_corrected"), None);
        assert!(rates(&Figures::new()).is_empty());
    }

    #[test]
    fn correction_rates_over_decided_cases() {
        let f = figs(&[
            ("review.upheld", 6.0),
            ("review.corrected", 2.0),
            ("review.other", 0.0),
            ("review.pending", 1.0),
            ("review.total", 9.0),
            ("litigation.direct.corrected", 1.0),
            ("litigation.direct.total", 5.0),
            ("litigation.direct.pending", 1.0),
            ("litigation.after_review.upheld", 3.0),
            ("litigation.after_review.corrected", 1.0),
            ("litigation.after_review.other", 0.0),
        ]);
        let r = rates(&f);
        assert_eq!(get(&r, "rates.review_corrected"), Some(0.25));
        // 2 corrected of (4 + 4) decided.
        assert_eq!(get(&r, "rates.litigation_corrected"), Some(0.25));
    }

    #[test]
    fn deadlines_by_kind_of_body() {
        let dept = Some(IssuerLevel::Department);
        let county = Some(IssuerLevel::County);
        assert_eq!(days_late(Some(2021), Some("2022-01-31"), dept), Some(0.0));
        assert_eq!(days_late(Some(2021), Some("2022-02-01"), dept), Some(1.0));
        assert_eq!(days_late(Some(2021), Some("2022-03-31"), county), Some(0.0));
        assert_eq!(
            days_late(Some(2021), Some("2022-01-15"), county),
            Some(-75.0)
        );
        assert_eq!(days_late(Some(2023), Some("2024-04-01"), county), Some(1.0));
        // 2024 is a leap year: 29 February counts.
        assert_eq!(days_late(Some(2023), Some("2024-03-01"), dept), Some(30.0));
        assert_eq!(days_late(Some(2021), None, dept), None);
        assert_eq!(days_late(None, Some("2022-01-01"), dept), None);
        assert_eq!(days_late(Some(2021), Some("2022-02-30"), dept), None);
        assert_eq!(timeliness(Some(0.0)), Timeliness::OnTime);
        assert_eq!(timeliness(Some(3.0)), Timeliness::Late);
        assert_eq!(timeliness(None), Timeliness::Unknown);
    }

    #[test]
    fn every_derived_key_is_in_the_dictionary() {
        let f = figs(&[
            ("requests.handled.total", 10.0),
            ("requests.granted.total", 1.0),
            ("requests.partial.total", 1.0),
            ("requests.unable.not_held.total", 1.0),
            ("requests.not_processed.duplicate.total", 1.0),
            ("review.corrected", 1.0),
            ("review.total", 2.0),
            ("review.pending", 0.0),
            ("litigation.direct.corrected", 1.0),
            ("litigation.direct.total", 1.0),
            ("litigation.direct.pending", 0.0),
            ("litigation.after_review.corrected", 0.0),
            ("litigation.after_review.total", 1.0),
            ("litigation.after_review.pending", 0.0),
        ]);
        let mut f = f;
        for g in DENIED {
            f.insert(format!("requests.denied.{g}.total"), 1.0);
        }
        let r = rates(&f);
        assert_eq!(r.len(), 15);
        for (k, _) in r {
            assert!(crate::model::fields::is_derived(&k), "{k}");
        }
        assert!(crate::model::fields::is_derived(DAYS_LATE));
    }

    #[test]
    fn day_numbers_agree_with_a_day_by_day_count() {
        let mut n = day_number(1999, 12, 31).unwrap();
        for y in 2000..2030 {
            for m in 1..=12 {
                for d in 1..=31 {
                    if let Some(k) = day_number(y, m, d) {
                        n += 1;
                        assert_eq!(k, n, "{y}-{m}-{d}");
                    }
                }
            }
        }
    }
}
