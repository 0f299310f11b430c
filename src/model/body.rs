//! A stable identity for an issuing body across years: its region's code and
//! its name with the region and the usual variations folded away, so that
//! "上海市科委" (2023) and "上海市科学技术委员会" (2024), or "X县人民政府办公室"
//! and "X县人民政府", are one body.

use crate::gazetteer::Region;

/// Short names of departments and their full forms. Longest short form first
/// where one contains another (经信委 before 信委 would not matter, but 市场监管局
/// must win over 监管局).
const SHORT_NAMES: &[(&str, &str)] = &[
    ("市场监管局", "市场监督管理局"),
    ("退役军人局", "退役军人事务局"),
    ("发改委", "发展和改革委员会"),
    ("发改局", "发展和改革局"),
    ("经信委", "经济和信息化委员会"),
    ("经信局", "经济和信息化局"),
    ("工信厅", "工业和信息化厅"),
    ("工信局", "工业和信息化局"),
    ("科委", "科学技术委员会"),
    ("科技局", "科学技术局"),
    ("科技厅", "科学技术厅"),
    ("人社局", "人力资源和社会保障局"),
    ("人社厅", "人力资源和社会保障厅"),
    ("住建局", "住房和城乡建设局"),
    ("住建厅", "住房和城乡建设厅"),
    ("住建委", "住房和城乡建设委员会"),
    ("卫健委", "卫生健康委员会"),
    ("卫健局", "卫生健康局"),
    ("文旅局", "文化和旅游局"),
    ("文旅厅", "文化和旅游厅"),
    ("交通局", "交通运输局"),
    ("应急局", "应急管理局"),
    ("医保局", "医疗保障局"),
    ("城管局", "城市管理局"),
    ("国资委", "国有资产监督管理委员会"),
    ("民宗局", "民族宗教事务局"),
    ("民宗委", "民族宗教事务委员会"),
    ("农业局", "农业农村局"),
    ("自然资源局", "自然资源和规划局"),
    ("生态环境局", "生态环境局"),
    ("政数局", "政务服务数据管理局"),
];

/// Suffixes that name a government's office rather than a different body.
const GOVERNMENT_OFFICES: [&str; 2] = ["人民政府办公室", "人民政府办公厅"];

/// The canonical name of a body within its region.
pub fn canonical_name(issuer: &str, region: Option<&Region>) -> String {
    let mut name: String = issuer.chars().filter(|c| !c.is_whitespace()).collect();
    for office in GOVERNMENT_OFFICES {
        if let Some(stem) = name.strip_suffix(office) {
            name = format!("{stem}人民政府");
            break;
        }
    }
    if let Some(r) = region {
        // Longest region name first: "上海市" before "上海".
        let mut names: Vec<&str> = r.path.split('/').rev().collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        for n in names {
            if let Some(rest) = name.strip_prefix(n) {
                name = rest.to_string();
                break;
            }
        }
    }
    // A bare level word left at the front ("市科委" with a known region).
    // "市场…" is a word, not 市 + 场.
    for level in ["自治区", "自治州", "市", "县", "区", "省", "州", "旗", "盟"] {
        if let Some(rest) = name.strip_prefix(level) {
            if rest.chars().count() >= 2 && !name.starts_with("市场") {
                name = rest.to_string();
            }
            break;
        }
    }
    for (short, full) in SHORT_NAMES {
        if name.ends_with(short) && !name.ends_with(full) {
            let stem = &name[..name.len() - short.len()];
            name = format!("{stem}{full}");
            break;
        }
    }
    name
}

/// A short stable id: a hash of the region code and the canonical name. With no
/// region the whole name stands alone (such bodies only match themselves).
pub fn body_id(issuer: &str, region: Option<&Region>) -> Option<String> {
    if issuer.trim().is_empty() {
        return None;
    }
    let code = region.map(|r| r.code.as_str()).unwrap_or("");
    let key = format!("{code}/{}", canonical_name(issuer, region));
    Some(blake3::hash(key.as_bytes()).to_hex()[..16].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer;

    fn region(name: &str) -> Region {
        gazetteer::resolve(name, None).unwrap_or_else(|| panic!("{name} in gazetteer"))
    }

    #[test]
    fn renamings_and_short_names_are_one_body() {
        let sh = region("上海市");
        let id = |s: &str| body_id(s, Some(&sh)).unwrap();
        assert_eq!(id("上海市科委"), id("上海市科学技术委员会"));
        assert_eq!(id("市科委"), id("上海市科学技术委员会"));
        assert_eq!(id("上海市人民政府办公厅"), id("上海市人民政府"));
        assert_eq!(id("上海市 人民政府"), id("上海市人民政府"));
        assert_ne!(id("上海市科委"), id("上海市人民政府"));
        assert_ne!(id("上海市教育委员会"), id("上海市科学技术委员会"));
    }

    #[test]
    fn same_name_in_another_region_is_another_body() {
        let a = region("上海市");
        let b = region("河北省");
        assert_ne!(
            body_id("市场监督管理局", Some(&a)),
            body_id("市场监督管理局", Some(&b))
        );
        assert_eq!(body_id("  ", Some(&a)), None);
    }

    #[test]
    fn canonical_names_read_as_names() {
        let sh = region("上海市");
        assert_eq!(canonical_name("上海市科委", Some(&sh)), "科学技术委员会");
        assert_eq!(
            canonical_name("上海市人民政府办公厅", Some(&sh)),
            "人民政府"
        );
        assert_eq!(canonical_name("市市场监管局", None), "市场监督管理局");
        assert_eq!(
            canonical_name("上海市市场监督管理局", Some(&sh)),
            "市场监督管理局"
        );
        assert_eq!(canonical_name("市场监督管理局", None), "市场监督管理局");
    }
}
