//! The consistency relations of the tables (REPORTS.md) and the rows they sum.

use crate::parse::figures::{Figures, Template, COLUMNS};
use std::collections::BTreeMap;

/// The four consistency relations of REPORTS.md.
pub const CHECKS: [&str; 4] = [
    "requests_balance",
    "requests_outcomes_sum",
    "requests_columns_sum",
    "review_sum",
];

/// Outcome rows of table 2 common to both templates, in table order.
pub const OUTCOME_ROWS: [&str; 18] = [
    "granted",
    "partial",
    "denied.state_secret",
    "denied.law_prohibited",
    "denied.security_stability",
    "denied.third_party",
    "denied.internal_affairs",
    "denied.process_info",
    "denied.enforcement_file",
    "denied.query_matter",
    "unable.not_held",
    "unable.needs_creation",
    "unable.unclear",
    "not_processed.petition",
    "not_processed.duplicate",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirmation",
];

/// Every outcome row of table 2, whose sum is the requests handled: the 2019
/// template has one "other" row, the 2021 template three.
pub fn outcome_rows(one_other_row: bool) -> Vec<&'static str> {
    let mut v = OUTCOME_ROWS.to_vec();
    if one_other_row {
        v.push("other.total");
    } else {
        v.extend([
            "other.overdue_correction",
            "other.unpaid_fee",
            "other.other",
        ]);
    }
    v
}

/// Evaluates the consistency relations whose figures are present.
pub fn checks(f: &Figures, template: Template) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    // Keys are built in one reused buffer: a lookup allocates nothing.
    let mut key = String::with_capacity(64);
    let mut g = |parts: &[&str]| {
        key.clear();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                key.push('.');
            }
            key.push_str(p);
        }
        f.get(key.as_str()).copied()
    };
    let eq = |a: f64, b: f64| (a - b).abs() < 1e-6;
    if let (Some(n), Some(ci), Some(h), Some(co)) = (
        g(&["requests.new.total"]),
        g(&["requests.carried_in.total"]),
        g(&["requests.handled.total"]),
        g(&["requests.carried_over.total"]),
    ) {
        out.insert("requests_balance".into(), eq(n + ci, h + co));
    }
    let outcome_rows = outcome_rows(
        template == Template::T2019 && f.keys().any(|k| k.starts_with("requests.other.total.")),
    );
    let mut outcomes: Option<bool> = None;
    for c in COLUMNS {
        let mut sum = 0.0;
        let mut complete = true;
        for r in &outcome_rows {
            match g(&["requests", r, c]) {
                Some(v) => sum += v,
                None => {
                    complete = false;
                    break;
                }
            }
        }
        if let (true, Some(h)) = (complete, g(&["requests.handled", c])) {
            outcomes = Some(outcomes.unwrap_or(true) && eq(sum, h));
        }
    }
    if let Some(ok) = outcomes {
        out.insert("requests_outcomes_sum".into(), ok);
    }
    let mut columns: Option<bool> = None;
    let rows: Vec<&str> = f
        .keys()
        .filter_map(|k| {
            k.strip_prefix("requests.")
                .and_then(|r| r.strip_suffix(".total"))
        })
        .collect();
    for r in rows {
        let mut sum = 0.0;
        let mut complete = true;
        for c in &COLUMNS[..6] {
            match g(&["requests", r, c]) {
                Some(v) => sum += v,
                None => {
                    complete = false;
                    break;
                }
            }
        }
        if let (true, Some(t)) = (complete, g(&["requests", r, "total"])) {
            columns = Some(columns.unwrap_or(true) && eq(sum, t));
        }
    }
    if let Some(ok) = columns {
        out.insert("requests_columns_sum".into(), ok);
    }
    let mut review: Option<bool> = None;
    for grp in ["review", "litigation.direct", "litigation.after_review"] {
        let v: Option<Vec<f64>> = ["upheld", "corrected", "other", "pending", "total"]
            .iter()
            .map(|c| g(&[grp, c]))
            .collect();
        if let Some(v) = v {
            review = Some(review.unwrap_or(true) && eq(v[0] + v[1] + v[2] + v[3], v[4]));
        }
    }
    if let Some(ok) = review {
        out.insert("review_sum".into(), ok);
    }
    out
}
