//! The token stream the table readers walk: every cell of every table shape
//! (HTML rows, one cell a line, " |" endings, PDF rows separated by spaces,
//! markdown pipe rows, glued label and digits) becomes a label or a number.
//!
//! Lines that are table furniture and never carry a figure are dropped here:
//! markdown separator rows (`|---|---|`), page footers (`— 4 —`) and heading
//! marks (`###`). Everything here is linear in the input.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok<'a> {
    Label(Cow<'a, str>),
    /// A number cell; empty for a blank cell ("-", "/", "无", an empty pipe cell) that still takes a position.
    Num(Cow<'a, str>),
}

/// The tokens of a text with the line each came from (rows are told apart by lines).
#[derive(Debug, Default)]
pub(super) struct Tokens<'a> {
    pub toks: Vec<Tok<'a>>,
    pub lines: Vec<u32>,
}

static NUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?:件|个|项|条|次|万元)?$").unwrap()
});
/// Cells that stand for "nothing here" in filled-in tables ([`is_blank`] reads them).
#[cfg(test)]
static BLANK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:[-—–/\\―~]+|无|空)$").unwrap());
static GLUED_TAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*[\p{Han})”\]])([+-]?\d+(?:\.\d+)?)$").unwrap());
static HAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{Han}$").unwrap());

/// The end of [`NUM`]'s number (group 1, which starts the piece) when the piece matches.
/// ASCII numbers are read by hand; anything else goes to the regex (`\d` is Unicode).
fn num_end(p: &str) -> Option<usize> {
    let body = ["件", "个", "项", "条", "次", "万元"]
        .iter()
        .find_map(|u| p.strip_suffix(u))
        .unwrap_or(p);
    if !body.is_ascii() {
        return NUM.captures(p).map(|c| c.get(1).expect("group 1").end());
    }
    let b = body.as_bytes();
    let mut i = usize::from(b.first().is_some_and(|&c| c == b'+' || c == b'-'));
    let int_start = i;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b',') {
        i += 1;
    }
    let int = &b[int_start..i];
    if int.is_empty() {
        return None;
    }
    if int.contains(&b',') {
        // \d{1,3}(?:,\d{3})+
        let mut groups = int.split(|&c| c == b',');
        let head = groups.next().expect("split yields one");
        if !(1..=3).contains(&head.len()) || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    if i < b.len() {
        if b[i] != b'.' {
            return None;
        }
        i += 1;
        let frac = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == frac || i != b.len() {
            return None;
        }
    }
    Some(body.len())
}

/// [`BLANK`] without the regex.
fn is_blank(p: &str) -> bool {
    p == "无"
        || p == "空"
        || (!p.is_empty()
            && p.chars()
                .all(|c| matches!(c, '-' | '—' | '–' | '/' | '\\' | '―' | '~')))
}

/// `[+-]?[0-9]+(?:\.[0-9]+)?`, the whole of `s`.
fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first().is_some_and(|&c| c == b'+' || c == b'-'));
    let int = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == int {
        return false;
    }
    if i == b.len() {
        return true;
    }
    if b[i] != b'.' {
        return false;
    }
    i += 1;
    let frac = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i > frac && i == b.len()
}

/// Where [`GLUED_TAIL`] splits a piece (the start of its number), if it matches.
///
/// The number can only start right after the last character outside
/// `[0-9+.-]`, so one backward scan and one check of that tail decide it
/// (linear: a 300,000-digit tail is read twice, not once per digit).
fn glued_split(p: &str) -> Option<usize> {
    if p.chars().any(|c| !c.is_ascii() && c.is_numeric()) {
        return GLUED_TAIL
            .captures(p)
            .map(|c| c.get(2).expect("group 2").start());
    }
    let start = p
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
        .last()
        .map(|(i, _)| i)?;
    let before = p[..start].chars().next_back()?;
    let tail = &p[start..];
    let closes = matches!(before, ')' | '”' | ']') || {
        let mut buf = [0u8; 4];
        HAN.is_match(before.encode_utf8(&mut buf))
    };
    (closes && is_plain_number(tail)).then_some(start)
}

/// A part of a piece, borrowed when the piece is.
fn part<'a>(piece: &Cow<'a, str>, r: std::ops::Range<usize>) -> Cow<'a, str> {
    match piece {
        Cow::Borrowed(b) => Cow::Borrowed(&b[r]),
        Cow::Owned(o) => Cow::Owned(o[r].to_string()),
    }
}

/// A markdown table's separator row (`|---|:--:|`): no cell, no figure.
fn is_separator_row(line: &str) -> bool {
    let t = line.trim();
    t.contains("--") && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// A page footer or header of PDF text (`— 4 —`, `- 12 -`, `第 3 页`, and a
/// flipbook's `P. 3` / `Page 3 - 标题`): it cuts through tables, and its number
/// is no cell.
fn is_page_number(line: &str) -> bool {
    let t = line.trim();
    let small = |n: &str| !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit());
    if let Some(n) = t.strip_prefix("P.") {
        return small(n.trim());
    }
    if let Some(rest) = t.strip_prefix("Page ") {
        let (n, title) = rest.split_once(" - ").unwrap_or((rest, ""));
        return small(n.trim())
            && (title.is_empty() || !title.starts_with(|c: char| c.is_ascii_digit()));
    }
    let dashes = |c: char| matches!(c, '-' | '—' | '–' | '―' | '－');
    let inner = t.trim_start_matches(dashes).trim_end_matches(dashes);
    if inner.len() < t.len() && t.starts_with(dashes) && t.ends_with(dashes) {
        let n = inner.trim();
        return !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit());
    }
    let Some(n) = t.strip_prefix('第').and_then(|r| r.strip_suffix('页')) else {
        return false;
    };
    let n = n.trim();
    !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit())
}

/// One piece of text (no whitespace, no '|') as tokens.
fn push_piece<'a>(piece: &'a str, line: u32, out: &mut Tokens<'a>) {
    // Markdown heading marks glued to a row's digits ("0000000## 第四部分") are no part of it.
    let piece = piece.trim_matches(['|', '│', '#']);
    if piece.is_empty() {
        return;
    }
    let piece: Cow<str> = if piece.contains('−') {
        Cow::Owned(piece.replace('−', "-"))
    } else {
        Cow::Borrowed(piece)
    };
    let p: &str = &piece;
    let mut push = |t: Tok<'a>| {
        out.toks.push(t);
        out.lines.push(line);
    };
    let starts_numeric = p.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
    if let Some(end) = starts_numeric.then(|| num_end(p)).flatten() {
        let n = &p[..end];
        push(Tok::Num(if n.contains(',') {
            Cow::Owned(n.replace(',', ""))
        } else {
            part(&piece, 0..end)
        }));
    } else if is_blank(p) {
        push(Tok::Num(Cow::Borrowed("")));
    } else if let Some(at) = p
        .ends_with(|c: char| c.is_ascii_digit())
        .then(|| glued_split(p))
        .flatten()
    {
        let len = p.len();
        push(Tok::Label(part(&piece, 0..at)));
        push(Tok::Num(part(&piece, at..len)));
    } else {
        push(Tok::Label(piece));
    }
}

/// The tokens of a text. In a row of cells separated by pipes an empty cell
/// is a blank number: it keeps its column's position. So is a line holding
/// one pipe alone (one cell a line, each ending in " |"); empty cells a row
/// ends with, and lines of pipes alone, are layout.
pub(super) fn tokens(text: &str) -> Tokens<'_> {
    let mut out = Tokens::default();
    for (ln, line) in text.lines().enumerate() {
        let ln = u32::try_from(ln).unwrap_or(u32::MAX);
        let t = line.trim();
        if is_separator_row(line) || is_page_number(line) {
            continue;
        }
        if t == "|" {
            out.toks.push(Tok::Num(Cow::Borrowed("")));
            out.lines.push(ln);
            continue;
        }
        let pipe_row = t.starts_with('|') && t.len() > 1 && t.ends_with('|');
        let cells: Vec<&str> = if pipe_row {
            t[1..t.len() - 1].split('|').collect()
        } else {
            // Tab-separated cells (kept by the normaliser) are cells like pipe ones.
            let mut c: Vec<&str> = t.split(['|', '\t']).collect();
            if t.starts_with('|') {
                c.remove(0);
            }
            while c.len() > 1 && c.last().is_some_and(|s| s.trim().is_empty()) {
                c.pop();
            }
            c
        };
        // Cells between pipes on a line that does not start with one ("规章 | 6 | | 6 |").
        let pipe_row = pipe_row || cells.len() > 1;
        // A row of empty cells ("||||") is layout, not a row of blanks.
        if pipe_row && cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        for seg in cells {
            if pipe_row && seg.trim().is_empty() {
                out.toks.push(Tok::Num(Cow::Borrowed("")));
                out.lines.push(ln);
                continue;
            }
            for piece in seg.split_whitespace() {
                push_piece(piece, ln, &mut out);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_readers_agree_with_the_regexes() {
        // Every string of up to 4 characters from an alphabet of the awkward cases.
        let alphabet = [
            "0", "7", "12", "1,234", ",", ".", "+", "-", "件", "万元", "元", "年", ")", "”", "]",
            "a", "—", "/", "\\", "无", "空", "٣", "３", "〇",
        ];
        let mut pieces = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for p in &pieces {
                for a in alphabet {
                    next.push(format!("{p}{a}"));
                }
            }
            pieces.extend(next);
            pieces.sort();
            pieces.dedup();
        }
        for p in &pieces {
            assert_eq!(
                num_end(p),
                NUM.captures(p).map(|c| c.get(1).unwrap().end()),
                "{p}"
            );
            assert_eq!(is_blank(p), BLANK.is_match(p), "{p}");
            assert_eq!(
                glued_split(p),
                GLUED_TAIL.captures(p).map(|c| c.get(2).unwrap().start()),
                "{p}"
            );
        }
    }

    fn kinds(text: &str) -> Vec<String> {
        tokens(text)
            .toks
            .iter()
            .map(|t| match t {
                Tok::Label(l) => format!("L:{l}"),
                Tok::Num(n) => format!("N:{n}"),
            })
            .collect()
    }

    #[test]
    fn pipe_rows_keep_empty_cells_and_drop_furniture() {
        let t = "## 表三\n| 四、结转 | 1 | 0 |  |\n|---|---|---|\n— 5 —\n第 6 页\n### 行政复议";
        assert_eq!(
            kinds(t),
            ["L:表三", "L:四、结转", "N:1", "N:0", "N:", "L:行政复议"]
        );
        // A dash alone is a blank cell, not a footer; a year between dashes is no page.
        assert_eq!(
            kinds("—\n— 2024 年 —"),
            ["N:", "N:", "N:2024", "L:年", "N:"]
        );
    }

    #[test]
    fn heading_marks_glued_to_digits_go() {
        assert_eq!(
            kinds("四、结转下年度继续办理0000000## 第四部分"),
            ["L:四、结转下年度继续办理", "N:0000000", "L:第四部分"]
        );
    }

    #[test]
    fn cells_between_pipes_and_lone_pipes_are_blank_cells() {
        assert_eq!(
            kinds("一、本年新收 | 6 | | 6 |\n|\n||\n第二十条 | |||"),
            ["L:一、本年新收", "N:6", "N:", "N:6", "N:", "L:第二十条"]
        );
        assert!(kinds("P. 3\nPage 2 - 某局2022年报告").is_empty());
    }

    #[test]
    fn a_long_glued_tail_is_one_number() {
        let p = format!("（一）予以公开{}", "5".repeat(3_000));
        let toks = tokens(&p).toks;
        assert_eq!(toks.len(), 2);
        assert!(matches!(&toks[1], Tok::Num(n) if n.len() == 3_000));
    }
}
