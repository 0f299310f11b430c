//! Normalisation for search and matching: NFKC width folding, inline pinyin
//! removal, traditional → simplified, hijacked-mirror spam removal, whitespace.
//! Also recognises lines of website chrome.

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// Normalises one line of report text.
pub fn fold(line: &str) -> String {
    let s = nfkc(without_emphasis(line));
    let traditional = &*TRADITIONAL;
    let is_trad = |c: char| {
        let i = (c as usize).wrapping_sub(0x4E00);
        i < traditional.len() && traditional[i]
    };
    // One look at each character says whether the pinyin and converter stages have work.
    let (mut toned, mut trad, mut radical, mut boxed) = (false, false, false, false);
    for c in s.chars() {
        if c >= '\u{e0}' {
            toned |= is_toned(c);
            trad |= is_trad(c);
            radical |= ('\u{2e80}'..='\u{2eff}').contains(&c);
            boxed |= is_box_drawing(c);
        }
    }
    let s = if radical || boxed {
        Cow::Owned(s.chars().map(unify_radical).map(box_to_pipe).collect())
    } else {
        s
    };
    let s = if toned {
        let t = strip_pinyin(&s);
        trad = t.chars().any(is_trad);
        Cow::Owned(t)
    } else {
        s
    };
    let s = if trad {
        Cow::Owned(to_simplified(&s))
    } else {
        s
    };
    let s = if is_spam(&s) {
        Cow::Owned(remove_spam(&s))
    } else {
        s
    };
    let s = collapse_whitespace(&s);
    if s.contains(' ') && s.contains('年') {
        let joined = SPLIT_YEAR.replace_all(&s, |c: &regex::Captures| {
            let (pre, space) = (&c[1], &c[2]);
            let year: String = c[0][pre.len() + space.len()..]
                .chars()
                .filter(|&c| c != ' ')
                .collect();
            // The space before the year goes too when it stands after Chinese text.
            let space = if pre.chars().all(is_cjk) { "" } else { space };
            format!("{pre}{space}{year}")
        });
        if let Cow::Owned(t) = joined {
            return t;
        }
    }
    s
}

/// A line without the markdown emphasis around all of it ("**二、主动公开政府信息情况**",
/// as html2text and markdownify write a bold heading): the marks are markup, not text.
fn without_emphasis(line: &str) -> &str {
    let t = line.trim();
    for mark in ["**", "__"] {
        if let Some(inner) = t.strip_prefix(mark).and_then(|x| x.strip_suffix(mark)) {
            if !inner.trim().is_empty() && !inner.contains(mark) {
                return inner.trim();
            }
        }
    }
    line
}

/// A year that a line wrap cut ("20 17年", "2 024年"): only a 19xx/20xx year
/// directly before 年, so that table cells ("20 17") are left apart.
static SPLIT_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[^\d. ])( ?)(1 ?9|2 ?0) ?(\d) ?(\d) ?年").unwrap());

/// Units that follow a number in report prose: a space between the number and
/// one of them is a wrap or PDF spacing ("1月1 日", "2024 年", "5 件").
fn is_unit(c: char) -> bool {
    matches!(
        c,
        '年' | '月'
            | '日'
            | '件'
            | '条'
            | '个'
            | '次'
            | '人'
            | '项'
            | '份'
            | '篇'
            | '元'
            | '%'
            | '起'
            | '期'
            | '场'
            | '名'
            | '家'
            | '万'
            | '余'
            | '多'
            | '亿'
            | '千'
            | '百'
    )
}

/// Characters that NFKC leaves alone wherever they stand: NFKC quick check "yes"
/// and combining class 0 (so nothing before them reorders or composes with them).
/// One bit per BMP code point.
static NFKC_STABLE: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; 0x10000 / 64];
    for cp in 0..0x10000u32 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        if unicode_normalization::char::canonical_combining_class(c) == 0
            && unicode_normalization::is_nfkc_quick(std::iter::once(c))
                == unicode_normalization::IsNormalized::Yes
        {
            bits[cp as usize / 64] |= 1 << (cp % 64);
        }
    }
    bits
});

/// NFKC of one character that folds to a single ASCII character with no context
/// (full-width forms and the ideographic space), else `None`.
#[inline]
fn fold_width(c: char) -> Option<char> {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0),
        0x3000 => Some(' '),
        _ => None,
    }
}

/// NFKC, without the general algorithm when every character either is stable
/// under NFKC or is a width variant of an ASCII character: then the result is
/// the line with the width variants replaced (all its characters are starters
/// that nothing composes with, so there is no reordering or composition).
fn nfkc(line: &str) -> Cow<'_, str> {
    let stable = &*NFKC_STABLE;
    let is_stable = |c: char| {
        let cp = c as u32;
        cp < 0x80 || (cp < 0x10000 && stable[cp as usize / 64] & (1 << (cp % 64)) != 0)
    };
    let mut first_change = None;
    for (i, c) in line.char_indices() {
        if is_stable(c) {
            continue;
        }
        if fold_width(c).is_some() {
            first_change.get_or_insert(i);
            continue;
        }
        return Cow::Owned(line.nfkc().collect());
    }
    let Some(start) = first_change else {
        return Cow::Borrowed(line);
    };
    let mut out = String::with_capacity(line.len());
    out.push_str(&line[..start]);
    for c in line[start..].chars() {
        out.push(fold_width(c).unwrap_or(c));
    }
    Cow::Owned(out)
}

/// True when the text holds a tone-marked letter: without one, [`strip_pinyin`]
/// changes nothing.
#[cfg(test)]
fn has_toned(s: &str) -> bool {
    s.chars().any(is_toned)
}

fn is_toned(c: char) -> bool {
    ('\u{e0}'..='\u{1e3f}').contains(&c) && TONED.contains(c)
}

/// True for CJK ideographs and CJK punctuation (spaces between two of them are noise).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF0F | 0x20000..=0x2FFFF)
        || matches!(
            c,
            '“' | '”' | '‘' | '’' | '《' | '》' | '、' | '。' | '…' | '—'
        )
}

/// True for Han characters only.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Collapses whitespace runs to one space, and drops the spaces that line wraps
/// and PDF extraction leave inside Chinese text: between two CJK characters
/// ("商业 企业"), between a CJK character and the ASCII punctuation full-width
/// marks fold to ("费, 没有"), between a number and its unit ("5 件"), and
/// before a number with its unit after Chinese text or inside a number that
/// follows it ("答复的 2起", "12月3 1日"). A space
/// between a label and a bare number ("行政许可 9", "本年新收 20 17 3") is a
/// table cell boundary and stays.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            pending_space = prev.is_some();
            continue;
        }
        let glued = pending_space
            && prev.is_some_and(|p| {
                let cjkish = |x: char| is_cjk(x) || is_folded_punct(x);
                (cjkish(p) && cjkish(c) && (is_cjk(p) || is_cjk(c)))
                    || (p.is_ascii_digit() && is_unit(c))
                    || (c.is_ascii_digit()
                        && number_with_unit(&s[i..])
                        && (is_cjk(p)
                            || is_folded_punct(p)
                            || (p.is_ascii_digit()
                                && out
                                    .trim_end_matches(|d: char| d.is_ascii_digit())
                                    .ends_with(is_cjk))))
            });
        if pending_space && !glued {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
        prev = Some(c);
    }
    out
}

/// ASCII punctuation that NFKC makes of the full-width marks of Chinese text.
fn is_folded_punct(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '!' | '?' | '(' | ')')
}

/// The ideograph a CJK Radicals Supplement character stands for. PDF fonts
/// often map a glyph to the radical ("首⻚" for 首页, "⻓效" for 长效); NFKC
/// leaves these alone (it unifies only the Kangxi radicals). The pairs are
/// Unicode's EquivalentUnifiedIdeograph.txt for the radicals that are whole
/// characters in Chinese text.
fn unify_radical(c: char) -> char {
    match c {
        '\u{2e9f}' => '母',
        '\u{2ea0}' => '民',
        '\u{2ec4}' => '西',
        '\u{2ec5}' => '见',
        '\u{2ec6}' => '角',
        '\u{2ec8}' => '讠',
        '\u{2ec9}' => '贝',
        '\u{2ecb}' => '车',
        '\u{2ed1}' => '长',
        '\u{2ed3}' => '长',
        '\u{2ed4}' => '门',
        '\u{2ed8}' => '青',
        '\u{2eda}' => '页',
        '\u{2edb}' => '风',
        '\u{2edc}' => '飞',
        '\u{2edd}' => '食',
        '\u{2ee2}' => '马',
        '\u{2ee3}' => '骨',
        '\u{2ee4}' => '鬼',
        '\u{2ee5}' => '鱼',
        '\u{2ee6}' => '鸟',
        '\u{2ee7}' => '卤',
        '\u{2ee8}' => '麦',
        '\u{2ee9}' => '黄',
        '\u{2eea}' => '黾',
        '\u{2eec}' => '齐',
        '\u{2eee}' => '齿',
        '\u{2ef0}' => '龙',
        '\u{2ef3}' => '龟',
        c => c,
    }
}

fn is_box_drawing(c: char) -> bool {
    ('\u{2500}'..='\u{257f}').contains(&c)
}

/// Text browsers (`w3m -dump`) draw a table's grid with box-drawing
/// characters: its walls and corners become the pipes of a pipe table, its
/// horizontal rules the dashes of a markdown separator row.
fn box_to_pipe(c: char) -> char {
    match c {
        '─' | '━' | '═' | '╌' | '╍' | '┄' | '┅' | '┈' | '┉' => '-',
        c if is_box_drawing(c) => '|',
        c => c,
    }
}

/// `s` starts with a number followed by its unit ("2起", "12 件", "3.5万元"),
/// or with a number cut once by a wrapped line ("1 250件").
fn number_with_unit(s: &str) -> bool {
    let digits = |s: &str| {
        s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            .len()
    };
    let rest = &s[s.len() - digits(s)..];
    let after = rest.trim_start_matches(' ');
    match after.chars().next() {
        Some(c) if is_unit(c) => true,
        Some(c) if c.is_ascii_digit() && after.len() + 1 == rest.len() => {
            let tail = &after[after.len() - digits(after)..];
            tail.trim_start_matches(' ')
                .chars()
                .next()
                .is_some_and(is_unit)
        }
        _ => false,
    }
}

const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ";

static PINYIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han})\(([a-zü āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]{1,30})\)").unwrap()
});

/// Removes inline pinyin annotations ("政務(wù)" → "政務"); keeps real parentheses,
/// which hold no tone-marked syllables.
pub fn strip_pinyin(s: &str) -> String {
    if !s.contains('(') {
        return s.to_string();
    }
    PINYIN
        .replace_all(s, |c: &regex::Captures| {
            if c[2].chars().any(|ch| TONED.contains(ch)) {
                c[1].to_string()
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// Removes inline pinyin annotations that line breaks cut ("數(sh" / "ù)量",
/// "數(" / "shù)", "數" / "(shù)量", "公開" / "(kāi" / ")申請"), which
/// [`strip_pinyin`] cannot see whole on any one line. As certain as that pass:
/// only parentheses right after a Han character, holding nothing but pinyin
/// letters (spaces apart, at most `MAX_PINYIN`) with at least one tone mark.
/// Lines are kept (a line of pinyin alone becomes empty), so line numbers stay
/// the source's.
pub fn strip_wrapped_pinyin(lines: &mut [String]) {
    let mut i = 0;
    while i + 1 < lines.len() {
        let Some(cut) = wrapped_pinyin(&lines[i..]) else {
            i += 1;
            continue;
        };
        let (s, e) = (i + cut.start.0, i + cut.end.0);
        if s == e {
            lines[s].replace_range(cut.start.1..cut.end.1, "");
        } else {
            lines[s].truncate(cut.start.1);
            for l in &mut lines[s + 1..e] {
                l.clear();
            }
            lines[e].replace_range(..cut.end.1, "");
        }
        // The annotation's last line may end with the start of another.
        i = e.max(i + 1);
    }
}

/// Longest pinyin annotation taken across line breaks, in letters (as in [`PINYIN`]).
const MAX_PINYIN: usize = 30;

/// An annotation cut by line breaks: from (line, byte) to (line, byte past its `)`).
struct PinyinCut {
    start: (usize, usize),
    end: (usize, usize),
}

fn is_paren_open(c: char) -> bool {
    c == '(' || c == '（'
}

fn is_paren_close(c: char) -> bool {
    c == ')' || c == '）'
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || c == 'ü' || c == ' ' || TONED.contains(c)
}

/// The annotation that starts at the end of `lines[0]` (or at the start of
/// `lines[1]`, after a Han character ending `lines[0]`) and ends on a later line.
fn wrapped_pinyin(lines: &[String]) -> Option<PinyinCut> {
    let a = lines[0].trim_end();
    // Its start: "數(sh" on the first line, or "(" opening the second after "數".
    let open = a
        .char_indices()
        .rev()
        .find(|(_, c)| !is_pinyin_letter(*c))
        .filter(|(_, c)| is_paren_open(*c));
    let (start, mut at) = match open {
        Some((o, p)) if a[..o].ends_with(is_han) => ((0, o), (0, o + p.len_utf8())),
        Some(_) => return None,
        None if a.ends_with(is_han) => {
            let b = &lines[1];
            let o = b.len() - b.trim_start().len();
            let p = b[o..].chars().next().filter(|c| is_paren_open(*c))?;
            ((1, o), (1, o + p.len_utf8()))
        }
        None => return None,
    };
    // Its letters up to the closing parenthesis, across lines of letters only.
    let (mut letters, mut toned) = (0usize, false);
    loop {
        let line = &lines[at.0];
        let rest = &line[at.1..];
        let stop = rest.find(|c: char| !is_pinyin_letter(c));
        for c in rest[..stop.unwrap_or(rest.len())].chars() {
            letters += usize::from(c != ' ');
            toned |= TONED.contains(c);
        }
        if letters > MAX_PINYIN {
            return None;
        }
        match stop {
            Some(k) => {
                let c = rest[k..].chars().next()?;
                if !is_paren_close(c) || !toned {
                    return None;
                }
                // Crossing no line break at all is strip_pinyin's work.
                return (at.0 > 0).then_some(PinyinCut {
                    start,
                    end: (at.0, at.1 + k + c.len_utf8()),
                });
            }
            None => {
                // The letters go on at the start of the next line (not a blank one).
                let next = lines.get(at.0 + 1)?;
                let o = next.len() - next.trim_start().len();
                if o == next.len() {
                    return None;
                }
                at = (at.0 + 1, o);
            }
        }
    }
}

static OPENCC: LazyLock<ferrous_opencc::OpenCC> = LazyLock::new(|| {
    ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s)
        .expect("embedded t2s config")
});

/// Characters that T2S changes: a line without any is left alone (fast path, and
/// no risk of the converter touching simplified text).
static TRADITIONAL: LazyLock<Vec<bool>> = LazyLock::new(|| {
    let all: String = (0x4E00u32..=0x9FFF).filter_map(char::from_u32).collect();
    let conv = OPENCC.convert(&all);
    let mut table = vec![false; 0x9FFF - 0x4E00 + 1];
    for (a, b) in all.chars().zip(conv.chars()) {
        if a != b {
            table[a as usize - 0x4E00] = true;
        }
    }
    table
});

fn is_traditional(c: char) -> bool {
    let i = (c as usize).wrapping_sub(0x4E00);
    i < TRADITIONAL.len() && TRADITIONAL[i]
}

/// Place names that converters get wrong (乾安县 → 干安县): for every gazetteer name
/// whose conversion differs from itself, the converted form and the name.
static PLACE_FIXES: LazyLock<(AhoCorasick, Vec<Vec<char>>)> = LazyLock::new(|| {
    let mut pats = Vec::new();
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    for name in crate::gazetteer::all_names() {
        let conv = OPENCC.convert(name);
        if conv != name && conv.chars().count() == name.chars().count() && seen.insert(conv.clone())
        {
            pats.push(conv);
            names.push(name.chars().collect());
        }
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&pats)
        .expect("fix patterns");
    (ac, names)
});

/// Traditional → simplified (OpenCC tables, Apache-2.0). Where the converter turned
/// a place name's own character into another (乾安 → 干安), the original character
/// is restored; "若干县" stays as it is, since its 干 was never 乾.
pub fn to_simplified(s: &str) -> String {
    if !s.chars().any(is_traditional) {
        return s.to_string();
    }
    let conv = OPENCC.convert(s);
    let orig: Vec<char> = s.chars().collect();
    let mut out: Vec<char> = conv.chars().collect();
    if out.len() != orig.len() {
        return conv;
    }
    let (ac, names) = &*PLACE_FIXES;
    let char_at: Vec<usize> = conv.char_indices().map(|(i, _)| i).collect();
    for m in ac.find_iter(&conv) {
        let a = char_at.partition_point(|&b| b < m.start());
        let name = &names[m.pattern().as_usize()];
        let restores = name
            .iter()
            .enumerate()
            .all(|(k, &nc)| out[a + k] == nc || orig[a + k] == nc);
        if restores {
            out[a..a + name.len()].copy_from_slice(name);
        }
    }
    out.into_iter().collect()
}

/// Words only gambling spam uses. "365" or "体育" alone are not spam (政务直播, 365天).
const SPAM_STRONG: &[&str] = &[
    "bet",
    "BET",
    "Bet",
    "比分",
    "彩票",
    "博彩",
    "娱乐城",
    "开户",
    "正规吗",
    "投注",
    "赌场",
    "赌博",
    "百家乐",
    "棋牌",
    "老虎机",
    "澳门",
    "葡京",
    "威尼斯人",
    "皇冠",
    "体育app",
    "下注",
    "赔率",
    "电竞",
    "真人娱乐",
    "彩金",
    "购彩",
];
/// Words that glue spam phrases together.
const SPAM_FILLER: &[&str] = &[
    "苹果版",
    "安卓版",
    "手机版",
    "服务热线",
    "体育",
    "官方",
    "官网",
    "网站",
    "平台",
    "下载",
    "注册",
    "入口",
    "网址",
    "登录",
    "登陆",
    "即时",
    "游戏",
    "电子",
    "在线",
    "娱乐",
    "足球",
    "篮球",
    "直播",
    "app",
    "APP",
    "客户端",
    "首页",
    "网页版",
    "中文版",
    "最新",
    "地址",
    "导航",
    "备用",
    "靠谱",
    "可靠",
    "怎么样",
    "是真的吗",
    "集团",
    "国际",
];

static SPAM_RUN: LazyLock<Regex> = LazyLock::new(|| {
    let mut words: Vec<&str> = SPAM_STRONG.iter().chain(SPAM_FILLER).copied().collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alt = words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(
        r"(?:{alt}|[A-Za-z0-9_]+)(?:{alt}|[A-Za-z0-9_.\-]+)*"
    ))
    .unwrap()
});

/// Only ever asked whether a word occurs: leftmost-first matching answers that as
/// the standard kind does, and lets the automaton use its SIMD prefilter.
static SPAM_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(SPAM_STRONG)
        .expect("spam words")
});

/// True when the text holds a word only spam uses.
pub fn is_spam(s: &str) -> bool {
    SPAM_WORDS.is_match(s)
}

/// Removes runs of spam vocabulary that a hijacked mirror put in place of names.
pub fn remove_spam(s: &str) -> String {
    if !is_spam(s) {
        return s.to_string();
    }
    SPAM_RUN
        .replace_all(s, |c: &regex::Captures| {
            if is_spam(&c[0]) {
                String::new()
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// Only asked whether a word occurs (leftmost-first for the SIMD prefilter, as for [`SPAM_WORDS`]).
static CHROME_ANYWHERE: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build([
            "字体:[",
            "字体:【",
            "字号:",
            "【打印】",
            "打印本页",
            "关闭窗口",
            "分享到",
            "版权所有",
            "ICP备",
            "ICP证",
            "公网安备",
            "网站标识码",
            "主办单位",
            "承办单位",
            "技术支持:",
            "联系邮箱",
            "扫一扫",
            "当前位置",
            "您现在的位置",
            "您的位置",
            "语音播报",
            "图文解读",
            "浏览次数",
            "访问次数",
            "点击数:",
            "【关闭】",
            "【大】",
            "[ 大 中 小]",
            "大 中 小",
            "网站地图",
            "无障碍",
            "适老化",
            "Copyright",
            "copyright",
            "©",
        ])
        .unwrap()
});

static CHROME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:•\s*)?(?:",
        r"首页\s*[>›»/ ].*|首页|",
        r"(?:发布时间|发布日期|发布机构|发文机关|发文日期|成文日期|索引号|文号|体裁分类|主题分类|信息来源|来源|作者|标题|名称|分类|主题词|有效性|生效日期|公开方式|公开范围)\s*:.*|",
        r"打印|关闭|返回|收藏|分享|字号|字体|正文|手机|附件\d*|标题|相关链接|微信公众号|政务微博|微信|微博|手机版|上一篇.*|下一篇.*|",
        r"地址\s*:.*邮编.*|邮编\s*:.*|电话\s*:\s*[\d\-]+|",
        // A browser's print header and footer: date and time (then the page title), the page's address and counter.
        r"(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}/\d{1,2}/\d{1,2}),?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M|上午|下午)?(?:\s.*)?|",
        r"file:///\S*(?:\s+\d{1,4}/\d{1,4})?|https?://\S+\s+\d{1,4}/\d{1,4}|",
        r"[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}\s*页?|Page\s*\d+.*|P\.\s*\d{1,4}",
        r")\s*$"
    ))
    .unwrap()
});

/// Prose, not a bar of links: a full stop, or a comma or semicolon among
/// enough Han characters to be a sentence.
fn is_prose(s: &str) -> bool {
    s.contains('。')
        || (s.contains([',', ';', '、']) && s.chars().filter(|c| is_han(*c)).count() >= 15)
}

/// Labels of a site's metadata block about a page.
const META_LABELS: &[&str] = &[
    "索引号",
    "分类",
    "主题分类",
    "体裁分类",
    "发布机构",
    "发文机关",
    "发布日期",
    "发文日期",
    "成文日期",
    "发布时间",
    "文号",
    "有效性",
    "公开方式",
    "公开范围",
    "生效日期",
    "主题词",
    "公开日期",
    "关键词",
    "时效",
    "名称",
    "标题",
    "信息来源",
    "组配分类",
    "所属主题",
    "文件编号",
];

/// Labels that open a site's metadata bar and never a line of a report
/// ("索引号 0142…/2024-00002 分类 信息公开年报", cells run together).
const META_OPENERS: &[&str] = &[
    "索引号",
    "发布机构",
    "发文机关",
    "发布日期",
    "发文日期",
    "成文日期",
    "公开日期",
    "发布时间",
    "主题分类",
    "体裁分类",
    "组配分类",
];

/// The site's metadata block printed as a table ("索引号 | 0144…/2018-04736 | 分类 |
/// 政府信息公开年报 |"): label, value, label, value. Two labels in their places make
/// it certain; a row of a report's tables never starts with them.
fn is_meta_row(norm: &str) -> bool {
    if !norm.contains(['|', '\t']) {
        return false;
    }
    let cells: Vec<&str> = norm
        .trim()
        .trim_matches('|')
        .split(['|', '\t'])
        .map(str::trim)
        .collect();
    cells.len() >= 4 && META_LABELS.contains(&cells[0]) && META_LABELS.contains(&cells[2])
}

/// The metadata bar with its cells run together: an opener at the start and
/// a second label after it, in a short line that is no sentence.
fn is_meta_run(norm: &str) -> bool {
    let Some(rest) = META_OPENERS.iter().find_map(|o| norm.strip_prefix(o)) else {
        return false;
    };
    !norm.contains('。') && META_LABELS.iter().any(|l| rest.contains(l))
}

/// A labelled copy of the title in the metadata bar ("名称 XX局2023年…年度报告").
fn is_title_label_line(norm: &str) -> bool {
    let Some(rest) = ["名称", "标题"].iter().find_map(|o| norm.strip_prefix(o)) else {
        return false;
    };
    let rest = rest.trim_start_matches([' ', ':', '|']);
    rest.chars().count() <= 80
        && (rest.contains("报告") || rest.contains("年报"))
        && !rest.contains('。')
}

/// A bare label of a site's metadata bar flattened one cell a line.
pub fn is_bare_meta_label(norm: &str) -> bool {
    META_LABELS.contains(&norm.trim().trim_matches('|').trim())
}

/// Marks a site's navigation bar flattened one link a line: "首页" followed
/// by three or more short names ("政民互动", "数据开放"), each of Han
/// characters alone. A report's lines are never that short three times
/// running right after "首页".
fn mark_nav_runs(norm: &[&str], chrome: &mut [bool]) {
    let link = |l: &str| {
        let n = l.chars().count();
        (2..=8).contains(&n) && l.chars().all(is_han)
    };
    let mut i = 0;
    while i < norm.len() {
        if norm[i].trim() != "首页" {
            i += 1;
            continue;
        }
        let run = norm[i + 1..].iter().take_while(|l| link(l.trim())).count();
        if run >= 3 {
            chrome[i + 1..=i + run].iter_mut().for_each(|c| *c = true);
        }
        i += run + 1;
    }
}

/// Marks a site's metadata bar flattened one cell a line ("索引号" over
/// "0142…/2024-00002" over "分类" …): three or more bare labels, each followed
/// by at most one short value line, make it certain. Linear in the lines.
pub fn mark_meta_blocks(norm: &[&str], chrome: &mut [bool]) {
    mark_nav_runs(norm, chrome);
    // A value is short; the report's title is only the value of 名称/标题
    // (after an empty 关键词 it is the page's heading).
    let value_like = |label: &str, l: &str| {
        let l = l.trim();
        l.chars().count() <= 60
            && !l.contains('。')
            && !is_bare_meta_label(l)
            && (matches!(label.trim(), "名称" | "标题") || !l.contains("报告"))
    };
    let mut i = 0;
    while i < norm.len() {
        if !is_bare_meta_label(norm[i]) {
            i += 1;
            continue;
        }
        // Walk label (value)? label (value)? … from i.
        let (mut j, mut labels) = (i, 0);
        while j < norm.len() && is_bare_meta_label(norm[j]) {
            let label = norm[j];
            labels += 1;
            j += 1;
            while j < norm.len() && norm[j].trim().is_empty() {
                j += 1;
            }
            if j < norm.len() && value_like(label, norm[j]) {
                j += 1;
                while j < norm.len() && norm[j].trim().is_empty() {
                    j += 1;
                }
            }
        }
        if labels >= 3 {
            chrome[i..j].iter_mut().for_each(|c| *c = true);
        }
        i = j.max(i + 1);
    }
}

/// Recognises a line of website chrome (navigation, metadata bars, widgets, footers).
pub fn is_chrome_line(norm: &str) -> bool {
    let n = norm.chars().count();
    if n == 0 {
        return true;
    }
    if n <= 160 && (is_meta_row(norm) || is_meta_run(norm) || is_title_label_line(norm)) {
        return true;
    }
    // A sentence that names a site feature ("完成网站适老化和无障碍改造,…") is report text.
    if n <= 100 && !is_prose(norm) && CHROME_ANYWHERE.is_match(norm) {
        return true;
    }
    n <= 120 && CHROME_LINE.is_match(norm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_fast_path_agrees() {
        let alphabet = [
            "a", "e", "ｅ", "\u{301}", "\u{316}", "，", "。", "…", "㈠", "한", "\u{11a8}", "　",
            "乾", "Ａ", "ﬁ", "¹", "“", "》", "\u{3099}", "か", "ｶ", "\u{ff9e}", "\u{0b47}",
            "\u{0b3e}",
        ];
        let mut lines = vec![String::new()];
        for _ in 0..3 {
            let mut next = Vec::new();
            for l in &lines {
                for a in alphabet {
                    next.push(format!("{l}{a}"));
                }
            }
            lines.extend(next);
        }
        for l in &lines {
            assert_eq!(nfkc(l), l.nfkc().collect::<String>(), "{l:?}");
        }
        for l in ["(wù)", "政務(wù)", "ǎ", "(一)"] {
            assert_eq!(has_toned(l), l.chars().any(|c| TONED.contains(c)), "{l}");
        }
    }

    #[test]
    fn pinyin_goes_real_parentheses_stay() {
        assert_eq!(strip_pinyin("政務(wù)服務(wù)"), "政務服務");
        assert_eq!(
            strip_pinyin("(一)加强 (2021) 项目(PPP)和(H5)(单位:万元)"),
            "(一)加强 (2021) 项目(PPP)和(H5)(单位:万元)"
        );
        assert_eq!(fold("雙柏縣政務(wù)服務(wù)管理局"), "双柏县政务服务管理局");
    }

    #[test]
    fn pinyin_cut_by_a_line_break_goes() {
        let strip = |a: &str, b: &str| {
            let mut v = vec![a.to_string(), b.to_string()];
            strip_wrapped_pinyin(&mut v);
            (v[0].clone(), v[1].clone())
        };
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        // Cut inside the letters, after the parenthesis, before it; full-width too.
        assert_eq!(strip("本年新制作數(sh", "ù)量"), s("本年新制作數", "量"));
        assert_eq!(strip("對外公開總數(", "shù)"), s("對外公開總數", ""));
        assert_eq!(strip("上一年項目數(s", "hù)量"), s("上一年項目數", "量"));
        assert_eq!(strip("本表數(shù", ")的勾"), s("本表數", "的勾"));
        assert_eq!(strip("根據", "(jù)《條例》"), s("根據", "《條例》"));
        assert_eq!(strip("根據（", "jù）《條例》"), s("根據", "《條例》"));
        assert_eq!(strip("政務(zhèng ", " wù)服務"), s("政務", "服務"));
        // Real parentheses stay: no tone mark, not after a Han character, not pinyin.
        for (a, b) in [
            ("项目(", "ppp)建设"),
            ("(", "jù)的"),
            ("2021(", "jù)的"),
            ("数据 (", "jù)的"),
            ("单位(", "万元)"),
            ("数(", ")"),
            ("数(shù", "量)"),
            ("数(shù", "量"),
            ("数", "shù)"),
            ("某项目(Café", "à)"),
        ] {
            assert_eq!(strip(a, b), s(a, b), "{a:?} {b:?}");
        }
        let long = format!("数({}", "a".repeat(40));
        assert_eq!(strip(&long, "ù)"), s(&long, "ù)"));
        // Over several lines, one after another; one line alone is left to strip_pinyin.
        let lines = |v: &[&str]| -> Vec<String> {
            let mut v: Vec<String> = v.iter().map(|x| x.to_string()).collect();
            strip_wrapped_pinyin(&mut v);
            v
        };
        assert_eq!(
            lines(&["數(", "shù)量(", "jù)", "政務(wù)"]),
            ["數", "量", "", "政務(wù)"]
        );
        assert_eq!(
            lines(&["府信息公開", "(kāi", ")申請(qǐn", "g)數(shù)量"]),
            ["府信息公開", "", "申請", "數(shù)量"]
        );
        assert_eq!(lines(&["狀(z", "huàn", "g)態"]), ["狀", "", "態"]);
        // Not across a blank line, not past a line of other text, not without its end.
        for v in [
            &["數(", "", "shù)"][..],
            &["數(", "shù", "量)"],
            &["數(", "shù"],
            &["公開", "(kāi"],
        ] {
            assert_eq!(lines(v), v, "{v:?}");
        }
    }

    #[test]
    fn traditional_place_names_survive() {
        assert_eq!(fold("乾安縣"), "乾安县");
        assert_eq!(fold("餘干縣"), "余干县");
        assert_eq!(to_simplified("乾安县人民政府"), "乾安县人民政府");
        assert_eq!(fold("若干縣區"), "若干县区");
    }

    #[test]
    fn spam_is_removed_but_not_ordinary_words() {
        assert_eq!(fold("《即时比分办公厅关于做好"), "《办公厅关于做好");
        assert_eq!(
            fold("依托365bet苹果版_365服务热线_bet体育365正规吗政府门户网站"),
            "依托政府门户网站"
        );
        assert_eq!(
            fold("开展政务直播365天,发布H5作品"),
            "开展政务直播365天,发布H5作品"
        );
    }

    #[test]
    fn spaces_of_wraps_go() {
        assert_eq!(fold("自20 17年1月1 日起"), "自2017年1月1日起");
        assert_eq!(
            fold("公布2 024年报告,至 2 024 年12月"),
            "公布2024年报告,至2024年12月"
        );
        assert_eq!(fold("政府信息 公开"), "政府信息公开");
        assert_eq!(fold("受理 5 件"), "受理5件");
        assert_eq!(fold("责令重新答复的 2起。"), "责令重新答复的2起。");
        assert_eq!(fold("收取信息处理费， 没有其他"), "收取信息处理费,没有其他");
        assert_eq!(fold("行政许可 9 行政处罚 30"), "行政许可 9 行政处罚 30");
        assert_eq!(fold("至2024年12月3 1日止, 2 起"), "至2024年12月31日止,2起");
        assert_eq!(fold("(一)予以公开 3 1 0 0"), "(一)予以公开 3 1 0 0");
        // A number a wrap cut once, before its unit; never two cuts.
        assert_eq!(fold("全年共 1 250件,其中"), "全年共1250件,其中");
        // Bold markdown around a whole line; emphasis inside a line stays.
        assert_eq!(
            fold("**二、主动公开政府信息情况**"),
            "二、主动公开政府信息情况"
        );
        assert_eq!(fold("__五、存在的主要问题__"), "五、存在的主要问题");
        assert_eq!(
            fold("**一是**加强学习,**二是**"),
            "**一是**加强学习,**二是**"
        );
        // A text browser's table grid.
        assert_eq!(fold("│ 结果维持 │ 1 │"), "| 结果维持 | 1 |");
        assert_eq!(fold("├──┼──┤"), "|--|--|");
        // Radicals a PDF font maps its glyphs to.
        assert_eq!(fold("首\u{2eda} ⻓效机制 \u{2ee9}河"), "首页长效机制黄河");
        assert_eq!(fold("共 1 2 50件"), "共 1 2 50件");
        // Table cells stay apart; Latin words keep their space.
        assert_eq!(fold("本年新收 20 17 3"), "本年新收 20 17 3");
        assert_eq!(fold("open data 平台"), "open data 平台");
    }

    #[test]
    fn width_and_spaces() {
        assert_eq!(fold("商业 企业　１２３，"), "商业企业 123,");
        assert!(is_chrome_line(
            "发布时间:2022-03-07 发布机构:办公室 字体:[ 大 中 小]"
        ));
        assert!(is_chrome_line("首页 政务公开 政府信息公开"));
        assert!(!is_chrome_line("一、总体情况"));
        // A web page printed to PDF by a browser, then read by a PDF text tool.
        assert!(is_chrome_line("12/2/26, 3:54 PM"));
        assert!(is_chrome_line(
            "12/2/26, 3:54 PM 安溪县2023年政府信息公开工作年度报告"
        ));
        assert!(is_chrome_line("2024/3/5 10:21"));
        assert!(is_chrome_line("file:///C:/Users/a/Desktop/report.html 2/5"));
        assert!(is_chrome_line(
            "https://www.example.gov.cn/art/2024/1/5/art_1.html 3/7"
        ));
        assert!(!is_chrome_line("https://www.example.gov.cn/"));
        assert!(!is_chrome_line("2023年12月31日"));
        // Report sentences that name site features stay.
        assert!(!is_chrome_line(
            "完成网站适老化和无障碍改造,在线访谈、互动交流栏目运行良好,当前位置导航更清晰"
        ));
        assert!(!is_chrome_line("全年开展在线访谈12期。"));
        assert!(is_chrome_line(
            "版权所有:某市人民政府 网站标识码:1234 ICP备05001234号"
        ));
        assert!(
            is_chrome_line("- 3 -") && is_chrome_line("第 2 页 共 5 页") && !is_chrome_line("3")
        );
        // A flipbook's page lines; the metadata block as a table.
        assert!(
            is_chrome_line("Page 2 - 某局2022年政府信息公开工作年度报告") && is_chrome_line("P. 2")
        );
        assert!(is_chrome_line(
            "索引号 | 014416330/2018-04736 | 分类 | 政府信息公开年报 |"
        ));
        assert!(is_chrome_line("文号 | | 有效性 | |"));
        assert!(!is_chrome_line("行政许可 | 0 | 分类 | 3 |"));
        assert!(is_chrome_line(
            "| 索引号 | 014279456/2024-00003 | 分类 | 信息公开年报 |"
        ));
        assert!(is_chrome_line(
            "索引号 014279456/2024-00003 分类信息公开年报"
        ));
        assert!(is_chrome_line(
            "发布机构宿迁市宿豫区住房和城乡建设局公开日期 2024-01-19"
        ));
        assert!(is_chrome_line(
            "名称宿豫区住房和城乡建设局2023年政府信息公开年度报告"
        ));
        assert!(!is_chrome_line("发布机构要加强审核,确保信息准确。"));
        assert!(!is_chrome_line(
            "名称变更后,本局继续做好政府信息公开年度报告工作。"
        ));
    }

    #[test]
    fn a_metadata_bar_one_cell_a_line_is_chrome_and_report_lines_are_not() {
        let lines = [
            "首页",
            "政民互动",
            "政府信息公开",
            "数据开放",
            "名称",
            "某局2023年政府信息公开年度报告",
            "索引号",
            "014279456/2024-00003",
            "分类",
            "信息公开年报",
            "",
            "发布机构",
            "某局",
            "公开日期",
            "2024-01-19",
            "文号",
            "",
            "关键词",
            "",
            "某局2023年政府信息公开年度报告",
            "一、总体情况",
            "分类",
            "推进公开。",
        ];
        let mut chrome = vec![false; lines.len()];
        mark_meta_blocks(&lines, &mut chrome);
        let kept: Vec<&str> = lines
            .iter()
            .zip(&chrome)
            .filter(|(_, c)| !**c)
            .map(|(l, _)| *l)
            .collect();
        assert_eq!(
            kept,
            [
                "首页",
                "某局2023年政府信息公开年度报告",
                "一、总体情况",
                "分类",
                "推进公开。"
            ],
        );
    }
}
