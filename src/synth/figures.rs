//! Figures of the three tables, consistent by construction, and the consistency
//! relations computed apart from the parser.

use super::plan::{Era, Issuer};
use crate::parse::figures::{Figures as Figs, COLUMNS as COLS};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

pub(super) fn small(rng: &mut ChaCha8Rng, scale: u8) -> i64 {
    let zero_p = [0.45, 0.25, 0.1, 0.05][scale as usize];
    if rng.random_bool(zero_p) {
        return 0;
    }
    let hi = [12, 60, 400, 2500][scale as usize];
    let x: f64 = rng.random::<f64>().powi(2);
    1 + (x * hi as f64) as i64
}

/// Splits `n` over weighted buckets.
pub(super) fn spread(rng: &mut ChaCha8Rng, n: i64, w: &[f64]) -> Vec<i64> {
    let mut out = vec![0i64; w.len()];
    let sum: f64 = w.iter().sum();
    let mut left = n;
    // Deterministic share for big counts, random for the remainder.
    for (o, wi) in out.iter_mut().zip(w) {
        let share = ((n as f64) * wi / sum * rng.random_range(0.6..1.0)) as i64;
        *o = share.min(left);
        left -= *o;
    }
    while left > 0 {
        let r = rng.random::<f64>() * sum;
        let mut acc = 0.0;
        let mut k = w.len() - 1;
        for (j, wi) in w.iter().enumerate() {
            acc += wi;
            if r < acc {
                k = j;
                break;
            }
        }
        let step = (left / 8).max(1);
        out[k] += step;
        left -= step;
    }
    out
}

pub(super) const OUTCOME_W: [f64; 21] = [
    40.0, 6.0, 0.3, 0.5, 0.3, 1.0, 1.5, 1.5, 0.8, 3.0, 25.0, 3.0, 1.5, 2.0, 2.0, 0.5, 0.5, 0.5,
    2.0, 0.2, 3.0,
];
pub(super) const COL_W: [f64; 6] = [85.0, 9.0, 0.5, 1.0, 2.0, 1.5];

/// Table 2 with all seven columns, consistent.
pub(super) fn table2_figures(rng: &mut ChaCha8Rng, scale: u8, era: Era, f: &mut Figs) {
    let new_total = small(rng, scale);
    let rows = crate::model::checks::outcome_rows(era == Era::T2019);
    let w: Vec<f64> = if era == Era::T2019 {
        let mut w = OUTCOME_W[..18].to_vec();
        w.push(4.0);
        w
    } else {
        OUTCOME_W.to_vec()
    };
    let new_cols = spread(rng, new_total, &COL_W);
    let mut tot: BTreeMap<&str, i64> = BTreeMap::new();
    for (ci, c) in COLS[..6].iter().enumerate() {
        let new = new_cols[ci];
        let cin = if new > 0 && rng.random_bool(0.3) {
            rng.random_range(0..=(new / 10 + 1))
        } else {
            0
        };
        let avail = new + cin;
        let cover = if avail > 0 && rng.random_bool(0.35) {
            rng.random_range(0..=(avail / 8 + 1).min(avail))
        } else {
            0
        };
        let handled = avail - cover;
        let parts = spread(rng, handled, &w);
        let mut put = |row: &str, v: i64| {
            f.insert(format!("requests.{row}.{c}"), v as f64);
        };
        put("new", new);
        put("carried_in", cin);
        put("carried_over", cover);
        put("handled", handled);
        for (r, v) in rows.iter().zip(&parts) {
            put(r, *v);
        }
        for (r, v) in [
            ("new", new),
            ("carried_in", cin),
            ("carried_over", cover),
            ("handled", handled),
        ]
        .into_iter()
        .chain(rows.iter().copied().zip(parts.iter().copied()))
        {
            *tot.entry(r).or_default() += v;
        }
    }
    for (r, v) in tot {
        f.insert(format!("requests.{r}.total"), v as f64);
    }
}

pub(super) fn table3_figures(rng: &mut ChaCha8Rng, scale: u8, f: &mut Figs) {
    for (g, s) in [
        ("review", scale),
        ("litigation.direct", scale.saturating_sub(1)),
        ("litigation.after_review", scale.saturating_sub(2)),
    ] {
        let total = small(rng, s) / 6;
        let p = spread(rng, total, &[5.0, 1.5, 1.0, 1.0]);
        for (k, v) in ["upheld", "corrected", "other", "pending"].iter().zip(&p) {
            f.insert(format!("{g}.{k}"), *v as f64);
        }
        f.insert(format!("{g}.total"), total as f64);
    }
}

pub(super) fn table1_figures(rng: &mut ChaCha8Rng, iss: &Issuer, era: Era, f: &mut Figs) {
    let rules_ok = iss.gov && iss.scale >= 2;
    match era {
        Era::T2021 => table1_2021(rng, iss.scale, rules_ok, f),
        Era::T2019 => table1_2019(rng, iss.scale, rules_ok, f),
        Era::Narrative => {}
    }
}

/// A count of decisions: zero now and then (more often for small bodies),
/// else skewed towards small values up to a scale's ceiling.
fn big(rng: &mut ChaCha8Rng, s: u8) -> i64 {
    if rng.random_bool(0.3 - 0.07 * s as f64) {
        0
    } else {
        let hi = [300.0, 5000.0, 80000.0, 1_500_000.0][s as usize];
        (rng.random::<f64>().powi(3) * hi) as i64
    }
}

/// An amount in 万元 with up to three decimals, zero about half the time.
fn fee(rng: &mut ChaCha8Rng) -> f64 {
    if rng.random_bool(0.55) {
        0.0
    } else {
        let v: f64 = rng.random_range(0.5..40000.0) * rng.random::<f64>();
        let d = rng.random_range(0..=3);
        let m = 10f64.powi(d);
        ((v * m).round() / m).max(0.1)
    }
}

fn put(f: &mut Figs, k: &str, v: f64) {
    f.insert(k.to_string(), v);
}

fn table1_2021(rng: &mut ChaCha8Rng, s: u8, rules_ok: bool, f: &mut Figs) {
    let (ri, rr) = if rules_ok {
        (rng.random_range(0..4), rng.random_range(0..3))
    } else {
        (0, 0)
    };
    put(f, "rules.issued", ri as f64);
    put(f, "rules.repealed", rr as f64);
    let in_force = if rules_ok {
        rng.random_range(ri..60)
    } else {
        0
    };
    put(f, "rules.in_force", in_force as f64);
    let ni = small(rng, s.min(2)) / 3;
    put(f, "normative_docs.issued", ni as f64);
    put(
        f,
        "normative_docs.repealed",
        (small(rng, s.min(2)) / 4) as f64,
    );
    let nf = ni + small(rng, s.min(2)) / 2;
    put(f, "normative_docs.in_force", nf as f64);
    put(f, "licensing.decisions", big(rng, s) as f64);
    put(f, "penalty.decisions", big(rng, s) as f64);
    put(f, "coercion.decisions", (big(rng, s) / 20) as f64);
    put(f, "fees.amount_wan_yuan", fee(rng));
}

fn table1_2019(rng: &mut ChaCha8Rng, s: u8, rules_ok: bool, f: &mut Figs) {
    let rm = if rules_ok { rng.random_range(0..4) } else { 0 };
    put(f, "rules.made", rm as f64);
    put(f, "rules.published", rm as f64);
    let tp = if rules_ok {
        rng.random_range(rm..80)
    } else {
        0
    };
    put(f, "rules.total_published", tp as f64);
    let nm = small(rng, s.min(2)) / 3;
    let np = nm - if nm > 0 && rng.random_bool(0.2) { 1 } else { 0 };
    put(f, "normative_docs.made", nm as f64);
    put(f, "normative_docs.published", np as f64);
    let ntp = np + small(rng, s.min(2));
    put(f, "normative_docs.total_published", ntp as f64);
    for k in ["licensing", "other_services", "penalty", "coercion"] {
        let prev = if rng.random_bool(0.2) {
            0
        } else {
            rng.random_range(0..(40 + 200 * s as i64))
        };
        let ch = if rng.random_bool(0.6) {
            0
        } else {
            rng.random_range(-(prev.min(10))..=10)
        };
        put(f, &format!("{k}.items_prev_year"), prev as f64);
        put(f, &format!("{k}.items_change"), ch as f64);
        let d = if k == "coercion" {
            big(rng, s) / 20
        } else {
            big(rng, s)
        };
        put(f, &format!("{k}.decisions"), d as f64);
    }
    let fp = if rng.random_bool(0.5) {
        0
    } else {
        rng.random_range(0..30)
    };
    put(f, "fees.items_prev_year", fp as f64);
    let fc = if fp > 0 && rng.random_bool(0.3) {
        -rng.random_range(1..=fp.min(5))
    } else {
        0
    };
    put(f, "fees.items_change", fc as f64);
    let pj = if rng.random_bool(0.5) {
        0
    } else {
        rng.random_range(1..(20 + 300 * s as i64))
    };
    put(f, "procurement.projects", pj as f64);
    let amount = if pj == 0 { 0.0 } else { fee(rng).max(1.0) };
    put(f, "procurement.amount_wan_yuan", amount);
}

/// The consistency relations over the figures that are present. Written apart from
/// `report::checks` on purpose: ground truth must not share the parser's code.
pub(super) fn checks_of(f: &Figs, era: Era) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    let g = |k: String| f.get(&k).copied();
    let eq = |a: f64, b: f64| (a - b).abs() < 1e-6;
    if let (Some(n), Some(ci), Some(h), Some(co)) = (
        g("requests.new.total".into()),
        g("requests.carried_in.total".into()),
        g("requests.handled.total".into()),
        g("requests.carried_over.total".into()),
    ) {
        out.insert("requests_balance".into(), eq(n + ci, h + co));
    }
    let rows = crate::model::checks::outcome_rows(era == Era::T2019);
    let mut oc: Option<bool> = None;
    for c in COLS {
        let parts: Option<Vec<f64>> = rows
            .iter()
            .map(|r| g(format!("requests.{r}.{c}")))
            .collect();
        if let (Some(p), Some(h)) = (parts, g(format!("requests.handled.{c}"))) {
            oc = Some(oc.unwrap_or(true) && eq(p.iter().sum(), h));
        }
    }
    if let Some(ok) = oc {
        out.insert("requests_outcomes_sum".into(), ok);
    }
    let mut cs: Option<bool> = None;
    let all_rows: Vec<&str> = ["new", "carried_in", "handled", "carried_over"]
        .into_iter()
        .chain(rows.iter().copied())
        .collect();
    for r in all_rows {
        let parts: Option<Vec<f64>> = COLS[..6]
            .iter()
            .map(|c| g(format!("requests.{r}.{c}")))
            .collect();
        if let (Some(p), Some(t)) = (parts, g(format!("requests.{r}.total"))) {
            cs = Some(cs.unwrap_or(true) && eq(p.iter().sum(), t));
        }
    }
    if let Some(ok) = cs {
        out.insert("requests_columns_sum".into(), ok);
    }
    let mut rv: Option<bool> = None;
    for grp in ["review", "litigation.direct", "litigation.after_review"] {
        let v: Option<Vec<f64>> = ["upheld", "corrected", "other", "pending", "total"]
            .iter()
            .map(|c| g(format!("{grp}.{c}")))
            .collect();
        if let Some(v) = v {
            rv = Some(rv.unwrap_or(true) && eq(v[0] + v[1] + v[2] + v[3], v[4]));
        }
    }
    if let Some(ok) = rv {
        out.insert("review_sum".into(), ok);
    }
    out
}
