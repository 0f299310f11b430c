//! Splitting a report into its six sections by walking its top-level headings,
//! whatever their numbering style (一、 1. （一） 第一部分).

mod candidates;
mod unwrap;
mod vocab;

use crate::parse::explain::{Anchor, Explain, Rejected};
use candidates::{
    bare_headings, candidates, problems_without_heading, score, sequence, Candidate, Style, STYLES,
};
use serde::{Deserialize, Serialize};

pub(crate) use candidates::{cn_number, starts_with_year};
pub use unwrap::unwrap_lines;
pub use vocab::classify;
pub(crate) use vocab::is_table_label;

/// The six section keys of REPORTS.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKey {
    /// Text before the first heading when the report has an overview heading
    /// (a cover block, the statutory intro): kept, but not the overview.
    Preamble,
    Overview,
    Proactive,
    Requests,
    Appeals,
    Problems,
    Other,
}

impl SectionKey {
    pub const ALL: [SectionKey; 6] = [
        SectionKey::Overview,
        SectionKey::Proactive,
        SectionKey::Requests,
        SectionKey::Appeals,
        SectionKey::Problems,
        SectionKey::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKey::Preamble => "preamble",
            SectionKey::Overview => "overview",
            SectionKey::Proactive => "proactive",
            SectionKey::Requests => "requests",
            SectionKey::Appeals => "appeals",
            SectionKey::Problems => "problems",
            SectionKey::Other => "other",
        }
    }
    /// Every key a report's text can be filed under: the six and the preamble.
    pub const SEARCHABLE: [SectionKey; 7] = [
        SectionKey::Preamble,
        SectionKey::Overview,
        SectionKey::Proactive,
        SectionKey::Requests,
        SectionKey::Appeals,
        SectionKey::Problems,
        SectionKey::Other,
    ];
    pub fn parse(s: &str) -> Option<SectionKey> {
        SectionKey::SEARCHABLE.into_iter().find(|k| k.as_str() == s)
    }
    /// The 2021 template's heading, in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            SectionKey::Preamble => "前言",
            SectionKey::Overview => "总体情况",
            SectionKey::Proactive => "主动公开政府信息情况",
            SectionKey::Requests => "收到和处理政府信息公开申请情况",
            SectionKey::Appeals => "政府信息公开行政复议、行政诉讼情况",
            SectionKey::Problems => "存在的主要问题及改进情况",
            SectionKey::Other => "其他需要报告的事项",
        }
    }
}

/// One section: normalised text for search, original text for quoting.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    pub key: SectionKey,
    pub headings: Vec<String>,
    pub text: String,
    pub original: String,
}

/// A line of the body on its way through the stages: the original text (for
/// quoting), the normalised text (for search and matching), and its 1-based
/// line in the decoded document (for `--explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub orig: String,
    pub norm: String,
    pub src: usize,
}

impl Line {
    pub fn new(orig: impl Into<String>, norm: impl Into<String>, src: usize) -> Line {
        Line {
            orig: orig.into(),
            norm: norm.into(),
            src,
        }
    }
}

/// Splits lines into sections, and records in `explain` the heading that
/// anchored each one and the heading-like lines passed over. Text before the
/// first heading is the preamble when the first heading opens the overview,
/// else it is the overview itself (reports that start without a heading).
pub fn split(lines: &[Line], explain: &mut Explain) -> Vec<Section> {
    let norm: Vec<&str> = lines.iter().map(|l| l.norm.as_str()).collect();
    let mut best: Vec<Candidate> = Vec::new();
    let mut best_dropped = Vec::new();
    let mut best_score = 0;
    let mut refused: Vec<(usize, &'static str)> = Vec::new();
    let mut paren = Vec::new();
    for (style, re) in STYLES.iter() {
        let mut rejected = Vec::new();
        let cands = candidates(&norm, *style, re, &mut rejected);
        if *style == Style::Paren {
            paren = cands
                .iter()
                .filter(|c| c.key == Some(SectionKey::Problems) && c.number == 1)
                .map(|c| Candidate {
                    heading: c.heading.clone(),
                    rest: c.rest.clone(),
                    ..*c
                })
                .collect();
        }
        let (seq, dropped) = sequence(cands);
        let s = score(&seq);
        if s > best_score {
            best_score = s;
            best = seq;
            best_dropped = dropped;
            refused = rejected;
        }
    }
    if best_score < 2 {
        best = bare_headings(&norm);
        best_dropped.clear();
        refused.clear();
    }
    if let Some(mut p) = problems_without_heading(&best, paren) {
        // A run-in sub-heading opens a paragraph of the report: it stays in the text.
        if p.rest.is_some() {
            p.rest = Some(norm[p.line].trim().to_string());
        }
        let at = best.partition_point(|c| c.line < p.line);
        best.insert(at, p);
    }
    record(lines, &best, best_dropped, refused, explain);

    let mut sections: Vec<Section> = Vec::new();
    let first = best.first().map_or(lines.len(), |c| c.line);
    if first > 0 {
        let key = if best
            .first()
            .is_some_and(|c| c.key == Some(SectionKey::Overview))
        {
            SectionKey::Preamble
        } else {
            SectionKey::Overview
        };
        add(&mut sections, key, None, &lines[..first], None);
    }
    for (i, c) in best.iter().enumerate() {
        let end = best.get(i + 1).map_or(lines.len(), |n| n.line);
        add(
            &mut sections,
            c.key.unwrap_or(SectionKey::Other),
            Some(&c.heading),
            &lines[c.line + 1..end],
            c.rest.as_deref(),
        );
    }
    sections.sort_by_key(|s| s.key);
    sections
}

/// Appends a heading's body to its section (sections of the same key are one).
fn add(
    sections: &mut Vec<Section>,
    key: SectionKey,
    heading: Option<&str>,
    body: &[Line],
    rest: Option<&str>,
) {
    let idx = sections
        .iter()
        .position(|s| s.key == key)
        .unwrap_or_else(|| {
            sections.push(Section {
                key,
                headings: vec![],
                text: String::new(),
                original: String::new(),
            });
            sections.len() - 1
        });
    let s = &mut sections[idx];
    if let Some(h) = heading {
        s.headings.push(h.to_string());
    }
    let text = rest.into_iter().chain(body.iter().map(|l| l.norm.as_str()));
    let orig = body.iter().map(|l| l.orig.as_str());
    for (dst, parts) in [
        (&mut s.text, text.collect::<Vec<_>>()),
        (&mut s.original, orig.collect::<Vec<_>>()),
    ] {
        if parts.is_empty() {
            continue;
        }
        if !dst.is_empty() {
            dst.push('\n');
        }
        dst.push_str(&parts.join("\n"));
    }
}

/// Writes the anchors and the passed-over headings into `explain`.
fn record(
    lines: &[Line],
    best: &[Candidate],
    dropped: Vec<(Candidate, &'static str)>,
    refused: Vec<(usize, &'static str)>,
    explain: &mut Explain,
) {
    for c in best {
        let text = c.anchor_text(&lines[c.line].norm);
        explain.sections.push(Anchor {
            key: c.key.unwrap_or(SectionKey::Other),
            line: lines[c.line].src,
            style: c.style.as_str(),
            text: if text.is_empty() { &c.heading } else { text }.to_string(),
            in_text: text.is_empty(),
        });
    }
    let dropped = dropped.into_iter().map(|(c, why)| (c.line, why));
    for (i, why) in dropped.chain(refused) {
        explain.rejected.push(Rejected {
            line: lines[i].src,
            text: lines[i].norm.chars().take(60).collect(),
            reason: why.to_string(),
        });
    }
    explain.rejected.sort_by_key(|r| r.line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<Line> {
        s.lines()
            .enumerate()
            .map(|(i, l)| Line::new(l, l, i + 1))
            .collect()
    }

    fn split_text(s: &str) -> Vec<Section> {
        split(&lines(s), &mut Explain::default())
    }

    #[test]
    fn arabic_numbering_and_old_headings() {
        let secs = split_text(
            "前言\n1、概述\n甲\n2、主动公开政府信息的情况\n乙\n3、依申请公开政府信息办理情况\n丙\n(1)细节\n4、因政府信息公开申请行政复议、提起行政诉讼的情况\n丁\n5、存在的不足和改进措施\n戊\n6、工作安排\n己",
        );
        let get = |k: SectionKey| {
            secs.iter()
                .find(|s| s.key == k)
                .map(|s| s.text.clone())
                .unwrap_or_default()
        };
        assert_eq!(get(SectionKey::Preamble), "前言");
        assert_eq!(get(SectionKey::Overview), "甲");
        assert_eq!(get(SectionKey::Requests), "丙\n(1)细节");
        assert_eq!(get(SectionKey::Problems), "戊");
        assert_eq!(get(SectionKey::Other), "己");
    }

    #[test]
    fn a_run_in_problems_sub_heading_stays_in_the_text() {
        let secs = split_text(
            "一、总体情况\n甲\n三、收到和处理政府信息公开申请情况\n乙\n(一)存在的主要问题。一是人员不足。\n(二)改进措施\n丙",
        );
        let p = secs.iter().find(|s| s.key == SectionKey::Problems).unwrap();
        assert_eq!(
            p.text,
            "(一)存在的主要问题。一是人员不足。\n(二)改进措施\n丙"
        );
        // On a line of its own it is the section's heading.
        let secs = split_text(
            "一、总体情况\n甲\n三、收到和处理政府信息公开申请情况\n乙\n(一)存在的主要问题\n人员不足。",
        );
        let p = secs.iter().find(|s| s.key == SectionKey::Problems).unwrap();
        assert_eq!(p.text, "人员不足。");
    }

    #[test]
    fn wrapped_pdf_lines_are_joined() {
        let l = unwrap_lines(lines(
            "四、因政府信息公开申请行政复议、提起行政诉讼的情况\n2014年,我局未发生因政府信息公开引起的行政复议和行政诉\n讼案件。\n2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\n0\n规章\n0",
        ));
        let texts: Vec<&str> = l.iter().map(|l| l.norm.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
                "2014年,我局未发生因政府信息公开引起的行政复议和行政诉讼案件。",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "0",
                "规章",
                "0"
            ]
        );
    }

    #[test]
    fn part_numbering_and_table_rows_are_not_headings() {
        let secs = split_text(
            "第一部分 总体情况\n甲\n第二部分 主动公开政府信息情况\n第三部分 收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n5\n四、结转下年度继续办理\n0\n第四部分 政府信息公开行政复议、行政诉讼情况\n第五部分 存在的主要问题及改进情况\n问题",
        );
        let req = secs.iter().find(|s| s.key == SectionKey::Requests).unwrap();
        assert!(req.text.contains("结转下年度继续办理\n0"));
        assert_eq!(
            secs.iter()
                .find(|s| s.key == SectionKey::Problems)
                .unwrap()
                .text,
            "问题"
        );
    }
}
