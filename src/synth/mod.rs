//! `gongkai gen`: a synthetic corpus of annual reports with golden expectations.
//!
//! Report `i` of seed `s` is generated from its own ChaCha8 stream, so it is the
//! same whatever the number of reports asked for. Each report is written as
//! `NNNNNN.html` or `NNNNNN.txt` beside `NNNNNN.expected.json`, in the format of
//! the seed golden files (see `shared/tools/golden_check.py`). The expectations
//! hold only what the generated file states unambiguously.

use crate::gazetteer::{self, Level};
use anyhow::{Context, Result};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

// The dictionary's figure map and applicant columns (names, not parser logic).
use crate::parse::figures::{Figures as Figs, COLUMNS as COLS};

// ------------------------------------------------------------------ regions

#[derive(Debug, Clone)]
struct Unit {
    code: &'static str,
    name: &'static str,
    level: Level,
    path: &'static str,
    first: i32,
    last: i32,
}

impl Unit {
    /// Valid well inside its span (the gazetteer tolerates off-by-one bounds).
    fn valid(&self, y: i32) -> bool {
        self.first < y && y < self.last
    }
}

struct Gaz {
    units: Vec<Unit>,
    by_level: [Vec<usize>; 3],
}

static GAZ: LazyLock<Gaz> = LazyLock::new(|| {
    let mut units = Vec::new();
    for line in include_str!("../../data/divisions_history.tsv")
        .lines()
        .skip(1)
    {
        let c: Vec<&'static str> = line.split('\t').collect();
        if c.len() < 8 {
            continue;
        }
        let level = match c[2] {
            "province" => Level::Province,
            "prefecture" => Level::Prefecture,
            _ => Level::County,
        };
        let first = if c[5].ends_with('-') {
            1900
        } else {
            c[5].parse().unwrap_or(2008)
        };
        let last = if c[7] == "current" {
            2100
        } else {
            c[6].parse().unwrap_or(2008)
        };
        units.push(Unit {
            code: c[0],
            name: c[1],
            level,
            path: c[4],
            first,
            last,
        });
    }
    let mut by_level: [Vec<usize>; 3] = Default::default();
    for (i, u) in units.iter().enumerate() {
        let l = match u.level {
            Level::Province => 0,
            Level::Prefecture => 1,
            Level::County => 2,
        };
        by_level[l].push(i);
    }
    Gaz { units, by_level }
});

/// Short names that stand for several units (data/ambiguous_names.tsv).
static AMBIGUOUS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/ambiguous_names.tsv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(1))
        .collect()
});

fn unique_name(name: &str, year: i32) -> bool {
    gazetteer::by_name(name, Some(year)).len() == 1 && !AMBIGUOUS.contains(&name)
}

/// How a place is named in the report, or None if no certain naming exists.
fn place_name(u: &Unit, year: i32, rng: &mut ChaCha8Rng) -> Option<String> {
    let parts: Vec<&str> = u.path.split('/').collect();
    let name = match u.level {
        Level::Province => u.name.to_string(),
        _ => {
            let parent = parts[parts.len() - 2];
            if unique_name(u.name, year) && rng.random_bool(0.7) {
                u.name.to_string()
            } else if unique_name(parent, year) && parent != u.name {
                format!("{parent}{}", u.name)
            } else {
                return None;
            }
        }
    };
    // The parser's gazetteer must read the same unit from the name (the name is
    // then certain); names it cannot are left out rather than expected wrong.
    let r = gazetteer::resolve(&format!("{name}人民政府"), Some(year))?;
    (r.code == u.code && r.path == u.path).then_some(name)
}

// ------------------------------------------------------------------ issuers

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Era {
    Narrative,
    T2019,
    T2021,
}

fn era_of(year: i32) -> Era {
    match year {
        ..=2018 => Era::Narrative,
        2019 | 2020 => Era::T2019,
        _ => Era::T2021,
    }
}

#[derive(Debug, Clone)]
struct Issuer {
    /// Full name as the parser should find it.
    name: String,
    /// Names the report uses for itself in sentences ("我市", "我局").
    we: &'static str,
    unit: Option<Unit>,
    place: Option<String>,
    gov: bool,
    /// Scale of figures: 0 = small department … 3 = province government.
    scale: u8,
}

const DEPTS_PROV_NEW: &[&str] = &[
    "发展和改革委员会",
    "教育厅",
    "科学技术厅",
    "工业和信息化厅",
    "民政厅",
    "司法厅",
    "财政厅",
    "人力资源和社会保障厅",
    "自然资源厅",
    "生态环境厅",
    "住房和城乡建设厅",
    "交通运输厅",
    "水利厅",
    "农业农村厅",
    "商务厅",
    "文化和旅游厅",
    "卫生健康委员会",
    "应急管理厅",
    "审计厅",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
];
const DEPTS_PROV_OLD: &[&str] = &[
    "发展和改革委员会",
    "教育厅",
    "科学技术厅",
    "民政厅",
    "财政厅",
    "国土资源厅",
    "环境保护厅",
    "交通运输厅",
    "水利厅",
    "农业厅",
    "商务厅",
    "文化厅",
    "卫生和计划生育委员会",
    "审计厅",
    "工商行政管理局",
    "质量技术监督局",
    "安全生产监督管理局",
    "统计局",
];
const DEPTS_LOCAL_NEW: &[&str] = &[
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "政务服务管理局",
    "林业局",
];
const DEPTS_LOCAL_OLD: &[&str] = &[
    "发展和改革局",
    "教育局",
    "科学技术局",
    "民政局",
    "财政局",
    "人力资源和社会保障局",
    "国土资源局",
    "环境保护局",
    "住房和城乡建设局",
    "交通运输局",
    "水务局",
    "农业局",
    "商务局",
    "文化广电新闻出版局",
    "卫生和计划生育局",
    "安全生产监督管理局",
    "审计局",
    "工商行政管理局",
    "食品药品监督管理局",
    "统计局",
    "林业局",
];
/// "市工信局"-style names that do not say which city.
const DEPTS_ANON: &[&str] = &[
    "市工信局",
    "市发改委",
    "市教育局",
    "市财政局",
    "市市场监管局",
    "市人社局",
    "市住建局",
    "县农业农村局",
    "县卫健局",
    "县交通运输局",
    "市统计局",
    "市审计局",
];

fn pick_issuer(rng: &mut ChaCha8Rng, year: i32) -> Issuer {
    if rng.random_bool(0.06) {
        let name = DEPTS_ANON.choose(rng).unwrap().to_string();
        return Issuer {
            name,
            we: "我局",
            unit: None,
            place: None,
            gov: false,
            scale: 0,
        };
    }
    let g = &*GAZ;
    loop {
        let lvl = match rng.random_range(0..100) {
            0..10 => 0,
            10..42 => 1,
            _ => 2,
        };
        let list = &g.by_level[lvl];
        let u = &g.units[*list.choose(rng).unwrap()];
        // Hong Kong, Macao and Taiwan publish no such reports.
        if !u.valid(year) || u.code.starts_with(['7', '8']) {
            continue;
        }
        let Some(place) = place_name(u, year, rng) else {
            continue;
        };
        let gov = rng.random_bool(0.45);
        let (name, we, scale) = if gov {
            let we = match u.name.chars().last() {
                Some('省') => "我省",
                Some('县') => "我县",
                Some('区') => "我区",
                Some('州') => "我州",
                Some('旗') => "我旗",
                _ => "我市",
            };
            (format!("{place}人民政府"), we, 3 - lvl as u8)
        } else {
            let old = year <= 2018;
            let list = match (lvl, old) {
                (0, true) => DEPTS_PROV_OLD,
                (0, false) => DEPTS_PROV_NEW,
                (_, true) => DEPTS_LOCAL_OLD,
                (_, false) => DEPTS_LOCAL_NEW,
            };
            let d = list.choose(rng).unwrap();
            let we = if d.ends_with("委员会") {
                "我委"
            } else if d.ends_with('厅') {
                "我厅"
            } else {
                "我局"
            };
            (format!("{place}{d}"), we, if lvl == 0 { 1 } else { 0 })
        };
        // The department's name must still resolve to the same unit.
        match gazetteer::resolve(&name, Some(year)) {
            Some(r) if r.code == u.code => {}
            _ => continue,
        }
        return Issuer {
            name,
            we,
            unit: Some(u.clone()),
            place: Some(place),
            gov,
            scale,
        };
    }
}

#[derive(Debug, Clone)]
struct Plan {
    issuer: Issuer,
    year: i32,
    /// Same issuer as report i-1, one year later.
    continues: bool,
}

fn stream(seed: u64, i: u64, part: u64) -> ChaCha8Rng {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(i.wrapping_mul(8).wrapping_add(part));
    r
}

fn plan(seed: u64, i: u64, depth: u32) -> Plan {
    let mut rng = stream(seed, i, 0);
    if i > 0 && depth < 6 && rng.random_bool(0.10) {
        let mut p = plan(seed, i - 1, depth + 1);
        p.year += 1;
        let ok = p.year <= 2025
            && p.issuer.unit.as_ref().is_none_or(|u| {
                u.valid(p.year)
                    && gazetteer::resolve(&p.issuer.name, Some(p.year))
                        .is_some_and(|r| r.code == u.code)
            });
        if ok {
            p.continues = true;
            return p;
        }
    }
    let year = match rng.random_range(0..100) {
        0..30 => rng.random_range(2008..=2018),
        30..50 => rng.random_range(2019..=2020),
        _ => rng.random_range(2021..=2025),
    };
    Plan {
        issuer: pick_issuer(&mut rng, year),
        year,
        continues: false,
    }
}

// ------------------------------------------------------------------ figures

fn small(rng: &mut ChaCha8Rng, scale: u8) -> i64 {
    let zero_p = [0.45, 0.25, 0.1, 0.05][scale as usize];
    if rng.random_bool(zero_p) {
        return 0;
    }
    let hi = [12, 60, 400, 2500][scale as usize];
    let x: f64 = rng.random::<f64>().powi(2);
    1 + (x * hi as f64) as i64
}

/// Splits `n` over weighted buckets.
fn spread(rng: &mut ChaCha8Rng, n: i64, w: &[f64]) -> Vec<i64> {
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

const OUTCOME_W: [f64; 21] = [
    40.0, 6.0, 0.3, 0.5, 0.3, 1.0, 1.5, 1.5, 0.8, 3.0, 25.0, 3.0, 1.5, 2.0, 2.0, 0.5, 0.5, 0.5,
    2.0, 0.2, 3.0,
];
const COL_W: [f64; 6] = [85.0, 9.0, 0.5, 1.0, 2.0, 1.5];

/// Table 2 with all seven columns, consistent.
fn table2_figures(rng: &mut ChaCha8Rng, scale: u8, era: Era, f: &mut Figs) {
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

fn table3_figures(rng: &mut ChaCha8Rng, scale: u8, f: &mut Figs) {
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

fn table1_figures(rng: &mut ChaCha8Rng, iss: &Issuer, era: Era, f: &mut Figs) {
    let s = iss.scale;
    let rules_ok = iss.gov && s >= 2;
    let mut put = |k: &str, v: f64| {
        f.insert(k.to_string(), v);
    };
    let big = |rng: &mut ChaCha8Rng, s: u8| -> i64 {
        if rng.random_bool(0.3 - 0.07 * s as f64) {
            0
        } else {
            let hi = [300.0, 5000.0, 80000.0, 1_500_000.0][s as usize];
            (rng.random::<f64>().powi(3) * hi) as i64
        }
    };
    let fee = |rng: &mut ChaCha8Rng| -> f64 {
        if rng.random_bool(0.55) {
            0.0
        } else {
            let v: f64 = rng.random_range(0.5..40000.0) * rng.random::<f64>();
            let d = rng.random_range(0..=3);
            let m = 10f64.powi(d);
            ((v * m).round() / m).max(0.1)
        }
    };
    match era {
        Era::T2021 => {
            let (ri, rr) = if rules_ok {
                (rng.random_range(0..4), rng.random_range(0..3))
            } else {
                (0, 0)
            };
            put("rules.issued", ri as f64);
            put("rules.repealed", rr as f64);
            put(
                "rules.in_force",
                if rules_ok {
                    rng.random_range(ri..60)
                } else {
                    0
                } as f64,
            );
            let ni = small(rng, s.min(2)) / 3;
            put("normative_docs.issued", ni as f64);
            put("normative_docs.repealed", (small(rng, s.min(2)) / 4) as f64);
            put(
                "normative_docs.in_force",
                (ni + small(rng, s.min(2)) / 2) as f64,
            );
            put("licensing.decisions", big(rng, s) as f64);
            put("penalty.decisions", big(rng, s) as f64);
            put("coercion.decisions", (big(rng, s) / 20) as f64);
            put("fees.amount_wan_yuan", fee(rng));
        }
        Era::T2019 => {
            let rm = if rules_ok { rng.random_range(0..4) } else { 0 };
            put("rules.made", rm as f64);
            put("rules.published", rm as f64);
            put(
                "rules.total_published",
                if rules_ok {
                    rng.random_range(rm..80)
                } else {
                    0
                } as f64,
            );
            let nm = small(rng, s.min(2)) / 3;
            let np = nm - if nm > 0 && rng.random_bool(0.2) { 1 } else { 0 };
            put("normative_docs.made", nm as f64);
            put("normative_docs.published", np as f64);
            put(
                "normative_docs.total_published",
                (np + small(rng, s.min(2))) as f64,
            );
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
                put(&format!("{k}.items_prev_year"), prev as f64);
                put(&format!("{k}.items_change"), ch as f64);
                let d = if k == "coercion" {
                    big(rng, s) / 20
                } else {
                    big(rng, s)
                };
                put(&format!("{k}.decisions"), d as f64);
            }
            let fp = if rng.random_bool(0.5) {
                0
            } else {
                rng.random_range(0..30)
            };
            put("fees.items_prev_year", fp as f64);
            put(
                "fees.items_change",
                if fp > 0 && rng.random_bool(0.3) {
                    -rng.random_range(1..=fp.min(5))
                } else {
                    0
                } as f64,
            );
            let pj = if rng.random_bool(0.5) {
                0
            } else {
                rng.random_range(1..(20 + 300 * s as i64))
            };
            put("procurement.projects", pj as f64);
            put(
                "procurement.amount_wan_yuan",
                if pj == 0 { 0.0 } else { fee(rng).max(1.0) },
            );
        }
        Era::Narrative => {}
    }
}

/// The consistency relations over the figures that are present. Written apart from
/// `report::checks` on purpose: ground truth must not share the parser's code.
fn checks_of(f: &Figs, era: Era) -> BTreeMap<String, bool> {
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

// ------------------------------------------------------------------ text pools

const PROB_SUBJ: &[&str] = &[
    "部分重点领域信息",
    "政策解读材料",
    "依申请公开答复文书",
    "政务新媒体发布的内容",
    "政府信息公开指南",
    "基层政务公开标准目录",
    "门户网站部分栏目",
    "公开专区的线下服务",
    "行政执法结果信息",
    "财政预决算信息",
];
const PROB_PRED: &[&str] = &[
    "更新不够及时",
    "规范化程度不高",
    "公开的深度和广度还不够",
    "表现形式较为单一",
    "与群众需求衔接不够紧密",
    "质量参差不齐",
    "解读回应不够充分",
    "检索查阅还不够便捷",
];
const PROB_FIXED: &[&str] = &[
    "工作人员多为兼职，业务能力有待提升",
    "对新条例的学习理解还不够深入",
    "信息发布前的保密审查流程还不够细致",
    "各科室之间的协调配合还不够顺畅",
    "主动公开意识仍需进一步增强",
    "公众参与政策制定的渠道还不够畅通",
    "对公开工作的考核评价办法有待细化",
];
const CAUSES: &[&str] = &[
    "究其原因，主要是对政务公开工作的重要性认识还不到位",
    "这与人员调整频繁、工作交接不到位有一定关系",
    "主要原因是部门之间的信息共享机制尚未完全建立",
    "客观上也受到人员力量和经费保障不足的制约",
    "其根源在于工作机制还不够健全，责任落实不够到位",
];
const MEAS_VERB: &[&str] = &[
    "进一步完善",
    "着力规范",
    "持续优化",
    "切实加强",
    "认真落实",
    "全面梳理",
];
const MEAS_OBJ: &[&str] = &[
    "信息发布审核制度",
    "依申请公开办理流程",
    "政策解读工作机制",
    "政府网站栏目设置",
    "政务公开专区建设",
    "政务新媒体日常监管",
    "公开目录动态调整机制",
    "政务公开培训计划",
    "考核评价和责任追究办法",
];
const MEAS_GOAL: &[&str] = &[
    "确保信息发布准确及时",
    "不断提升答复的规范化水平",
    "让群众看得到、听得懂、能监督",
    "做到应公开尽公开",
    "切实提升政务公开工作质效",
    "更好地回应社会关切",
    "推动政务公开工作制度化常态化",
];
const PROB_INTRO: &[&str] = &[
    "{year}年，{we}政府信息公开工作取得了一定成效，但对照上级要求和群众期盼，仍存在一些不足。",
    "回顾全年工作，{we}在政府信息公开方面还存在一些薄弱环节。",
    "虽然{we}政务公开工作稳步推进，但与新形势新要求相比仍有差距。",
    "对照年度工作要点，{we}政府信息公开工作还有不少需要改进的地方。",
];
const PROB_CLOSE: &[&str] = &[
    "下一步，{we}将坚持问题导向，逐项抓好整改落实。",
    "{we}将以此为契机，推动政府信息公开工作再上新台阶。",
    "",
    "",
];
const ORDINALS: &[&str] = &["一是", "二是", "三是", "四是", "五是", "六是"];
const CN_NUM: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

const OVERVIEW_PARAS: &[(&str, &str)] = &[
    ("加强组织领导", "{name}把政务公开工作摆上重要议事日程，调整充实了政务公开工作领导小组，明确分管负责同志和具体承办人员，形成了主要领导亲自抓、分管领导具体抓、业务科室协同推进的工作格局。"),
    ("健全制度机制", "{we}修订完善了信息发布审核、保密审查、依申请公开办理等工作制度，对公开的范围、程序、时限作出明确规定，推动公开工作有章可循。"),
    ("强化平台建设", "{we}持续优化门户网站信息公开专栏，规范栏目设置，同步利用政务微信、微博等渠道发布信息，拓展公开覆盖面。"),
    ("做好政策解读", "围绕年度重点工作，{we}采取图文解读、在线访谈、问答等形式解读重要政策文件，帮助公众准确理解政策内容。"),
    ("加强监督保障", "{we}将政务公开工作纳入年度目标考核，定期开展自查，对发现的问题建立台账、限期整改。"),
    ("开展业务培训", "{we}组织开展政务公开专题培训，邀请业务骨干讲解新条例和年报格式要求，提高工作人员业务能力。"),
    ("回应社会关切", "{we}密切关注涉及本单位职能的舆情信息，对群众关心的热点问题及时作出回应，增强了公开工作的针对性。"),
];
const PROACTIVE_NARR: &[&str] = &[
    "{year}年，{we}通过门户网站、政务新媒体等渠道主动公开政府信息{n}条，其中机构职能、政策文件、规划计划类信息{m}条。",
    "全年共主动公开各类政府信息{n}条，内容涵盖财政预决算、人事任免、重大项目建设等方面，其中通过政府网站公开{m}条。",
    "{we}主动公开政府信息{n}条，做到了公开内容全面、公开时间及时。其中公开规范性文件{m}件。",
];
const OTHER_2021: &[&str] = &[
    "{year}年度，{we}未收取信息处理费。",
    "本年度未发生收取信息处理费的情况。全年办理人大代表建议{n}件、政协提案{m}件，办理结果已按要求公开。",
    "{we}无其他需要报告的事项。",
    "本年度{we}未依据《政府信息公开信息处理费管理办法》收取信息处理费，没有其他需要报告的事项。",
];
const OTHER_NARR: &[(&str, &str)] = &[
    ("{next}年工作安排", "{next}年，{we}将紧紧围绕中心工作，继续深化重点领域信息公开，加大政策解读力度，进一步提升政府网站信息发布质量。"),
    ("制度建设情况", "{we}年内制定了政府信息公开保密审查办法和信息发布协调制度，政府信息公开工作逐步走上制度化轨道。"),
    ("政府信息公开的收费及减免情况", "{year}年，{we}在政府信息公开工作中未收取任何费用。"),
    ("下一步工作打算", "{we}将以公开为常态、不公开为例外，扎实做好{next}年政府信息公开各项工作，切实保障人民群众的知情权和监督权。"),
];

const SPAM: &[&str] = &[
    "即时比分",
    "365bet体育正规吗",
    "365bet苹果版_365服务热线_bet体育365正规吗",
    "bet365官网开户",
    "足球彩票娱乐城",
    "博彩平台注册",
];

fn fill(s: &str, iss: &Issuer, year: i32) -> String {
    s.replace("{we}", iss.we)
        .replace("{name}", &iss.name)
        .replace("{year}", &year.to_string())
        .replace("{next}", &(year + 1).to_string())
}

/// Problems-and-improvements paragraphs, plus phrases certain to be in them.
fn problems_text(seed: u64, i: u64, p: &Plan, depth: u32) -> (Vec<String>, Vec<String>) {
    let mut rng = stream(seed, i, 1);
    if p.continues && depth < 6 && rng.random_bool(0.35) {
        let prev = plan(seed, i - 1, 0);
        return problems_text(seed, i - 1, &prev, depth + 1);
    }
    let iss = &p.issuer;
    let mut probs: Vec<String> = Vec::new();
    let np = rng.random_range(1..=4);
    while probs.len() < np {
        let s = if rng.random_bool(0.6) {
            format!(
                "{}{}",
                PROB_SUBJ.choose(&mut rng).unwrap(),
                PROB_PRED.choose(&mut rng).unwrap()
            )
        } else {
            PROB_FIXED.choose(&mut rng).unwrap().to_string()
        };
        if !probs.contains(&s) {
            probs.push(s);
        }
    }
    let mut meas: Vec<String> = Vec::new();
    let nm = rng.random_range(2..=5);
    while meas.len() < nm {
        let s = format!(
            "{}{}，{}",
            MEAS_VERB.choose(&mut rng).unwrap(),
            MEAS_OBJ.choose(&mut rng).unwrap(),
            MEAS_GOAL.choose(&mut rng).unwrap()
        );
        if !meas
            .iter()
            .any(|m| m.split('，').next() == s.split('，').next())
        {
            meas.push(s);
        }
    }
    probs.shuffle(&mut rng);
    meas.shuffle(&mut rng);
    let intro = fill(PROB_INTRO.choose(&mut rng).unwrap(), iss, p.year);
    let cause = rng
        .random_bool(0.4)
        .then(|| CAUSES.choose(&mut rng).unwrap().to_string());
    let close = fill(PROB_CLOSE.choose(&mut rng).unwrap(), iss, p.year);
    let enumerate = |items: &[String], sep: &str| -> String {
        items
            .iter()
            .enumerate()
            .map(|(k, s)| format!("{}{}", ORDINALS[k], s))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let mut paras = Vec::new();
    match rng.random_range(0..4) {
        0 => {
            let mut a = format!("{intro}主要表现在：{}。", enumerate(&probs, "；"));
            if let Some(c) = &cause {
                a.push_str(&format!("{c}。"));
            }
            paras.push(a);
            paras.push(format!(
                "针对上述问题，{}将重点做好以下工作：{}。{close}",
                iss.we,
                enumerate(&meas, "；")
            ));
        }
        1 => {
            paras.push(format!(
                "（一）存在的主要问题。{}。{}",
                enumerate(&probs, "；"),
                cause.map(|c| c + "。").unwrap_or_default()
            ));
            paras.push(format!(
                "（二）改进措施。{}。{close}",
                enumerate(&meas, "；")
            ));
        }
        2 => {
            paras.push(intro.clone());
            for (k, s) in probs.iter().enumerate() {
                paras.push(format!("{}.{}。", k + 1, s));
            }
            paras.push(format!("下一步，{}将着重抓好以下几点：", iss.we));
            for (k, s) in meas.iter().enumerate() {
                paras.push(format!("{}.{}。", k + 1, s));
            }
        }
        _ => {
            let mut a = format!("{intro}{}等问题仍然存在", probs.join("、"));
            a.push_str(
                &cause
                    .map(|c| format!("，{c}。"))
                    .unwrap_or_else(|| "。".into()),
            );
            paras.push(a);
            paras.push(format!("{}将{}。{close}", iss.we, meas.join("；同时")));
        }
    }
    let mut phrases = vec![probs[0].clone()];
    phrases.push(meas[0].split('，').next().unwrap().to_string());
    (paras, phrases)
}

// ------------------------------------------------------------------ document model

#[derive(Debug, Clone)]
struct Cell {
    text: String,
    rs: usize,
    cs: usize,
}

fn c(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        rs: 1,
        cs: 1,
    }
}
fn cs(text: impl Into<String>, n: usize) -> Cell {
    Cell {
        text: text.into(),
        rs: 1,
        cs: n,
    }
}
fn rs(text: impl Into<String>, n: usize) -> Cell {
    Cell {
        text: text.into(),
        rs: n,
        cs: 1,
    }
}

#[derive(Debug, Clone)]
enum Block {
    Heading(String),
    Para(String),
    Table(Vec<Vec<Cell>>),
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn table1(f: &Figs, era: Era) -> Vec<Vec<Cell>> {
    let n = |k: &str| fmt_num(f[k]);
    let mut t = Vec::new();
    if era == Era::T2021 {
        t.push(vec![cs("第二十条第（一）项", 4)]);
        t.push(vec![
            c("信息内容"),
            c("本年制发件数"),
            c("本年废止件数"),
            c("现行有效件数"),
        ]);
        for (l, k) in [("规章", "rules"), ("行政规范性文件", "normative_docs")] {
            t.push(vec![
                c(l),
                c(n(&format!("{k}.issued"))),
                c(n(&format!("{k}.repealed"))),
                c(n(&format!("{k}.in_force"))),
            ]);
        }
        t.push(vec![cs("第二十条第（五）项", 4)]);
        t.push(vec![c("信息内容"), cs("本年处理决定数量", 3)]);
        t.push(vec![c("行政许可"), cs(n("licensing.decisions"), 3)]);
        t.push(vec![cs("第二十条第（六）项", 4)]);
        t.push(vec![c("信息内容"), cs("本年处理决定数量", 3)]);
        t.push(vec![c("行政处罚"), cs(n("penalty.decisions"), 3)]);
        t.push(vec![c("行政强制"), cs(n("coercion.decisions"), 3)]);
        t.push(vec![cs("第二十条第（八）项", 4)]);
        t.push(vec![c("信息内容"), cs("本年收费金额（单位：万元）", 3)]);
        t.push(vec![c("行政事业性收费"), cs(n("fees.amount_wan_yuan"), 3)]);
    } else {
        t.push(vec![cs("第二十条第（一）项", 4)]);
        t.push(vec![
            c("信息内容"),
            c("本年新制作数量"),
            c("本年新公开数量"),
            c("对外公开总数量"),
        ]);
        for (l, k) in [("规章", "rules"), ("规范性文件", "normative_docs")] {
            t.push(vec![
                c(l),
                c(n(&format!("{k}.made"))),
                c(n(&format!("{k}.published"))),
                c(n(&format!("{k}.total_published"))),
            ]);
        }
        t.push(vec![cs("第二十条第（五）项", 4)]);
        t.push(vec![
            c("信息内容"),
            c("上一年项目数量"),
            c("本年增/减"),
            c("处理决定数量"),
        ]);
        for (l, k) in [
            ("行政许可", "licensing"),
            ("其他对外管理服务事项", "other_services"),
        ] {
            t.push(vec![
                c(l),
                c(n(&format!("{k}.items_prev_year"))),
                c(n(&format!("{k}.items_change"))),
                c(n(&format!("{k}.decisions"))),
            ]);
        }
        t.push(vec![cs("第二十条第（六）项", 4)]);
        t.push(vec![
            c("信息内容"),
            c("上一年项目数量"),
            c("本年增/减"),
            c("处理决定数量"),
        ]);
        for (l, k) in [("行政处罚", "penalty"), ("行政强制", "coercion")] {
            t.push(vec![
                c(l),
                c(n(&format!("{k}.items_prev_year"))),
                c(n(&format!("{k}.items_change"))),
                c(n(&format!("{k}.decisions"))),
            ]);
        }
        t.push(vec![cs("第二十条第（八）项", 4)]);
        t.push(vec![c("信息内容"), c("上一年项目数量"), cs("本年增/减", 2)]);
        t.push(vec![
            c("行政事业性收费"),
            c(n("fees.items_prev_year")),
            cs(n("fees.items_change"), 2),
        ]);
        t.push(vec![cs("第二十条第（九）项", 4)]);
        t.push(vec![c("信息内容"), c("采购项目数量"), cs("采购总金额", 2)]);
        t.push(vec![
            c("政府集中采购"),
            c(n("procurement.projects")),
            cs(n("procurement.amount_wan_yuan"), 2),
        ]);
    }
    t
}

const T2_LABELS: &[(&str, &str)] = &[
    ("granted", "（一）予以公开"),
    (
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    ("denied.state_secret", "1.属于国家秘密"),
    ("denied.law_prohibited", "2.其他法律行政法规禁止公开"),
    ("denied.security_stability", "3.危及“三安全一稳定”"),
    ("denied.third_party", "4.保护第三方合法权益"),
    ("denied.internal_affairs", "5.属于三类内部事务信息"),
    ("denied.process_info", "6.属于四类过程性信息"),
    ("denied.enforcement_file", "7.属于行政执法案卷"),
    ("denied.query_matter", "8.属于行政查询事项"),
    ("unable.not_held", "1.本机关不掌握相关政府信息"),
    ("unable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unable.unclear", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "1.信访举报投诉类申请"),
    ("not_processed.duplicate", "2.重复申请"),
    ("not_processed.publication", "3.要求提供公开出版物"),
    ("not_processed.excessive", "4.无正当理由大量反复申请"),
    (
        "not_processed.confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    (
        "other.overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "other.unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other.other", "3.其他"),
    ("other.total", "（六）其他处理"),
    ("handled", "（七）总计"),
];

fn label_of(row: &str) -> &'static str {
    T2_LABELS.iter().find(|(k, _)| *k == row).unwrap().1
}

/// Table 2; `only_total` leaves the six applicant columns empty.
fn table2(f: &Figs, era: Era, only_total: bool) -> Vec<Vec<Cell>> {
    let nums = |row: &str| -> Vec<Cell> {
        COLS.iter()
            .map(|col| {
                if only_total && *col != "total" {
                    c("")
                } else {
                    c(fmt_num(f[&format!("requests.{row}.{col}")]))
                }
            })
            .collect()
    };
    let mut t = Vec::new();
    t.push(vec![
        Cell {
            text: "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）".into(),
            rs: 3,
            cs: 3,
        },
        cs("申请人情况", 7),
    ]);
    t.push(vec![
        rs("自然人", 2),
        cs("法人或其他组织", 5),
        rs("总计", 2),
    ]);
    t.push(vec![
        c("商业企业"),
        c("科研机构"),
        c("社会公益组织"),
        c("法律服务机构"),
        c("其他"),
    ]);
    let mut row = |head: Vec<Cell>, key: &str| {
        let mut r = head;
        r.extend(nums(key));
        t.push(r);
    };
    row(vec![cs("一、本年新收政府信息公开申请数量", 3)], "new");
    row(
        vec![cs("二、上年结转政府信息公开申请数量", 3)],
        "carried_in",
    );
    let n_out = if era == Era::T2019 { 19 } else { 21 } + 1;
    row(
        vec![rs("三、本年度办理结果", n_out), cs(label_of("granted"), 2)],
        "granted",
    );
    row(vec![cs(label_of("partial"), 2)], "partial");
    for (gi, (glabel, rows)) in [
        ("（三）不予公开", &crate::model::checks::OUTCOME_ROWS[2..10]),
        (
            "（四）无法提供",
            &crate::model::checks::OUTCOME_ROWS[10..13],
        ),
        (
            "（五）不予处理",
            &crate::model::checks::OUTCOME_ROWS[13..18],
        ),
    ]
    .iter()
    .enumerate()
    {
        let _ = gi;
        for (k, r) in rows.iter().enumerate() {
            let mut head = Vec::new();
            if k == 0 {
                head.push(rs(*glabel, rows.len()));
            }
            head.push(c(label_of(r)));
            row(head, r);
        }
    }
    if era == Era::T2019 {
        row(vec![cs(label_of("other.total"), 2)], "other.total");
    } else {
        for (k, r) in [
            "other.overdue_correction",
            "other.unpaid_fee",
            "other.other",
        ]
        .iter()
        .enumerate()
        {
            let mut head = Vec::new();
            if k == 0 {
                head.push(rs("（六）其他处理", 3));
            }
            head.push(c(label_of(r)));
            row(head, r);
        }
    }
    row(vec![cs(label_of("handled"), 2)], "handled");
    row(vec![cs("四、结转下年度继续办理", 3)], "carried_over");
    t
}

fn table3(f: &Figs, blank: Option<usize>) -> Vec<Vec<Cell>> {
    let mut t = Vec::new();
    t.push(vec![cs("行政复议", 5), cs("行政诉讼", 10)]);
    let mut r2: Vec<Cell> = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        .iter()
        .map(|s| rs(*s, 2))
        .collect();
    r2.push(cs("未经复议直接起诉", 5));
    r2.push(cs("复议后起诉", 5));
    t.push(r2);
    t.push(
        (0..2)
            .flat_map(|_| ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])
            .map(c)
            .collect(),
    );
    let mut nums = Vec::new();
    for g in ["review", "litigation.direct", "litigation.after_review"] {
        for k in ["upheld", "corrected", "other", "pending", "total"] {
            let s = fmt_num(f[&format!("{g}.{k}")]);
            nums.push(c(if blank == Some(nums.len()) {
                String::new()
            } else {
                s
            }));
        }
    }
    t.push(nums);
    t
}

// ------------------------------------------------------------------ layouts

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Html,
    HtmlGbk { meta: bool },
    PipeLines,
    BlankLines,
    Pdf,
}

struct Page {
    title: Option<String>,
    top: Vec<String>,
    blocks: Vec<Block>,
    bottom: Vec<String>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn render_html(p: &Page, rng: &mut ChaCha8Rng, owner: &str, charset: Option<&str>) -> String {
    let mut h = String::with_capacity(32 * 1024);
    h.push_str("<!DOCTYPE html>\n<html>\n<head>\n");
    if let Some(cs) = charset {
        h.push_str(&format!(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset={cs}\">\n"
        ));
    }
    if let Some(t) = &p.title {
        h.push_str(&format!("<title>{}</title>\n", esc(t)));
    } else {
        h.push_str(&format!("<title>{}</title>\n", esc(owner)));
    }
    h.push_str("<link rel=\"stylesheet\" href=\"/css/main.css\">\n</head>\n<body>\n");
    h.push_str("<div class=\"top-nav\"><a href=\"/\">首页</a> <a href=\"/zwgk/\">政务公开</a> <a href=\"/bsfw/\">办事服务</a> <a href=\"/hdjl/\">互动交流</a></div>\n");
    h.push_str("<div class=\"breadcrumb\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a> &gt; 政府信息公开年度报告</div>\n");
    h.push_str("<div class=\"article\">\n");
    if let Some(t) = &p.title {
        h.push_str(&format!("<h1 class=\"title\">{}</h1>\n", esc(t)));
    }
    for l in &p.top {
        h.push_str(&format!("<div class=\"info\">{}</div>\n", esc(l)));
    }
    h.push_str("<div class=\"info\">字体：[ <a href=\"#\">大</a> <a href=\"#\">中</a> <a href=\"#\">小</a> ]</div>\n");
    h.push_str("<div class=\"content\" id=\"zoom\">\n");
    for b in &p.blocks {
        match b {
            Block::Heading(s) => {
                if rng.random_bool(0.5) {
                    h.push_str(&format!(
                        "<p style=\"text-indent:2em\"><strong>{}</strong></p>\n",
                        esc(s)
                    ));
                } else {
                    h.push_str(&format!("<p>{}</p>\n", esc(s)));
                }
            }
            Block::Para(s) => h.push_str(&format!("<p style=\"text-indent:2em\">{}</p>\n", esc(s))),
            Block::Table(t) => {
                h.push_str("<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\">\n<tbody>\n");
                for r in t {
                    h.push_str("<tr>");
                    for cell in r {
                        let mut attrs = String::new();
                        if cell.rs > 1 {
                            attrs.push_str(&format!(" rowspan=\"{}\"", cell.rs));
                        }
                        if cell.cs > 1 {
                            attrs.push_str(&format!(" colspan=\"{}\"", cell.cs));
                        }
                        h.push_str(&format!(
                            "<td{attrs}><p align=\"center\">{}</p></td>",
                            esc(&cell.text)
                        ));
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</tbody>\n</table>\n");
            }
        }
    }
    for l in &p.bottom {
        h.push_str(&format!("<p style=\"text-align:right\">{}</p>\n", esc(l)));
    }
    h.push_str("</div>\n</div>\n");
    h.push_str("<div class=\"share\">分享到：<a href=\"#\">微信</a> <a href=\"#\">微博</a> <a href=\"javascript:window.print()\">【打印本页】</a> <a href=\"javascript:window.close()\">【关闭窗口】</a></div>\n");
    let icp = rng.random_range(10_000_000..99_999_999);
    h.push_str(&format!(
        "<div class=\"footer\"><p>版权所有：{owner}办公室 主办单位：{owner}办公室</p><p>ICP备{icp}号 网站标识码：{}</p></div>\n",
        rng.random_range(1_000_000_000u64..9_999_999_999)
    ));
    h.push_str("</body>\n</html>\n");
    h
}

fn render_cells_text(p: &Page, pipes: bool, rng: &mut ChaCha8Rng) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let sep = if pipes { "\n" } else { "\n\n" };
    if let Some(t) = &p.title {
        out.push_str(t);
        out.push_str(sep);
    }
    for l in &p.top {
        out.push_str(l);
        out.push_str(sep);
    }
    for b in &p.blocks {
        match b {
            Block::Heading(s) | Block::Para(s) => {
                out.push_str(s);
                out.push_str(sep);
            }
            Block::Table(t) => {
                for r in t {
                    for cell in r {
                        if pipes {
                            out.push_str(&cell.text);
                            out.push_str(" |");
                            if cell.cs > 1 {
                                out.push(' ');
                                out.push_str(&"|".repeat(cell.cs - 1));
                            }
                            out.push('\n');
                        } else {
                            out.push_str(&cell.text);
                            out.push_str("\n\n");
                        }
                    }
                }
                if !pipes && rng.random_bool(0.5) {
                    out.push_str(" \n\n");
                }
            }
        }
    }
    for l in &p.bottom {
        out.push_str(l);
        out.push_str(sep);
    }
    out
}

/// Rows as lines of space-separated cells, as text extracted from a PDF.
fn render_pdf(p: &Page, rng: &mut ChaCha8Rng, glue: bool, header: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    if let Some(t) = &p.title {
        lines.push(t.clone());
    }
    lines.extend(p.top.iter().cloned());
    let spaces = |rng: &mut ChaCha8Rng| " ".repeat(rng.random_range(2..7));
    for b in &p.blocks {
        match b {
            Block::Heading(s) => lines.push(s.clone()),
            Block::Para(s) => {
                // Paragraphs wrap at ~38 characters per line.
                // Pinyin annotations "(wù)" stay whole on one line.
                let mut line = String::new();
                let (mut n, mut depth) = (0, 0);
                let mut it = s.chars().peekable();
                while let Some(ch) = it.next() {
                    line.push(ch);
                    n += 1;
                    match ch {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    if n >= 38 && depth == 0 && it.peek() != Some(&'(') {
                        lines.push(std::mem::take(&mut line));
                        n = 0;
                    }
                }
                if !line.is_empty() {
                    lines.push(line);
                }
            }
            Block::Table(t) => {
                for r in t {
                    let labels: Vec<&Cell> = r
                        .iter()
                        .filter(|c| !is_numeric(&c.text) && !c.text.is_empty())
                        .collect();
                    let nums: Vec<&Cell> = r.iter().filter(|c| is_numeric(&c.text)).collect();
                    let empties = r.iter().filter(|c| c.text.is_empty()).count();
                    let mut label: String = labels
                        .iter()
                        .map(|c| c.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let mut tail = String::new();
                    // Long row labels wrap onto the next line, at a break that
                    // keeps the words naming the row on the first line.
                    if !nums.is_empty() && label.chars().count() > 18 {
                        if let Some(cut) = wrap_point(&label) {
                            tail = label[cut..].to_string();
                            label.truncate(cut);
                        }
                    }
                    let single =
                        nums.len() == 7 && empties == 0 && nums.iter().all(|c| c.text.len() == 1);
                    let mut line = label;
                    if glue && single {
                        line.push(' ');
                        line.push_str(&nums.iter().map(|c| c.text.as_str()).collect::<String>());
                    } else {
                        for n in &nums {
                            if !line.is_empty() {
                                line.push_str(&spaces(rng));
                            }
                            line.push_str(&n.text);
                        }
                    }
                    lines.push(line);
                    if !tail.is_empty() {
                        lines.push(tail);
                    }
                }
            }
        }
    }
    lines.extend(p.bottom.iter().cloned());
    // Page breaks: a page number and sometimes the running header.
    let per_page = if rng.random_bool(0.4) {
        rng.random_range(35..60)
    } else {
        usize::MAX
    };
    let mut out = String::with_capacity(32 * 1024);
    let mut page = 1;
    for (k, l) in lines.iter().enumerate() {
        out.push_str(l);
        out.push('\n');
        if k > 0 && k % per_page == 0 {
            out.push_str(&format!("— {page} —\n"));
            if !header.is_empty() {
                out.push_str(header);
                out.push('\n');
            }
            page += 1;
        }
    }
    out
}

fn wrap_point(label: &str) -> Option<usize> {
    let last = label.rfind(' ').map_or(0, |i| i + 1);
    let row = &label[last..];
    // A break after the 6th character: "一、" and "（二）" are not breaks.
    let late = |c: char| {
        row.char_indices()
            .skip(6)
            .find(|&(_, x)| x == c)
            .map(|(i, _)| i)
    };
    let cut = late('、')
        .map(|i| i + '、'.len_utf8())
        .or_else(|| late('（'))?;
    (cut < row.len()).then_some(last + cut)
}

fn is_numeric(s: &str) -> bool {
    !s.is_empty()
        && s.trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
}

// ------------------------------------------------------------------ traditional

static S2T: LazyLock<ferrous_opencc::OpenCC> = LazyLock::new(|| {
    ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::S2t).expect("s2t")
});
static T2S: LazyLock<ferrous_opencc::OpenCC> = LazyLock::new(|| {
    ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s).expect("t2s")
});

const PINYIN: &[(char, &str)] = &[
    ('務', "wù"),
    ('開', "kāi"),
    ('進', "jìn"),
    ('設', "shè"),
    ('報', "bào"),
    ('請', "qǐng"),
    ('關', "guān"),
    ('時', "shí"),
    ('導', "dǎo"),
    ('議', "yì"),
    ('訟', "sòng"),
    ('題', "tí"),
    ('動', "dòng"),
    ('發', "fā"),
    ('強', "qiáng"),
    ('監', "jiān"),
    ('統', "tǒng"),
    ('數', "shù"),
    ('據', "jù"),
    ('規', "guī"),
];

fn to_trad(s: &str, annotate: f64, rng: &mut ChaCha8Rng, used: &mut Vec<String>) -> String {
    let t = S2T.convert(s);
    if annotate <= 0.0 {
        return t;
    }
    let mut out = String::with_capacity(t.len() * 2);
    for ch in t.chars() {
        out.push(ch);
        if let Some((_, py)) = PINYIN.iter().find(|(c, _)| *c == ch) {
            if rng.random_bool(annotate) {
                let a = format!("({py})");
                out.push_str(&a);
                if !used.contains(&a) {
                    used.push(a);
                }
            }
        }
    }
    out
}

// ------------------------------------------------------------------ one report

/// One generated report: file name, bytes, and the expected JSON.
pub struct Generated {
    pub file: String,
    pub bytes: Vec<u8>,
    pub expected: Value,
}

fn sec_heading(style: u8, k: usize, text: &str) -> String {
    let n = CN_NUM[k];
    match style {
        0 => format!("{n}、{text}"),
        1 => format!("{n}.{text}"),
        2 => format!("第{n}部分 {text}"),
        _ => format!("{n}、 {text}"),
    }
}

pub fn generate_one(seed: u64, i: u64) -> Generated {
    let p = plan(seed, i, 0);
    let mut rng = stream(seed, i, 2);
    let iss = &p.issuer;
    let year = p.year;
    let era = era_of(year);
    let stem = format!("{i:06}");

    // Figures.
    let mut figs = Figs::new();
    if era != Era::Narrative {
        table1_figures(&mut rng, iss, era, &mut figs);
        table2_figures(&mut rng, iss.scale, era, &mut figs);
        table3_figures(&mut rng, iss.scale, &mut figs);
    }
    let broken = era != Era::Narrative && rng.random_bool(0.05);
    if broken {
        match rng.random_range(0..3) {
            0 => {
                let k = "requests.handled.total";
                *figs.get_mut(k).unwrap() += rng.random_range(1..4) as f64;
            }
            1 => {
                let k = "review.total";
                *figs.get_mut(k).unwrap() += 1.0;
            }
            _ => {
                let k = "requests.new.natural_person";
                *figs.get_mut(k).unwrap() += rng.random_range(1..3) as f64;
            }
        }
    }

    // Layout and decorations.
    let layout = match rng.random_range(0..100) {
        0..30 => Layout::Html,
        30..40 => Layout::HtmlGbk {
            meta: rng.random_bool(0.6),
        },
        40..62 => Layout::PipeLines,
        62..80 => Layout::BlankLines,
        _ => Layout::Pdf,
    };
    let is_html = matches!(layout, Layout::Html | Layout::HtmlGbk { .. });
    let only_total = era != Era::Narrative && iss.scale <= 1 && rng.random_bool(0.15);
    let blank_t3 = (!is_html && era != Era::Narrative && rng.random_bool(0.04))
        .then(|| rng.random_range(0..15));
    let glue = layout == Layout::Pdf && rng.random_bool(0.5);
    let untitled = rng.random_bool(0.12);
    let trad = rng.random_bool(0.08);
    let spam = iss.place.is_some() && rng.random_bool(0.08);
    let spam_tok = *SPAM.choose(&mut rng).unwrap();

    // Title.
    let title = match (iss.gov, rng.random_range(0..3)) {
        (true, 0) => format!(
            "{}{year}年政府信息公开工作年度报告",
            iss.place.as_deref().unwrap()
        ),
        (true, 1) if year < 2019 => format!(
            "{}{year}年度政府信息公开工作报告",
            iss.place.as_deref().unwrap()
        ),
        (_, 2) if !iss.name.starts_with(['市', '县']) => {
            format!("{year}年{}政府信息公开工作年度报告", iss.name)
        }
        _ => format!("{}{year}年政府信息公开工作年度报告", iss.name),
    };
    let we = iss.we;

    // Sections.
    let hstyle: u8 = rng.random_range(0..4);
    let mut blocks: Vec<Block> = Vec::new();
    let intro_period =
        format!("本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。");
    let mut intro = String::new();
    if untitled {
        intro.push_str(&format!(
            "现将{}{year}年度政府信息公开工作情况报告如下。",
            iss.name
        ));
    } else {
        intro.push_str(&format!(
            "根据《中华人民共和国政府信息公开条例》规定，现向社会公布{}{year}年政府信息公开工作年度报告。",
            iss.name
        ));
    }
    intro.push_str(&intro_period);
    intro.push_str("如对本报告有疑问，请与本机关政务公开工作机构联系。");

    let (prob_paras, prob_phrases) = problems_text(seed, i, &p, 0);
    let mut sections_present: Vec<&str> =
        vec!["overview", "proactive", "requests", "appeals", "problems"];
    let mut section_checks = Map::new();
    let mut other_phrase: Option<String> = None;
    let mut spam_sentence = String::new();
    if spam {
        let prov = iss.unit.as_ref().unwrap().path.split('/').next().unwrap();
        let _ = prov;
        spam_sentence = match rng.random_range(0..3) {
            0 => format!("根据《{spam_tok}人民政府办公厅关于做好{year}年政务公开工作的通知》要求，{we}结合实际制定了年度工作方案。"),
            1 => format!("依托{spam_tok}政府门户网站及政务服务网，{we}推进网上政务公开。"),
            _ => format!("{we}严格执行《{spam_tok}政府信息公开保密审查办法》，确保涉密信息不上网。"),
        };
    }

    let mut overview_paras: Vec<(String, String)> = Vec::new();
    let mut idx: Vec<usize> = (0..OVERVIEW_PARAS.len()).collect();
    idx.shuffle(&mut rng);
    for &k in idx.iter().take(rng.random_range(2..5)) {
        let (h, t) = OVERVIEW_PARAS[k];
        overview_paras.push((h.to_string(), fill(t, iss, year)));
    }
    let ov_first = format!("{year}年，{}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。", iss.name);

    let mut figures_exp = Figs::new();
    let mut figures_absent: Vec<String> = Vec::new();
    let mut k = 0usize;
    let mut push_heading = |blocks: &mut Vec<Block>, text: &str| {
        blocks.push(Block::Heading(sec_heading(hstyle, k, text)));
        k += 1;
    };

    if era == Era::Narrative {
        let h_over = ["概述", "基本情况", "总体情况", "概述"][rng.random_range(0..4)];
        push_heading(&mut blocks, h_over);
        blocks.push(Block::Para(ov_first.clone()));
        if spam {
            blocks.push(Block::Para(spam_sentence.clone()));
        }
        for (n, (h, t)) in overview_paras.iter().enumerate() {
            blocks.push(Block::Para(format!("（{}）{h}。{t}", CN_NUM[n])));
        }
        let extras: Vec<(String, String)> = {
            let mut v: Vec<usize> = (0..OTHER_NARR.len()).collect();
            v.shuffle(&mut rng);
            v.into_iter()
                .take(rng.random_range(0..3))
                .map(|j| {
                    (
                        fill(OTHER_NARR[j].0, iss, year),
                        fill(OTHER_NARR[j].1, iss, year),
                    )
                })
                .collect()
        };
        let early_extra = !extras.is_empty() && rng.random_bool(0.4);
        if early_extra {
            push_heading(&mut blocks, &extras[0].0);
            blocks.push(Block::Para(extras[0].1.clone()));
            other_phrase = Some(extras[0].1.chars().skip(4).take(16).collect());
        }
        push_heading(
            &mut blocks,
            ["主动公开政府信息的情况", "主动公开政府信息情况"][rng.random_range(0..2)],
        );
        let pn = small(&mut rng, iss.scale.max(1)) * 7 + 12;
        blocks.push(Block::Para(
            fill(PROACTIVE_NARR.choose(&mut rng).unwrap(), iss, year)
                .replace("{n}", &pn.to_string())
                .replace("{m}", &(pn / 3).to_string()),
        ));
        push_heading(
            &mut blocks,
            [
                "依申请公开政府信息办理情况",
                "依申请公开情况",
                "依申请公开政府信息情况",
            ][rng.random_range(0..3)],
        );
        let req = small(&mut rng, iss.scale);
        let granted = req * 6 / 10;
        let stated = rng.random_bool(0.92);
        let sent = if !stated {
            format!("{we}按照规定程序办理依申请公开事项，做到按时答复。")
        } else if req == 0 && rng.random_bool(0.6) {
            format!("{year}年，{we}未收到政府信息公开申请。")
        } else {
            let forms = [
                format!("{year}年，{we}共受理政府信息公开申请{req}件，已全部按时答复，其中同意公开{granted}件。"),
                format!("全年共收到信息公开申请{req}件，均在法定期限内办结。"),
                format!("{year}年度，{we}受理公开政府信息申请{req}件，其中当面申请{}件，网络申请{}件。", req / 3, req - req / 3),
                format!("本年度{we}办理政府信息公开申请共{req}件，答复率100%。"),
                format!("{year}年，{we}接到依申请公开信息申请{req}件，按期办结。"),
            ];
            forms.choose(&mut rng).unwrap().clone()
        };
        blocks.push(Block::Para(sent));
        if stated {
            figures_exp.insert("requests.new.total".into(), req as f64);
        } else {
            figures_absent.push("requests.new.total".into());
        }
        push_heading(
            &mut blocks,
            [
                "因政府信息公开申请行政复议、提起行政诉讼的情况",
                "因政府信息公开申请提起行政复议、行政诉讼情况",
                "信息公开相关举报、复议、诉讼情况",
            ][rng.random_range(0..3)],
        );
        let rv = if iss.scale >= 1 && rng.random_bool(0.4) {
            rng.random_range(1..(4 + 6 * iss.scale as i64))
        } else {
            0
        };
        let lt = if iss.scale >= 1 && rng.random_bool(0.3) {
            rng.random_range(1..(3 + 5 * iss.scale as i64))
        } else {
            0
        };
        let mut app = String::new();
        if rv == 0 && lt == 0 {
            let zero = [
                "本年度未发生因政府信息公开申请行政复议、行政诉讼的情况。".to_string(),
                format!("{year}年，{we}未发生因政府信息公开引起的行政复议和行政诉讼案件。"),
                "全年没有因政府信息公开工作被申请行政复议或提起行政诉讼的情况。".to_string(),
            ];
            app.push_str(&zero[rng.random_range(0..3)]);
            figures_exp.insert("review.total".into(), 0.0);
            figures_exp.insert("litigation.total".into(), 0.0);
        } else {
            if rv > 0 {
                let up = rng.random_range(0..=rv);
                let co = rv - up;
                match rng.random_range(0..3) {
                    0 => app.push_str(&format!("因政府信息公开被申请行政复议{rv}件，其中维持{up}件，依法纠错{co}件。")),
                    1 => app.push_str(&format!("全年涉及政府信息公开的行政复议案件共{rv}起，复议机关决定维持的{up}起，责令重新答复的{co}起。")),
                    _ => app.push_str(&format!("{we}收到政府信息公开行政复议{rv}件，结果为维持原答复{up}件、撤销原答复{co}件。")),
                }
                figures_exp.insert("review.total".into(), rv as f64);
                figures_exp.insert("review.upheld".into(), up as f64);
                figures_exp.insert("review.corrected".into(), co as f64);
            } else {
                app.push_str("本年度未发生因政府信息公开引起的行政复议。");
                figures_exp.insert("review.total".into(), 0.0);
            }
            if lt > 0 {
                let up = rng.random_range(0..=lt);
                match rng.random_range(0..2) {
                    0 => app.push_str(&format!("被提起行政诉讼{lt}件，法院判决驳回诉讼请求{up}件。")),
                    _ => app.push_str(&format!("涉及政府信息公开的行政诉讼{lt}件，其中维持具体行政行为或驳回原告诉讼请求{up}件。")),
                }
                figures_exp.insert("litigation.total".into(), lt as f64);
                figures_exp.insert("litigation.upheld".into(), up as f64);
            } else {
                app.push_str("全年未发生政府信息公开行政诉讼。");
                figures_exp.insert("litigation.total".into(), 0.0);
            }
        }
        blocks.push(Block::Para(app));
        push_heading(
            &mut blocks,
            [
                "存在的不足和改进措施",
                "存在问题及改进措施",
                "工作中存在的主要问题和改进措施",
                "存在的主要问题及改进情况",
            ][rng.random_range(0..4)],
        );
        for pp in &prob_paras {
            blocks.push(Block::Para(pp.clone()));
        }
        for (h, t) in extras.iter().skip(early_extra as usize) {
            push_heading(&mut blocks, h);
            blocks.push(Block::Para(t.clone()));
            if other_phrase.is_none() {
                other_phrase = Some(t.chars().skip(4).take(16).collect());
            }
        }
        if !extras.is_empty() {
            sections_present.push("other");
        }
        figures_absent.extend([
            "licensing.decisions".into(),
            "requests.new.natural_person".into(),
            "rules.issued".into(),
        ]);
    } else {
        push_heading(&mut blocks, "总体情况");
        blocks.push(Block::Para(ov_first.clone()));
        if spam {
            blocks.push(Block::Para(spam_sentence.clone()));
        }
        for (n, (h, t)) in overview_paras.iter().enumerate() {
            blocks.push(Block::Para(format!("（{}）{h}。{t}", CN_NUM[n])));
        }
        push_heading(&mut blocks, "主动公开政府信息情况");
        blocks.push(Block::Table(table1(&figs, era)));
        push_heading(&mut blocks, "收到和处理政府信息公开申请情况");
        blocks.push(Block::Table(table2(&figs, era, only_total)));
        push_heading(&mut blocks, "政府信息公开行政复议、行政诉讼情况");
        blocks.push(Block::Table(table3(&figs, blank_t3)));
        push_heading(&mut blocks, "存在的主要问题及改进情况");
        for pp in &prob_paras {
            blocks.push(Block::Para(pp.clone()));
        }
        push_heading(&mut blocks, "其他需要报告的事项");
        let other = fill(OTHER_2021.choose(&mut rng).unwrap(), iss, year)
            .replace("{n}", &rng.random_range(1..40).to_string())
            .replace("{m}", &rng.random_range(1..30).to_string());
        other_phrase = Some(other.chars().take(14).collect());
        blocks.push(Block::Para(other));
        sections_present.push("other");

        // Expected figures: what the layout states.
        for (k, v) in &figs {
            let col = k.rsplit('.').next().unwrap();
            let t2 = k.starts_with("requests.");
            let t3 = k.starts_with("review.") || k.starts_with("litigation.");
            if t2 && only_total && col != "total" {
                continue;
            }
            if t3 && blank_t3.is_some() {
                continue;
            }
            figures_exp.insert(k.clone(), *v);
        }
        if only_total {
            figures_absent.extend([
                "requests.new.natural_person".into(),
                "requests.granted.commercial".into(),
            ]);
        }
        if blank_t3.is_some() {
            for g in ["review", "litigation.direct", "litigation.after_review"] {
                for c in ["upheld", "corrected", "other", "pending", "total"] {
                    figures_absent.push(format!("{g}.{c}"));
                }
            }
        } else {
            figures_exp.insert(
                "litigation.total".into(),
                figs["litigation.direct.total"] + figs["litigation.after_review.total"],
            );
        }
        if era == Era::T2021 {
            figures_absent.extend(["rules.made".into(), "procurement.projects".into()]);
        } else {
            figures_absent.extend([
                "rules.issued".into(),
                "fees.amount_wan_yuan".into(),
                "requests.other.overdue_correction.total".into(),
            ]);
        }
    }

    // Problems checks.
    let mut pc = Map::new();
    let first = prob_paras[0].as_str();
    if !first.starts_with(['（', '1']) {
        pc.insert(
            "starts_with".into(),
            json!(first.chars().take(14).collect::<String>()),
        );
    }
    pc.insert("contains".into(), json!(prob_phrases));
    let mut nc: Vec<String> = vec!["版权所有".into()];
    if era != Era::Narrative {
        nc.push("结果维持".into());
    }
    if let Some(o) = &other_phrase {
        nc.push(o.clone());
    }
    pc.insert("not_contains".into(), json!(nc));
    section_checks.insert("problems".into(), Value::Object(pc));
    if let Some(o) = &other_phrase {
        section_checks.insert("other".into(), json!({"contains": [o]}));
    }
    section_checks.insert(
        "overview".into(),
        json!({"contains": [ov_first.chars().skip(6).take(16).collect::<String>()]}),
    );

    // Publication date and chrome.
    let pm = rng.random_range(1..=3);
    let pd = rng.random_range(1..=28);
    let published = format!("{}-{pm:02}-{pd:02}", year + 1);
    let mut top = Vec::new();
    let mut bottom = Vec::new();
    let mut published_exp: Option<String> = None;
    let credit = iss.unit.as_ref().map(|u| {
        format!(
            "11{}{:08}{}",
            u.code,
            rng.random_range(0..99_999_999u32),
            ['A', 'B', 'C', 'X', '1'][rng.random_range(0..5)]
        )
    });
    match (layout, rng.random_range(0..3)) {
        (Layout::Pdf, _) | (_, 0) => {}
        (_, 1) => {
            top.push(format!(
                "发布时间：{published} 发布机构：{} 字体：[ 大 中 小]",
                if iss.gov { "办公室" } else { "综合科" }
            ));
            published_exp = Some(published.clone());
        }
        _ => {
            let idx = match &credit {
                Some(c) => format!("{c}/{}-{:05}", year + 1, rng.random_range(1..99999)),
                None => format!(
                    "{:09}/{}-{:05}",
                    rng.random_range(0..999_999_999u32),
                    year + 1,
                    rng.random_range(1..99999)
                ),
            };
            top.push(format!(
                "索引号：{idx} 主题分类：综合政务 发文日期：{published}"
            ));
            published_exp = Some(published.clone());
        }
    }
    if published_exp.is_none() && rng.random_bool(0.5) {
        bottom.push(iss.name.clone());
        bottom.push(format!("{}年{pm}月{pd}日", year + 1));
        published_exp = Some(published.clone());
    }
    if untitled {
        blocks.insert(0, Block::Para(intro.clone()));
        if rng.random_bool(0.5) {
            blocks.insert(0, Block::Para("附件".into()));
        }
    } else {
        blocks.insert(0, Block::Para(intro.clone()));
    }

    // Traditional characters with pinyin.
    let mut pinyin_used: Vec<String> = Vec::new();
    let mut trad_ok = false;
    let shown_title = (!untitled).then(|| title.clone());
    let mut page = Page {
        title: shown_title.clone(),
        top,
        blocks,
        bottom,
    };
    if trad {
        // Only where the round trip gives back the names and checked phrases.
        let mut must: Vec<String> = vec![iss.name.clone(), title.clone()];
        must.extend(prob_phrases.iter().cloned());
        must.extend(other_phrase.iter().cloned());
        must.push(first.chars().take(14).collect());
        must.push(ov_first.clone());
        if must.iter().all(|m| T2S.convert(&S2T.convert(m)) == *m) {
            trad_ok = true;
            let ann = if rng.random_bool(0.6) { 0.5 } else { 0.0 };
            page.title = page
                .title
                .map(|t| to_trad(&t, 0.0, &mut rng, &mut pinyin_used));
            for b in page.blocks.iter_mut() {
                match b {
                    Block::Heading(s) | Block::Para(s) => {
                        *s = to_trad(s, ann, &mut rng, &mut pinyin_used)
                    }
                    Block::Table(t) => {
                        for r in t.iter_mut() {
                            for cell in r.iter_mut() {
                                cell.text = to_trad(&cell.text, ann, &mut rng, &mut pinyin_used);
                            }
                        }
                    }
                }
            }
            for l in page.bottom.iter_mut() {
                *l = to_trad(l, 0.0, &mut rng, &mut pinyin_used);
            }
        }
    }

    // Render.
    let owner = iss
        .unit
        .as_ref()
        .map(|u| format!("{}人民政府", u.path.split('/').next().unwrap()))
        .unwrap_or_else(|| "市人民政府".into());
    let (ext, bytes) = match layout {
        Layout::Html => (
            "html",
            render_html(&page, &mut rng, &owner, Some("utf-8")).into_bytes(),
        ),
        Layout::HtmlGbk { meta } => {
            let h = render_html(&page, &mut rng, &owner, meta.then_some("gbk"));
            let (b, _, _) = encoding_rs::GBK.encode(&h);
            ("html", b.into_owned())
        }
        Layout::PipeLines => ("txt", render_cells_text(&page, true, &mut rng).into_bytes()),
        Layout::BlankLines => (
            "txt",
            render_cells_text(&page, false, &mut rng).into_bytes(),
        ),
        Layout::Pdf => {
            let header = if rng.random_bool(0.5) {
                page.title.clone().unwrap_or_default()
            } else {
                String::new()
            };
            (
                "txt",
                render_pdf(&page, &mut rng, glue, &header).into_bytes(),
            )
        }
    };
    let file = format!("{stem}.{ext}");

    // Expected.
    let mut e = Map::new();
    e.insert("source".into(), json!(file));
    if untitled {
        e.insert("title_contains".into(), json!([iss.name, year.to_string()]));
    } else {
        e.insert("title".into(), json!(title));
    }
    e.insert("year".into(), json!(year));
    e.insert(
        "region".into(),
        iss.unit
            .as_ref()
            .map_or(Value::Null, |u| json!({"path": u.path, "code": u.code})),
    );
    let mut issuer_any = vec![iss.name.clone()];
    if iss.gov {
        issuer_any.push(format!("{}办公室", iss.name));
    }
    e.insert("issuer_any".into(), json!(issuer_any));
    e.insert("published".into(), json!(published_exp));
    e.insert(
        "template".into(),
        json!(match era {
            Era::Narrative => "narrative",
            Era::T2019 => "2019",
            Era::T2021 => "2021",
        }),
    );
    e.insert("sections_present".into(), json!(sections_present));
    e.insert("section_checks".into(), Value::Object(section_checks));
    let figs_json: Map<String, Value> = figures_exp
        .iter()
        .map(|(k, v)| (k.clone(), crate::model::report::json_num(*v)))
        .collect();
    e.insert("figures".into(), Value::Object(figs_json));
    e.insert("figures_absent".into(), json!(figures_absent));
    let mut tmnc: Vec<String> = Vec::new();
    if is_html {
        tmnc.extend(["版权所有".into(), "ICP备".into(), "分享到".into()]);
    }
    if spam {
        tmnc.push(spam_tok.to_string());
    }
    if trad_ok {
        tmnc.extend(pinyin_used.iter().take(3).cloned());
        tmnc.extend(["務".into(), "開".into()]);
    }
    if !tmnc.is_empty() {
        e.insert("text_must_not_contain".into(), json!(tmnc));
    }
    let checks = if era == Era::Narrative {
        BTreeMap::new()
    } else {
        checks_of(&figures_exp, era)
    };
    e.insert("checks".into(), json!(checks));
    Generated {
        file,
        bytes,
        expected: Value::Object(e),
    }
}

/// Writes `count` reports into `out`; returns the number written.
pub fn generate(count: u64, out: &Path, seed: u64) -> Result<u64> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    (0..count).into_par_iter().try_for_each(|i| -> Result<()> {
        let g = generate_one(seed, i);
        std::fs::write(out.join(&g.file), &g.bytes)?;
        let stem = g.file.split('.').next().unwrap();
        std::fs::write(
            out.join(format!("{stem}.expected.json")),
            serde_json::to_string_pretty(&g.expected)?,
        )?;
        Ok(())
    })?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_per_index() {
        for i in [0u64, 1, 7, 123] {
            let a = generate_one(42, i);
            let b = generate_one(42, i);
            assert_eq!(a.bytes, b.bytes);
            assert_eq!(a.expected, b.expected);
            assert_eq!(a.file, b.file);
        }
        assert_ne!(generate_one(42, 3).bytes, generate_one(43, 3).bytes);
    }

    #[test]
    fn consistent_figures_unless_broken() {
        let mut broken = 0;
        for i in 0..300 {
            let g = generate_one(7, i);
            let checks = g.expected["checks"].as_object().unwrap();
            if checks.values().any(|v| v == false) {
                broken += 1;
            }
        }
        assert!(broken < 40, "{broken} broken of 300");
    }
}
