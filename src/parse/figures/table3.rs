//! Table 3 (行政复议、行政诉讼): 15 numbers in a fixed order after a header
//! whose cells are often cut or glued; the order carries the meaning.

use super::glued::{review_sum, split_glued};
use super::tokens::Tok;
use super::{key, shown, Extracted, RowNote};

const APPEAL_GROUPS: [&str; 3] = ["review", "litigation.direct", "litigation.after_review"];
const APPEAL_COLS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

/// A header cell of table 3, or several glued together ("结果维持结果纠正其他结果…"):
/// nothing much is left once the header words are taken out.
fn is_appeals_header(l: &str) -> bool {
    const WORDS: &[&str] = &[
        "未经复议直接起诉",
        "复议后起诉",
        "行政复议",
        "行政诉讼",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "直接起诉",
        "未经复议",
        "总计",
        "结果",
        "维持",
        "纠正",
        "其他",
        "尚未",
        "审结",
        "起诉",
        "复议",
        "诉讼",
        "合计",
        "小计",
    ];
    let mut rest = l.to_string();
    for w in WORDS {
        if rest.contains(w) {
            rest = rest.replace(w, "");
        }
    }
    rest.chars().filter(|c| !"()、/|:".contains(*c)).count() <= 3 && rest.len() < l.len()
}

/// A note under the header ("注：行政复议、行政诉讼数量含上年度结转数量。"): no cell.
fn is_note(l: &str) -> bool {
    l.starts_with("注") || l.starts_with("说明")
}

/// The numbers of the first header that has numbers after it: header cells cut
/// from the header ("结果 |") and headings of a table split in three
/// ("行政诉讼（复议后起诉）") may sit between them.
fn numbers<'t>(toks: &'t [Tok]) -> Vec<&'t str> {
    let mut i = 0;
    while i < toks.len() {
        let Some(start) = toks[i..].iter().position(
            |t| matches!(t, Tok::Label(l) if l.contains("行政复议") && is_appeals_header(l)),
        ) else {
            return Vec::new();
        };
        i += start;
        let mut nums: Vec<&str> = Vec::new();
        while i < toks.len() {
            match &toks[i] {
                Tok::Num(n) => nums.push(n),
                Tok::Label(l) if is_appeals_header(l) => {}
                Tok::Label(l) if nums.is_empty() && is_note(l) => {}
                Tok::Label(_) => break,
            }
            i += 1;
        }
        // Empty cells a pipe row ends with take no position.
        while nums.len() > 15 && nums.last().is_some_and(|n| n.is_empty()) {
            nums.pop();
        }
        if nums.iter().any(|n| !n.is_empty()) {
            return nums;
        }
    }
    Vec::new()
}

pub(super) fn table3(toks: &[Tok], ex: &mut Extracted) {
    let nums = numbers(toks);
    if nums.is_empty() {
        return;
    }
    let note = |ex: &mut Extracted, why: String| {
        ex.explain.push(RowNote {
            table: 3,
            row: "appeals".into(),
            anchor: "行政复议 header".into(),
            cells: nums.iter().take(20).map(|n| shown(n)).collect(),
            note: why,
        })
    };
    if nums.len() == 15 && nums.iter().any(|n| n.is_empty()) {
        for (k, v) in nums.iter().enumerate() {
            if let Ok(v) = v.parse::<i64>() {
                ex.figures
                    .insert(key(&[APPEAL_GROUPS[k / 5], APPEAL_COLS[k % 5]]), v as f64);
            }
        }
        note(ex, "15 cells, some blank".into());
        return;
    }
    let ints: Option<Vec<i64>> = nums.iter().map(|n| n.parse().ok()).collect();
    let digits: usize = nums.iter().map(|n| n.len()).sum();
    let all_digits = nums.iter().all(|n| n.bytes().all(|c| c.is_ascii_digit()));
    let cells = match ints {
        Some(v) if v.len() == 15 => Some(v),
        _ if all_digits && nums.len() < 15 && digits >= 15 => {
            if digits == 15 && nums.len() == 1 {
                // One run of as many digits as cells: one digit a cell, whatever the sums say.
                Some(
                    nums.iter()
                        .flat_map(|n| n.bytes())
                        .map(|c| i64::from(c - b'0'))
                        .collect(),
                )
            } else {
                let readings = split_glued(&nums, 15, 5, &review_sum);
                let one = readings.unique().map(<[i64]>::to_vec);
                if one.is_none() {
                    let why = format!(
                        "table 3: glued numbers {} have {}{} readings; left unknown",
                        shown(&nums.join(" ")),
                        readings.found.len(),
                        if readings.partial { "+" } else { "" }
                    );
                    ex.warnings.push(why.clone());
                    note(ex, why);
                }
                one
            }
        }
        _ => {
            let why = format!("table 3 has {} of 15 numbers; left unknown", nums.len());
            ex.warnings.push(why.clone());
            note(ex, why);
            None
        }
    };
    if let Some(cells) = cells {
        for (gi, g) in APPEAL_GROUPS.iter().enumerate() {
            for (ci, c) in APPEAL_COLS.iter().enumerate() {
                ex.figures.insert(key(&[g, c]), cells[gi * 5 + ci] as f64);
            }
        }
        note(ex, "15 numbers in template order".into());
    }
}
