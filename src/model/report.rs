//! A parsed report and the pipeline that makes one from a file.

use crate::error::{Error, Result};
use crate::figures::{self, Figures, Template, COLUMNS};
use crate::gazetteer::{Level, Region};
use crate::meta;
use crate::normalize;
use crate::read::{self, Document};
use crate::sections::{self, Section, SectionKey};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// The four consistency relations of REPORTS.md.
pub const CHECKS: [&str; 4] = [
    "requests_balance",
    "requests_outcomes_sum",
    "requests_columns_sum",
    "review_sum",
];

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
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
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
        for f in crate::fields::all() {
            figures.insert(
                f.key.to_string(),
                self.figures
                    .get(f.key)
                    .map_or(serde_json::Value::Null, |v| json_num(*v)),
            );
        }
        serde_json::json!({
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

/// Reads and parses one file.
pub fn parse_file(path: &Path) -> Result<Report> {
    let doc = read::read_file(path)?;
    parse_document(doc).ok_or_else(|| Error::NoText {
        path: path.to_path_buf(),
    })
}

/// Parses bytes (for tests and fuzzing); `ext` hints the format.
pub fn parse_bytes(bytes: &[u8], ext: &str) -> Result<Report> {
    let doc = read::decode(bytes, ext).map_err(|e| Error::Other(format!("{e:?}")))?;
    parse_document(doc).ok_or_else(|| Error::Other("no report text".into()))
}

/// The pipeline after decoding: normalise, metadata, sections, figures, checks.
pub fn parse_document(doc: Document) -> Option<Report> {
    let Document {
        lines: raw,
        html_title,
        html_published,
        ..
    } = doc;
    let lines: Vec<(String, String)> = raw
        .into_iter()
        .map(|l| {
            let o = match read::strip_markup(&l) {
                // Unchanged by the markup pass: keep the line's own buffer when trimming leaves it whole.
                Cow::Borrowed(_) => {
                    let t = l.trim();
                    if t.len() == l.len() {
                        l
                    } else {
                        t.to_string()
                    }
                }
                Cow::Owned(s) => s.trim().to_string(),
            };
            let n = normalize::fold(&o);
            (o, n)
        })
        .collect();
    let norm: Vec<&str> = lines.iter().map(|(_, n)| n.as_str()).collect();
    let chrome: Vec<bool> = norm.iter().map(|n| normalize::is_chrome_line(n)).collect();
    let m = meta::extract(
        &norm,
        &chrome,
        html_title.as_deref(),
        html_published.as_deref(),
    );
    drop(norm);

    let body: Vec<(String, String)> = lines
        .into_iter()
        .enumerate()
        // The title line, and its repeats as page headers of PDF text, are not body text.
        .filter(|(i, (_, n))| {
            !chrome[*i]
                && Some(*i) != m.title_line
                && m.title
                    .as_deref()
                    .is_none_or(|t| !n.chars().filter(|&c| c != ' ').eq(t.chars()))
        })
        .map(|(_, l)| l)
        .collect();
    if body.is_empty() {
        return None;
    }
    let body = without_signature(body);
    let sections = sections::split(&sections::unwrap_lines(body));
    let template = figures::detect_template(&sections, m.year);
    let ex = figures::extract(&sections, template);

    let mut warnings = ex.warnings;
    let title_composed = m.title.is_none();
    let title = m.title.clone().unwrap_or_else(|| {
        format!(
            "{}{}年政府信息公开工作年度报告",
            m.issuer.as_deref().unwrap_or(""),
            m.year.map(|y| y.to_string()).unwrap_or_default()
        )
    });
    if title_composed {
        warnings.push("title missing: composed from issuer and year".into());
    }
    if m.year.is_none() {
        warnings.push("year unknown".into());
    }
    if m.issuer.is_none() {
        warnings.push("issuer unknown".into());
    }
    if m.region.is_none() {
        warnings.push("region unknown".into());
    }
    for key in [
        SectionKey::Overview,
        SectionKey::Requests,
        SectionKey::Problems,
    ] {
        if !sections
            .iter()
            .any(|s| s.key == key && !s.text.trim().is_empty())
        {
            warnings.push(format!("section {} not found", key.as_str()));
        }
    }
    if template != Template::Narrative {
        let t3 = ex
            .figures
            .keys()
            .filter(|k| k.starts_with("review.") || k.starts_with("litigation."))
            .count();
        if t3 == 0 && !warnings.iter().any(|w| w.starts_with("table 3")) {
            warnings.push("table 3 not found".into());
        }
        if !ex.figures.contains_key("requests.new.total") {
            warnings.push("table 2: requests received not found".into());
        }
    }
    let checks = checks(&ex.figures, template);
    for (k, ok) in &checks {
        if !ok {
            warnings.push(format!("check failed: {k}"));
        }
    }
    let level = m
        .issuer
        .as_deref()
        .map(|i| issuer_level(i, m.region.as_ref()));
    Some(Report {
        title,
        title_composed,
        year: m.year,
        region: m.region,
        issuer: m.issuer,
        level,
        published: m.published,
        index_no: m.index_no,
        template,
        sections,
        figures: ex.figures,
        checks,
        warnings,
    })
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

/// Outcome rows of table 2 common to both templates, in table order.
pub const OUTCOME_ROWS: [&str; 18] = [
    "granted",
    "partial",
    "denied.state_secret",
    "denied.law_prohibited",
    "denied.security_stability",
    "denied.third_party",
    "denied.internal_affairs",
    "denied.process_info",
    "denied.enforcement_file",
    "denied.query_matter",
    "unable.not_held",
    "unable.needs_creation",
    "unable.unclear",
    "not_processed.petition",
    "not_processed.duplicate",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirmation",
];

/// Every outcome row of table 2, whose sum is the requests handled: the 2019
/// template has one "other" row, the 2021 template three.
pub fn outcome_rows(one_other_row: bool) -> Vec<&'static str> {
    let mut v = OUTCOME_ROWS.to_vec();
    if one_other_row {
        v.push("other.total");
    } else {
        v.extend([
            "other.overdue_correction",
            "other.unpaid_fee",
            "other.other",
        ]);
    }
    v
}

/// Evaluates the consistency relations whose figures are present.
pub fn checks(f: &Figures, template: Template) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    // Keys are built in one reused buffer: a lookup allocates nothing.
    let mut key = String::with_capacity(64);
    let mut g = |parts: &[&str]| {
        key.clear();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                key.push('.');
            }
            key.push_str(p);
        }
        f.get(key.as_str()).copied()
    };
    let eq = |a: f64, b: f64| (a - b).abs() < 1e-6;
    if let (Some(n), Some(ci), Some(h), Some(co)) = (
        g(&["requests.new.total"]),
        g(&["requests.carried_in.total"]),
        g(&["requests.handled.total"]),
        g(&["requests.carried_over.total"]),
    ) {
        out.insert("requests_balance".into(), eq(n + ci, h + co));
    }
    let outcome_rows = outcome_rows(
        template == Template::T2019 && f.keys().any(|k| k.starts_with("requests.other.total.")),
    );
    let mut outcomes: Option<bool> = None;
    for c in COLUMNS {
        let mut sum = 0.0;
        let mut complete = true;
        for r in &outcome_rows {
            match g(&["requests", r, c]) {
                Some(v) => sum += v,
                None => {
                    complete = false;
                    break;
                }
            }
        }
        if let (true, Some(h)) = (complete, g(&["requests.handled", c])) {
            outcomes = Some(outcomes.unwrap_or(true) && eq(sum, h));
        }
    }
    if let Some(ok) = outcomes {
        out.insert("requests_outcomes_sum".into(), ok);
    }
    let mut columns: Option<bool> = None;
    let rows: Vec<&str> = f
        .keys()
        .filter_map(|k| {
            k.strip_prefix("requests.")
                .and_then(|r| r.strip_suffix(".total"))
        })
        .collect();
    for r in rows {
        let mut sum = 0.0;
        let mut complete = true;
        for c in &COLUMNS[..6] {
            match g(&["requests", r, c]) {
                Some(v) => sum += v,
                None => {
                    complete = false;
                    break;
                }
            }
        }
        if let (true, Some(t)) = (complete, g(&["requests", r, "total"])) {
            columns = Some(columns.unwrap_or(true) && eq(sum, t));
        }
    }
    if let Some(ok) = columns {
        out.insert("requests_columns_sum".into(), ok);
    }
    let mut review: Option<bool> = None;
    for grp in ["review", "litigation.direct", "litigation.after_review"] {
        let v: Option<Vec<f64>> = ["upheld", "corrected", "other", "pending", "total"]
            .iter()
            .map(|c| g(&[grp, c]))
            .collect();
        if let Some(v) = v {
            review = Some(review.unwrap_or(true) && eq(v[0] + v[1] + v[2] + v[3], v[4]));
        }
    }
    if let Some(ok) = review {
        out.insert("review_sum".into(), ok);
    }
    out
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
    for f in crate::fields::all() {
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

/// Drops the signature that closes many reports (the body's name and a date on
/// lines of their own): it is metadata, not part of the last section.
fn without_signature(mut body: Vec<(String, String)>) -> Vec<(String, String)> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^(?:19|20)\d{2}-\d{1,2}-\d{1,2}$",
        )
        .unwrap()
    });
    let is_date = |n: &str| DATE.is_match(n.trim());
    if body.len() > 3 && body.last().is_some_and(|(_, n)| is_date(n)) {
        body.pop();
        let org_like = |n: &str| {
            let n = n.trim();
            n.chars().count() <= 30
                && !n.contains(['。', ',', ':'])
                && [
                    "政府",
                    "办公室",
                    "办公厅",
                    "局",
                    "委员会",
                    "委",
                    "中心",
                    "街道办事处",
                    "镇",
                    "乡",
                    "厅",
                ]
                .iter()
                .any(|s| n.ends_with(s))
        };
        if body.last().is_some_and(|(_, n)| org_like(n)) {
            body.pop();
        }
    }
    body
}
