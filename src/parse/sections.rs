//! Splitting a report into its six sections by walking its top-level headings,
//! whatever their numbering style (一、 1. （一） 第一部分).

use crate::parse::explain::{Anchor, Explain, Rejected};
use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

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

/// Words of each section's headings, in the order they are tried: the first
/// section with a word in the heading is its section.
const CLASS_WORDS: [(SectionKey, &[&str]); 6] = [
    (
        SectionKey::Problems,
        &[
            "存在的主要问题",
            "存在问题",
            "存在的问题",
            "存在的不足",
            "问题及改进",
            "问题和改进",
            "不足和改进",
            "不足及改进",
            "改进措施",
            "改进情况",
            "主要问题",
            "不足之处",
        ],
    ),
    (SectionKey::Appeals, &["复议", "诉讼", "举报"]),
    (
        SectionKey::Requests,
        &["依申请", "收到和处理", "申请公开", "公开申请", "申请情况"],
    ),
    (SectionKey::Proactive, &["主动公开"]),
    (
        SectionKey::Overview,
        &[
            "总体情况",
            "概述",
            "基本情况",
            "总体公开情况",
            "概况",
            "总体工作情况",
            "总述",
        ],
    ),
    (
        SectionKey::Other,
        &["其他需要报告", "其他事项", "需要说明的事项"],
    ),
];

/// All words of [`CLASS_WORDS`] in one automaton, and the section of each.
static CLASSIFIER: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let mut words = Vec::new();
    let mut class = Vec::new();
    for (i, (_, ws)) in CLASS_WORDS.iter().enumerate() {
        for w in *ws {
            words.push(*w);
            class.push(i);
        }
    }
    (AhoCorasick::new(words).expect("heading words"), class)
});

/// Classifies a heading's text; `None` means it maps to no known section (→ other).
pub fn classify(heading: &str) -> Option<SectionKey> {
    let (ac, class) = &*CLASSIFIER;
    // Every word the heading contains (overlapping matches), as a set of sections.
    let mut found = 0u32;
    for m in ac.find_overlapping_iter(heading) {
        found |= 1 << class[m.pattern().as_usize()];
        if found & 1 != 0 {
            break;
        }
    }
    (found != 0).then(|| CLASS_WORDS[found.trailing_zeros() as usize].0)
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

/// Row labels of the tables that look like headings ("四、结转下年度继续办理",
/// "4.保护第三方合法权益", "三、本法提供年度办理结果" as a PDF cut it).
fn is_table_label(h: &str) -> bool {
    const INSIDE: &[&str] = &["本年新收", "上年结转", "办理结果", "结转下年", "继续办理"];
    const STARTS: &[&str] = &[
        "属于国家秘密",
        "其他法律行政法规禁止公开",
        "危及",
        "保护第三方合法权益",
        "属于三类内部事务",
        "属于四类过程性",
        "属于行政执法案卷",
        "属于行政查询事项",
        "本机关不掌握",
        "没有现成信息",
        "补正后申请内容仍不明确",
        "信访举报投诉",
        "重复申请",
        "要求提供公开出版物",
        "无正当理由大量反复申请",
        "要求行政机关确认或重新出具",
        "申请人无正当理由逾期不补正",
        "申请人逾期未按收费通知",
        "予以公开",
        "部分公开",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
        "总计",
    ];
    h == "其他" || INSIDE.iter().any(|w| h.contains(w)) || STARTS.iter().any(|w| h.starts_with(w))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Chinese,
    Part,
    Paren,
    Arabic,
    Bare,
}

impl Style {
    fn as_str(self) -> &'static str {
        match self {
            Style::Chinese => "一、",
            Style::Part => "第一部分",
            Style::Paren => "(一)",
            Style::Arabic => "1.",
            Style::Bare => "bare",
        }
    }
}

static STYLES: LazyLock<Vec<(Style, Regex)>> = LazyLock::new(|| {
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

fn cn_number(s: &str) -> Option<u32> {
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

/// Headings of the templates and their common older forms, longest first.
pub(crate) const KNOWN_HEADINGS: &[&str] = &[
    "政府信息公开工作存在的主要问题及改进情况",
    "政府信息公开行政复议、行政诉讼情况",
    "收到和处理政府信息公开申请情况",
    "存在的主要问题及改进情况",
    "主动公开政府信息情况",
    "其他需要报告的事项",
    "存在问题及改进措施",
    "总体公开情况",
    "总体情况",
    "基本情况",
    "概述",
];

struct Candidate {
    /// Index into the lines given to [`split`].
    line: usize,
    style: Style,
    number: u32,
    heading: String,
    /// Body text that followed the heading on the same line.
    rest: Option<String>,
    key: Option<SectionKey>,
}

impl Candidate {
    /// The heading as it stands on its line: the line without the body text that followed it.
    fn anchor_text<'a>(&self, line: &'a str) -> &'a str {
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

fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Heading-like lines of one numbering style; lines refused outright (table
/// row labels) go to `rejected`.
fn candidates(
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
        if style == Style::Arabic && full.starts_with(|ch: char| ch.is_ascii_digit()) {
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

/// True when a heading is one of the template's own wordings.
fn is_template_heading(h: &str) -> bool {
    KNOWN_HEADINGS.contains(&h)
}

/// Keeps the candidates that continue the numbering (1, 2, 3 …), known headings
/// whose number does not go backwards, and a numbering that starts again at 1
/// with a template heading (a narrative part, then the template's parts).
/// The others are returned with the reason they were passed over.
fn sequence(cands: Vec<Candidate>) -> (Vec<Candidate>, Vec<(Candidate, &'static str)>) {
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

fn score(cands: &[Candidate]) -> usize {
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
fn problems_without_heading(best: &[Candidate], paren: Vec<Candidate>) -> Option<Candidate> {
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
    if let Some(p) = problems_without_heading(&best, paren) {
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
        explain.sections.push(Anchor {
            key: c.key.unwrap_or(SectionKey::Other),
            line: lines[c.line].src,
            style: c.style.as_str(),
            text: c.anchor_text(&lines[c.line].norm).to_string(),
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

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.,:]|第[一二三四五六七八九十]{1,3}(?:部分|章|节)|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}\s*[、.])").unwrap()
});

/// [`NUMBERED`], with a cheap look at the first character before the regex.
fn is_numbered(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    (is_cn_digit(first) || first == '第' || first == '(' || first.is_numeric())
        && NUMBERED.is_match(s)
}

/// Joins the lines of a paragraph that PDF extraction wrapped ("…行政复议和行政诉" +
/// "讼案件。"), so that phrases and sentences are whole again. Only long prose lines
/// that stop mid-sentence are joined to a following line that goes on with text;
/// table rows (ending in numbers or "|"), short cells and headings stay as they are.
/// A wrap between a digit and a digit or a Han character ("20" + "17年") joins too.
pub fn unwrap_lines(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut open = false; // the last output line stops mid-sentence
    for l in lines {
        let starts_text = l
            .norm
            .chars()
            .next()
            .is_some_and(|c| crate::parse::normalize::is_han(c) || "“《,、".contains(c));
        let row_like = l.norm.ends_with(|c: char| c.is_ascii_digit() || c == '|');
        if open && starts_text && !row_like && !is_numbered(&l.norm) {
            let last = out.last_mut().expect("open implies a line");
            last.orig.push_str(l.orig.trim());
            last.norm.push_str(&l.norm);
        } else {
            out.push(l);
        }
        let cur = &out.last().expect("pushed").norm;
        let end = cur.chars().last().unwrap_or('。');
        let heading = is_numbered(cur) && !cur.contains('。') && cur.chars().count() <= 50;
        // Prose has punctuation; a header row of table cells has none.
        let prose = cur.contains([',', '、', ';', '。']);
        open = prose
            && cur.chars().count() >= 25
            && (crate::parse::normalize::is_han(end) || "、,“《(".contains(end))
            && !heading;
    }
    out
}

/// Headings without numbers: a short line that is exactly a known heading.
fn bare_headings(lines: &[&str]) -> Vec<Candidate> {
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
