//! Reading the figures of the three tables (2021 and 2019 templates) and the
//! figures that prose reports state in sentences.
//!
//! The tables arrive in many shapes (HTML rows, one cell a line, " |" endings,
//! PDF rows separated by spaces, markdown pipe rows from PDF converters, glued
//! digits). All of them become one stream of label and number tokens
//! (`tokens`); each table's reader follows the template's fixed vocabulary
//! of row labels in their fixed order (`table1`, `table2`, `table3`),
//! and glued digit runs are split by the tables' own relations (`glued`).

mod glued;
mod prose;
mod table1;
mod table2;
mod table2_align;
pub(crate) mod table2_relations;
mod table2_rows;
mod table3;
mod tokens;

pub use glued::{row_sum, split_glued, Readings, MAX_CELL_DIGITS, MAX_READINGS};

use crate::parse::sections::Section;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Template era of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Template {
    #[serde(rename = "2021")]
    T2021,
    #[serde(rename = "2019")]
    T2019,
    #[serde(rename = "narrative")]
    Narrative,
}

impl Template {
    pub fn as_str(self) -> &'static str {
        match self {
            Template::T2021 => "2021",
            Template::T2019 => "2019",
            Template::Narrative => "narrative",
        }
    }
    pub fn parse(s: &str) -> Option<Template> {
        match s {
            "2021" => Some(Template::T2021),
            "2019" => Some(Template::T2019),
            "narrative" => Some(Template::Narrative),
            _ => None,
        }
    }
}

/// Figures by the keys of `fields.tsv`. An absent key is a figure the report does not give.
pub type Figures = BTreeMap<String, f64>;

/// Applicant columns of table 2, in the template's order.
pub const COLUMNS: [&str; 7] = [
    "natural_person",
    "commercial",
    "research",
    "nonprofit",
    "legal_service",
    "other_org",
    "total",
];

/// Finds the template era from the table headers present.
pub fn detect_template(sections: &[Section], year: Option<i32>) -> Template {
    let all: String = sections
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let has = |ws: &[&str]| ws.iter().any(|w| all.contains(w));
    if has(&[
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "采购总金额",
    ]) {
        Template::T2019
    } else if has(&[
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年收费金额",
        "第二十条第",
    ]) {
        Template::T2021
    } else if all.contains("本年新收") || (all.contains("予以公开") && all.contains("结转下年"))
    {
        match year {
            Some(y) if y < 2021 => Template::T2019,
            _ => Template::T2021,
        }
    } else {
        Template::Narrative
    }
}

/// Result of the figures stage.
#[derive(Debug, Default)]
pub struct Extracted {
    pub figures: Figures,
    pub warnings: Vec<String>,
    /// How each table row was read, for `check --explain`.
    pub explain: Vec<RowNote>,
}

/// How one table row was read: the label or order that placed it, the cells
/// taken, and why it was taken or rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowNote {
    pub table: u8,
    pub row: String,
    pub anchor: String,
    pub cells: Vec<String>,
    pub note: String,
}

/// Reads all figures of a report. The tables are looked for in the whole body,
/// not only in the section they belong to: headings are sometimes missed or
/// misplaced, and some reports put tables under other headings.
pub fn extract(sections: &[Section], template: Template) -> Extracted {
    let mut ex = Extracted::default();
    let whole = sections
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    match template {
        Template::Narrative => prose::prose(&whole, &mut ex),
        t => {
            let toks = tokens::tokens(&whole);
            table1::table1(&toks.toks, t, &whole, &mut ex);
            let one_other_row =
                !table2_rows::names_split_other_rows(&whole) && whole.contains("其他处理");
            table2::table2(&toks, one_other_row, &mut ex);
            table3::table3(&toks.toks, &mut ex);
            derive(&mut ex.figures, t);
        }
    }
    ex
}

/// A cell or run as shown in a warning: long runs are cut, so that a hostile
/// file cannot make a warning as long as itself.
fn shown(s: &str) -> String {
    const MAX: usize = 24;
    match s.char_indices().nth(MAX) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}…({} chars)", &s[..cut], s.chars().count()),
    }
}

/// A figure key from its parts joined by dots (what `format!("{a}.{b}")` gives).
fn key(parts: &[&str]) -> String {
    let mut k = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            k.push('.');
        }
        k.push_str(p);
    }
    k
}

fn num(s: &str) -> Option<f64> {
    s.parse().ok()
}

/// Figures the templates define as sums of others.
fn derive(f: &mut Figures, t: Template) {
    if let (Some(a), Some(b)) = (
        f.get("litigation.direct.total"),
        f.get("litigation.after_review.total"),
    ) {
        f.insert("litigation.total".into(), a + b);
    }
    if t == Template::T2021 {
        for c in COLUMNS {
            let parts: Option<Vec<f64>> = ["overdue_correction", "unpaid_fee", "other"]
                .iter()
                .map(|r| f.get(&format!("requests.other.{r}.{c}")).copied())
                .collect();
            if let Some(p) = parts {
                f.insert(format!("requests.other.total.{c}"), p.iter().sum());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::sections::SectionKey;

    fn sec(key: SectionKey, text: &str) -> Section {
        Section {
            key,
            headings: vec![],
            text: text.into(),
            original: text.into(),
        }
    }

    #[test]
    fn pdf_rows_and_glued_cells() {
        let t = "一、本年新收政府信息公开申请数量 480 20 2 9 1 1 513\n二、上年结转政府信息公开申请数量 7000007\n三、本年度办理结果(一)予以公开 5\n(七)总计 1110213";
        let ex = extract(&[sec(SectionKey::Requests, t)], Template::T2021);
        assert_eq!(ex.figures["requests.new.natural_person"], 480.0);
        assert_eq!(ex.figures["requests.new.total"], 513.0);
        assert_eq!(ex.figures["requests.carried_in.natural_person"], 7.0);
        assert_eq!(ex.figures["requests.carried_in.total"], 7.0);
        assert_eq!(ex.figures["requests.granted.total"], 5.0);
        // 1110213 glued: 7 digits, one per cell.
        assert_eq!(ex.figures["requests.handled.total"], 3.0);
    }

    #[test]
    fn ambiguous_glue_stays_unknown() {
        // 12 digits into 7 cells with sum relation: several readings.
        let t = "一、本年新收 10000000001\n";
        let ex = extract(&[sec(SectionKey::Requests, t)], Template::T2021);
        assert!(!ex.figures.contains_key("requests.new.total"));
        assert!(!ex.warnings.is_empty());
        // Unique: "48020291513" → 480 20 2 9 1 1 513? Not unique either way, but
        // a run whose sum relation leaves one reading is split.
        let r = split_glued(&["1000001", "2"], 7, 7, &|c: &[i64]| {
            c[..6].iter().sum::<i64>() == c[6]
        });
        assert!(r.found.is_empty());
    }

    #[test]
    fn a_row_short_of_cells_gives_its_total_only_when_its_numbers_add_up() {
        let t = "一、本年新收政府信息公开申请数量\n4\n1\n5\n二、上年结转政府信息公开申请数量\n0\n（一）予以公开\n3\n1\n6";
        let ex = extract(&[sec(SectionKey::Requests, t)], Template::T2021);
        assert_eq!(ex.figures["requests.new.total"], 5.0);
        assert!(!ex.figures.contains_key("requests.new.natural_person"));
        assert_eq!(ex.figures["requests.carried_in.total"], 0.0);
        // 3 + 1 is not 6: which column each number is stays unknown.
        assert!(!ex.figures.keys().any(|k| k.starts_with("requests.granted")));
    }

    #[test]
    fn prose_figures() {
        let t = "全市各级行政机关受理公开政府信息申请192件。市本级因政府信息公开被申请行政复议11件,维持9件,依法纠错2件。行政诉讼25件,维持具体行政行为或驳回诉讼请求21件。";
        let ex = extract(&[sec(SectionKey::Requests, t)], Template::Narrative);
        let f = &ex.figures;
        assert_eq!(
            (
                f["requests.new.total"],
                f["review.total"],
                f["review.upheld"],
                f["review.corrected"]
            ),
            (192.0, 11.0, 9.0, 2.0)
        );
        assert_eq!(
            (f["litigation.total"], f["litigation.upheld"]),
            (25.0, 21.0)
        );
        let ex = extract(
            &[sec(SectionKey::Requests, "全年共受理依申请公开12件,收到申请后15个工作日内答复。因政府信息公开申请行政复议和行政诉讼各0件。")],
            Template::Narrative,
        );
        assert_eq!(ex.figures["requests.new.total"], 12.0);
        assert_eq!(
            (ex.figures["review.total"], ex.figures["litigation.total"]),
            (0.0, 0.0)
        );
        let ex = extract(
            &[sec(
                SectionKey::Appeals,
                "本年度未发生因政府信息公开申请行政复议、行政诉讼的情况。",
            )],
            Template::Narrative,
        );
        assert_eq!(
            (ex.figures["review.total"], ex.figures["litigation.total"]),
            (0.0, 0.0)
        );
    }
}
