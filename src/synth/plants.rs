//! What the cross-report features must find, planted on purpose: bodies that
//! report over several years (some under a short name the next year),
//! problems sections copied from the same body's previous report or from a
//! report of another body of the same year, reports published late, and
//! reports whose requests are all zero (rates without a denominator).
//!
//! Every draw comes from the report's own stream 5, so the rest of a report
//! is what it would be without plants. The truth goes into the expected JSON
//! under `plants` (the golden checker does not read it).

use super::plan::{plan, stream, Era, Plan};
use super::{shaped_issuer, Shapes};
use rand::Rng;
use serde_json::{json, Map, Value};

/// Share of reports published months after the deadline.
const LATE: f64 = 0.08;
/// Share of template reports whose requests are all zero.
const ZERO_REQUESTS: f64 = 0.04;
/// Share of reports whose problems section copies another body's.
const COPY_OTHER: f64 = 0.05;
/// How far back a copier looks for a report of the same year to copy.
const COPY_WINDOW: u64 = 60;
/// Share of a body's continuing reports that use its short name.
pub(super) const RENAME: f64 = 0.5;

/// Full names of departments and the short names bodies also go by (each
/// folds back to the full one in [`crate::model::body`]).
pub(super) const SHORT_NAMES: &[(&str, &str)] = &[
    ("科学技术局", "科技局"),
    ("科学技术厅", "科技厅"),
    ("人力资源和社会保障局", "人社局"),
    ("人力资源和社会保障厅", "人社厅"),
    ("住房和城乡建设局", "住建局"),
    ("住房和城乡建设厅", "住建厅"),
    ("发展和改革委员会", "发改委"),
    ("卫生健康委员会", "卫健委"),
    ("市场监督管理局", "市场监管局"),
    ("交通运输局", "交通局"),
    ("应急管理局", "应急局"),
    ("医疗保障局", "医保局"),
    ("文化和旅游局", "文旅局"),
    ("文化和旅游厅", "文旅厅"),
];

/// The short form of a department's name, if it has one.
pub(super) fn short_name(name: &str) -> Option<String> {
    SHORT_NAMES
        .iter()
        .find_map(|(full, short)| name.strip_suffix(full).map(|stem| format!("{stem}{short}")))
}

/// The plants of one report.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Plants {
    pub(super) late: bool,
    pub(super) zero_requests: bool,
}

pub(super) fn plants(seed: u64, i: u64, era: Era, planted: bool) -> Plants {
    if !planted {
        return Plants::default();
    }
    let mut rng = stream(seed, i, 5);
    let late = rng.random_bool(LATE);
    let zero = rng.random_bool(ZERO_REQUESTS);
    Plants {
        late,
        zero_requests: zero && era != Era::Narrative,
    }
}

fn draws_copy_other(seed: u64, i: u64) -> bool {
    let mut rng = stream(seed, i, 5);
    rng.random_bool(LATE);
    rng.random_bool(ZERO_REQUESTS);
    rng.random_bool(COPY_OTHER)
}

/// True when report `i` repeats its previous report's problems section (a
/// continuing body, about a third of the time).
pub(super) fn copies_previous(seed: u64, i: u64, p: &Plan) -> bool {
    p.continues && stream(seed, i, 1).random_bool(0.35)
}

/// The report whose problems section report `i` copies: the nearest earlier
/// report of the same year by another issuer that writes its own.
pub(super) fn copy_other(seed: u64, i: u64, p: &Plan) -> Option<u64> {
    if !draws_copy_other(seed, i) {
        return None;
    }
    (i.saturating_sub(COPY_WINDOW)..i).rev().find(|&j| {
        let q = plan(seed, j, 0, true);
        q.year == p.year
            && q.issuer.name != p.issuer.name
            && !draws_copy_other(seed, j)
            && !copies_previous(seed, j, &q)
    })
}

/// The issuer of report `i` once its shapes applied.
fn shaped_name(seed: u64, i: u64, shapes: Shapes) -> String {
    let mut p = plan(seed, i, 0, true);
    let mut srng = stream(seed, i, 3);
    let mut sh = shapes.draw(&mut srng);
    shaped_issuer(&mut p, &mut sh, &mut srng);
    p.issuer.name
}

/// The truth of the plants of report `i` (issuer `name` after its shapes),
/// as the expected JSON states it.
pub(super) fn truth(seed: u64, i: u64, p: &Plan, name: &str, shapes: Shapes) -> Value {
    let pl = plants(seed, i, super::era_of(p.year), true);
    let own = |k: u64| shaped_name(seed, k, shapes) == plan(seed, k, 0, true).issuer.name;
    let mut m = Map::new();
    m.insert("late".into(), json!(pl.late));
    m.insert("zero_requests".into(), json!(pl.zero_requests));
    let kept = name == p.issuer.name;
    if kept && p.continues && own(i - 1) {
        let stem = format!("{:06}", i - 1);
        m.insert("same_body_as".into(), json!(stem));
        if p.renamed {
            m.insert("renamed".into(), json!(true));
        }
        if copies_previous(seed, i, p) {
            m.insert("problems_copied_from".into(), json!(stem));
        }
    }
    if kept && !copies_previous(seed, i, p) {
        if let Some(j) = copy_other(seed, i, p).filter(|&j| own(j)) {
            m.insert(
                "problems_copied_from_other".into(),
                json!(format!("{j:06}")),
            );
        }
    }
    Value::Object(m)
}
