//! The fixed vocabulary of table 2: its rows in template order and the words
//! that name each row in a label, however the label is numbered or wrapped.

use crate::model::checks::outcome_rows;
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// Table 2's rows in template order: the 2019 template has one "other" row,
/// the 2021 template three.
pub(super) fn template_rows(one_other_row: bool) -> Vec<&'static str> {
    let mut v = vec!["new", "carried_in"];
    v.extend(outcome_rows(one_other_row));
    v.extend(["handled", "carried_over"]);
    v
}

/// Words that name a row, wherever they stand in a label.
const ROW_WORDS: [(&str, &str); 31] = [
    ("本年新收", "new"),
    ("上年结转", "carried_in"),
    ("结转下年", "carried_over"),
    ("予以公开", "granted"),
    ("部分公开", "partial"),
    ("国家秘密", "denied.state_secret"),
    ("禁止公开", "denied.law_prohibited"),
    ("三安全一稳定", "denied.security_stability"),
    ("危及", "denied.security_stability"),
    ("第三方合法权益", "denied.third_party"),
    ("内部事务", "denied.internal_affairs"),
    ("过程性信息", "denied.process_info"),
    ("执法案卷", "denied.enforcement_file"),
    ("查询事项", "denied.query_matter"),
    ("不掌握", "unable.not_held"),
    ("另行制作", "unable.needs_creation"),
    ("不明确", "unable.unclear"),
    ("信访", "not_processed.petition"),
    ("重复申请", "not_processed.duplicate"),
    ("出版物", "not_processed.publication"),
    ("大量反复", "not_processed.excessive"),
    ("重新出具", "not_processed.confirmation"),
    ("不补正", "other.overdue_correction"),
    ("逾期不补", "other.overdue_correction"),
    ("无正当理由逾期", "other.overdue_correction"),
    ("收费通知", "other.unpaid_fee"),
    ("缴纳费用", "other.unpaid_fee"),
    ("逾期未按", "other.unpaid_fee"),
    ("其他处理", "other.total"),
    ("总计", "handled"),
    ("合计", "handled"),
];

static ROW_AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(ROW_WORDS.iter().map(|(w, _)| w)).expect("table 2 row words")
});

/// Whether a text names the 2021 template's split "other" rows (逾期不补正, 收费通知).
pub(super) fn names_split_other_rows(text: &str) -> bool {
    ROW_AC.find_overlapping_iter(text).any(|m| {
        ROW_WORDS[m.pattern().as_usize()].1.starts_with("other.")
            && ROW_WORDS[m.pattern().as_usize()].1 != "other.total"
    })
}

/// The rows (bit i: `rows[i]`) that labels name. "3.其他" names the last
/// "other" row only at the end of the labels: 其他 is also a column header.
pub(super) fn candidates(labels: &str, rows: &[&str], one_other_row: bool) -> u64 {
    let bit = |row: &str| rows.iter().position(|r| *r == row).map_or(0, |i| 1u64 << i);
    let mut found = 0u64;
    for m in ROW_AC.find_overlapping_iter(labels) {
        let row = ROW_WORDS[m.pattern().as_usize()].1;
        if row != "other.total" || one_other_row {
            found |= bit(row);
        }
    }
    let t = labels.trim_end_matches([':', '：', ' ']);
    if let Some(head) = t.strip_suffix("其他") {
        let numbered = head.is_empty()
            || head.ends_with(|c: char| {
                c.is_ascii_digit() || ".、)）(（ ".contains(c) || "一二三四五六七八九十".contains(c)
            });
        if numbered && !one_other_row {
            found |= bit("other.other");
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(labels: &str) -> Vec<&'static str> {
        let rows = template_rows(false);
        let c = candidates(labels, &rows, false);
        rows.iter()
            .enumerate()
            .filter(|(i, _)| c & (1 << i) != 0)
            .map(|(_, r)| *r)
            .collect()
    }

    #[test]
    fn labels_wrapped_and_glued_name_their_rows() {
        assert_eq!(named("一、本年新收政府信息公开申请数量"), ["new"]);
        assert_eq!(
            named("（三）不予公开5.属于三类内部事务信息1.本机关不掌握相关政府信息"),
            ["denied.internal_affairs", "unable.not_held"]
        );
        assert_eq!(named("3.补正后申请内容仍不明确"), ["unable.unclear"]);
        assert_eq!(named("3.其他"), ["other.other"]);
        assert_eq!(named("（六）其他处理3.其他"), ["other.other"]);
        assert_eq!(
            named("2.其他法律行政法规禁止公开"),
            ["denied.law_prohibited"]
        );
        assert_eq!(named("（七）总计"), ["handled"]);
        assert!(named("商业企业其他总计").contains(&"handled"));
        assert!(!named("商业企业其他总计").contains(&"other.other"));
    }
}
