//! Text as crawlers and PDF-to-markdown converters leave it: the whole body on
//! one line with table 2 cells glued, and converter-made pipe tables with split
//! headers, labels apart from their numbers and page footers inside tables.

use super::plan::Era;
use super::render::{is_numeric, Page};
use super::tables::{fmt_num, Block, Cell};
use crate::parse::figures::{Figures as Figs, COLUMNS as COLS};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Title lines, the lines above the body, the body on one line, the lines below.
pub(super) fn render_one_line(p: &Page) -> String {
    let mut out = String::with_capacity(32 * 1024);
    for l in p.title_lines.iter().chain(&p.top) {
        out.push_str(l);
        out.push('\n');
    }
    for b in &p.blocks {
        match b {
            Block::Heading(s) | Block::Para(s) => out.push_str(s),
            Block::Table(t) => one_line_table(t, &mut out),
        }
    }
    out.push('\n');
    for l in &p.bottom {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// Rows of seven numbers (table 2) are glued; other numbers keep one space.
fn one_line_table(t: &[Vec<Cell>], out: &mut String) {
    for r in t {
        let glue = r.iter().filter(|c| is_numeric(&c.text)).count() == 7;
        for cell in r {
            if !glue && is_numeric(&cell.text) {
                out.push(' ');
            }
            out.push_str(&cell.text);
        }
        if !glue && r.last().is_some_and(|c| is_numeric(&c.text)) {
            out.push(' ');
        }
    }
}

/// Moves the figures of unreadable glued rows from the expected to the absent.
pub(super) fn drop_unreadable_glued_rows(
    f: &Figs,
    era: Era,
    expected: &mut Figs,
    absent: &mut Vec<String>,
) {
    for row in unreadable_glued_rows(f, era) {
        for c in COLS {
            let k = format!("requests.{row}.{c}");
            expected.remove(&k);
            absent.push(k);
        }
    }
}

/// Table 2 rows whose glued run a careful reader cannot split: not one digit a
/// cell, and the row's own sum (six columns = total) does not leave exactly the
/// true reading.
fn unreadable_glued_rows(f: &Figs, era: Era) -> Vec<&'static str> {
    let mut rows = vec!["new", "carried_in"];
    rows.extend(crate::model::checks::outcome_rows(era == Era::T2019));
    rows.extend(["handled", "carried_over"]);
    rows.into_iter()
        .filter(|row| {
            let v: Vec<f64> = COLS
                .iter()
                .map(|c| f[&format!("requests.{row}.{c}")])
                .collect();
            let digits: String = v.iter().map(|x| fmt_num(*x)).collect();
            let adds_up = (v[..6].iter().sum::<f64>() - v[6]).abs() < 1e-9;
            let readable = digits.len() == 7 || (adds_up && readings(&digits, 7, true) == 1);
            !readable
        })
        .collect()
}

/// How many readings a glued run of digits has as `cells` non-negative whole
/// numbers written without leading zeros, where with `sum` the first cells add up
/// to the last. Counts up to 2 (2 means "more than one").
pub(super) fn readings(digits: &str, cells: usize, sum: bool) -> usize {
    let d = digits.as_bytes();
    if cells == 0 || d.len() < cells || !d.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    if !sum {
        return count_free(d, cells);
    }
    let mut n = 0;
    // The total is the last cell: try each length for it.
    for t in 1..=(d.len() - (cells - 1)).min(18) {
        let (head, tail) = d.split_at(d.len() - t);
        let Some(total) = number(tail) else { continue };
        n += count_sum(head, cells - 1, total, t);
        if n >= 2 {
            return 2;
        }
    }
    n
}

/// A cell's value, if written without a leading zero and short enough to add.
fn number(d: &[u8]) -> Option<u64> {
    if d.is_empty() || d.len() > 18 || (d.len() > 1 && d[0] == b'0') {
        return None;
    }
    Some(d.iter().fold(0, |a, b| a * 10 + (b - b'0') as u64))
}

fn count_free(d: &[u8], cells: usize) -> usize {
    if cells == 1 {
        return number(d).is_some() as usize;
    }
    let mut n = 0;
    for k in 1..=(d.len() - (cells - 1)).min(18) {
        if number(&d[..k]).is_some() {
            n += count_free(&d[k..], cells - 1);
            if n >= 2 {
                return 2;
            }
        }
    }
    n
}

/// Readings of `d` as `cells` numbers adding up to `left`, none longer than `max`.
fn count_sum(d: &[u8], cells: usize, left: u64, max: usize) -> usize {
    if d.len() < cells || d.len() > cells * max {
        return 0;
    }
    if cells == 1 {
        return (number(d) == Some(left)) as usize;
    }
    let mut n = 0;
    for k in 1..=(d.len() - (cells - 1)).min(max) {
        match number(&d[..k]) {
            Some(v) if v <= left => {
                n += count_sum(&d[k..], cells - 1, left - v, max);
                if n >= 2 {
                    return 2;
                }
            }
            Some(_) => break,
            None => {}
        }
    }
    n
}

/// Markdown as a PDF converter writes it: paragraphs apart, tables as pipe rows
/// with their header cells cut into loose lines, some labels on lines of their
/// own above their numbers, group labels split over two rows, page footers.
pub(super) fn render_markdown(p: &Page, rng: &mut ChaCha8Rng) -> String {
    let mut out = String::with_capacity(40 * 1024);
    for l in p.title_lines.iter().chain(&p.top) {
        out.push_str(l);
        out.push_str("\n\n");
    }
    let mut page = 3;
    for b in &p.blocks {
        match b {
            Block::Heading(s) | Block::Para(s) => {
                out.push_str(s);
                out.push_str("\n\n");
            }
            Block::Table(t) => {
                md_table(t, rng, &mut page, &mut out);
                out.push('\n');
            }
        }
    }
    for l in &p.bottom {
        out.push_str(l);
        out.push_str("\n\n");
    }
    out
}

fn pipe_row(cells: &[&str], out: &mut String) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(c);
        out.push_str(" |");
    }
    out.push('\n');
}

fn separator(n: usize, out: &mut String) {
    out.push('|');
    out.push_str(&"---|".repeat(n));
    out.push('\n');
}

/// Loose pieces of a header cell, as converters leave multi-line cells.
fn pieces(s: &str, rng: &mut ChaCha8Rng) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let n = rng.random_range(4..12).min(chars.len() - k);
        out.push(chars[k..k + n].iter().collect());
        k += n;
    }
    out
}

fn md_table(t: &[Vec<Cell>], rng: &mut ChaCha8Rng, page: &mut u32, out: &mut String) {
    let caption = rng.random_bool(0.4).then(|| {
        format!(
            "## 表{}：统计表",
            ["一", "二", "三"][rng.random_range(0..3)]
        )
    });
    let footer_at = rng
        .random_bool(0.5)
        .then(|| rng.random_range(0..t.len().max(1)));
    let mut header_done = false;
    let mut group_tail: Option<String> = None;
    for (ri, r) in t.iter().enumerate() {
        let has_num = r.iter().any(|c| is_numeric(&c.text) || c.text.is_empty());
        if !has_num {
            // A header row: its cells as loose lines, the last one cut in a pipe row.
            for cell in r {
                for piece in pieces(&cell.text, rng) {
                    out.push_str(&piece);
                    out.push('\n');
                }
            }
            header_done = false;
            continue;
        }
        if !header_done {
            if let Some(c) = &caption {
                out.push_str(c);
                out.push('\n');
            }
            header_done = true;
        }
        let labels: Vec<&Cell> = r.iter().filter(|c| !is_cell_value(c)).collect();
        let values: Vec<&str> = r
            .iter()
            .filter(|c| is_cell_value(c))
            .map(|c| c.text.as_str())
            .collect();
        let mut row: Vec<String> = Vec::new();
        let (group, label) = match labels.as_slice() {
            [g, l] if g.rs > 1 => (Some(g.text.as_str()), Some(l.text.as_str())),
            [l] => (None, Some(l.text.as_str())),
            _ => (None, None),
        };
        if let Some(g) = group {
            // A group label cut over the first two rows of its group.
            let cut = g
                .char_indices()
                .nth(g.chars().count() / 2)
                .map_or(0, |x| x.0);
            row.push(g[..cut].to_string());
            group_tail = Some(g[cut..].to_string());
        } else if let Some(g) = group_tail.take() {
            row.push(g);
        }
        match label {
            Some(l) if l.chars().count() > 14 && rng.random_bool(0.5) => {
                // The label on lines of its own, its numbers in the next pipe row.
                out.push('\n');
                for piece in pieces(l, rng) {
                    out.push_str(&piece);
                    out.push('\n');
                }
                row.clear();
            }
            Some(l) => row.push(l.to_string()),
            None => {}
        }
        row.extend(values.iter().map(|v| v.to_string()));
        if rng.random_bool(0.2) {
            row.push(String::new());
        }
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        pipe_row(&cells, out);
        if rng.random_bool(0.4) {
            separator(cells.len(), out);
        }
        if footer_at == Some(ri) {
            out.push_str(&format!("— {page} —\n"));
            *page += 1;
        }
    }
}

/// A number or a blank number cell.
fn is_cell_value(c: &Cell) -> bool {
    c.text.is_empty() || is_numeric(&c.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_of_glued_runs() {
        // As many digits as cells: one reading.
        assert_eq!(readings("5100006", 7, true), 1);
        assert_eq!(readings("5100006", 7, false), 1);
        // 12 + 0 + 0 + 0 + 0 + 0 = 12 is the only reading that adds up.
        assert_eq!(readings("120000012", 7, true), 1);
        assert_eq!(readings("120000012", 7, false), 2);
        // 11 + 0 … and 1 + 10 + 0 … both add up to 11.
        assert_eq!(readings("110000011", 7, true), 2);
        // A zero cell is a number; "05" is not.
        assert_eq!(readings("0500005", 7, true), 1);
        assert_eq!(readings("05000005", 7, true), 0);
        assert_eq!(readings("123", 2, false), 2);
        assert_eq!(readings("12", 3, false), 0);
        assert_eq!(readings("", 1, false), 0);
    }

    #[test]
    fn readings_match_brute_force_on_small_runs() {
        // Every split of every 3..=9 digit run over 0/1/2 digits, for 4 cells.
        fn brute(d: &str, cells: usize, sum: bool) -> usize {
            fn go(d: &str, cells: usize, acc: &mut Vec<u64>, sum: bool, n: &mut usize) {
                if cells == 0 {
                    if d.is_empty() {
                        let (last, rest) = acc.split_last().unwrap();
                        if !sum || rest.iter().sum::<u64>() == *last {
                            *n += 1;
                        }
                    }
                    return;
                }
                for k in 1..=d.len() {
                    let p = &d[..k];
                    if p.len() > 1 && p.starts_with('0') {
                        continue;
                    }
                    acc.push(p.parse().unwrap());
                    go(&d[k..], cells - 1, acc, sum, n);
                    acc.pop();
                }
            }
            let mut n = 0;
            go(d, cells, &mut Vec::new(), sum, &mut n);
            n.min(2)
        }
        for len in 3..=7u32 {
            for x in 0..3u64.pow(len) {
                let mut v = x;
                let d: String = (0..len)
                    .map(|_| {
                        let c = char::from(b'0' + (v % 3) as u8);
                        v /= 3;
                        c
                    })
                    .collect();
                for sum in [false, true] {
                    assert_eq!(readings(&d, 4, sum), brute(&d, 4, sum), "{d} {sum}");
                }
            }
        }
    }
}
