//! Who reports and when: issuers drawn from the gazetteer, their names, years and
//! the chains of one issuer over consecutive years.

use crate::gazetteer::{self, Level};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::LazyLock;

#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) code: &'static str,
    pub(super) name: &'static str,
    pub(super) level: Level,
    pub(super) path: &'static str,
    pub(super) first: i32,
    pub(super) last: i32,
}

impl Unit {
    /// Valid well inside its span (the gazetteer tolerates off-by-one bounds).
    fn valid(&self, y: i32) -> bool {
        self.first < y && y < self.last
    }
}

pub(super) struct Gaz {
    units: Vec<Unit>,
    by_level: [Vec<usize>; 3],
}

pub(super) static GAZ: LazyLock<Gaz> = LazyLock::new(|| {
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
pub(super) static AMBIGUOUS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/ambiguous_names.tsv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(1))
        .collect()
});

pub(super) fn unique_name(name: &str, year: i32) -> bool {
    gazetteer::by_name(name, Some(year)).len() == 1 && !AMBIGUOUS.contains(&name)
}

/// How a place is named in the report, or None if no certain naming exists.
pub(super) fn place_name(u: &Unit, year: i32, rng: &mut ChaCha8Rng) -> Option<String> {
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
pub(super) enum Era {
    Narrative,
    T2019,
    T2021,
}

pub(super) fn era_of(year: i32) -> Era {
    match year {
        ..=2018 => Era::Narrative,
        2019 | 2020 => Era::T2019,
        _ => Era::T2021,
    }
}

#[derive(Debug, Clone)]
pub(super) struct Issuer {
    /// Full name as the parser should find it.
    pub(super) name: String,
    /// Names the report uses for itself in sentences ("我市", "我局").
    pub(super) we: &'static str,
    pub(super) unit: Option<Unit>,
    pub(super) place: Option<String>,
    pub(super) gov: bool,
    /// Scale of figures: 0 = small department … 3 = province government.
    pub(super) scale: u8,
}

pub(super) const DEPTS_PROV_NEW: &[&str] = &[
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
pub(super) const DEPTS_PROV_OLD: &[&str] = &[
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
pub(super) const DEPTS_LOCAL_NEW: &[&str] = &[
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
pub(super) const DEPTS_LOCAL_OLD: &[&str] = &[
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
pub(super) const DEPTS_ANON: &[&str] = &[
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

pub(super) fn pick_issuer(rng: &mut ChaCha8Rng, year: i32) -> Issuer {
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
pub(super) struct Plan {
    pub(super) issuer: Issuer,
    pub(super) year: i32,
    /// Same issuer as report i-1, one year later.
    pub(super) continues: bool,
    /// Continuing under a short name its previous report did not use.
    pub(super) renamed: bool,
}

pub(super) fn stream(seed: u64, i: u64, part: u64) -> ChaCha8Rng {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(i.wrapping_mul(8).wrapping_add(part));
    r
}

/// The plan of report `i`; `planted` lets continuing departments take short
/// names ([`super::plants`]).
pub(super) fn plan(seed: u64, i: u64, depth: u32, planted: bool) -> Plan {
    let mut rng = stream(seed, i, 0);
    if i > 0 && depth < 6 && rng.random_bool(0.10) {
        let mut p = plan(seed, i - 1, depth + 1, planted);
        p.year += 1;
        let ok = p.year <= 2025
            && p.issuer.unit.as_ref().is_none_or(|u| {
                u.valid(p.year)
                    && gazetteer::resolve(&p.issuer.name, Some(p.year))
                        .is_some_and(|r| r.code == u.code)
            });
        if ok {
            p.continues = true;
            p.renamed = false;
            if planted && rng.random_bool(super::plants::RENAME) {
                rename(&mut p);
            }
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
        renamed: false,
    }
}

/// A department goes by its short name from this year on, when it has one
/// that still names the same unit.
fn rename(p: &mut Plan) {
    let Some(short) = super::plants::short_name(&p.issuer.name) else {
        return;
    };
    let same_unit = p.issuer.unit.as_ref().is_some_and(|u| {
        gazetteer::resolve(&short, Some(p.year)).is_some_and(|r| r.code == u.code)
    });
    if same_unit {
        p.issuer.name = short;
        p.renamed = true;
    }
}

/// Short names of provincial departments (`上海市科委`); municipalities use 委.
const PROV_ABBR_MUNI: &[(&str, &str)] = &[
    ("科委", "我委"),
    ("发改委", "我委"),
    ("住建委", "我委"),
    ("卫健委", "我委"),
    ("教委", "我委"),
    ("经信委", "我委"),
    ("商务委", "我委"),
];
const PROV_ABBR: &[(&str, &str)] = &[
    ("发改委", "我委"),
    ("卫健委", "我委"),
    ("科技厅", "我厅"),
    ("人社厅", "我厅"),
    ("住建厅", "我厅"),
    ("市场监管局", "我局"),
    ("生态环境厅", "我厅"),
];

/// A provincial department named by its province and a short name.
pub(super) fn prov_dept(rng: &mut ChaCha8Rng, year: i32) -> Option<Issuer> {
    let g = &*GAZ;
    let u = &g.units[*g.by_level[0].choose(rng)?];
    if !u.valid(year) || u.code.starts_with(['7', '8']) {
        return None;
    }
    let muni = ["11", "12", "31", "50"]
        .iter()
        .any(|p| u.code.starts_with(p));
    let (abbr, we) = *if muni { PROV_ABBR_MUNI } else { PROV_ABBR }.choose(rng)?;
    Some(Issuer {
        name: format!("{}{abbr}", u.name),
        we,
        unit: Some(u.clone()),
        place: Some(u.name.to_string()),
        gov: false,
        scale: 1,
    })
}

/// The administrative committee of a development zone, named after the city or
/// county that hosts it (the report's region).
pub(super) fn dev_zone(rng: &mut ChaCha8Rng, year: i32) -> Option<Issuer> {
    let g = &*GAZ;
    let lvl = if rng.random_bool(0.7) { 1 } else { 2 };
    let u = &g.units[*g.by_level[lvl].choose(rng)?];
    if !u.valid(year) || u.code.starts_with(['7', '8']) || (lvl == 2 && !u.name.ends_with('县')) {
        return None;
    }
    let place = place_name(u, year, rng)?;
    let zone = [
        "经济技术开发区",
        "高新技术产业开发区",
        "经济开发区",
        "工业园区",
    ]
    .choose(rng)?;
    Some(Issuer {
        name: format!("{place}{zone}管理委员会"),
        we: "我委",
        unit: Some(u.clone()),
        place: Some(place),
        gov: false,
        scale: 0,
    })
}
