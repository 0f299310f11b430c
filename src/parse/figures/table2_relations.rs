//! Glued rows whose own sum leaves several readings, settled by the relations
//! between rows: the outcome rows add up to 总计 (handled) in every column, and
//! new + carried in = handled + carried over. A reading is taken only when it
//! is the one reading that makes a relation hold with every other row known.

use super::glued::Readings;
use super::{shown, Extracted, RowNote};

type RowValues = [Option<i64>; 7];

/// Rows of the outcome relation: all rows from 予以公开 to 总计 (handled).
fn outcome_range(rows: &[&str]) -> Option<(usize, usize)> {
    let first = rows.iter().position(|r| *r == "granted")?;
    let handled = rows.iter().position(|r| *r == "handled")?;
    Some((first, handled))
}

/// A row's seven cells when all of them are known.
pub(super) fn full(v: &Option<RowValues>) -> Option<[i64; 7]> {
    let v = v.as_ref()?;
    let mut out = [0; 7];
    for (o, x) in out.iter_mut().zip(v) {
        *o = (*x)?;
    }
    Some(out)
}

/// The readings of row `r` that make the outcome sums hold, when every other row of them is known.
fn by_outcomes<'a>(
    rows: &[&str],
    values: &[Option<RowValues>],
    r: usize,
    rd: &'a Readings,
) -> Option<Vec<&'a Vec<i64>>> {
    let (first, handled) = outcome_range(rows)?;
    if !(first..=handled).contains(&r) {
        return None;
    }
    let mut sum = [0i64; 7];
    let mut total = [0i64; 7];
    for (i, v) in values.iter().enumerate().take(handled + 1).skip(first) {
        if i == r {
            continue;
        }
        let v = full(v)?;
        let target = if i == handled { &mut total } else { &mut sum };
        for (t, x) in target.iter_mut().zip(v) {
            *t += x;
        }
    }
    Some(
        rd.found
            .iter()
            .filter(|c| {
                (0..7).all(|k| {
                    if r == handled {
                        sum[k] == c[k]
                    } else {
                        sum[k] + c[k] == total[k]
                    }
                })
            })
            .collect(),
    )
}

/// The readings of row `r` that keep new + carried in = handled + carried over (总计 column).
fn by_balance<'a>(
    rows: &[&str],
    values: &[Option<RowValues>],
    r: usize,
    rd: &'a Readings,
) -> Option<Vec<&'a Vec<i64>>> {
    let idx = |k: &str| rows.iter().position(|x| *x == k);
    let sides = [
        (idx("new")?, 1),
        (idx("carried_in")?, 1),
        (idx("handled")?, -1),
        (idx("carried_over")?, -1),
    ];
    let sign = sides.iter().find(|(i, _)| *i == r)?.1;
    let mut rest = 0i64;
    for (i, s) in sides {
        if i != r {
            rest += s * values[i].as_ref()?[6]?;
        }
    }
    Some(
        rd.found
            .iter()
            .filter(|c| rest + sign * c[6] == 0)
            .collect(),
    )
}

/// Settles pending glued rows where a relation leaves one reading; warns for the rest.
/// (The generator's oracle calls it too, so its expectations are what this can settle.)
pub(crate) fn resolve(
    rows: &[&str],
    values: &mut [Option<RowValues>],
    mut pending: Vec<(usize, Readings)>,
    ex: &mut Extracted,
) {
    // Each pass settles at least one row or stops: at most `pending.len()` passes.
    loop {
        let mut settled = None;
        for (j, (r, rd)) in pending.iter().enumerate() {
            if rd.partial {
                continue;
            }
            // Every relation the row is in must hold: a reading that keeps one
            // sum and breaks the other is no reading.
            let mut fits: Option<Vec<&Vec<i64>>> = None;
            for f in [
                by_outcomes(rows, values, *r, rd),
                by_balance(rows, values, *r, rd),
            ]
            .into_iter()
            .flatten()
            {
                fits = Some(match fits {
                    None => f,
                    Some(prev) => {
                        // Both lists hold references into `rd.found`: the same reading is the same address.
                        let keep: std::collections::HashSet<*const Vec<i64>> =
                            f.iter().map(|c| *c as *const _).collect();
                        prev.into_iter()
                            .filter(|c| keep.contains(&(*c as *const _)))
                            .collect()
                    }
                });
            }
            if let Some([one]) = fits.as_deref() {
                settled = Some((j, (*one).clone()));
                break;
            }
        }
        let Some((j, cells)) = settled else { break };
        let (r, _) = pending.swap_remove(j);
        let mut v = [None; 7];
        for (slot, x) in v.iter_mut().zip(&cells) {
            *slot = Some(*x);
        }
        values[r] = Some(v);
        ex.explain.push(RowNote {
            table: 2,
            row: rows[r].into(),
            anchor: "relations between rows".into(),
            cells: cells.iter().map(|x| shown(&x.to_string())).collect(),
            note: "glued: the one reading that keeps the table's sums".into(),
        });
    }
    for (r, rd) in pending {
        ex.warnings.push(format!(
            "table 2 row {}: glued cells have {}{} readings; left unknown",
            rows[r],
            rd.found.len(),
            if rd.partial { "+" } else { "" }
        ));
    }
}

/// The whole table read by order: `nums` are every number cell after the
/// first row's label, and there are exactly seven a template row. Taken only
/// when every relation holds in every column (each row's columns add up to
/// its total; the outcome rows add up to handled; new + carried in = handled +
/// carried over) and it agrees with every cell `known` already holds.
///
/// PDF text tools (pdftotext without `-layout`) write a table's labels out of
/// place, away from their numbers, while the numbers keep their order.
pub(super) fn by_order(
    rows: &[&str],
    nums: &[i64],
    known: &[Option<RowValues>],
) -> Option<Vec<[i64; 7]>> {
    if nums.len() != 7 * rows.len() {
        return None;
    }
    let table: Vec<[i64; 7]> = nums
        .chunks(7)
        .map(|c| c.try_into().expect("chunks of 7"))
        .collect();
    if !table.iter().all(|r| super::glued::row_sum(r)) {
        return None;
    }
    let idx = |k: &str| rows.iter().position(|x| *x == k);
    let (first, handled) = outcome_range(rows)?;
    let (new, carried_in, carried_over) = (idx("new")?, idx("carried_in")?, idx("carried_over")?);
    for c in 0..7 {
        let outcomes: i64 = table[first..handled].iter().map(|r| r[c]).sum();
        if outcomes != table[handled][c]
            || table[new][c] + table[carried_in][c] != table[handled][c] + table[carried_over][c]
        {
            return None;
        }
    }
    let agrees = table.iter().zip(known).all(|(row, k)| {
        k.iter()
            .flatten()
            .zip(row)
            .all(|(had, x)| had.is_none_or(|h| h == *x))
    });
    agrees.then_some(table)
}

/// A row read as its 总计 alone, in a table of whole rows, is taken only when
/// the totals keep the table's sums: among whole rows a lone number is more
/// likely a cell that a PDF text tool moved (across a page break, or a page
/// header's year) than a row whose other cells are blank.
pub(super) fn doubt_lone_totals(
    rows: &[&str],
    values: &mut [Option<RowValues>],
    ex: &mut Extracted,
) {
    let lone = |v: &Option<RowValues>| {
        v.is_some_and(|v| v[6].is_some() && v[..6].iter().all(Option::is_none))
    };
    let whole = values.iter().filter(|v| full(v).is_some()).count();
    let lone_rows: Vec<usize> = (0..values.len()).filter(|&r| lone(&values[r])).collect();
    if lone_rows.is_empty() || whole * 5 < rows.len() * 4 {
        return;
    }
    let totals: Vec<Option<i64>> = values.iter().map(|v| v.and_then(|v| v[6])).collect();
    if totals_hold(rows, &totals) == Some(true) {
        return;
    }
    for r in lone_rows {
        values[r] = None;
        ex.warnings.push(format!(
            "table 2 row {}: a lone total among whole rows that the sums cannot confirm; left unknown",
            rows[r]
        ));
    }
}

/// Whether the 总计 column keeps both relations (new + carried in = handled +
/// carried over; the outcome rows add up to handled), or `None` when a total
/// they need is unknown.
fn totals_hold(rows: &[&str], totals: &[Option<i64>]) -> Option<bool> {
    let idx = |k: &str| rows.iter().position(|x| *x == k);
    let t = |k: &str| totals[idx(k)?];
    let balance = t("new")? + t("carried_in")? == t("handled")? + t("carried_over")?;
    let (first, handled) = outcome_range(rows)?;
    let mut sum = 0i64;
    for x in &totals[first..handled] {
        sum += (*x)?;
    }
    Some(balance && sum == totals[handled]?)
}

/// The totals a run glued to its label may stand for: the run itself, or the
/// last cell of a reading of it as cells that add up to their last (a row
/// whose blank cells vanished when its cells were run together: "17219" is
/// 17 + 2 = 19).
fn total_readings(run: &str) -> Vec<i64> {
    let mut out: Vec<i64> = run.parse().ok().into_iter().collect();
    if run.len() > 2 * super::glued::MAX_CELL_DIGITS {
        return out;
    }
    let adds_up = |c: &[i64]| {
        c.split_last()
            .is_some_and(|(l, r)| r.iter().sum::<i64>() == *l)
    };
    for k in 2..=7 {
        let rd = super::glued::split_glued(&[run], k, k, &adds_up);
        out.extend(rd.found.iter().filter_map(|c| c.last().copied()));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Combinations of glued totals tried before giving up.
const MAX_COMBINATIONS: usize = 20_000;

/// Totals read from runs glued to their labels ("本年新收…17219"). When the
/// total column's relations fail as read, each run may instead be a row's
/// cells run together: the one choice of readings that makes both relations
/// hold is taken; with none or several, the runs that have more than one
/// reading are left unknown and a warning says so.
pub(super) fn glued_totals(
    rows: &[&str],
    values: &mut [Option<RowValues>],
    glued: &[(usize, &str)],
    ex: &mut Extracted,
) {
    let mut totals: Vec<Option<i64>> = values.iter().map(|v| v.and_then(|v| v[6])).collect();
    if glued.is_empty() || totals_hold(rows, &totals) != Some(false) {
        return;
    }
    let choices: Vec<(usize, Vec<i64>)> = glued
        .iter()
        .map(|(r, run)| (*r, total_readings(run)))
        .filter(|(_, c)| c.len() > 1)
        .collect();
    if choices.is_empty() {
        return;
    }
    let combos = choices
        .iter()
        .try_fold(1usize, |a, (_, c)| a.checked_mul(c.len()))
        .filter(|n| *n <= MAX_COMBINATIONS);
    let mut found: Vec<Vec<i64>> = Vec::new();
    if let Some(n) = combos {
        for mut k in 0..n {
            let pick: Vec<i64> = choices
                .iter()
                .map(|(_, c)| {
                    let x = c[k % c.len()];
                    k /= c.len();
                    x
                })
                .collect();
            for ((r, _), x) in choices.iter().zip(&pick) {
                totals[*r] = Some(*x);
            }
            if totals_hold(rows, &totals) == Some(true) {
                found.push(pick);
                if found.len() > 1 {
                    break;
                }
            }
        }
    }
    let one = (found.len() == 1).then(|| found.remove(0));
    for (i, (r, _)) in choices.iter().enumerate() {
        let v = values[*r].get_or_insert([None; 7]);
        v[6] = one.as_ref().map(|p| p[i]);
        if let Some(x) = v[6] {
            v[..6].iter_mut().for_each(|c| *c = None);
            ex.explain.push(RowNote {
                table: 2,
                row: rows[*r].into(),
                anchor: "relations of the 总计 column".into(),
                cells: vec![x.to_string()],
                note: "a run glued to its label: the one reading of the runs that keeps the table's sums".into(),
            });
        }
    }
    if one.is_none() {
        ex.warnings.push(format!(
            "table 2: totals glued to their labels break the table's sums and {} of them have several readings; left unknown",
            choices.len()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_totals_read_as_cells_that_add_up() {
        assert_eq!(total_readings("17219"), vec![19, 17219]);
        assert_eq!(total_readings("19"), vec![19]);
        assert_eq!(total_readings("11"), vec![1, 11]);
        assert_eq!(total_readings("0"), vec![0]);
    }

    /// A 2021 table that keeps every relation: 5 new and 1 carried in (natural
    /// persons), 4 granted and 1 not held, 1 carried over.
    fn consistent() -> (Vec<&'static str>, Vec<[i64; 7]>) {
        let rows = super::super::table2_rows::template_rows(false);
        let mut t = vec![[0i64; 7]; rows.len()];
        let mut set = |row: &str, n: i64| {
            let r = rows.iter().position(|x| *x == row).unwrap();
            t[r] = [n, 0, 0, 0, 0, 0, n];
        };
        for (row, n) in [
            ("new", 5),
            ("carried_in", 1),
            ("granted", 4),
            ("unable.not_held", 1),
            ("handled", 5),
            ("carried_over", 1),
        ] {
            set(row, n);
        }
        (rows, t)
    }

    #[test]
    fn a_table_is_read_by_order_only_when_every_relation_holds() {
        let (rows, t) = consistent();
        let nums: Vec<i64> = t.iter().flatten().copied().collect();
        let none = vec![None; rows.len()];
        assert_eq!(by_order(&rows, &nums, &none), Some(t.clone()));
        // One number short, or one moved to the next row: no reading.
        assert_eq!(by_order(&rows, &nums[1..], &none), None);
        let mut moved = nums.clone();
        moved.swap(2 * 7, 3 * 7);
        assert_eq!(by_order(&rows, &moved, &none), None);
        // A cell already read that disagrees.
        let mut known = none.clone();
        known[2] = Some([None, None, None, None, None, None, Some(3)]);
        assert_eq!(by_order(&rows, &nums, &known), None);
    }

    #[test]
    fn lone_totals_among_whole_rows_need_the_sums() {
        let (rows, t) = consistent();
        let mut ex = Extracted::default();
        let read = |t: &[[i64; 7]]| -> Vec<Option<RowValues>> {
            t.iter().map(|r| Some(r.map(Some))).collect()
        };
        let granted = 2;
        // The granted row read as its total alone: kept when the totals add up …
        let mut v = read(&t);
        v[granted] = Some([None, None, None, None, None, None, Some(4)]);
        doubt_lone_totals(&rows, &mut v, &mut ex);
        assert_eq!(v[granted].unwrap()[6], Some(4));
        // … and left unknown when they do not (a moved cell, a page header's year).
        v[granted] = Some([None, None, None, None, None, None, Some(2019)]);
        doubt_lone_totals(&rows, &mut v, &mut ex);
        assert_eq!(v[granted], None);
        assert_eq!(ex.warnings.len(), 1);
    }
}
