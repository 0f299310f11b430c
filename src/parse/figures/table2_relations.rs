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

fn full(v: &Option<RowValues>) -> Option<[i64; 7]> {
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
            for fits in [
                by_outcomes(rows, values, *r, rd),
                by_balance(rows, values, *r, rd),
            ]
            .into_iter()
            .flatten()
            {
                if let [one] = fits.as_slice() {
                    settled = Some((j, (*one).clone()));
                    break;
                }
            }
            if settled.is_some() {
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
