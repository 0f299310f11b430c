//! Table 2 (收到和处理政府信息公开申请情况) read against the template's row
//! sequence rather than line by line.
//!
//! The numbers fall into groups (consecutive number cells); each group holds
//! one or more rows of 7 cells, one total, or a glued run. The labels before a
//! group name the rows it may be (labels are concatenated, so a label wrapped
//! over lines or cells is still found). An increasing chain of named groups is
//! chosen (most groups named), and the groups between two named ones take the
//! rows between them only when their count leaves no choice. Converters that
//! put a label after its numbers, split rows, or drop labels are read by order;
//! whatever stays uncertain is left unknown with a warning.

use super::glued::{row_sum, split_glued, Readings};
use super::table2_align::{align, Placement, Shape};
use super::table2_relations::full;
use super::table2_rows::{candidates, template_rows};
use super::tokens::{Tok, Tokens};
use super::{key, shown, Extracted, RowNote, COLUMNS};

/// Labels before a group that are searched for row words: enough for a label
/// wrapped over several lines, not a whole paragraph of prose.
const SPAN_BYTES: usize = 600;

/// The cells of one template row as found.
#[derive(Debug, Clone)]
enum Cells<'a> {
    /// Seven cells (blank ones empty).
    Full(Vec<&'a str>),
    /// Only the 总计 column; `true` when the number was glued to its label
    /// ("本年新收…17219"), so that it may be the row's cells run together.
    Total(&'a str, bool),
    /// Digit runs holding the seven cells glued together.
    Glued(Vec<&'a str>),
}

/// Consecutive number cells and the labels before them.
#[derive(Debug)]
struct Group<'a> {
    rows: Vec<Cells<'a>>,
    /// Template rows the labels name (bit i: row i).
    named: u64,
    /// Rows named by the last label alone (the nearest to the numbers).
    named_last: u64,
    label: String,
}

/// Cells without the empty cells a pipe row ends with, or the empty cells of
/// the label columns a row of an HTML table starts with (they take no position),
/// while there are more cells than rows need.
fn trimmed<'c, 'a>(mut cells: &'c [(&'a str, u32)]) -> &'c [(&'a str, u32)] {
    while cells.len() > 7 && !cells.len().is_multiple_of(7) {
        if cells[cells.len() - 1].0.is_empty() {
            cells = &cells[..cells.len() - 1];
        } else if cells[0].0.is_empty() {
            cells = &cells[1..];
        } else {
            break;
        }
    }
    cells
}

/// Cells without the empty cells around them (a lone total after the empty
/// cells of its row's label columns).
fn core<'c, 'a>(cells: &'c [(&'a str, u32)]) -> &'c [(&'a str, u32)] {
    let start = cells
        .iter()
        .position(|c| !c.0.is_empty())
        .unwrap_or(cells.len());
    let end = cells
        .iter()
        .rposition(|c| !c.0.is_empty())
        .map_or(start, |e| e + 1);
    &cells[start..end]
}

fn full_rows<'a>(cells: &[(&'a str, u32)]) -> Vec<Cells<'a>> {
    cells
        .chunks(7)
        .map(|c| Cells::Full(c.iter().map(|x| x.0).collect()))
        .collect()
}

/// A group's cells as rows, in parts that each stand as a group of their own,
/// or `None` when they fit no row shape.
///
/// Rows on lines of their own are separate parts: a row without a label of
/// its own is placed by order, not glued to the labelled row above it. A
/// stray number on a line of its own among them ("1") is set aside.
fn rows_of<'a>(cells: &[(&'a str, u32)], strays: &mut Vec<&'a str>) -> Option<Vec<Vec<Cells<'a>>>> {
    let lines: Vec<&[(&str, u32)]> = cells.chunk_by(|a, b| a.1 == b.1).map(trimmed).collect();
    let rowlike = |l: &[(&str, u32)]| l.len().is_multiple_of(7);
    if lines.len() > 1
        && lines.iter().any(|l| rowlike(l))
        && lines.iter().all(|l| rowlike(l) || l.len() == 1)
    {
        let mut parts = Vec::new();
        for l in lines {
            if rowlike(l) {
                parts.push(full_rows(l));
            } else if !l[0].0.is_empty() {
                strays.push(l[0].0);
            }
        }
        return Some(parts);
    }
    let cells = trimmed(cells);
    if cells.len().is_multiple_of(7) {
        return Some(vec![full_rows(cells)]);
    }
    let cells = core(cells);
    let n = cells.len();
    if n == 0 {
        return None;
    }
    let digits_only = cells
        .iter()
        .all(|c| !c.0.is_empty() && c.0.bytes().all(|b| b.is_ascii_digit()));
    let digits: usize = cells.iter().map(|c| c.0.len()).sum();
    if n == 1 && !(digits_only && digits >= 7) {
        return (!cells[0].0.is_empty()).then(|| vec![vec![Cells::Total(cells[0].0, false)]]);
    }
    if n < 7 && digits_only && digits >= 7 {
        return Some(vec![vec![Cells::Glued(
            cells.iter().map(|c| c.0).collect(),
        )]]);
    }
    // Fewer cells than columns whose numbers add up to the last ("4 1 5": one
    // cell a line, the blank cells gone): the last is the row's total; the
    // columns of the others are not known.
    if (2..7).contains(&n) {
        let ints: Option<Vec<u64>> = cells.iter().map(|c| c.0.parse().ok()).collect();
        if let Some(v) = ints {
            let (last, rest) = v.split_last().expect("n >= 2");
            if rest.iter().try_fold(0u64, |a, x| a.checked_add(*x)) == Some(*last) {
                return Some(vec![vec![Cells::Total(cells[n - 1].0, false)]]);
            }
        }
    }
    None
}

/// Whether `b` follows `a` directly in the same text: a label and the number
/// the tokenizer cut from one piece ("…数量17219"), with no space between.
fn adjacent(a: &str, b: &str) -> bool {
    !a.is_empty() && a.as_ptr() as usize + a.len() == b.as_ptr() as usize
}

/// Whether label `l` is the wrapped end of the label of the row whose first
/// cells stand before it ("（二）部分公开（…不 0" / "计其他情形） 0 0 0 0 0 0", as
/// PDF text tools write a row whose label wraps): it names no row, the numbers
/// after it complete the row's seven cells, and the seven keep the row's sum.
/// Numbers after those are another row's.
fn continues_row(
    cells: &[(&str, u32)],
    l: &str,
    next: &[Tok<'_>],
    rows: &[&str],
    one_other_row: bool,
) -> bool {
    let have = cells.len();
    if !(1..7).contains(&have) || l.chars().count() > 40 || candidates(l, rows, one_other_row) != 0
    {
        return false;
    }
    let mut values: Vec<i64> = Vec::with_capacity(7);
    for c in cells {
        let Ok(v) = c.0.parse() else { return false };
        values.push(v);
    }
    for tok in next.iter().take(7 - have) {
        match tok {
            Tok::Num(n) => match n.parse() {
                Ok(v) => values.push(v),
                Err(_) => return false,
            },
            Tok::Label(_) => break,
        }
    }
    values.len() == 7 && row_sum(&values)
}

/// The groups of a token stream, with the rows their labels name.
fn groups<'a>(
    t: &'a Tokens<'_>,
    rows: &[&str],
    one_other_row: bool,
    strays: &mut Vec<&'a str>,
) -> Vec<Group<'a>> {
    let mut out = Vec::new();
    let mut span = String::new();
    let mut last = "";
    let mut cells: Vec<(&str, u32)> = Vec::new();
    let mut close = |cells: &mut Vec<(&'a str, u32)>, span: &mut String, last: &str| {
        if cells.is_empty() {
            return;
        }
        // Cells of no row shape (table 1's rows, dates in prose) are not table 2.
        for (i, mut r) in rows_of(cells, strays).into_iter().flatten().enumerate() {
            let labelled = i == 0;
            if let (true, [Cells::Total(x, glued)]) = (labelled, r.as_mut_slice()) {
                *glued = x.len() > 1 && adjacent(last, x);
            }
            out.push(Group {
                rows: r,
                named: if labelled {
                    candidates(span, rows, one_other_row)
                } else {
                    0
                },
                named_last: if labelled {
                    candidates(last, rows, one_other_row)
                } else {
                    0
                },
                label: if labelled { shown(last) } else { String::new() },
            });
        }
        cells.clear();
        span.clear();
    };
    // Cells still to come of a row whose label wrapped between its cells.
    let mut completing: Option<usize> = None;
    for (i, (tok, &line)) in t.toks.iter().zip(&t.lines).enumerate() {
        match tok {
            Tok::Num(n) => {
                cells.push((n, line));
                if let Some(k) = completing {
                    completing = k.checked_sub(1).filter(|k| *k > 0);
                    if completing.is_none() {
                        // The row is whole: what follows is another row.
                        close(&mut cells, &mut span, last);
                        last = "";
                    }
                }
            }
            Tok::Label(l) if continues_row(&cells, l, &t.toks[i + 1..], rows, one_other_row) => {
                span.push_str(l);
                completing = Some(7 - cells.len());
            }
            Tok::Label(l) => {
                close(&mut cells, &mut span, last);
                span.push_str(l);
                if span.len() > SPAN_BYTES {
                    let mut cut = span.len() - SPAN_BYTES;
                    while !span.is_char_boundary(cut) {
                        cut += 1;
                    }
                    span.drain(..cut);
                }
                last = l;
            }
        }
    }
    close(&mut cells, &mut span, last);
    out
}

/// Groups the aligner looks at: a report has a few dozen; past this the rest
/// is not one table (and the aligner's memory stays bounded).
const MAX_GROUPS: usize = 4_096;

/// Rows of cells by template row, with how each was placed.
type Placed<'a> = Vec<(usize, Cells<'a>, String)>;

/// Places the groups on template rows where the alignment leaves no doubt.
fn place<'a>(groups: Vec<Group<'a>>, rows: &[&str], ex: &mut Extracted) -> Placed<'a> {
    let shapes: Vec<Shape> = groups
        .iter()
        .map(|g| Shape {
            rows: g.rows.len(),
            named: g.named,
            named_last: g.named_last,
            full: matches!(g.rows[0], Cells::Full(_)),
        })
        .collect();
    let placements = align(&shapes, rows.len());
    let mut placed = Vec::new();
    for (g, at) in groups.into_iter().zip(placements) {
        match at {
            Placement::At(start) => {
                let why = if g.named & (1 << start) != 0 {
                    format!("label {:?}", g.label)
                } else {
                    "order between the rows around it".to_string()
                };
                for (j, c) in g.rows.into_iter().enumerate() {
                    placed.push((start + j, c, why.clone()));
                }
            }
            Placement::Ambiguous => {
                let after = if g.label.is_empty() {
                    "an unlabelled row of numbers".to_string()
                } else {
                    format!("the numbers after {:?}", g.label)
                };
                let why = format!("table 2: {after} fit more than one template row; left unknown");
                ex.warnings.push(why.clone());
                ex.explain.push(RowNote {
                    table: 2,
                    row: String::new(),
                    anchor: String::new(),
                    cells: Vec::new(),
                    note: why,
                });
            }
            Placement::Skipped => {}
        }
    }
    placed
}

/// Seven cells of a row, or why they are unknown.
type RowValues = [Option<i64>; 7];

/// Reads table 2 from the tokens of the text that holds it.
pub(super) fn table2(t: &Tokens, one_other_row: bool, ex: &mut Extracted) {
    let rows = template_rows(one_other_row);
    let mut strays = Vec::new();
    let mut groups = groups(t, &rows, one_other_row, &mut strays);
    // The table starts at the first group a label names.
    let Some(first) = groups.iter().position(|g| g.named != 0) else {
        return;
    };
    groups.drain(..first);
    if groups.len() > MAX_GROUPS {
        ex.warnings.push(format!(
            "table 2: {} groups of numbers; only the first {MAX_GROUPS} read",
            groups.len()
        ));
        groups.truncate(MAX_GROUPS);
    }
    for s in strays {
        ex.warnings.push(format!(
            "table 2: stray number {} on a line of its own, not a cell",
            shown(s)
        ));
    }
    let placed = place(groups, &rows, ex);
    let mut values: Vec<Option<RowValues>> = vec![None; rows.len()];
    let mut pending: Vec<(usize, Readings)> = Vec::new();
    let mut glued = Vec::new();
    for (r, cells, why) in placed {
        let row = rows[r];
        if let Cells::Total(x, true) = cells {
            glued.push((r, x));
        }
        let shown_cells: Vec<String> = match &cells {
            Cells::Full(c) | Cells::Glued(c) => c.iter().map(|x| shown(x)).collect(),
            Cells::Total(c, _) => vec![shown(c)],
        };
        let (v, note) = read_row(row, cells, ex, &mut pending, r);
        if let Some(v) = v {
            values[r] = Some(v);
        }
        ex.explain.push(RowNote {
            table: 2,
            row: row.into(),
            anchor: why,
            cells: shown_cells,
            note,
        });
    }
    super::table2_relations::resolve(&rows, &mut values, pending, ex);
    super::table2_relations::glued_totals(&rows, &mut values, &glued, ex);
    if !values.iter().all(|v| full(v).is_some()) {
        read_by_order(t, &rows, one_other_row, &mut values, ex);
        super::table2_relations::doubt_lone_totals(&rows, &mut values, ex);
    }
    for (r, v) in values.iter().enumerate() {
        for (c, x) in COLUMNS.iter().zip(v.iter().flatten()) {
            if let Some(x) = x {
                ex.figures.insert(key(&["requests", rows[r], c]), *x as f64);
            }
        }
    }
}

/// Fills the table by order when the labels are out of place but the numbers
/// are all there, in order (see [`by_order`](super::table2_relations::by_order)).
fn read_by_order(
    t: &Tokens,
    rows: &[&str],
    one_other_row: bool,
    values: &mut [Option<RowValues>],
    ex: &mut Extracted,
) {
    let Some(start) = t.toks.iter().position(
        |tok| matches!(tok, Tok::Label(l) if candidates(l, rows, one_other_row) & 1 != 0),
    ) else {
        return;
    };
    // The table ends with the numbers after the last row's label (结转下年度).
    let last_row = 1u64 << (rows.len() - 1);
    let mut nums = Vec::with_capacity(7 * rows.len());
    // Numbers since the last row's label, once it is seen.
    let mut after_last: Option<usize> = None;
    for tok in &t.toks[start..] {
        match tok {
            Tok::Num(n) => {
                let Ok(v) = n.parse::<i64>() else { return };
                if nums.len() == 7 * rows.len() {
                    return;
                }
                nums.push(v);
                after_last = after_last.map(|k| k + 1);
            }
            Tok::Label(_) if after_last.is_some_and(|k| k > 0) => break,
            Tok::Label(l) => {
                if candidates(l, rows, one_other_row) & last_row != 0 {
                    after_last.get_or_insert(0);
                }
            }
        }
    }
    let Some(table) = super::table2_relations::by_order(rows, &nums, values) else {
        return;
    };
    for (r, (slot, row)) in values.iter_mut().zip(table).enumerate() {
        if full(slot).is_some() {
            continue;
        }
        *slot = Some(row.map(Some));
        ex.explain.push(RowNote {
            table: 2,
            row: rows[r].into(),
            anchor: "order of all the table's numbers".into(),
            cells: row.iter().map(|x| x.to_string()).collect(),
            note: "labels out of place: the table's numbers by order keep every sum".into(),
        });
    }
}

/// The values of one row's cells; glued runs with several readings go to `pending`.
fn read_row(
    row: &str,
    cells: Cells,
    ex: &mut Extracted,
    pending: &mut Vec<(usize, Readings)>,
    r: usize,
) -> (Option<RowValues>, String) {
    match cells {
        Cells::Full(c) => {
            if c.iter().any(|x| !x.is_empty() && x.parse::<i64>().is_err()) {
                let why = format!(
                    "table 2 row {row}: non-integer cells {:?}",
                    shown(&c.join(" "))
                );
                ex.warnings.push(why.clone());
                return (None, why);
            }
            let mut v = [None; 7];
            for (slot, x) in v.iter_mut().zip(&c) {
                *slot = x.parse().ok();
            }
            (Some(v), "7 cells".into())
        }
        Cells::Total(x, _) => match x.parse::<i64>() {
            Ok(n) => {
                let mut v = [None; 7];
                v[6] = Some(n);
                (Some(v), "total only".into())
            }
            Err(_) => {
                let why = format!("table 2 row {row}: non-integer total {:?}", shown(x));
                ex.warnings.push(why.clone());
                (None, why)
            }
        },
        Cells::Glued(runs) => {
            let digits: usize = runs.iter().map(|x| x.len()).sum();
            if digits == 7 && runs.len() == 1 {
                // One run of as many digits as cells: one digit a cell.
                let mut v = [None; 7];
                for (slot, d) in v.iter_mut().zip(runs.iter().flat_map(|x| x.bytes())) {
                    *slot = Some(i64::from(d - b'0'));
                }
                return (Some(v), "glued, one digit a cell".into());
            }
            let readings = split_glued(&runs, 7, 7, &row_sum);
            if let Some(one) = readings.unique() {
                let mut v = [None; 7];
                for (slot, x) in v.iter_mut().zip(one) {
                    *slot = Some(*x);
                }
                return (Some(v), "glued, one reading adds up".into());
            }
            let note = format!(
                "glued {} has {}{} readings of its row",
                shown(&runs.join(" ")),
                readings.found.len(),
                if readings.partial { "+" } else { "" }
            );
            pending.push((r, readings));
            (None, note)
        }
    }
}
