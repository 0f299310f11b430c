//! Table 1 (主动公开政府信息情况): a few rows named by the template's row
//! words, each with as many numbers as its template columns.
//!
//! A row word is found where a label is nothing else, or where it ends a label
//! that the text glued to the header before it (`…现行有效件数规章`). Empty
//! cells a pipe row ends with take no column. A row with fewer numbers than
//! columns is read only where the prose states the same figure
//! (`制发规章22件`); otherwise it stays unknown with a warning.

use super::glued;
use super::tokens::Tok;
use super::{key, num, Extracted, RowNote, Template};
use crate::parse::normalize::is_han;
use std::cell::OnceCell;

/// The template's row words and their keys; a word that contains another comes first.
const ROW_WORDS: [(&str, &str); 9] = [
    ("其他对外管理服务事项", "other_services"),
    ("行政事业性收费", "fees"),
    ("行政规范性文件", "normative_docs"),
    ("政府集中采购", "procurement"),
    ("规范性文件", "normative_docs"),
    ("行政许可", "licensing"),
    ("行政处罚", "penalty"),
    ("行政强制", "coercion"),
    ("规章", "rules"),
];

/// How the header text before a glued row word ends: a column header
/// (`件数`, `数量`, `金额`, `（单位：万元）`, `本年增/减`) or the item heading
/// (`第二十条第（五）项`, `信息内容`).
const HEADER_ENDS: [&str; 11] = [
    "件数",
    "数量",
    "金额",
    "万元）",
    "万元)",
    "增/减",
    "增减",
    "信息内容",
    "）项",
    ")项",
    "|",
];

fn table1_row(label: &str) -> Option<&'static str> {
    let l = label.trim_start_matches(|c: char| {
        c.is_ascii_digit() || "(). 、（）一二三四五六七八九十".contains(c)
    });
    let l = l.trim_end_matches([':', '：', '|']);
    if l.starts_with("其他对外管理服务") {
        return Some("other_services");
    }
    if let Some((_, row)) = ROW_WORDS.iter().find(|(w, _)| *w == l) {
        return Some(row);
    }
    // A row word glued to the header cells before it.
    let (w, row) = ROW_WORDS.iter().find(|(w, _)| l.ends_with(w))?;
    let head = &l[..l.len() - w.len()];
    HEADER_ENDS
        .iter()
        .any(|e| head.ends_with(e))
        .then_some(*row)
}

fn table1_columns(row: &str, n: usize, t: Template) -> Option<&'static [&'static str]> {
    Some(match (t, row, n) {
        (Template::T2021, "rules" | "normative_docs", 3) => &["issued", "repealed", "in_force"],
        (Template::T2021, "licensing" | "penalty" | "coercion", 1) => &["decisions"],
        (Template::T2021, "fees", 1) => &["amount_wan_yuan"],
        (Template::T2019, "rules" | "normative_docs", 3) => {
            &["made", "published", "total_published"]
        }
        (Template::T2019, "licensing" | "penalty" | "coercion" | "other_services", 3) => {
            &["items_prev_year", "items_change", "decisions"]
        }
        (Template::T2019, "fees", 2) => &["items_prev_year", "items_change"],
        (Template::T2019, "procurement", 2) => &["projects", "amount_wan_yuan"],
        _ => return None,
    })
}

/// The words of a row in a sentence (`规章`, `规范性文件`; 行政规范性文件 contains the latter).
fn prose_word(row: &str) -> Option<&'static str> {
    match row {
        "rules" => Some("规章"),
        "normative_docs" => Some("规范性文件"),
        _ => None,
    }
}

/// Verbs of a sentence that states documents made this year, and words of one
/// that states another column (repealed, in force).
const MADE: [&str; 6] = ["制发", "制定", "出台", "印发", "发布", "公开"];
const OTHER_COLUMN: [&str; 5] = ["废止", "失效", "现行", "有效", "清理"];

/// How far back a sentence's start is looked for.
const SENTENCE_BYTES: usize = 300;

/// Whether a sentence of `text` (whitespace removed) states `n` documents of
/// the row made this year: `…制发…规章22件`, with no word of another column
/// between the sentence start and the number.
fn prose_states_issued(text: &str, word: &str, n: &str) -> bool {
    let want = format!("{word}{n}件");
    text.match_indices(&want).any(|(at, _)| {
        // The sentence's start, looked for within a bounded window (linear in the text).
        let mut from = at.saturating_sub(SENTENCE_BYTES);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let start = text[from..at]
            .char_indices()
            .rev()
            .find(|(_, c)| matches!(c, '。' | '；' | ';' | '！'))
            .map_or(from, |(i, c)| from + i + c.len_utf8());
        let before = &text[start..at];
        MADE.iter().any(|v| before.contains(v)) && !OTHER_COLUMN.iter().any(|w| before.contains(w))
    })
}

/// Whether `run` stands in the text right after a label's last character
/// ("规章000"), not after a space: only then is it cells glued together.
fn glued_to_a_label(text: &str, run: &str) -> bool {
    text.match_indices(run).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + run.len()..].chars().next();
        before.is_some_and(|c| is_han(c) || matches!(c, ')' | '）'))
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// The numbers of one row (blank cells empty) as figures, or why not.
fn read_row(
    row: &'static str,
    nums: &[&str],
    t: Template,
    text: &str,
    squeezed: &OnceCell<String>,
    ex: &mut Extracted,
) {
    // Empty cells around the numbers (a pipe row's end, an HTML row's label
    // columns) take no column when the count says so.
    let start = nums
        .iter()
        .position(|v| !v.is_empty())
        .unwrap_or(nums.len());
    let end = nums
        .iter()
        .rposition(|v| !v.is_empty())
        .map_or(start, |e| e + 1);
    let trail = nums[..]
        .iter()
        .rposition(|v| !v.is_empty())
        .map_or(0, |e| e + 1);
    let readings = [nums, &nums[start..end], &nums[..trail], &nums[start..]];
    if let Some((cells, cols)) = readings
        .iter()
        .find_map(|c| table1_columns(row, c.len(), t).map(|cols| (c, cols)))
    {
        for (c, v) in cols.iter().zip(cells.iter()) {
            if let Some(v) = num(v) {
                ex.figures.insert(key(&[row, c]), v);
            }
        }
        return;
    }
    let filled: Vec<&str> = nums.iter().copied().filter(|v| !v.is_empty()).collect();
    if filled.is_empty() {
        return;
    }
    let why = format!(
        "table 1 row {row}: {} numbers, not the template's count",
        filled.len()
    );
    // One run of digits for a row of several cells ("规章000"): split when only
    // one cut is possible (as many digits as cells, or leading zeros rule the
    // others out); the row has no relation to settle anything else.
    if let ([run], true, Some((n, cols))) = (
        filled.as_slice(),
        nums.len() == 1 && glued_to_a_label(text, filled[0]),
        [3, 2]
            .into_iter()
            .find_map(|n| table1_columns(row, n, t).map(|c| (n, c))),
    ) {
        if let Some(cells) = glued::split_glued(&[run], n, n, &|_| true).unique() {
            for (c, v) in cols.iter().zip(cells) {
                ex.figures.insert(key(&[row, c]), *v as f64);
            }
            ex.explain.push(RowNote {
                table: 1,
                row: row.into(),
                anchor: "label".into(),
                cells: cells.iter().map(i64::to_string).collect(),
                note: format!(
                    "one run of {} digits cut into {n} cells, the only cut",
                    run.len()
                ),
            });
            return;
        }
    }
    // Fewer numbers than columns: the first is this year's count when a sentence says so.
    let full = table1_columns(row, 3, t).filter(|_| t == Template::T2021);
    if let (Some(cols), Some(word), true) = (full, prose_word(row), filled.len() < 3) {
        if nums[0] == filled[0]
            && prose_states_issued(
                squeezed.get_or_init(|| text.split_whitespace().collect()),
                word,
                filled[0],
            )
        {
            if let Some(v) = num(filled[0]) {
                ex.figures.insert(key(&[row, cols[0]]), v);
                ex.warnings
                    .push(format!("{why}; {} read as stated in the text", cols[0]));
                ex.explain.push(RowNote {
                    table: 1,
                    row: row.into(),
                    anchor: format!("label and the sentence stating {word}{}件", filled[0]),
                    cells: filled.iter().map(|s| s.to_string()).collect(),
                    note: format!("first cell read as {}; the others left unknown", cols[0]),
                });
                return;
            }
        }
    }
    ex.warnings.push(why);
}

/// Reads table 1 from the tokens; `text` is the report's text, for the
/// sentences that confirm a row with too few numbers.
pub(super) fn table1(toks: &[Tok], t: Template, text: &str, ex: &mut Extracted) {
    // The text without whitespace (sentences wrap mid-word), made when first needed.
    let squeezed = OnceCell::new();
    let mut cur: Option<&'static str> = None;
    let mut nums: Vec<&str> = Vec::new();
    let finish = |row: Option<&'static str>, nums: &mut Vec<&str>, ex: &mut Extracted| {
        if let Some(row) = row {
            read_row(row, nums, t, text, &squeezed, ex);
        }
        nums.clear();
    };
    for tok in toks {
        match tok {
            Tok::Label(l) => {
                if let Some(row) = table1_row(l) {
                    finish(cur, &mut nums, ex);
                    cur = Some(row);
                } else if cur.is_some() && !nums.is_empty() {
                    // A header or prose after the numbers closes the row.
                    finish(cur, &mut nums, ex);
                    cur = None;
                }
            }
            Tok::Num(n) => {
                if cur.is_some() {
                    nums.push(n)
                }
            }
        }
    }
    finish(cur, &mut nums, ex);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_words_alone_or_after_their_header() {
        assert_eq!(table1_row("规章"), Some("rules"));
        assert_eq!(table1_row("（二）行政规范性文件："), Some("normative_docs"));
        assert_eq!(table1_row("现行有效件数规章"), Some("rules"));
        assert_eq!(
            table1_row("本年收费金额（单位：万元）行政事业性收费"),
            Some("fees")
        );
        assert_eq!(table1_row("第二十条第（五）项行政许可"), Some("licensing"));
        // A sentence that ends in a row word is no row.
        assert_eq!(table1_row("我局依法办理行政许可"), None);
        assert_eq!(table1_row("规章制度"), None);
    }

    #[test]
    fn the_first_of_too_few_numbers_needs_a_sentence() {
        let s = "全年主动公开市政府规章22件、市政府及市政府办公厅行政规范性文件34件；";
        assert!(prose_states_issued(s, "规章", "22"));
        assert!(prose_states_issued(s, "规范性文件", "34"));
        assert!(!prose_states_issued(s, "规章", "2"));
        assert!(!prose_states_issued("废止规章22件。", "规章", "22"));
        assert!(!prose_states_issued("公开现行有效规章22件。", "规章", "22"));
        assert!(!prose_states_issued("。规章22件。", "规章", "22"));
    }
}
