//! Line breaks for bodies stored without them: some crawlers keep the whole
//! article as one line, headings and table rows run together
//! ("…附件下载一、总体情况2023年,我局坚持…二、主动公开政府信息情况第二十条第(一)项…").
//! The report's fixed vocabulary — the six headings in their template wordings
//! and the tables' numbered row labels — is found on the character stream and
//! the line is broken before each, so that the later stages see lines again.

use crate::parse::sections::{self, SectionKey};
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::sync::LazyLock;

/// A top-level heading number: "第三部分", "三、" (or "三."), "3." (spaces allowed around it).
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"第([一二三四五六七八九十]{1,3})部分\s*[、.:]?\s*|",
        r"([一二三四五六七八九十]{1,2})\s*[、.,]\s*|",
        r"(\d{1,2})\s*[、.]\s*"
    ))
    .unwrap()
});

/// Words a heading of the reports ends in ("…情况", "…改进措施", "…事项",
/// "下一步工作打算", "…工作安排", "概述"): a run-together heading ends at the first.
static HEADING_END: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new([
        "情况", "事项", "措施", "打算", "安排", "概述", "概况", "总述",
    ])
    .expect("heading end words")
});

/// A heading is short: its end word stands within this many characters of its number.
const MAX_HEADING_CHARS: usize = 30;

/// Row labels of the templates' tables (numbered in tables 2 and 3, followed
/// by their numbers in table 1).
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"第二十条第\([一五六八九]\)项|",
        // Table 1 rows: a label with its numbers ("规章 3 3 55").
        r"(?:行政规范性文件|规范性文件|规章|行政许可|其他对外管理服务事项|行政处罚|行政强制|",
        r"行政事业性收费|政府集中采购) -?\d|",
        r"[一二三四]、(?:本年新收|上年结转|本年度办理结果|结转下年度继续办理)|",
        r"\([一二三四五六七]\)(?:予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|总计)|",
        r"\d\.(?:属于国家秘密|其他法律行政法规禁止公开|危及|保护第三方|属于三类内部事务|属于四类过程性|",
        r"属于行政执法案卷|属于行政查询事项|本机关不掌握|没有现成信息|补正后申请内容仍不明确|",
        r"信访举报投诉|重复申请|要求提供公开出版物|无正当理由大量反复申请|要求行政机关确认或重新出具|",
        r"申请人无正当理由逾期不补正|申请人逾期未按收费通知|其他)"
    ))
    .unwrap()
});

/// Lines shorter than this are left alone: a run-together body is long.
const MIN_CHARS: usize = 80;

/// A numbered heading found inside a line: where its number starts, where the
/// heading's words end, its numbering style (0 第N部分, 1 N、, 2 N.) and number.
#[derive(Debug, Clone, Copy)]
struct Heading {
    start: usize,
    end: usize,
    style: usize,
    number: u32,
    key: Option<SectionKey>,
}

/// Numbered headings standing in `line`: a number, then a short run of words
/// without punctuation that ends in a heading word.
fn headings_in(line: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut locs = MARKER.capture_locations();
    let mut at = 0;
    while let Some(m) = MARKER.captures_read_at(&mut locs, line, at) {
        at = m.end().max(m.start() + 1);
        let Some((style, (a, b))) = (1..=3).find_map(|g| locs.get(g).map(|p| (g - 1, p))) else {
            continue;
        };
        let prev_digit = line[..m.start()].ends_with(|c: char| c.is_ascii_digit());
        let rest = &line[m.end()..];
        // "1.5亿元", "2021.3": a digit on either side is no heading number; a year
        // after the number is ("6.2012年工作安排").
        if style == 2
            && rest.starts_with(|c: char| c.is_ascii_digit())
            && !sections::starts_with_year(rest)
        {
            continue;
        }
        // After a digit ("…继续办理00000004.政府信息公开行政复议…情况": a
        // table row's glued cells, then the heading): only a one-digit number
        // before a section's own heading words, the digits before it stay cells.
        let (start, a) = if style == 2 && prev_digit {
            (b - 1, b - 1)
        } else {
            (m.start(), a)
        };
        let Some(number) = sections::cn_number(&line[a..b]) else {
            continue;
        };
        let Some(end) = heading_end(rest) else {
            continue;
        };
        let heading = &rest[..end];
        if sections::is_table_label(heading)
            || (style == 2 && prev_digit && sections::classify(heading).is_none())
        {
            continue;
        }
        out.push(Heading {
            start,
            end: m.end() + end,
            style,
            number,
            key: sections::classify(heading),
        });
    }
    out
}

/// Byte length of the heading at the start of `rest`: up to the first heading
/// end word within [`MAX_HEADING_CHARS`], with no punctuation before it.
fn heading_end(rest: &str) -> Option<usize> {
    let window = rest
        .char_indices()
        .nth(MAX_HEADING_CHARS)
        .map_or(rest, |(i, _)| &rest[..i]);
    let m = HEADING_END.find(window)?;
    let punct = ['。', ',', ';', ':', '!', '?', '(', ')', '“', '《', '|'];
    (!window[..m.start()].contains(punct)).then_some(m.end())
}

/// The longest run of headings of one style whose numbers rise (by one, or
/// skipping to a section not yet seen), among the styles; empty unless it
/// names at least two different sections.
fn heading_run(heads: &[Heading]) -> Vec<Heading> {
    let mut best: Vec<Heading> = Vec::new();
    let mut best_keys = 0;
    for style in 0..3 {
        let mut run: Vec<Heading> = Vec::new();
        let mut last = 0;
        let mut seen: Vec<SectionKey> = Vec::new();
        for h in heads.iter().filter(|h| h.style == style) {
            let fresh = h.key.is_some_and(|k| !seen.contains(&k));
            if h.number == last + 1 || (fresh && h.number > last) {
                last = h.number;
                seen.extend(h.key);
                run.push(*h);
            }
        }
        seen.retain(|k| *k != SectionKey::Other);
        if seen.len() > best_keys {
            best_keys = seen.len();
            best = run;
        }
    }
    if best_keys >= 2 {
        best
    } else {
        Vec::new()
    }
}

/// The words a problems part opens with after "(一)" when it has no heading of
/// its own ("(一)存在的主要问题对照…", "(一)2023年工作中存在问题的改进情况").
static PROBLEMS_OPENING: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build([
            "存在问题的改进情况",
            "存在的主要问题及改进情况",
            "存在的主要问题及改进措施",
            "存在的主要问题",
            "存在的问题",
            "存在问题",
            "存在的不足",
            "主要问题",
        ])
        .expect("problems words")
});

/// Where a problems part without a heading of its own opens in a run-together
/// body: before its "(一)" and after its words, the first such sub-heading after
/// the requests or appeals heading, when the headings found name no problems part.
fn problems_opening(line: &str, run: &[Heading]) -> Option<[usize; 2]> {
    if run.iter().any(|h| h.key == Some(SectionKey::Problems)) {
        return None;
    }
    let after = run
        .iter()
        .rev()
        .find(|h| matches!(h.key, Some(SectionKey::Appeals | SectionKey::Requests)))?
        .end;
    line[after..].match_indices("(一)").find_map(|(i, m)| {
        let from = after + i + m.len();
        let window = line[from..]
            .char_indices()
            .nth(20)
            .map_or(&line[from..], |(j, _)| &line[from..from + j]);
        let w = PROBLEMS_OPENING.find(window)?;
        // Only a year or a few words ("2023年工作中") before the words.
        (window[..w.start()].chars().count() <= 8 && !window[..w.start()].contains(['。', ',']))
            .then_some([after + i, from + w.end()])
    })
}

/// Byte offsets where a run-together line should break (never 0), or an empty
/// list when the line is not a run-together body: at least two numbered
/// headings of different sections, numbered in order, must stand in it. The
/// line breaks before and after each heading, and before each table row label.
pub fn breaks(line: &str) -> Vec<usize> {
    if line.len() < MIN_CHARS * 3 / 2 && line.chars().count() < MIN_CHARS {
        return Vec::new();
    }
    // Every heading ends in one of a few words: a substring search rules out
    // ordinary prose before the regex runs.
    if HEADING_END.find_iter(line).take(2).count() < 2 {
        return Vec::new();
    }
    let run = heading_run(&headings_in(line));
    if run.is_empty() {
        return Vec::new();
    }
    // A markdown heading's marks ("…0000000## 四、…") go with the heading.
    let start = |h: &Heading| line[..h.start].trim_end_matches(['#', ' ']).len();
    let mut at: Vec<usize> = run.iter().flat_map(|h| [start(h), h.end]).collect();
    at.extend(ROW.find_iter(line).map(|m| m.start()));
    at.extend(problems_opening(line, &run).into_iter().flatten());
    at.sort_unstable();
    at.dedup();
    at.retain(|&i| i > 0 && i < line.len());
    at
}

/// Splits `s` at byte offsets (ascending, on char boundaries).
pub fn cut_at<'a>(s: &'a str, at: &[usize]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(at.len() + 1);
    let mut from = 0;
    for &i in at {
        out.push(&s[from..i]);
        from = i;
    }
    out.push(&s[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_body_breaks_at_headings_and_rows() {
        let s = "附件下载一、总体情况2023年,我局坚持公开为常态,不公开为例外,全面推进政务公开工作。二、主动公开政府信息情况第二十条第(一)项信息内容本年制发件数规章000三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量3000003(一)予以公开2000002";
        let parts = cut_at(s, &breaks(s));
        assert_eq!(
            parts,
            vec![
                "附件下载",
                "一、总体情况",
                "2023年,我局坚持公开为常态,不公开为例外,全面推进政务公开工作。",
                "二、主动公开政府信息情况",
                "第二十条第(一)项信息内容本年制发件数规章000",
                "三、收到和处理政府信息公开申请情况",
                "一、本年新收政府信息公开申请数量3000003",
                "(一)予以公开2000002",
            ]
        );
    }

    #[test]
    fn older_headings_in_a_one_line_body() {
        let s = "根据条例编制本报告。第一部分 基本情况2008年,我局扎实推进政府信息公开工作。第二部分 主动公开政府信息情况全年主动公开信息110条。第三部分 依申请公开情况全年收到申请0件。第四部分 信息公开相关举报、复议、诉讼情况全年没有行政复议。第五部分 存在问题及改进措施对照要点,还有不足。第六部分 下一步工作打算我局将扎实做好2009年各项工作。";
        let parts = cut_at(s, &breaks(s));
        assert_eq!(
            parts,
            vec![
                "根据条例编制本报告。",
                "第一部分 基本情况",
                "2008年,我局扎实推进政府信息公开工作。",
                "第二部分 主动公开政府信息情况",
                "全年主动公开信息110条。",
                "第三部分 依申请公开情况",
                "全年收到申请0件。",
                "第四部分 信息公开相关举报、复议、诉讼情况",
                "全年没有行政复议。",
                "第五部分 存在问题及改进措施",
                "对照要点,还有不足。",
                "第六部分 下一步工作打算",
                "我局将扎实做好2009年各项工作。",
            ]
        );
        // Dot numbers, a year after the number, and no digit glued before it.
        let d = "前言。1.概述全年工作平稳有序开展,各项任务全面完成。2.主动公开政府信息情况全年公开信息20条。3.依申请公开政府信息办理情况收到申请1.5件。4.2012年工作安排继续做好公开工作。";
        let parts = cut_at(d, &breaks(d));
        assert_eq!(parts.len(), 9, "{parts:?}");
        assert_eq!(parts[7], "4.2012年工作安排");
    }

    #[test]
    fn markdown_marks_go_with_their_heading() {
        let s = "## 三、收到和处理政府信息公开申请情况四、结转下年度继续办理0000000## 四、政府信息公开行政复议、行政诉讼情况行政复议结果维持 0 0 0 0 0## 五、存在的主要问题及改进情况人员不足。";
        let parts = cut_at(s, &breaks(s));
        assert_eq!(
            parts,
            vec![
                "## 三、收到和处理政府信息公开申请情况",
                "四、结转下年度继续办理0000000",
                "## 四、政府信息公开行政复议、行政诉讼情况",
                "行政复议结果维持 0 0 0 0 0",
                "## 五、存在的主要问题及改进情况",
                "人员不足。",
            ]
        );
    }

    #[test]
    fn heading_words_in_a_sentence_do_not_break() {
        let s = "在主动公开政府信息情况方面,我局全年发布信息120条;在收到和处理政府信息公开申请情况方面,全年受理申请5件,均按时答复,未发生行政复议和行政诉讼,群众满意度进一步提升,工作取得实效。";
        assert!(breaks(s).is_empty());
        // One numbered heading alone is not a run-together body.
        let one = format!("一、总体情况{s}");
        assert!(breaks(&one).is_empty());
    }
}
