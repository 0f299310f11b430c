//! Aligning the groups of numbers found in the text to the template's rows.
//!
//! An alignment places some groups, in order, on increasing rows; a group
//! whose labels name its row scores more than one placed by order alone, and
//! a group may be skipped (prose, a stray) and a row may be missing. The best
//! score is found by dynamic programming forwards and backwards (linear in the
//! groups), and a group is placed only when every best alignment places it on
//! the same row: when two readings of the text are equally good, the figures
//! stay unknown rather than risk a wrong one.

/// What the aligner needs of a group.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shape {
    /// Template rows the group holds (consecutive).
    pub rows: usize,
    /// Rows its labels name (bit i: row i).
    pub named: u64,
    /// Rows its nearest label names.
    pub named_last: u64,
    /// Seven cells a row (not a lone total or a glued run).
    pub full: bool,
}

/// Where a group goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Placement {
    /// At this template row (and the following ones for a group of several rows).
    At(usize),
    /// In no best alignment: not part of the table.
    Skipped,
    /// On different rows in different best alignments.
    Ambiguous,
}

/// The score of group `s` at row `r`, `None` when it cannot stand there.
fn weight(s: &Shape, r: usize, k: usize) -> Option<i32> {
    if r + s.rows > k {
        return None;
    }
    let named = s.named & (1 << r) != 0;
    let base = match (named, s.full) {
        (true, true) => 4,
        (true, false) => 3,
        (false, true) => 3,
        (false, false) => 1,
    };
    Some(base + i32::from(named && s.named_last & (1 << r) != 0))
}

/// Places each group (see the module's doc); `k` is the number of template rows.
pub(super) fn align(shapes: &[Shape], k: usize) -> Vec<Placement> {
    let g = shapes.len();
    let w = k + 1;
    // p[i * w + r]: best score of groups < i on rows < r; q[i * w + r]: groups >= i on rows >= r.
    let mut p = vec![0i32; (g + 1) * w];
    for (i, s) in shapes.iter().enumerate() {
        for r in 0..=k {
            let mut best = p[i * w + r];
            if r > 0 {
                best = best.max(p[(i + 1) * w + r - 1]);
            }
            if r >= s.rows {
                if let Some(x) = weight(s, r - s.rows, k) {
                    best = best.max(p[i * w + r - s.rows] + x);
                }
            }
            p[(i + 1) * w + r] = best;
        }
    }
    let mut q = vec![0i32; (g + 1) * w];
    for (i, s) in shapes.iter().enumerate().rev() {
        for r in (0..=k).rev() {
            let mut best = q[(i + 1) * w + r];
            if r < k {
                best = best.max(q[i * w + r + 1]);
            }
            if let Some(x) = weight(s, r, k) {
                best = best.max(x + q[(i + 1) * w + r + s.rows]);
            }
            q[i * w + r] = best;
        }
    }
    let opt = p[g * w + k];
    shapes
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let skip = (0..=k).any(|r| p[i * w + r] + q[(i + 1) * w + r] == opt);
            let mut at = (0..k).filter(|&r| {
                weight(s, r, k)
                    .is_some_and(|x| p[i * w + r] + x + q[(i + 1) * w + r + s.rows] == opt)
            });
            match (skip, at.next(), at.next()) {
                (false, Some(r), None) => Placement::At(r),
                (true, None, _) => Placement::Skipped,
                _ => Placement::Ambiguous,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(r: usize) -> Shape {
        Shape {
            rows: 1,
            named: 1 << r,
            named_last: 1 << r,
            full: true,
        }
    }
    const BARE: Shape = Shape {
        rows: 1,
        named: 0,
        named_last: 0,
        full: true,
    };

    #[test]
    fn order_fills_the_rows_between_named_groups_when_the_count_fits() {
        let a = align(&[named(0), BARE, BARE, named(3)], 4);
        assert_eq!(
            a,
            [
                Placement::At(0),
                Placement::At(1),
                Placement::At(2),
                Placement::At(3)
            ]
        );
    }

    #[test]
    fn too_many_or_too_few_groups_between_named_ones_stay_unknown() {
        let a = align(&[named(0), BARE, BARE, BARE, named(3)], 4);
        assert_eq!(a[0], Placement::At(0));
        assert_eq!(a[4], Placement::At(3));
        assert!(a[1..4].iter().all(|p| *p == Placement::Ambiguous));
        let a = align(&[named(0), BARE, named(3)], 4);
        assert_eq!(a[1], Placement::Ambiguous);
    }

    #[test]
    fn a_label_before_two_rows_gives_way_to_the_count() {
        // Labels of rows 2 and 3 both stand before the first of two groups (r101's 另行制作/不明确).
        let both = Shape {
            rows: 1,
            named: 0b1000,
            named_last: 0,
            full: true,
        };
        let a = align(&[named(0), BARE, both, BARE, named(4)], 5);
        assert_eq!(
            a,
            [
                Placement::At(0),
                Placement::At(1),
                Placement::At(2),
                Placement::At(3),
                Placement::At(4)
            ]
        );
    }
}
