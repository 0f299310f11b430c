//! The data dictionary (`data/fields.tsv`, copied from `shared/spec/fields.tsv`):
//! one stable key per figure, with its Chinese label and table; then the
//! figures gongkai derives itself ([`DERIVED`]: rates, timeliness, copied
//! text), which the shared spec does not list but which are filtered, sorted,
//! aggregated and exported like any other.

use std::collections::HashMap;
use std::sync::LazyLock;

const FIELDS_TSV: &str = include_str!("../../data/fields.tsv");

/// The value type a figure has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Int,
    Float,
}

/// One entry of the data dictionary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Field {
    pub key: &'static str,
    pub label_zh: &'static str,
    pub table: &'static str,
    pub templates: Vec<&'static str>,
    pub kind: Kind,
    pub note: &'static str,
}

/// The table name of derived figures.
pub const DERIVED_TABLE: &str = "derived";

/// Derived figures: key, Chinese label, kind, note. Rates are shares (0–1) of
/// 办理结果总计 or of decided appeals (审结); a zero denominator gives no value.
pub const DERIVED: &[(&str, &str, Kind, &str)] = &[
    ("rates.granted", "予以公开率(予以公开/办理结果总计)", Kind::Float, "share of requests.handled.total"),
    ("rates.partial", "部分公开率(部分公开/办理结果总计)", Kind::Float, "share of requests.handled.total"),
    ("rates.denied", "不予公开率(不予公开/办理结果总计)", Kind::Float, "share of requests.handled.total"),
    ("rates.denied.state_secret", "不予公开率·属于国家秘密", Kind::Float, "share of requests.handled.total"),
    ("rates.denied.law_prohibited", "不予公开率·其他法律行政法规禁止公开", Kind::Float, "share of requests.handled.total"),
    ("rates.denied.security_stability", "不予公开率·危及“三安全一稳定”", Kind::Float, "share of requests.handled.total"),
    ("rates.denied.third_party", "不予公开率·保护第三方合法权益", Kind::Float, "share of requests.handled.total"),
    ("rates.denied.internal_affairs", "不予公开率·属于三类内部事务信息", Kind::Float, "share of requests.handled.total"),
    ("rates.denied.process_info", "不予公开率·属于四类过程性信息", Kind::Float, "share of requests.handled.total"),
    ("rates.denied.enforcement_file", "不予公开率·属于行政执法案卷", Kind::Float, "share of requests.handled.total"),
    ("rates.denied.query_matter", "不予公开率·属于行政查询事项", Kind::Float, "share of requests.handled.total"),
    ("rates.unable", "无法提供率(无法提供/办理结果总计)", Kind::Float, "share of requests.handled.total"),
    ("rates.not_processed", "不予处理率(不予处理/办理结果总计)", Kind::Float, "share of requests.handled.total"),
    ("rates.review_corrected", "行政复议纠错率(纠正/审结)", Kind::Float, "corrected of decided (total less pending)"),
    ("rates.litigation_corrected", "行政诉讼纠错率(纠正/审结)", Kind::Float, "direct and after-review suits together"),
    ("timeliness.days_late", "逾期发布天数(发布日期-法定期限)", Kind::Int, "0 or negative when on time; deadline 31 Jan (departments) or 31 Mar (governments) of the next year"),
    ("copied.previous_year", "问题部分与上年报告重复比例", Kind::Float, "share of the problems section found in the same body's previous report, boilerplate excluded"),
    ("copied.previous_year_text", "全文与上年报告重复比例", Kind::Float, "share of the whole text found in the same body's previous report, boilerplate excluded"),
    ("copied.other_body", "问题部分与同年其他机关报告最高相似比例", Kind::Float, "largest share of the problems section found in one report of another body of the same year"),
];

static FIELDS: LazyLock<Vec<Field>> = LazyLock::new(|| {
    let derived = DERIVED.iter().map(|&(key, label_zh, kind, note)| Field {
        key,
        label_zh,
        table: DERIVED_TABLE,
        templates: Vec::new(),
        kind,
        note,
    });
    FIELDS_TSV
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut cols = line.split('\t');
            let mut next = || cols.next().unwrap_or("");
            let key = next();
            let label_zh = next();
            let table = next();
            let templates = next().split(',').filter(|s| !s.is_empty()).collect();
            let kind = if next() == "float" {
                Kind::Float
            } else {
                Kind::Int
            };
            let note = next();
            Field {
                key,
                label_zh,
                table,
                templates,
                kind,
                note,
            }
        })
        .chain(derived)
        .collect()
});

static BY_KEY: LazyLock<HashMap<&'static str, usize>> =
    LazyLock::new(|| FIELDS.iter().enumerate().map(|(i, f)| (f.key, i)).collect());

/// Every field, in the dictionary's order: the shared spec's, then the derived.
pub fn all() -> &'static [Field] {
    &FIELDS
}

/// The fields of the shared spec (what a parser reads from a report; the
/// golden checker's format lists these).
pub fn spec() -> &'static [Field] {
    &FIELDS[..FIELDS.len() - DERIVED.len()]
}

/// True for a figure gongkai derives rather than reads.
pub fn is_derived(key: &str) -> bool {
    get(key).is_some_and(|f| f.table == DERIVED_TABLE)
}

/// The field with this key, if the dictionary has it.
pub fn get(key: &str) -> Option<&'static Field> {
    BY_KEY.get(key).map(|&i| &FIELDS[i])
}

/// Position of a key in the dictionary (stable ordering for output).
pub fn index_of(key: &str) -> Option<usize> {
    BY_KEY.get(key).copied()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dictionary_loads_with_unique_keys() {
        let all = super::all();
        assert!(all.len() > 200);
        assert_eq!(super::get("requests.new.total").unwrap().table, "requests");
        assert_eq!(
            super::get("fees.amount_wan_yuan").unwrap().kind,
            super::Kind::Float
        );
        let mut keys: Vec<_> = all.iter().map(|f| f.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), all.len());
        assert!(super::spec().iter().all(|f| !super::is_derived(f.key)));
        assert!(super::is_derived("rates.granted"));
        assert_eq!(super::get("copied.other_body").unwrap().table, "derived");
        assert_eq!(super::spec().len() + super::DERIVED.len(), all.len());
    }
}
