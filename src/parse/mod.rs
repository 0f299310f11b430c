//! From a file's bytes to a [`Report`]: one module per stage, each a pure
//! function of the previous stage's output; [`parse_document`] runs them in order.

pub mod docx;
pub mod figures;
pub mod layout;
pub mod meta;
pub mod normalize;
pub mod pdf;
pub mod read;
pub mod sections;

use crate::error::{Error, Result};
use crate::model::checks::checks;
use crate::model::report::{issuer_level, Report};
use figures::Template;
use read::Document;
use sections::SectionKey;
use std::borrow::Cow;
use std::path::Path;

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
        format,
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
        format,
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
