//! The data dictionary (`data/fields.tsv`, copied from `shared/spec/fields.tsv`):
//! one stable key per figure, with its Chinese label and table.

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

static FIELDS: LazyLock<Vec<Field>> = LazyLock::new(|| {
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
        .collect()
});

static BY_KEY: LazyLock<HashMap<&'static str, usize>> =
    LazyLock::new(|| FIELDS.iter().enumerate().map(|(i, f)| (f.key, i)).collect());

/// Every field, in the dictionary's order.
pub fn all() -> &'static [Field] {
    &FIELDS
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
    }
}
