//! A parsed report: what `gongkai check` prints and the index stores.

use crate::gazetteer::{Level, Region};
use crate::parse::figures::{Figures, Template};
use crate::parse::sections::{Section, SectionKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Kind of issuing body: a government at some level, or a department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IssuerLevel {
    Province,
    Prefecture,
    County,
    Department,
}

impl IssuerLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            IssuerLevel::Province => "province",
            IssuerLevel::Prefecture => "prefecture",
            IssuerLevel::County => "county",
            IssuerLevel::Department => "department",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Province,
            Self::Prefecture,
            Self::County,
            Self::Department,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }
}

/// One annual report, as understood.
/// The file format a report's text was read from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Html,
    Text,
    Pdf,
    Docx,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// The format the text came from (older indexes lack it: HTML).
    #[serde(default)]
    pub format: Format,
    pub title: String,
    /// True when the page had no title and it was composed from issuer and year.
    pub title_composed: bool,
    pub year: Option<i32>,
    pub region: Option<Region>,
    pub issuer: Option<String>,
    pub level: Option<IssuerLevel>,
    pub published: Option<String>,
    pub index_no: Option<String>,
    pub template: Template,
    pub sections: Vec<Section>,
    pub figures: Figures,
    pub checks: BTreeMap<String, bool>,
    pub warnings: Vec<String>,
}

impl Report {
    pub fn section(&self, key: SectionKey) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The whole normalised text (title and sections), what phrase search greps.
    pub fn full_text(&self) -> String {
        let mut s = self.title.clone();
        for sec in &self.sections {
            s.push('\n');
            s.push_str(&sec.text);
        }
        s
    }

    /// Names of the relations this report breaks.
    pub fn failed_checks(&self) -> Vec<&str> {
        self.checks
            .iter()
            .filter(|(_, ok)| !**ok)
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// The JSON object of `gongkai check --json` (the golden checker's format).
    pub fn to_json(&self) -> serde_json::Value {
        let sections: serde_json::Map<String, serde_json::Value> = self
            .sections
            .iter()
            .map(|s| (s.key.as_str().to_string(), s.text.clone().into()))
            .collect();
        let mut figures = serde_json::Map::new();
        for f in crate::model::fields::spec() {
            figures.insert(
                f.key.to_string(),
                self.figures
                    .get(f.key)
                    .map_or(serde_json::Value::Null, |v| json_num(*v)),
            );
        }
        serde_json::json!({
            "format": self.format,
            "title": self.title,
            "title_composed": self.title_composed,
            "year": self.year,
            "region": self.region.as_ref().map(|r| serde_json::json!({"path": r.path, "code": r.code, "level": r.level})),
            "issuer": self.issuer,
            "level": self.level,
            "published": self.published,
            "index_no": self.index_no,
            "template": self.template.as_str(),
            "sections": sections,
            "headings": self.sections.iter().map(|s| (s.key.as_str().to_string(), s.headings.clone())).collect::<BTreeMap<_, _>>(),
            "figures": figures,
            "checks": self.checks,
            "warnings": self.warnings,
        })
    }
}

/// Integers print as integers.
pub fn json_num(v: f64) -> serde_json::Value {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        (v as i64).into()
    } else {
        v.into()
    }
}

/// A people's government (or its office) takes its region's level; any other body is a department.
pub fn issuer_level(issuer: &str, region: Option<&Region>) -> IssuerLevel {
    let government = issuer.ends_with("人民政府")
        || issuer.ends_with("人民政府办公室")
        || issuer.ends_with("人民政府办公厅");
    match (government, region) {
        (true, Some(r)) => match r.level {
            Level::Province => IssuerLevel::Province,
            Level::Prefecture => IssuerLevel::Prefecture,
            Level::County => IssuerLevel::County,
        },
        _ => IssuerLevel::Department,
    }
}

/// A readable summary with Chinese labels, for `gongkai check` without `--json`.
pub fn summary(r: &Report) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "标题 title:     {}{}",
        r.title,
        if r.title_composed { "  (composed)" } else { "" }
    );
    let _ = writeln!(
        s,
        "年度 year:      {}",
        r.year.map_or("unknown".into(), |y| y.to_string())
    );
    let _ = writeln!(
        s,
        "机关 issuer:    {}",
        r.issuer.as_deref().unwrap_or("unknown")
    );
    let _ = writeln!(
        s,
        "地区 region:    {}",
        r.region
            .as_ref()
            .map_or("unknown".into(), |g| format!("{} ({})", g.path, g.code))
    );
    let _ = writeln!(
        s,
        "发布 published: {}",
        r.published.as_deref().unwrap_or("unknown")
    );
    if let Some(i) = &r.index_no {
        let _ = writeln!(s, "索引号 index:   {i}");
    }
    let _ = writeln!(s, "模板 template:  {}", r.template.as_str());
    let _ = writeln!(s, "\n章节 sections:");
    for sec in &r.sections {
        let preview: String = sec.text.chars().filter(|c| *c != '\n').take(40).collect();
        let _ = writeln!(
            s,
            "  {:<9} {:>6} 字  {}…",
            sec.key.as_str(),
            sec.text.chars().count(),
            preview
        );
    }
    let _ = writeln!(s, "\n数字 figures ({}):", r.figures.len());
    for f in crate::model::fields::all() {
        if let Some(v) = r.figures.get(f.key) {
            let _ = writeln!(s, "  {:<60} {}", f.label_zh, json_num(*v));
        }
    }
    let _ = writeln!(s, "\n校验 checks:");
    for (k, ok) in &r.checks {
        let _ = writeln!(
            s,
            "  {:<24} {}",
            k,
            if *ok { "ok" } else { "FAILED 不一致" }
        );
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(s, "\n警告 warnings:");
        for w in &r.warnings {
            let _ = writeln!(s, "  - {w}");
        }
    }
    s
}
