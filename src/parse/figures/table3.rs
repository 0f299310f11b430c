//! Table 3 (行政复议、行政诉讼): 15 numbers in a fixed order after a header
//! whose cells are often cut or glued; the order carries the meaning.

use super::glued::{review_sum, split_glued};
use super::tokens::Tok;
use super::{key, shown, Extracted, RowNote};

const APPEAL_GROUPS: [&str; 3] = ["review", "litigation.direct", "litigation.after_review"];
const APPEAL_COLS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

/// Header words of table 3, longest first where one contains another.
const HEADER_WORDS: &[&str] = &[
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

/// Characters of the header words (and of their brackets): a header cell cut
/// short (`诉`, `审`) is made of them.
const HEADER_CHARS: &str = "行政复议诉讼结果维持纠正其他尚未审结总计直接起经后合小()（）、/";

/// A header cell of table 3, or several glued together ("结果维持结果纠正其他结果…"):
/// nothing much is left once the header words are taken out; or a piece of a
/// cell cut short (a few header characters).
fn is_appeals_header(l: &str) -> bool {
    let mut rest = l.to_string();
    for w in HEADER_WORDS {
        if rest.contains(w) {
            rest = rest.replace(w, "");
        }
    }
    // Cells cut short, or a header printed a character a column and joined
    // line by line ("结结其尚", "果果他未"): header characters only.
    let pieces = l.chars().count() <= 40 && l.chars().all(|c| HEADER_CHARS.contains(c));
    pieces
        || (rest.chars().filter(|c| !"()、/|:".contains(*c)).count() <= 3 && rest.len() < l.len())
}

/// How many header words end a label: a heading glued to the header after it
/// (`四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持…总计`).
fn header_tail_words(l: &str) -> usize {
    let mut rest = l.trim_end_matches(['(', ')', '（', '）', '、', '/', '|', ':']);
    let mut n = 0;
    while let Some(w) = HEADER_WORDS.iter().find(|w| rest.ends_with(*w)) {
        rest = rest[..rest.len() - w.len()]
            .trim_end_matches(['(', ')', '（', '）', '、', '/', '|', ':']);
        n += 1;
    }
    n
}

/// The label that starts table 3: its header, alone or glued to the heading before it.
fn starts_table(l: &str) -> bool {
    l.contains("行政复议") && (is_appeals_header(l) || header_tail_words(l) >= 4)
}

/// A note under the header ("注：行政复议、行政诉讼数量含上年度结转数量。"): no cell.
/// So is a converter's caption of the table's part on a page ("表二：统计表").
fn is_note(l: &str) -> bool {
    let caption = l.strip_prefix('表').is_some_and(|r| {
        r.starts_with(|c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
    });
    l.starts_with("注") || l.starts_with("说明") || caption
}

/// The numbers of the first header that has numbers after it: header cells cut
/// from the header ("结果 |") and headings of a table split in three
/// ("行政诉讼（复议后起诉）") may sit between them.
fn numbers<'t>(toks: &'t [Tok]) -> Vec<&'t str> {
    let mut i = 0;
    while i < toks.len() {
        let Some(start) = toks[i..]
            .iter()
            .position(|t| matches!(t, Tok::Label(l) if starts_table(l)))
        else {
            return Vec::new();
        };
        i += start;
        let mut nums: Vec<&str> = Vec::new();
        while i < toks.len() {
            match &toks[i] {
                Tok::Num(n) => nums.push(n),
                Tok::Label(l) if is_appeals_header(l) || header_tail_words(l) >= 4 => {
                    // Empty cells among the header's cells (an HTML header's spans) are no numbers.
                    if nums.iter().all(|n| n.is_empty()) {
                        nums.clear();
                    }
                }
                Tok::Label(l) if nums.is_empty() && is_note(l) => {}
                Tok::Label(_) => break,
            }
            i += 1;
        }
        // Empty cells a pipe row ends with take no position.
        while nums.len() > 15 && nums.last().is_some_and(|n| n.is_empty()) {
            nums.pop();
        }
        let lead = nums.iter().take_while(|n| n.is_empty()).count();
        nums.drain(..lead.min(nums.len().saturating_sub(15)));
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

#[cfg(test)]
mod tests {
    use super::super::tokens::tokens;
    use super::*;

    fn read(text: &str) -> Extracted {
        let mut ex = Extracted::default();
        table3(&tokens(text).toks, &mut ex);
        ex
    }

    const NUMS: &str = "8 1 0 0 9 0 0 0 0 0 0 1 0 1 2";

    #[test]
    fn a_header_cell_cut_to_one_character_is_still_header() {
        let ex = read(&format!(
            "行政复议\n行政诉讼\n结果维持\n未经复议直接起诉\n复议后起\n诉\n总计\n| {} |",
            NUMS.replace(' ', " | ")
        ));
        assert_eq!(ex.figures["review.upheld"], 8.0);
        assert_eq!(ex.figures["litigation.after_review.total"], 2.0);
    }

    #[test]
    fn a_header_glued_to_its_heading_starts_the_table() {
        let ex = read(&format!(
            "四、 政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计 {NUMS} 五、 存在的主要问题"
        ));
        assert_eq!(ex.figures["review.total"], 9.0);
        assert_eq!(ex.figures["litigation.after_review.pending"], 1.0);
        // A converter's caption between the header and the numbers is no cell.
        // A header printed a character a column, its lines joined.
        let ex = read(&format!(
            "行政复议 行政诉讼\n结结其尚\n果果他未总计\n维纠结审\n持正果结\n{NUMS}"
        ));
        assert_eq!(ex.figures["review.upheld"], 8.0);
        let ex = read(&format!(
            "行政复议\n行政诉讼\n结果维持\n总计\n## 表二：统计表\n| {} |",
            NUMS.replace(' ', " | ")
        ));
        assert_eq!(ex.figures["litigation.direct.total"], 0.0);
        assert_eq!(ex.figures["review.upheld"], 8.0);
        // A sentence about reviews is no header.
        let ex = read("本年度发生行政复议案件情况如下 3 件");
        assert!(ex.figures.is_empty());
    }
}
