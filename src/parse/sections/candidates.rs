//! Heading candidates: lines that look like a top-level heading in one
//! numbering style (一、 第一部分 (一) 1. or bare), and the choice of those that
//! follow the numbering.

use super::vocab::{classify, is_table_label, is_template_heading, KNOWN_HEADINGS};
use super::SectionKey;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Style {
    Chinese,
    Part,
    Paren,
    Arabic,
    Bare,
}

impl Style {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Style::Chinese => "一、",
            Style::Part => "第一部分",
            Style::Paren => "(一)",
            Style::Arabic => "1.",
            Style::Bare => "bare",
        }
    }
}

pub(super) static STYLES: LazyLock<Vec<(Style, Regex)>> = LazyLock::new(|| {
    vec![
        (
            Style::Chinese,
            Regex::new(r"^([一二三四五六七八九十]{1,3})\s*[、.,:]\s*(.*)$").unwrap(),
        ),
        (
            Style::Part,
            Regex::new(r"^第([一二三四五六七八九十]{1,3})(?:部分|章|节)\s*[、.,:]?\s*(.*)$")
                .unwrap(),
        ),
        (
            Style::Paren,
            Regex::new(r"^\(([一二三四五六七八九十]{1,3})\)\s*(.*)$").unwrap(),
        ),
        (
            Style::Arabic,
            // "1.总体情况"; "1.5亿元" is refused by the caller (a digit after the dot).
            Regex::new(r"^(\d{1,2})\s*[、.]\s*(.*)$").unwrap(),
        ),
    ]
});

pub(crate) fn cn_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let d = |c: char| "〇一二三四五六七八九".find(c).map(|i| (i / 3) as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', b] => Some(10 + d(*b)?),
        [a, '十'] => Some(d(*a)? * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        [a] => d(*a),
        _ => None,
    }
}

pub(super) struct Candidate {
    /// Index into the lines given to [`split`].
    pub(super) line: usize,
    pub(super) style: Style,
    pub(super) number: u32,
    pub(super) heading: String,
    /// Body text that followed the heading on the same line.
    pub(super) rest: Option<String>,
    pub(super) key: Option<SectionKey>,
}

impl Candidate {
    /// The heading as it stands on its line: the line without the body text that followed it.
    pub(super) fn anchor_text<'a>(&self, line: &'a str) -> &'a str {
        let line = line.trim();
        match &self.rest {
            Some(r) => line.strip_suffix(r.as_str()).unwrap_or(line),
            None => line,
        }
    }
}

/// A cheap test that a line may be a heading of the style: the first character
/// its pattern requires (a line failing it cannot match).
fn may_start(style: Style, line: &str) -> bool {
    let Some(first) = line.chars().next() else {
        return false;
    };
    match style {
        Style::Chinese => is_cn_digit(first),
        Style::Part => first == '第',
        Style::Paren => first == '(',
        // `\d` is any Unicode decimal digit, all of which are numeric.
        Style::Arabic => first.is_numeric(),
        Style::Bare => false,
    }
}

pub(super) fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Heading-like lines of one numbering style; lines refused outright (table
/// row labels) go to `rejected`.
pub(super) fn candidates(
    lines: &[&str],
    style: Style,
    re: &Regex,
    rejected: &mut Vec<(usize, &'static str)>,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut locs = re.capture_locations();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if !may_start(style, line) || re.captures_read(&mut locs, line).is_none() {
            continue;
        }
        let Some(number) = locs.get(1).and_then(|(a, b)| cn_number(&line[a..b])) else {
            continue;
        };
        let full = locs.get(2).map_or("", |(a, b)| &line[a..b]).trim();
        // "1.5亿元" is a number, "6.2012年工作安排" a heading.
        if style == Style::Arabic
            && full.starts_with(|ch: char| ch.is_ascii_digit())
            && !(starts_with_year(full) && is_short_heading(full))
        {
            continue;
        }
        // The heading ends at the first 。 or colon when body text follows on the line.
        let cut = full
            .char_indices()
            .find(|(_, ch)| matches!(ch, '。' | ':'))
            .map(|(i, _)| i);
        // "一、总体情况2021年,我市……": a known heading run into its first paragraph.
        let run_on = KNOWN_HEADINGS
            .iter()
            .find(|h| full.starts_with(*h) && full.len() > h.len());
        let (heading, rest) = match (cut, run_on) {
            (_, Some(h)) if full[h.len()..].contains([',', '。', ';']) => {
                let r = full[h.len()..].trim_start_matches(['。', ':', ',']).trim();
                (h.to_string(), (!r.is_empty()).then(|| r.to_string()))
            }
            (Some(i), _) if full[..i].chars().count() <= 40 => {
                let r = full[i..].trim_start_matches(['。', ':']).trim();
                (
                    full[..i].to_string(),
                    (!r.is_empty()).then(|| r.to_string()),
                )
            }
            _ if full.chars().count() <= 50 => (full.to_string(), None),
            _ => continue,
        };
        if heading.is_empty() {
            continue;
        }
        if is_table_label(&heading) {
            rejected.push((i, "a table row label"));
            continue;
        }
        // "5.进一步完善依申请公开办理流程,推动…。": an item of a numbered list,
        // a sentence with its comma, not a part's heading.
        if style == Style::Arabic && heading.contains([',', ';']) {
            rejected.push((i, "a sentence of a numbered list"));
            continue;
        }
        let key = classify(&heading);
        out.push(Candidate {
            line: i,
            style,
            number,
            heading,
            rest,
            key,
        });
    }
    out
}

/// "2012年…" at the start of `s`.
pub(crate) fn starts_with_year(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) && s[4..].starts_with('年')
}

/// A whole line that can be a heading: short, no sentence punctuation.
fn is_short_heading(s: &str) -> bool {
    s.chars().count() <= 30 && !s.contains(['。', ',', ';', ':'])
}

/// Keeps the candidates that continue the numbering (1, 2, 3 …), known headings
/// whose number does not go backwards, and a numbering that starts again at 1
/// with a template heading (a narrative part, then the template's parts).
/// The others are returned with the reason they were passed over.
pub(super) fn sequence(cands: Vec<Candidate>) -> (Vec<Candidate>, Vec<(Candidate, &'static str)>) {
    let mut out: Vec<Candidate> = Vec::new();
    let mut dropped = Vec::new();
    let mut last = 0;
    let mut seen: Vec<SectionKey> = Vec::new();
    for c in cands {
        let fresh_key = c
            .key
            .is_some_and(|k| k == SectionKey::Other || !seen.contains(&k));
        let restart = c.number == 1
            && last >= 2
            && c.key.is_some_and(|k| k != SectionKey::Other)
            && is_template_heading(&c.heading);
        let ok = c.number == last + 1 || (fresh_key && c.number >= last && c.number > 0) || restart;
        if ok {
            last = c.number;
            if let Some(k) = c.key {
                seen.push(k);
            }
            out.push(c);
        } else {
            let why = if fresh_key {
                "numbering goes backwards"
            } else if c.key.is_some() {
                "its section was already opened"
            } else {
                "out of the numbering sequence"
            };
            dropped.push((c, why));
        }
    }
    (out, dropped)
}

pub(super) fn score(cands: &[Candidate]) -> usize {
    let mut keys: Vec<SectionKey> = cands
        .iter()
        .filter_map(|c| c.key)
        .filter(|k| *k != SectionKey::Other)
        .collect();
    keys.sort();
    keys.dedup();
    keys.len()
}

/// A problems part that opens with "(一)存在的主要问题" or "(一)2024年工作中存在问题的
/// 改进情况" and has no heading of its own: the first such sub-heading after the
/// requests or appeals heading starts the problems section.
pub(super) fn problems_without_heading(
    best: &[Candidate],
    paren: Vec<Candidate>,
) -> Option<Candidate> {
    if best.iter().any(|c| c.key == Some(SectionKey::Problems)) {
        return None;
    }
    let after = best
        .iter()
        .rev()
        .find(|c| matches!(c.key, Some(SectionKey::Appeals | SectionKey::Requests)))?
        .line;
    paren
        .into_iter()
        .find(|c| c.line > after && c.number == 1 && c.key == Some(SectionKey::Problems))
}

/// Headings without numbers: a short line that is exactly a known heading.
pub(super) fn bare_headings(lines: &[&str]) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t.chars().count() > 24 || t.contains(['。', ',', ';']) || is_table_label(t) {
            continue;
        }
        if let Some(key) = classify(t) {
            if !out.iter().any(|c| c.key == Some(key)) {
                out.push(Candidate {
                    line: i,
                    style: Style::Bare,
                    number: 0,
                    heading: t.to_string(),
                    rest: None,
                    key: Some(key),
                });
            }
        }
    }
    if score(&out) >= 3 {
        out
    } else {
        Vec::new()
    }
}
