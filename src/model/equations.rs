//! The consistency relations of [`checks`](super::checks) written out as
//! equations with the report's numbers, so a reader sees *why* a check failed
//! (`予以公开 5 + … + 其他 0 = 21 ≠ 总计 23`) instead of a red column.
//!
//! The terms and sums follow `checks::checks` relation by relation; a test
//! (tests/api.rs) holds the two together on every seed.

use super::checks::outcome_rows;
use super::fields;
use crate::parse::figures::{Figures, Template, COLUMNS};
use serde::Serialize;

/// One figure in an equation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    pub key: String,
    /// Short Chinese label within the equation's scope (`予以公开`, `自然人`).
    pub label: String,
    pub value: f64,
}

/// One relation over the report's numbers: `left = right`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Equation {
    /// The check this equation belongs to (a name of `checks::CHECKS`).
    pub check: &'static str,
    /// What the equation ranges over (`自然人` for one column of table 2,
    /// `(一)予以公开` for one row, `行政复议` …), in Chinese.
    pub scope: String,
    pub left: Vec<Term>,
    pub left_sum: f64,
    pub right: Vec<Term>,
    pub right_sum: f64,
    pub holds: bool,
}

const REVIEW_COLS: [&str; 4] = ["upheld", "corrected", "other", "pending"];

/// Every equation of the relations whose figures are present, in check order.
pub fn equations(f: &Figures, template: Template) -> Vec<Equation> {
    let mut out = Vec::new();
    let balance = [
        "requests.new.total",
        "requests.carried_in.total",
        "requests.handled.total",
        "requests.carried_over.total",
    ];
    if let Some(t) = terms(f, &balance, |_, k| BALANCE_LABELS[k].to_string()) {
        let (l, r) = t.split_at(2);
        out.push(equation("requests_balance", "总计列".into(), l, r));
    }
    let rows = outcome_rows(
        template == Template::T2019 && f.keys().any(|k| k.starts_with("requests.other.total.")),
    );
    for c in COLUMNS {
        let mut keys: Vec<String> = rows.iter().map(|r| format!("requests.{r}.{c}")).collect();
        keys.push(format!("requests.handled.{c}"));
        if let Some(t) = terms(f, &keys, |label, _| row_part(label)) {
            let (l, r) = t.split_at(t.len() - 1);
            out.push(equation("requests_outcomes_sum", col_label(c), l, r));
        }
    }
    let row_keys: Vec<&str> = f
        .keys()
        .filter_map(|k| {
            k.strip_prefix("requests.")
                .and_then(|r| r.strip_suffix(".total"))
        })
        .collect();
    for r in row_keys {
        let keys: Vec<String> = COLUMNS
            .iter()
            .map(|c| format!("requests.{r}.{c}"))
            .collect();
        if let Some(t) = terms(f, &keys, |label, _| col_part(label)) {
            let (l, rt) = t.split_at(6);
            let scope = fields::get(&keys[6]).map_or(r.to_string(), |d| row_part(d.label_zh));
            out.push(equation("requests_columns_sum", scope, l, rt));
        }
    }
    for (grp, name) in [
        ("review", "行政复议"),
        ("litigation.direct", "行政诉讼·未经复议直接起诉"),
        ("litigation.after_review", "行政诉讼·复议后起诉"),
    ] {
        let keys: Vec<String> = REVIEW_COLS
            .iter()
            .chain(["total"].iter())
            .map(|c| format!("{grp}.{c}"))
            .collect();
        if let Some(t) = terms(f, &keys, |label, _| col_part(label)) {
            let (l, r) = t.split_at(4);
            out.push(equation("review_sum", name.into(), l, r));
        }
    }
    out
}

const BALANCE_LABELS: [&str; 4] = ["本年新收", "上年结转", "本年办理总计", "结转下年度继续办理"];

/// The terms of `keys` when every one is present; `label` gets the
/// dictionary label (or the key) and the term's position.
fn terms<K: AsRef<str>>(
    f: &Figures,
    keys: &[K],
    label: impl Fn(&str, usize) -> String,
) -> Option<Vec<Term>> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            let k = k.as_ref();
            let value = *f.get(k)?;
            let dict = fields::get(k).map_or(k, |d| d.label_zh);
            Some(Term {
                key: k.to_string(),
                label: label(dict, i),
                value,
            })
        })
        .collect()
}

fn equation(check: &'static str, scope: String, left: &[Term], right: &[Term]) -> Equation {
    let left_sum: f64 = left.iter().map(|t| t.value).sum();
    let right_sum: f64 = right.iter().map(|t| t.value).sum();
    Equation {
        check,
        scope,
        left: left.to_vec(),
        left_sum,
        right: right.to_vec(),
        right_sum,
        holds: (left_sum - right_sum).abs() < 1e-6,
    }
}

/// `(三)不予公开·1.属于国家秘密·自然人` → `不予公开·属于国家秘密`.
fn row_part(label: &str) -> String {
    let mut parts: Vec<&str> = label.split('·').collect();
    if parts.len() > 1 {
        parts.pop();
    }
    parts
        .into_iter()
        .map(strip_number)
        .collect::<Vec<_>>()
        .join("·")
}

/// `行政复议·结果维持` → `结果维持`.
fn col_part(label: &str) -> String {
    strip_number(label.rsplit('·').next().unwrap_or(label)).to_string()
}

fn col_label(c: &str) -> String {
    fields::get(&format!("requests.new.{c}")).map_or(c.to_string(), |d| col_part(d.label_zh))
}

/// Drops a leading enumeration: `一、`, `(一)`, `（一）`, `1.`.
fn strip_number(s: &str) -> &str {
    let s = s.trim();
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    for (open, close) in [("(", ")"), ("（", "）")] {
        if let Some(rest) = s.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                if rest[..end].chars().all(numeral) && end > 0 {
                    return rest[end + close.len()..].trim_start();
                }
            }
        }
    }
    let digits = s.find(|c: char| !numeral(c)).unwrap_or(0);
    if digits > 0 {
        let rest = &s[digits..];
        for sep in ["、", ".", "．"] {
            if let Some(r) = rest.strip_prefix(sep) {
                return r.trim_start();
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figs(pairs: &[(&str, f64)]) -> Figures {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn labels_lose_their_numbering() {
        assert_eq!(
            row_part("(三)不予公开·1.属于国家秘密·自然人"),
            "不予公开·属于国家秘密"
        );
        assert_eq!(
            row_part("一、本年新收政府信息公开申请数量·总计"),
            "本年新收政府信息公开申请数量"
        );
        assert_eq!(col_part("行政复议·结果维持"), "结果维持");
        assert_eq!(strip_number("（十）其他"), "其他");
        assert_eq!(strip_number("十分"), "十分");
    }

    #[test]
    fn a_broken_balance_shows_both_sums() {
        let f = figs(&[
            ("requests.new.total", 20.0),
            ("requests.carried_in.total", 3.0),
            ("requests.handled.total", 19.0),
            ("requests.carried_over.total", 2.0),
            ("review.upheld", 1.0),
            ("review.corrected", 1.0),
            ("review.other", 0.0),
            ("review.pending", 0.0),
            ("review.total", 2.0),
        ]);
        let eqs = equations(&f, Template::T2021);
        assert_eq!(eqs.len(), 2);
        let b = &eqs[0];
        assert_eq!(b.check, "requests_balance");
        assert_eq!((b.left_sum, b.right_sum, b.holds), (23.0, 21.0, false));
        assert_eq!(b.left[0].label, "本年新收");
        assert_eq!(b.right[1].key, "requests.carried_over.total");
        let r = &eqs[1];
        assert_eq!((r.check, r.holds, r.right_sum), ("review_sum", true, 2.0));
        assert_eq!(r.left[1].label, "结果纠正");
    }
}
