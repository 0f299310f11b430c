//! Lines that a PDF extraction or a fixed-width text wrapped mid-sentence,
//! joined again.

use super::candidates::is_cn_digit;
use super::Line;
use regex::Regex;
use std::sync::LazyLock;

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.,:]|第[一二三四五六七八九十]{1,3}(?:部分|章|节)|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}\s*[、.])").unwrap()
});

/// [`NUMBERED`], with a cheap look at the first character before the regex.
fn is_numbered(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    (is_cn_digit(first) || first == '第' || first == '(' || first.is_numeric())
        && NUMBERED.is_match(s)
}

/// Joins the lines of a paragraph that PDF extraction or a fixed-width text
/// wrapped ("…行政复议和行政诉" + "讼案件。", "…管理局20" + "21年…", "…条例" +
/// "》,坚持…"), so that phrases and sentences are whole again. Only long prose
/// lines that stop mid-sentence are joined to a following line that goes on
/// with text; table rows (ending in numbers or "|"), short cells and headings
/// stay as they are.
pub fn unwrap_lines(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut open = false; // the last output line stops mid-sentence
    for l in lines {
        if open && continues(&l.norm) {
            let last = out.last_mut().expect("open implies a line");
            last.orig.push_str(l.orig.trim());
            last.norm.push_str(&l.norm);
        } else {
            out.push(l);
        }
        open = stops_mid_sentence(&out.last().expect("pushed").norm);
    }
    out
}

/// A line that can go on with the sentence of the line before: it starts with
/// text (a Han character, a digit, closing or opening punctuation), is not a
/// numbered heading, and is not a table row.
fn continues(n: &str) -> bool {
    let starts_text = n.chars().next().is_some_and(|c| {
        crate::parse::normalize::is_han(c) || c.is_ascii_digit() || "“”《》),、。;:!?%".contains(c)
    });
    // A row of cells ends in a number (or a "|"); a sentence with a number at
    // the end of a wrapped line still has its punctuation.
    let row_like =
        n.ends_with('|') || (n.ends_with(|c: char| c.is_ascii_digit()) && !n.contains(['。', ',']));
    starts_text && !row_like && !is_numbered(n)
}

/// A long prose line that stops mid-sentence: it ends in a Han character, an
/// opening mark, or a number glued to the text before it ("…管理局20"), and it
/// is neither a numbered heading nor a row of table header cells (which has no
/// punctuation).
fn stops_mid_sentence(cur: &str) -> bool {
    let end = cur.chars().last().unwrap_or('。');
    let heading = is_numbered(cur) && !cur.contains('。') && cur.chars().count() <= 50;
    let prose = cur.contains([',', '、', ';', '。', '《', '“']);
    let glued_number = end.is_ascii_digit()
        && cur
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .ends_with(crate::parse::normalize::is_han);
    prose
        && cur.chars().count() >= 25
        && (crate::parse::normalize::is_han(end) || "、,“《(".contains(end) || glued_number)
        && !heading
}
