//! From a file's bytes to a [`Report`]: one module per stage, each a pure
//! function of the previous stage's output; [`parse_document`] runs them in order.

pub mod docx;
pub mod explain;
pub mod figures;
pub mod layout;
pub mod meta;
pub mod normalize;
pub mod pdf;
pub mod pdf_layout;
pub mod read;
pub mod sections;

use crate::error::{Error, Result};
use crate::model::checks::checks;
use crate::model::report::{issuer_level, Report};
use explain::{Explain, RemoveRule, Removed};
use figures::Template;
use read::Document;
use sections::{Line, SectionKey};
use std::borrow::Cow;
use std::path::Path;

/// Reads and parses one file.
pub fn parse_file(path: &Path) -> Result<Report> {
    parse_file_within(path, &read::Limits::default())
}

/// Reads and parses one file within a size and time budget: reading stops at the
/// deadline, and a parse that ends past it is refused too, so the file is listed.
pub fn parse_file_within(path: &Path, limits: &read::Limits) -> Result<Report> {
    let doc = read::read_file_within(path, limits)?;
    let report = parse_document(doc).ok_or_else(|| Error::NoText {
        path: path.to_path_buf(),
    })?;
    limits.check().map_err(|e| e.for_path(path))?;
    Ok(report)
}

/// Parses a file's bytes already read, within `limits` (errors name `path`;
/// its extension hints the format).
pub fn parse_bytes_within(bytes: &[u8], path: &Path, limits: &read::Limits) -> Result<Report> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let doc = read::decode_within(bytes, &ext, limits).map_err(|e| e.for_path(path))?;
    let report = parse_document(doc).ok_or_else(|| Error::NoText {
        path: path.to_path_buf(),
    })?;
    limits.check().map_err(|e| e.for_path(path))?;
    Ok(report)
}

/// Reads and parses one file, with the parser's account of how it read it.
pub fn parse_file_explained(path: &Path) -> Result<(Report, Explain)> {
    let doc = read::read_file(path)?;
    parse_explained(doc).ok_or_else(|| Error::NoText {
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
    parse_explained(doc).map(|(r, _)| r)
}

/// [`parse_document`], with the parser's account of how it read the report.
pub fn parse_explained(doc: Document) -> Option<(Report, Explain)> {
    let Document {
        lines: raw,
        html_title,
        html_published,
        warnings: read_warnings,
        format,
        ..
    } = doc;
    let mut explain = Explain::default();
    let lines = normalized_lines(raw, &mut explain);
    let norm: Vec<&str> = lines.iter().map(|l| l.norm.as_str()).collect();
    let mut chrome: Vec<bool> = norm.iter().map(|n| normalize::is_chrome_line(n)).collect();
    normalize::mark_meta_blocks(&norm, &mut chrome);
    let m = meta::extract(
        &norm,
        &chrome,
        html_title.as_deref(),
        html_published.as_deref(),
    );
    drop(norm);

    let mut body: Vec<Line> = Vec::with_capacity(lines.len());
    for (i, l) in lines.into_iter().enumerate() {
        // The title lines, and the title's repeats as page headers of PDF text, are not body text.
        let rule = if chrome[i] {
            Some(RemoveRule::Chrome)
        } else if m.title_lines.contains(&i)
            || m.title
                .as_deref()
                .is_some_and(|t| l.norm.chars().filter(|&c| c != ' ').eq(t.chars()))
        {
            Some(RemoveRule::Title)
        } else {
            None
        };
        match rule {
            Some(rule) if !l.norm.trim().is_empty() => explain.removed.push(Removed {
                rule,
                line: l.src,
                text: l.norm,
            }),
            Some(_) => {}
            None => body.push(l),
        }
    }
    if body.is_empty() {
        return None;
    }
    let body = without_signature(body, &mut explain);
    explain.removed.sort_by_key(|r| r.line);
    let sections = sections::split(&sections::unwrap_lines(body), &mut explain);
    let template = figures::detect_template(&sections, m.year);
    let ex = figures::extract(&sections, template);

    explain
        .rows
        .extend(ex.explain.iter().map(|n| explain::RowNote {
            table: n.table,
            label: if n.anchor.is_empty() {
                n.row.clone()
            } else {
                format!("{} ← {}", n.row, n.anchor)
            },
            line: None,
            accepted: !n.row.is_empty() && !n.cells.is_empty(),
            note: if n.cells.is_empty() {
                n.note.clone()
            } else {
                format!("[{}] {}", n.cells.join(" "), n.note)
            },
        }));
    let title_composed = m.title.is_none();
    let title = m.title.clone().unwrap_or_else(|| {
        format!(
            "{}{}年政府信息公开工作年度报告",
            m.issuer.as_deref().unwrap_or(""),
            m.year.map(|y| y.to_string()).unwrap_or_default()
        )
    });
    let mut warnings = read_warnings;
    warnings.extend(ex.warnings.iter().cloned());
    missing_warnings(
        &m,
        title_composed,
        &sections,
        template,
        &ex.figures,
        &mut warnings,
    );
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
    let report = Report {
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
    };
    Some((report, explain))
}

/// Warnings for what the report does not say (title, year, issuer, region, key
/// sections, tables), so a reader sees at once what is missing.
fn missing_warnings(
    m: &meta::Meta,
    title_composed: bool,
    sections: &[sections::Section],
    template: Template,
    figures: &figures::Figures,
    warnings: &mut Vec<String>,
) {
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
        let t3 = figures
            .keys()
            .filter(|k| k.starts_with("review.") || k.starts_with("litigation."))
            .count();
        if t3 == 0 && !warnings.iter().any(|w| w.starts_with("table 3")) {
            warnings.push("table 3 not found".into());
        }
        if !figures.contains_key("requests.new.total") {
            warnings.push("table 2: requests received not found".into());
        }
    }
}

/// Decoded lines with markup stripped, trimmed and normalised; markdown heading
/// marks are dropped from the normalised text (recorded in `explain`), and a
/// run-together body is broken into lines at its headings and table rows.
fn normalized_lines(mut raw: Vec<String>, explain: &mut Explain) -> Vec<Line> {
    // Pinyin cut by a line break is out of reach of the per-line pass in `fold`.
    normalize::strip_wrapped_pinyin(&mut raw);
    let mut out = Vec::with_capacity(raw.len());
    for (i, l) in raw.into_iter().enumerate() {
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
        let n = without_heading_marks(fold_cells(&o), i + 1, explain);
        let at = layout::breaks(&n);
        if at.is_empty() {
            out.push(Line::new(o, n, i + 1));
            continue;
        }
        // Where normalising changed the line, the pieces of the normalised text
        // stand for the original too (offsets in one are not offsets in the other).
        let same = o == n;
        let orig_parts = if same {
            layout::cut_at(&o, &at)
        } else {
            layout::cut_at(&n, &at)
        };
        for (part, orig) in layout::cut_at(&n, &at).into_iter().zip(orig_parts) {
            let part = without_heading_marks(part.trim().to_string(), i + 1, explain);
            if !part.is_empty() {
                out.push(Line::new(orig.trim(), part, i + 1));
            }
        }
    }
    out
}

/// A line normalised; in a row of tab-separated cells (as copied from a web
/// page's table) each cell is normalised alone and the tabs stay, so that an
/// empty cell keeps its column ("本年新收\t17\t2\t\t\t\t\t19"). Runs of
/// tabs that only align the cells ("规章\t\t0\t\t3") count once. Two cells
/// without a number ("名称\t…报告") are text.
fn fold_cells(o: &str) -> String {
    if !o.contains('\t') {
        return normalize::fold(o);
    }
    let mut cells: Vec<&str> = o.split('\t').map(str::trim).collect();
    while cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    let filled = cells.iter().filter(|c| !c.is_empty()).count();
    let numeric = cells
        .iter()
        .skip(1)
        .any(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit() || ch == '.'));
    if filled < 2 || !(numeric || filled >= 3) {
        return normalize::fold(o);
    }
    // Every gap between filled cells two tabs or more wide: the tabs align.
    let aligned = cells
        .split(|c| !c.is_empty())
        .skip(1)
        .take(filled.saturating_sub(1))
        .all(|gap| !gap.is_empty());
    let folded: Vec<String> = cells
        .iter()
        .filter(|c| !(aligned && c.is_empty()))
        .map(|c| normalize::fold(c))
        .collect();
    // Cells stay apart by their tab (no character is added to the text).
    folded.join("\t")
}

/// A markdown heading's marks ("## 五、…") dropped from the normalised text,
/// recorded in `explain`.
fn without_heading_marks(n: String, line: usize, explain: &mut Explain) -> String {
    if !n.starts_with('#') {
        return n;
    }
    let rest = n.trim_start_matches('#');
    if !rest.is_empty() && !rest.starts_with(' ') {
        return n;
    }
    explain.removed.push(Removed {
        rule: RemoveRule::Markup,
        line,
        text: n[..n.len() - rest.len()].to_string(),
    });
    rest.trim_start().to_string()
}

/// Drops the signature that closes many reports (the body's name and a date on
/// lines of their own): it is metadata, not part of the last section.
fn without_signature(mut body: Vec<Line>, explain: &mut Explain) -> Vec<Line> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^(?:19|20)\d{2}-\d{1,2}-\d{1,2}$",
        )
        .unwrap()
    });
    let is_date = |n: &str| DATE.is_match(n.trim());
    let mut drop_last = |body: &mut Vec<Line>| {
        if let Some(l) = body.pop() {
            explain.removed.push(Removed {
                rule: RemoveRule::Signature,
                line: l.src,
                text: l.norm,
            });
        }
    };
    if body.len() > 3 && body.last().is_some_and(|l| is_date(&l.norm)) {
        drop_last(&mut body);
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
        if body.last().is_some_and(|l| org_like(&l.norm)) {
            drop_last(&mut body);
        }
    }
    body
}
