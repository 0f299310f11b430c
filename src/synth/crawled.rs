//! Text as crawlers and PDF-to-markdown converters leave it: the whole body on
//! one line with table 2 cells glued, and converter-made pipe tables with split
//! headers, labels apart from their numbers and page footers inside tables.

use super::plan::Era;
use super::render::{is_numeric, Page};
use super::tables::{fmt_num, Block, Cell};
use crate::parse::figures::table2_relations::resolve;
use crate::parse::figures::{row_sum, split_glued, Extracted, Figures as Figs, COLUMNS as COLS};
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

/// Moves the figures of glued rows a careful reader cannot settle from the
/// expected to the absent.
///
/// The reader is the parser's own: its splitter ([`split_glued`] with the row
/// sum) and its relations between rows ([`resolve`]), so the expectations are
/// what the glued text determines, no more and no less. A deliberately broken
/// table can mislead them into a reading that keeps every sum but is not the
/// table's: such a row is checked neither way (the text does not say which).
pub(super) fn drop_unreadable_glued_rows(
    f: &Figs,
    era: Era,
    expected: &mut Figs,
    absent: &mut Vec<String>,
) {
    let rows = glued_rows(era);
    let truth: Vec<[i64; 7]> = rows
        .iter()
        .map(|row| COLS.map(|c| f[&format!("requests.{row}.{c}")] as i64))
        .collect();
    let read = settled_rows(&rows, &truth);
    let consistent = consistent(&truth);
    for ((row, t), got) in rows.iter().zip(&truth).zip(read) {
        if got == Some(*t) || (got.is_some() && consistent) {
            // Read right, or read wrong from a consistent table: a parser bug to show.
            continue;
        }
        for c in COLS {
            let k = format!("requests.{row}.{c}");
            expected.remove(&k);
            if got.is_none() {
                absent.push(k);
            }
        }
    }
}

/// Table 2's rows of seven numbers, in template order (each glued on one line).
fn glued_rows(era: Era) -> Vec<&'static str> {
    let mut rows = vec!["new", "carried_in"];
    rows.extend(crate::model::checks::outcome_rows(era == Era::T2019));
    rows.extend(["handled", "carried_over"]);
    rows
}

/// The rows as the parser reads their glued runs: one digit a cell, the one
/// reading whose columns add up, or the one reading the other rows' sums leave;
/// `None` where more than one (or no) reading stays.
fn settled_rows(rows: &[&str], truth: &[[i64; 7]]) -> Vec<Option<[i64; 7]>> {
    let mut values: Vec<Option<[Option<i64>; 7]>> = vec![None; rows.len()];
    let mut pending = Vec::new();
    for (r, t) in truth.iter().enumerate() {
        let run: String = t.iter().map(|x| fmt_num(*x as f64)).collect();
        if run.len() == 7 {
            values[r] = Some(t.map(Some));
            continue;
        }
        let rd = split_glued(&[run.as_str()], 7, 7, &row_sum);
        match rd.unique() {
            Some(one) => values[r] = Some(std::array::from_fn(|k| Some(one[k]))),
            None => pending.push((r, rd)),
        }
    }
    resolve(rows, &mut values, pending, &mut Extracted::default());
    values
        .into_iter()
        .map(|v| {
            let v = v?;
            let mut out = [0; 7];
            for (o, x) in out.iter_mut().zip(v) {
                *o = x?;
            }
            Some(out)
        })
        .collect()
}

/// Whether every relation the reader uses holds in the table (rows from
/// [`glued_rows`]): row sums, outcome sums per column, and the balance.
fn consistent(t: &[[i64; 7]]) -> bool {
    let (handled, carried_over) = (t.len() - 2, t.len() - 1);
    let rows_add_up = t.iter().all(|r| row_sum(r));
    let outcomes_add_up =
        (0..7).all(|k| t[2..handled].iter().map(|r| r[k]).sum::<i64>() == t[handled][k]);
    let balance = t[0][6] + t[1][6] == t[handled][6] + t[carried_over][6];
    rows_add_up && outcomes_add_up && balance
}

/// Markdown as a PDF converter writes it: paragraphs apart, tables as pipe rows
/// with their header cells cut into loose lines, some labels on lines of their
/// own above their numbers, group labels split over two rows, page footers.
///
/// Also says whether table 3's row lost its cells' places: a blank first cell
/// and an empty cell added at the end leave two readings (either end could be
/// the blank or the converter's extra cell).
pub(super) fn render_markdown(p: &Page, rng: &mut ChaCha8Rng) -> (String, bool) {
    let mut out = String::with_capacity(40 * 1024);
    let mut t3_unplaced = false;
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
                t3_unplaced |= md_table(t, rng, &mut page, &mut out);
                out.push('\n');
            }
        }
    }
    for l in &p.bottom {
        out.push_str(l);
        out.push_str("\n\n");
    }
    (out, t3_unplaced)
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

/// Writes one table; true when table 3's row (15 cells) lost its cells' places.
fn md_table(t: &[Vec<Cell>], rng: &mut ChaCha8Rng, page: &mut u32, out: &mut String) -> bool {
    let mut unplaced = false;
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
            unplaced |= values.len() == 15 && row[0].is_empty();
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
    unplaced
}

/// A number or a blank number cell.
fn is_cell_value(c: &Cell) -> bool {
    c.text.is_empty() || is_numeric(&c.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Figures of table 2 from its rows in [`glued_rows`] order.
    fn figs(rows: &[[i64; 7]]) -> Figs {
        let mut f = Figs::new();
        for (row, v) in glued_rows(Era::T2021).iter().zip(rows) {
            for (c, x) in COLS.iter().zip(v) {
                f.insert(format!("requests.{row}.{c}"), *x as f64);
            }
        }
        f
    }

    /// A table of zeros (one digit a cell: all read) but for the rows given.
    fn table(rows: &[(&str, [i64; 7])]) -> Vec<[i64; 7]> {
        glued_rows(Era::T2021)
            .iter()
            .map(|r| rows.iter().find(|x| x.0 == *r).map_or([0; 7], |x| x.1))
            .collect()
    }

    fn oracle(t: &[[i64; 7]]) -> (Figs, Vec<String>) {
        let f = figs(t);
        let mut expected = f.clone();
        let mut absent = Vec::new();
        drop_unreadable_glued_rows(&f, Era::T2021, &mut expected, &mut absent);
        (expected, absent)
    }

    #[test]
    fn a_row_with_two_readings_is_settled_by_the_outcome_sums() {
        // 110000011 is 11 0 0 0 0 0 11 or 1 10 0 0 0 0 11; 120000012 has one reading.
        let t = table(&[
            ("new", [12, 0, 0, 0, 0, 0, 12]),
            ("granted", [11, 0, 0, 0, 0, 0, 11]),
            ("partial", [1, 0, 0, 0, 0, 0, 1]),
            ("handled", [12, 0, 0, 0, 0, 0, 12]),
        ]);
        assert!(consistent(&t));
        let (expected, absent) = oracle(&t);
        assert!(absent.is_empty(), "{absent:?}");
        assert_eq!(expected["requests.granted.natural_person"], 11.0);
        assert_eq!(expected, figs(&t));
    }

    #[test]
    fn rows_the_relations_cannot_tell_apart_stay_unknown() {
        // Two outcome rows of two readings each: the sums hold either way.
        let t = table(&[
            ("new", [22, 0, 0, 0, 0, 0, 22]),
            ("granted", [11, 0, 0, 0, 0, 0, 11]),
            ("partial", [11, 0, 0, 0, 0, 0, 11]),
            ("handled", [22, 0, 0, 0, 0, 0, 22]),
        ]);
        let (expected, absent) = oracle(&t);
        for row in ["granted", "partial"] {
            for c in COLS {
                let k = format!("requests.{row}.{c}");
                assert!(absent.contains(&k) && !expected.contains_key(&k), "{k}");
            }
        }
        // One digit a cell: read whatever the other rows are.
        assert_eq!(expected["requests.carried_in.total"], 0.0);
    }

    #[test]
    fn a_broken_row_misread_as_another_that_adds_up_is_not_checked() {
        // 总计 of the handled row is 80 where its columns add up to 77: its run
        // 1216221131380 has one reading whose columns add up, and it is wrong.
        let t = table(&[
            ("new", [12, 16, 22, 1, 13, 13, 77]),
            ("granted", [0, 0, 11, 0, 0, 0, 11]),
            ("partial", [5, 7, 11, 0, 6, 0, 29]),
            ("denied.state_secret", [7, 0, 0, 0, 0, 7, 14]),
            ("denied.law_prohibited", [0, 2, 0, 0, 0, 6, 8]),
            ("denied.security_stability", [0, 7, 0, 1, 7, 0, 15]),
            ("handled", [12, 16, 22, 1, 13, 13, 80]),
        ]);
        assert!(!consistent(&t));
        let rows = glued_rows(Era::T2021);
        let h = rows.iter().position(|r| *r == "handled").unwrap();
        assert_eq!(
            settled_rows(&rows, &t)[h],
            Some([1, 2, 162, 211, 3, 1, 380])
        );
        let (expected, absent) = oracle(&t);
        for c in COLS {
            let k = format!("requests.handled.{c}");
            assert!(!expected.contains_key(&k) && !absent.contains(&k), "{k}");
        }
        // Rows read by their own sums stay; rows the misread row cannot settle are unknown.
        assert_eq!(expected["requests.denied.state_secret.total"], 14.0);
        assert!(absent.contains(&"requests.granted.research".to_string()));
    }
}
