//! Reading the figures of the three tables (2021 and 2019 templates) and the
//! figures that prose reports state in sentences.
//!
//! The tables arrive in many shapes (HTML rows, one cell a line, " |" endings,
//! PDF rows separated by spaces, glued digits). All of them become one stream
//! of label and number tokens; the walkers follow the row labels of the
//! template and take the numbers that follow each label.

use crate::parse::sections::{Section, SectionKey};
use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

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

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Label(Cow<'a, str>),
    /// A number cell; empty for a blank cell ("-", "/", "无") that still takes a position.
    Num(Cow<'a, str>),
}

static NUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?:件|个|项|条|次|万元)?$").unwrap()
});
/// Cells that stand for "nothing here" in filled-in tables ([`is_blank`] reads them).
#[cfg(test)]
static BLANK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:[-—–/\\―~]+|无|空)$").unwrap());
static GLUED_TAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*[\p{Han})”\]])([+-]?\d+(?:\.\d+)?)$").unwrap());
static HAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{Han}$").unwrap());

/// The end of [`NUM`]'s number (group 1, which starts the piece) when the piece matches.
/// ASCII numbers are read by hand; anything else goes to the regex (`\d` is Unicode).
fn num_end(p: &str) -> Option<usize> {
    let body = ["件", "个", "项", "条", "次", "万元"]
        .iter()
        .find_map(|u| p.strip_suffix(u))
        .unwrap_or(p);
    if !body.is_ascii() {
        return NUM.captures(p).map(|c| c.get(1).expect("group 1").end());
    }
    let b = body.as_bytes();
    let mut i = usize::from(b.first().is_some_and(|&c| c == b'+' || c == b'-'));
    let int_start = i;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b',') {
        i += 1;
    }
    let int = &b[int_start..i];
    if int.is_empty() {
        return None;
    }
    if int.contains(&b',') {
        // \d{1,3}(?:,\d{3})+
        let mut groups = int.split(|&c| c == b',');
        let head = groups.next().expect("split yields one");
        if !(1..=3).contains(&head.len()) || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    if i < b.len() {
        if b[i] != b'.' {
            return None;
        }
        i += 1;
        let frac = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == frac || i != b.len() {
            return None;
        }
    }
    Some(body.len())
}

/// [`BLANK`] without the regex.
fn is_blank(p: &str) -> bool {
    p == "无"
        || p == "空"
        || (!p.is_empty()
            && p.chars()
                .all(|c| matches!(c, '-' | '—' | '–' | '/' | '\\' | '―' | '~')))
}

/// `[+-]?[0-9]+(?:\.[0-9]+)?`, the whole of `s`.
fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first().is_some_and(|&c| c == b'+' || c == b'-'));
    let int = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == int {
        return false;
    }
    if i == b.len() {
        return true;
    }
    if b[i] != b'.' {
        return false;
    }
    i += 1;
    let frac = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i > frac && i == b.len()
}

/// Where [`GLUED_TAIL`] splits a piece (the start of its number), if it matches.
/// Greedy `.*`: the rightmost split whose number is whole and follows a Han
/// character or a closing bracket.
fn glued_split(p: &str) -> Option<usize> {
    if p.chars().any(|c| !c.is_ascii() && c.is_numeric()) {
        return GLUED_TAIL
            .captures(p)
            .map(|c| c.get(2).expect("group 2").start());
    }
    let mut chars = p.char_indices().rev().peekable();
    while let Some((i, c)) = chars.next() {
        if !(c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
            return None;
        }
        let &(_, before) = chars.peek()?;
        if (c.is_ascii_digit() || c == '+' || c == '-')
            && is_plain_number(&p[i..])
            && (matches!(before, ')' | '”' | ']') || {
                let mut buf = [0u8; 4];
                HAN.is_match(before.encode_utf8(&mut buf))
            })
        {
            return Some(i);
        }
    }
    None
}

/// A part of a piece, borrowed when the piece is.
fn part<'a>(piece: &Cow<'a, str>, r: std::ops::Range<usize>) -> Cow<'a, str> {
    match piece {
        Cow::Borrowed(b) => Cow::Borrowed(&b[r]),
        Cow::Owned(o) => Cow::Owned(o[r].to_string()),
    }
}

fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    for line in text.lines() {
        for seg in line.split('|') {
            for piece in seg.split_whitespace() {
                let piece = piece.trim_matches(['|', '│']);
                if piece.is_empty() {
                    continue;
                }
                let piece: Cow<str> = if piece.contains('−') {
                    Cow::Owned(piece.replace('−', "-"))
                } else {
                    Cow::Borrowed(piece)
                };
                let p: &str = &piece;
                let starts_numeric =
                    p.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
                if let Some(end) = starts_numeric.then(|| num_end(p)).flatten() {
                    let n = &p[..end];
                    out.push(Tok::Num(if n.contains(',') {
                        Cow::Owned(n.replace(',', ""))
                    } else {
                        part(&piece, 0..end)
                    }));
                } else if is_blank(p) {
                    out.push(Tok::Num(Cow::Borrowed("")));
                } else if let Some(at) = p
                    .ends_with(|c: char| c.is_ascii_digit())
                    .then(|| glued_split(p))
                    .flatten()
                {
                    let len = p.len();
                    out.push(Tok::Label(part(&piece, 0..at)));
                    out.push(Tok::Num(part(&piece, at..len)));
                } else {
                    out.push(Tok::Label(piece));
                }
            }
        }
    }
    out
}

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
}

/// Reads all figures of a report.
pub fn extract(sections: &[Section], template: Template) -> Extracted {
    let mut ex = Extracted::default();
    let text_of = |k: SectionKey| {
        sections
            .iter()
            .find(|s| s.key == k)
            .map(|s| s.text.as_str())
    };
    // The whole text, joined only when a section is missing or the report is prose.
    let whole = std::cell::OnceCell::new();
    let whole = || {
        whole
            .get_or_init(|| {
                sections
                    .iter()
                    .map(|s| s.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .as_str()
    };
    match template {
        Template::Narrative => prose(whole(), &mut ex),
        t => {
            table1(
                &tokens(text_of(SectionKey::Proactive).unwrap_or_else(whole)),
                t,
                &mut ex,
            );
            table2(
                &tokens(text_of(SectionKey::Requests).unwrap_or_else(whole)),
                &mut ex,
            );
            table3(
                &tokens(text_of(SectionKey::Appeals).unwrap_or_else(whole)),
                &mut ex,
            );
            derive(&mut ex.figures, t);
        }
    }
    ex
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

// ---------------------------------------------------------------- table 1

fn table1_row(label: &str) -> Option<&'static str> {
    let l = label.trim_start_matches(|c: char| {
        c.is_ascii_digit() || "(). 、一二三四五六七八九十".contains(c)
    });
    let l = l.trim_end_matches([':', '|']);
    Some(match l {
        "规章" => "rules",
        "行政规范性文件" | "规范性文件" => "normative_docs",
        "行政许可" => "licensing",
        "行政处罚" => "penalty",
        "行政强制" => "coercion",
        "行政事业性收费" => "fees",
        "政府集中采购" => "procurement",
        _ if l.starts_with("其他对外管理服务") => "other_services",
        _ => return None,
    })
}

fn table1_columns(row: &str, n: usize, t: Template) -> Option<&'static [&'static str]> {
    Some(match (t, row, n) {
        (Template::T2021, "rules" | "normative_docs", 3) => &["issued", "repealed", "in_force"],
        (Template::T2021, "licensing" | "penalty" | "coercion", 1) => &["decisions"],
        (Template::T2021, "fees", 1) => &["amount_wan_yuan"],
        (Template::T2019, "rules" | "normative_docs", 3) => {
            &["made", "published", "total_published"]
        }
        (Template::T2019, "licensing" | "penalty" | "coercion" | "other_services", 3) => {
            &["items_prev_year", "items_change", "decisions"]
        }
        (Template::T2019, "fees", 2) => &["items_prev_year", "items_change"],
        (Template::T2019, "procurement", 2) => &["projects", "amount_wan_yuan"],
        _ => return None,
    })
}

fn table1(toks: &[Tok], t: Template, ex: &mut Extracted) {
    let mut cur: Option<&'static str> = None;
    let mut nums: Vec<&str> = Vec::new();
    let finish = |row: Option<&'static str>, nums: &mut Vec<&str>, ex: &mut Extracted| {
        if let Some(row) = row {
            match table1_columns(row, nums.len(), t) {
                Some(cols) => {
                    for (c, v) in cols.iter().zip(nums.iter()) {
                        if let Some(v) = num(v) {
                            ex.figures.insert(key(&[row, c]), v);
                        }
                    }
                }
                None if !nums.is_empty() => ex.warnings.push(format!(
                    "table 1 row {row}: {} numbers, not the template's count",
                    nums.len()
                )),
                None => {}
            }
        }
        nums.clear();
    };
    for tok in toks {
        match tok {
            Tok::Label(l) => {
                if let Some(row) = table1_row(l) {
                    finish(cur, &mut nums, ex);
                    cur = Some(row);
                } else if cur.is_some() && !nums.is_empty() {
                    // A header or prose after the numbers closes the row.
                    finish(cur, &mut nums, ex);
                    cur = None;
                }
            }
            Tok::Num(n) => {
                if cur.is_some() {
                    nums.push(n)
                }
            }
        }
    }
    finish(cur, &mut nums, ex);
}

// ---------------------------------------------------------------- table 2

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Group {
    None,
    Denied,
    Unable,
    NotProcessed,
    Other,
}

/// Every word [`table2_row`] looks for.
const TABLE2_WORDS: [&str; 34] = [
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "本年新收",
    "上年结转",
    "结转下年",
    "国家秘密",
    "禁止公开",
    "三安全一稳定",
    "危及",
    "第三方合法权益",
    "内部事务",
    "过程性信息",
    "执法案卷",
    "查询事项",
    "不掌握",
    "另行制作",
    "不明确",
    "信访",
    "重复申请",
    "出版物",
    "大量反复",
    "重新出具",
    "不补正",
    "逾期不补",
    "无正当理由逾期",
    "收费通知",
    "缴纳费用",
    "逾期未按",
    "部分公开",
    "予以公开",
    "总计",
    "七",
];

/// The index of a word of [`TABLE2_WORDS`] (at compile time).
const fn table2_word(w: &str) -> usize {
    let w = w.as_bytes();
    let mut i = 0;
    while i < TABLE2_WORDS.len() {
        let x = TABLE2_WORDS[i].as_bytes();
        if x.len() == w.len() {
            let mut j = 0;
            while j < x.len() && x[j] == w[j] {
                j += 1;
            }
            if j == x.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("not a word of TABLE2_WORDS")
}

static TABLE2_AC: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(TABLE2_WORDS).expect("table 2 words"));

/// The words of [`TABLE2_WORDS`] a label contains, one bit each (one pass over the label).
fn table2_words(label: &str) -> u64 {
    let mut found = 0u64;
    for m in TABLE2_AC.find_overlapping_iter(label) {
        found |= 1 << m.pattern().as_usize();
    }
    found
}

/// Maps a row label of table 2 to its key; updates the current group.
fn table2_row(label: &str, group: &mut Group) -> Option<&'static str> {
    let found = table2_words(label);
    // `has!("word")`: the label contains the word (a bit of `found`).
    macro_rules! has {
        ($w:literal) => {
            found & (1u64 << const { table2_word($w) }) != 0
        };
    }
    if has!("不予公开") {
        *group = Group::Denied;
    } else if has!("无法提供") {
        *group = Group::Unable;
    } else if has!("不予处理") {
        *group = Group::NotProcessed;
    } else if has!("其他处理") {
        *group = Group::Other;
    }
    let key = if has!("本年新收") {
        "new"
    } else if has!("上年结转") {
        "carried_in"
    } else if has!("结转下年") {
        "carried_over"
    } else if has!("国家秘密") {
        "denied.state_secret"
    } else if has!("禁止公开") {
        "denied.law_prohibited"
    } else if has!("三安全一稳定") || has!("危及") {
        "denied.security_stability"
    } else if has!("第三方合法权益") {
        "denied.third_party"
    } else if has!("内部事务") {
        "denied.internal_affairs"
    } else if has!("过程性信息") {
        "denied.process_info"
    } else if has!("执法案卷") {
        "denied.enforcement_file"
    } else if has!("查询事项") {
        "denied.query_matter"
    } else if has!("不掌握") {
        "unable.not_held"
    } else if has!("另行制作") {
        "unable.needs_creation"
    } else if has!("不明确") {
        "unable.unclear"
    } else if has!("信访") {
        "not_processed.petition"
    } else if has!("重复申请") {
        "not_processed.duplicate"
    } else if has!("出版物") {
        "not_processed.publication"
    } else if has!("大量反复") {
        "not_processed.excessive"
    } else if has!("重新出具") {
        "not_processed.confirmation"
    } else if has!("不补正") || has!("逾期不补") || has!("无正当理由逾期") {
        "other.overdue_correction"
    } else if has!("收费通知") || has!("缴纳费用") || has!("逾期未按") {
        "other.unpaid_fee"
    } else if has!("其他处理") {
        "other.total"
    } else if has!("部分公开") {
        "partial"
    } else if has!("予以公开") {
        "granted"
    } else if has!("总计")
        && (has!("七") || label.trim_start_matches(['(', ')']).starts_with("总计"))
    {
        "handled"
    } else if *group == Group::Other && is_other_row(label) {
        "other.other"
    } else {
        return None;
    };
    Some(key)
}

fn is_other_row(label: &str) -> bool {
    let l = label.trim_start_matches(|c: char| c.is_ascii_digit() || "().、 ".contains(c));
    l == "其他"
}

static ROW_NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\d{1,2}\s*[.、]|\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}、)",
    )
    .unwrap()
});

/// [`ROW_NUMBERED`], run only on labels whose first character can start it.
fn is_row_numbered(l: &str) -> bool {
    l.chars().next().is_some_and(|c| {
        c.is_numeric()
            || c == '('
            || matches!(
                c,
                '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
            )
    }) && ROW_NUMBERED.is_match(l)
}

fn table2(toks: &[Tok], ex: &mut Extracted) {
    let mut group = Group::None;
    // `Some("")`: a numbered row whose label was not recognised (a label cut by a
    // line wrap); its numbers go to the continuation if that names the row.
    let mut cur: Option<&'static str> = None;
    let mut nums: Vec<&str> = Vec::new();
    for tok in toks {
        match tok {
            Tok::Label(l) => {
                if l.contains("行政复议") || l.contains("行政诉讼") {
                    break;
                }
                let numbered = is_row_numbered(l);
                if let Some(row) = table2_row(l, &mut group) {
                    if cur == Some("") && !nums.is_empty() && !numbered {
                        cur = Some(row);
                        continue;
                    }
                    table2_finish(cur, &nums, ex);
                    nums.clear();
                    cur = Some(row);
                } else if numbered {
                    table2_finish(cur, &nums, ex);
                    nums.clear();
                    cur = Some("");
                }
            }
            Tok::Num(n) => {
                if cur.is_some() {
                    nums.push(n);
                }
            }
        }
    }
    table2_finish(cur, &nums, ex);
}

fn table2_finish(row: Option<&str>, nums: &[&str], ex: &mut Extracted) {
    let Some(row) = row else { return };
    if row.is_empty() {
        if nums.iter().any(|n| !n.is_empty()) {
            ex.warnings.push(format!(
                "table 2: numbers {:?} under an unrecognised row label",
                nums.join(" ")
            ));
        }
        return;
    }
    let filled: Vec<&&str> = nums.iter().filter(|n| !n.is_empty()).collect();
    if filled.is_empty() {
        return;
    }
    let put = |ex: &mut Extracted, col: &str, v: f64| {
        ex.figures.insert(key(&["requests", row, col]), v);
    };
    if filled.iter().any(|n| n.parse::<i64>().is_err()) {
        ex.warnings.push(format!(
            "table 2 row {row}: non-integer cells {:?}",
            nums.join(" ")
        ));
        return;
    }
    if nums.len() == 7 {
        for (c, v) in COLUMNS.iter().zip(nums) {
            if let Ok(v) = v.parse::<i64>() {
                put(ex, c, v as f64);
            }
        }
        return;
    }
    if filled.len() != nums.len() {
        ex.warnings.push(format!(
            "table 2 row {row}: {} cells, expected 7 or 1; left unknown",
            nums.len()
        ));
        return;
    }
    if nums.len() == 1 && nums[0].trim_start_matches(['-', '+']).len() < 7 {
        put(ex, "total", nums[0].parse::<f64>().unwrap_or(0.0));
        return;
    }
    // Cells glued together: split where only one reading is possible.
    let all_digits = nums.iter().all(|n| n.chars().all(|c| c.is_ascii_digit()));
    let digits: usize = nums.iter().map(|n| n.len()).sum();
    let cells: Option<Vec<i64>> = if all_digits && digits == 7 && nums.len() == 1 {
        Some(
            nums.iter()
                .flat_map(|n| n.chars())
                .map(|c| c as i64 - '0' as i64)
                .collect(),
        )
    } else if all_digits && nums.len() < 7 && digits > 7 {
        let readings = split_glued(nums, 7, 7, &|cells: &[i64]| {
            cells[..6].iter().sum::<i64>() == cells[6]
        });
        match readings.as_slice() {
            [one] => Some(one.clone()),
            _ => {
                ex.warnings.push(format!(
                    "table 2 row {row}: glued cells {:?} have {} readings; left unknown",
                    nums.join(" "),
                    readings.len()
                ));
                None
            }
        }
    } else {
        ex.warnings.push(format!(
            "table 2 row {row}: {} numbers, expected 7 or 1; left unknown",
            nums.len()
        ));
        None
    };
    for (c, v) in COLUMNS.iter().zip(cells.unwrap_or_default()) {
        put(ex, c, v as f64);
    }
}

/// All ways to cut runs of digits into `n` cells (no leading zeros) such that
/// every complete group of `group` cells passes `valid`. Stops after 3 readings.
pub fn split_glued<S: AsRef<str>>(
    runs: &[S],
    n: usize,
    group: usize,
    valid: &dyn Fn(&[i64]) -> bool,
) -> Vec<Vec<i64>> {
    let mut s = Splitter {
        n,
        group,
        valid,
        cells: Vec::new(),
        out: Vec::new(),
        budget: 200_000,
    };
    let runs: Vec<&str> = runs.iter().map(AsRef::as_ref).collect();
    s.rec(&runs, 0);
    s.out
}

struct Splitter<'a> {
    n: usize,
    group: usize,
    valid: &'a dyn Fn(&[i64]) -> bool,
    cells: Vec<i64>,
    out: Vec<Vec<i64>>,
    budget: usize,
}

impl Splitter<'_> {
    fn rec(&mut self, runs: &[&str], pos: usize) {
        if self.out.len() > 2 || self.budget == 0 {
            return;
        }
        self.budget -= 1;
        let Some(run) = runs.first() else {
            if self.cells.len() == self.n {
                self.out.push(self.cells.clone());
            }
            return;
        };
        if pos == run.len() {
            return self.rec(&runs[1..], 0);
        }
        if self.cells.len() >= self.n {
            return;
        }
        let rest = &run[pos..];
        let max_len = if rest.starts_with('0') {
            1
        } else {
            rest.len().min(9)
        };
        for len in 1..=max_len {
            let Ok(v) = rest[..len].parse::<i64>() else {
                break;
            };
            self.cells.push(v);
            let k = self.cells.len();
            if !k.is_multiple_of(self.group) || (self.valid)(&self.cells[k - self.group..]) {
                self.rec(runs, pos + len);
            }
            self.cells.pop();
        }
    }
}

// ---------------------------------------------------------------- table 3

const APPEAL_GROUPS: [&str; 3] = ["review", "litigation.direct", "litigation.after_review"];
const APPEAL_COLS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

/// A header cell of table 3, or several glued together ("结果维持结果纠正其他结果…"):
/// nothing much is left once the header words are taken out.
fn is_appeals_header(l: &str) -> bool {
    const WORDS: &[&str] = &[
        "未经复议直接起诉",
        "复议后起诉",
        "行政复议",
        "行政诉讼",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "直接起诉",
        "未经复议",
        "总计",
        "结果",
        "维持",
        "纠正",
        "其他",
        "尚未",
        "审结",
        "起诉",
        "复议",
        "诉讼",
        "合计",
        "小计",
    ];
    let mut rest = l.to_string();
    for w in WORDS {
        if rest.contains(w) {
            rest = rest.replace(w, "");
        }
    }
    rest.chars().filter(|c| !"()、/|:".contains(*c)).count() <= 3 && rest.len() < l.len()
}

fn table3(toks: &[Tok], ex: &mut Extracted) {
    // The numbers follow the last header cell after the first "行政复议" header.
    let Some(start) = toks
        .iter()
        .position(|t| matches!(t, Tok::Label(l) if l.contains("行政复议") && is_appeals_header(l)))
    else {
        return;
    };
    let mut i = start;
    while i < toks.len() && matches!(&toks[i], Tok::Label(l) if is_appeals_header(l)) {
        i += 1;
    }
    // Labels cut from the header may still sit between numbers ("结果 |"): skip header-like labels.
    let mut nums: Vec<&str> = Vec::new();
    while i < toks.len() {
        match &toks[i] {
            Tok::Num(n) => nums.push(n),
            Tok::Label(l) if is_appeals_header(l) => {}
            Tok::Label(_) => break,
        }
        i += 1;
    }
    if nums.is_empty() {
        return;
    }
    if nums.len() == 15 && nums.iter().any(|n| n.is_empty()) {
        for (k, v) in nums.iter().enumerate() {
            if let Ok(v) = v.parse::<i64>() {
                ex.figures
                    .insert(key(&[APPEAL_GROUPS[k / 5], APPEAL_COLS[k % 5]]), v as f64);
            }
        }
        return;
    }
    if nums.iter().all(|n| n.is_empty()) {
        return;
    }
    let ints: Option<Vec<i64>> = nums.iter().map(|n| n.parse().ok()).collect();
    let cells = match ints {
        Some(v) if v.len() == 15 => Some(v),
        Some(_)
            if nums.iter().all(|n| n.chars().all(|c| c.is_ascii_digit()))
                && nums.len() < 15
                && nums.iter().map(|n| n.len()).sum::<usize>() >= 15 =>
        {
            let valid = |g: &[i64]| g[0] + g[1] + g[2] + g[3] == g[4];
            let digits: usize = nums.iter().map(|n| n.len()).sum();
            let readings = if digits == 15 && nums.len() == 1 {
                vec![nums
                    .iter()
                    .flat_map(|n| n.chars())
                    .map(|c| c as i64 - '0' as i64)
                    .collect()]
            } else {
                split_glued(&nums, 15, 5, &valid)
            };
            if readings.len() == 1 {
                readings.into_iter().next()
            } else {
                ex.warnings.push(format!(
                    "table 3: glued numbers {:?} have {} readings; left unknown",
                    nums.join(" "),
                    readings.len()
                ));
                None
            }
        }
        _ => {
            ex.warnings.push(format!(
                "table 3 has {} of 15 numbers; left unknown",
                nums.len()
            ));
            None
        }
    };
    if let Some(cells) = cells {
        for (gi, g) in APPEAL_GROUPS.iter().enumerate() {
            for (ci, c) in APPEAL_COLS.iter().enumerate() {
                ex.figures.insert(key(&[g, c]), cells[gi * 5 + ci] as f64);
            }
        }
    }
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

// ---------------------------------------------------------------- prose

fn re(s: &str) -> Regex {
    Regex::new(s).unwrap()
}

static P_REQUESTS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:受理|收到|接收|接到|办理)[^。;,，\n\d]{0,14}?申请[^。;,，\n\d]{0,8}?(\d+)\s*(?:件|条|宗|份|人次)",
    )
});
static P_REVIEW: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:行政复议|复议申请|复议)[^。;,，\n\d]{0,6}?(\d+)\s*(?:件|起|宗|次)"));
static P_LITIGATION: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:行政诉讼|提起诉讼|起诉)[^。;,，\n\d]{0,6}?(\d+)\s*(?:件|起|宗|次)"));
static P_UPHELD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:维持|驳回)[^。;,，]{0,20}?(\d+)\s*(?:件|起|宗)"));
static P_CORRECTED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:纠错|纠正|撤销|确认违法|责令)[^。;,，]{0,10}?(\d+)\s*(?:件|起|宗)"));
static P_NONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:没有|未|无)(?:发生|出现|产生|收到|接到|有)?[^。;]{0,24}?((?:行政复议|复议)(?:[、和及或与]|\s)*(?:行政诉讼|提起行政诉讼|诉讼)?|行政诉讼|诉讼)",
    )
});
static P_NO_REQUESTS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:没有|未|无)(?:收到|接到|受理)[^。;]{0,12}?(?:政府信息公开申请|公开申请|依申请)")
});

/// Figures stated in sentences: requests received, review and litigation outcomes.
fn prose(text: &str, ex: &mut Extracted) {
    let f = &mut ex.figures;
    if let Some(c) = P_REQUESTS.captures(text) {
        f.insert("requests.new.total".into(), c[1].parse().unwrap_or(0.0));
    } else if P_NO_REQUESTS.is_match(text) {
        f.insert("requests.new.total".into(), 0.0);
    }
    // Review: the first stated count, then outcomes up to where litigation begins.
    if let Some(m) = P_REVIEW.captures(text) {
        let whole = m.get(0).unwrap();
        f.insert("review.total".into(), m[1].parse().unwrap_or(0.0));
        let tail = &text[whole.end()..];
        let stop = ["诉讼", "。"]
            .iter()
            .filter_map(|w| tail.find(w))
            .min()
            .unwrap_or(tail.len());
        let clause = &tail[..stop];
        if let Some(c) = P_UPHELD.captures(clause) {
            f.insert("review.upheld".into(), c[1].parse().unwrap_or(0.0));
        }
        if let Some(c) = P_CORRECTED.captures(clause) {
            f.insert("review.corrected".into(), c[1].parse().unwrap_or(0.0));
        }
    }
    if let Some(m) = P_LITIGATION.captures(text) {
        let whole = m.get(0).unwrap();
        f.insert("litigation.total".into(), m[1].parse().unwrap_or(0.0));
        let tail = &text[whole.end()..];
        let stop = tail.find('。').unwrap_or(tail.len());
        if let Some(c) = P_UPHELD.captures(&tail[..stop]) {
            f.insert("litigation.upheld".into(), c[1].parse().unwrap_or(0.0));
        }
    }
    for c in P_NONE.captures_iter(text) {
        let what = &c[1];
        if what.contains("复议") && !f.contains_key("review.total") {
            f.insert("review.total".into(), 0.0);
        }
        if what.contains("诉讼") && !f.contains_key("litigation.total") {
            f.insert("litigation.total".into(), 0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sec(key: SectionKey, text: &str) -> Section {
        Section {
            key,
            headings: vec![],
            text: text.into(),
            original: text.into(),
        }
    }

    #[test]
    fn hand_readers_agree_with_the_regexes() {
        // Every string of up to 4 characters from an alphabet of the awkward cases.
        let alphabet = [
            "0", "7", "12", "1,234", ",", ".", "+", "-", "件", "万元", "元", "年", ")", "”", "]",
            "a", "—", "/", "\\", "无", "空", "٣", "３", "〇",
        ];
        let mut pieces = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for p in &pieces {
                for a in alphabet {
                    next.push(format!("{p}{a}"));
                }
            }
            pieces.extend(next);
            pieces.sort();
            pieces.dedup();
        }
        for p in &pieces {
            assert_eq!(
                num_end(p),
                NUM.captures(p).map(|c| c.get(1).unwrap().end()),
                "{p}"
            );
            assert_eq!(is_blank(p), BLANK.is_match(p), "{p}");
            assert_eq!(
                glued_split(p),
                GLUED_TAIL.captures(p).map(|c| c.get(2).unwrap().start()),
                "{p}"
            );
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
        assert!(r.is_empty());
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
