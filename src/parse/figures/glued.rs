//! Splitting runs of digits whose cells were glued together ("7000007" is
//! seven cells of one digit) by the table's own relations.
//!
//! A wrong number is worse than none: a run is split only when exactly one
//! reading satisfies the relations, and the search is bounded (digits per
//! cell, steps, readings kept) so that a hostile run costs a fixed amount.

/// The longest cell a run is cut into: the tables' figures stay far below 10^9.
pub const MAX_CELL_DIGITS: usize = 9;
/// Search steps for one row before it gives up (the row then stays unknown).
const BUDGET: usize = 50_000;
/// Readings kept: beyond this the row is ambiguous whatever else is known.
pub const MAX_READINGS: usize = 16;

/// The readings of glued runs that satisfy the relations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readings {
    /// Up to [`MAX_READINGS`] readings, in the order found.
    pub found: Vec<Vec<i64>>,
    /// The search stopped early (budget or reading cap): `found` is not all of them.
    pub partial: bool,
}

impl Readings {
    /// The one reading, when the search was complete and found exactly one.
    pub fn unique(&self) -> Option<&[i64]> {
        match (self.partial, self.found.as_slice()) {
            (false, [one]) => Some(one),
            _ => None,
        }
    }
}

/// All ways to cut runs of ASCII digits into `n` cells (no leading zeros, at
/// most [`MAX_CELL_DIGITS`] digits a cell; a cell never spans two runs) such
/// that every complete group of `group` cells passes `valid`.
pub fn split_glued<S: AsRef<str>>(
    runs: &[S],
    n: usize,
    group: usize,
    valid: &dyn Fn(&[i64]) -> bool,
) -> Readings {
    let runs: Vec<&[u8]> = runs.iter().map(|r| r.as_ref().as_bytes()).collect();
    let digits: usize = runs.iter().map(|r| r.len()).sum();
    let mut s = Splitter {
        n,
        group,
        valid,
        cells: Vec::with_capacity(n),
        out: Readings {
            found: Vec::new(),
            partial: false,
        },
        budget: BUDGET,
    };
    // Too few or too many digits for n cells, or not digits at all: no reading, no search.
    let possible = runs.len() <= n
        && digits >= n
        && digits <= n * MAX_CELL_DIGITS
        && runs
            .iter()
            .all(|r| !r.is_empty() && r.iter().all(u8::is_ascii_digit));
    if possible && group > 0 {
        s.rec(&runs, 0);
    }
    s.out
}

struct Splitter<'a> {
    n: usize,
    group: usize,
    valid: &'a dyn Fn(&[i64]) -> bool,
    cells: Vec<i64>,
    out: Readings,
    budget: usize,
}

impl Splitter<'_> {
    /// Depth is bounded by `n` cells plus the number of runs (at most `n`).
    fn rec(&mut self, runs: &[&[u8]], pos: usize) {
        if self.out.partial {
            return;
        }
        if self.budget == 0 {
            self.out.partial = true;
            return;
        }
        self.budget -= 1;
        let Some(run) = runs.first() else {
            if self.cells.len() == self.n {
                if self.out.found.len() == MAX_READINGS {
                    self.out.partial = true;
                } else {
                    self.out.found.push(self.cells.clone());
                }
            }
            return;
        };
        if pos == run.len() {
            return self.rec(&runs[1..], 0);
        }
        let left = self.n - self.cells.len();
        if left == 0 {
            return;
        }
        // The digits still to place must fit in the cells still to fill.
        let rest_digits: usize = run.len() - pos + runs[1..].iter().map(|r| r.len()).sum::<usize>();
        if rest_digits < left || rest_digits > left * MAX_CELL_DIGITS {
            return;
        }
        let rest = &run[pos..];
        let max_len = if rest[0] == b'0' {
            1
        } else {
            rest.len().min(MAX_CELL_DIGITS)
        };
        for len in 1..=max_len {
            let v = rest[..len]
                .iter()
                .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
            self.cells.push(v);
            let k = self.cells.len();
            if !k.is_multiple_of(self.group) || (self.valid)(&self.cells[k - self.group..]) {
                self.rec(runs, pos + len);
            }
            self.cells.pop();
        }
    }
}

/// The relation of a table 2 row: six applicant columns add up to 总计.
pub fn row_sum(c: &[i64]) -> bool {
    c[..6].iter().sum::<i64>() == c[6]
}

/// The relation of a group of table 3: four outcomes add up to 总计.
pub fn review_sum(g: &[i64]) -> bool {
    g[0] + g[1] + g[2] + g[3] == g[4]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every way to cut `runs` into cells, by brute force over all cut positions.
    fn brute(
        runs: &[&str],
        n: usize,
        group: usize,
        valid: &dyn Fn(&[i64]) -> bool,
    ) -> Vec<Vec<i64>> {
        let mut per_run: Vec<Vec<Vec<i64>>> = Vec::new();
        for r in runs {
            let b = r.as_bytes();
            let mut cuts = Vec::new();
            for mask in 0u32..(1 << (b.len() - 1)) {
                let mut cells = Vec::new();
                let mut start = 0;
                for i in 1..=b.len() {
                    if i == b.len() || mask & (1 << (i - 1)) != 0 {
                        let s = &r[start..i];
                        if (s.len() > 1 && s.starts_with('0')) || s.len() > MAX_CELL_DIGITS {
                            cells.clear();
                            break;
                        }
                        cells.push(s.parse::<i64>().unwrap());
                        start = i;
                    }
                }
                if !cells.is_empty() {
                    cuts.push(cells);
                }
            }
            per_run.push(cuts);
        }
        let mut all: Vec<Vec<i64>> = vec![vec![]];
        for cuts in per_run {
            let mut next = Vec::new();
            for a in &all {
                for c in &cuts {
                    let mut v = a.clone();
                    v.extend(c);
                    next.push(v);
                }
            }
            all = next;
        }
        all.retain(|v| v.len() == n && v.chunks(group).all(|g| g.len() < group || valid(g)));
        all.sort();
        all
    }

    fn check(runs: &[&str], n: usize, group: usize, valid: &dyn Fn(&[i64]) -> bool) {
        let got = split_glued(runs, n, group, valid);
        let mut want = brute(runs, n, group, valid);
        if want.len() > MAX_READINGS {
            assert!(got.partial, "{runs:?}");
            assert_eq!(got.found.len(), MAX_READINGS);
            return;
        }
        assert!(!got.partial, "{runs:?}");
        let mut found = got.found.clone();
        found.sort();
        want.sort();
        assert_eq!(found, want, "{runs:?}");
        assert_eq!(got.unique().is_some(), want.len() == 1);
    }

    #[test]
    fn every_short_run_agrees_with_brute_force() {
        // All runs of 1..=8 digits over {0,1,2,5} into 3 cells (a + b = c) and into 7 cells (row sum).
        let alphabet = [b'0', b'1', b'2', b'5'];
        let sum3 = |c: &[i64]| c[0] + c[1] == c[2];
        for len in 1..=8u32 {
            for code in 0..4usize.pow(len) {
                let mut x = code;
                let s: String = (0..len)
                    .map(|_| {
                        let d = alphabet[x % 4];
                        x /= 4;
                        d as char
                    })
                    .collect();
                check(&[&s], 3, 3, &sum3);
                check(&[&s], 7, 7, &row_sum);
                let (a, b) = s.split_at(s.len() / 2);
                if !a.is_empty() {
                    check(&[a, b], 7, 7, &row_sum);
                }
            }
        }
    }

    #[test]
    fn relations_pick_the_one_reading() {
        // 1 2 1 3 1 4 | 12 is the only reading of 12131412 whose columns add up.
        let r = split_glued(&["12131412"], 7, 7, &row_sum);
        assert_eq!(r.unique(), Some(&[1, 2, 1, 3, 1, 4, 12][..]));
        // 101000011: 1 0 10 0 0 0 | 11 and 10 1 0 0 0 0 | 11.
        let r = split_glued(&["101000011"], 7, 7, &row_sum);
        assert_eq!((r.found.len(), r.unique()), (2, None));
        // Three groups of table 3.
        let r = split_glued(&["1000112000224000"], 15, 5, &review_sum);
        assert!(r.found.iter().all(|c| c.chunks(5).all(review_sum)));
    }

    #[test]
    fn hostile_runs_cost_a_bounded_search() {
        // Too many digits for the cells: refused without a search.
        let long = "9".repeat(300_000);
        let r = split_glued(&[long.as_str()], 7, 7, &row_sum);
        assert!(r.found.is_empty() && !r.partial);
        // Many cuts, none of which adds up: the step budget ends the search.
        let r = split_glued(&["1".repeat(40).as_str()], 7, 7, &|_: &[i64]| false);
        assert!(r.partial && r.found.is_empty());
        // Many cuts that all pass: the reading cap ends it.
        let r = split_glued(&["1".repeat(30).as_str()], 7, 7, &|_: &[i64]| true);
        assert!(r.partial && r.found.len() == MAX_READINGS && r.unique().is_none());
    }
}
