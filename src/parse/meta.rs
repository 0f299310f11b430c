//! Metadata of a report: title, year reported, issuer, region, publication date, 索引号.

use crate::gazetteer::{self, Region};
use crate::parse::normalize::{self, is_han};
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// What the metadata stage found.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: Option<String>,
    /// Indexes of the lines that print the title (one, or two when it wraps),
    /// to leave them out of the sections.
    pub title_lines: Vec<usize>,
    pub year: Option<i32>,
    pub issuer: Option<String>,
    pub region: Option<Region>,
    pub published: Option<String>,
    pub index_no: Option<String>,
}

fn re(s: &str) -> Regex {
    Regex::new(s).unwrap()
}

static YEAR_IN_TITLE: LazyLock<Regex> = LazyLock::new(|| re(r"((?:19|20)\d{2})\s*年"));
/// A title line whose year a PDF text tool set on a line of its own ("安溪县 年政府信息公开工作年度报告",
/// the space gone once normalised).
static YEAR_GAP: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\p{Han})\s*年度?(?:政府信息公开|政务公开|信息公开)"));
static BARE_YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*(?:19|20)\d{2}\s*$"));
static PERIOD: LazyLock<Regex> =
    LazyLock::new(|| re(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日[^。;]{0,12}?(?:至|到|起|—|-|~)"));
static YEAR_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"((?:19|20)\d{2})\s*年度?(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|情况|年报)",
    )
});
static DATE_LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:发布时间|发布日期|发文日期|成文日期|公开日期|日期)\s*[:|]\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})",
    )
});
static DATE_ANY: LazyLock<Regex> =
    LazyLock::new(|| re(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"));
static DATE_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$"));
static INDEX_NO: LazyLock<Regex> =
    LazyLock::new(|| re(r"索引号\s*[:|]?\s*([0-9A-Za-z][0-9A-Za-z\-/_.]*)"));
static TITLE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\|?\s*(?:标题|名称)\s*[:|]?\s*(.+?)\s*\|?$"));
static ISSUER_BEFORE_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(\p{Han}{2,40})(?:19|20)\d{2}\s*年度?(?:政府信息公开|政务公开|信息公开)")
});
static ISSUER_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(?:(?:19|20)\d{2}\s*年(?:度|以来)?\s*[,，]?\s*)?",
        r"(\p{Han}{2,30}?(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|管理局|服务中心|中心|局|委|厅|办|院|署|街道办事处|街道|镇|乡))",
        r"(?:深入|认真|坚持|紧紧|积极|严格|不断|高度|始终|全面|切实|进一步|按照|围绕|持续|扎实|贯彻|大力|加强|继续|立足|聚焦|牢固|以|在|把|将|依法|坚决|着力|主动)"
    ))
});

/// Suffixes that end the name of a government body.
const ORG_SUFFIXES: &[&str] = &[
    "人民政府",
    "政府",
    "办公室",
    "办公厅",
    "委员会",
    "局",
    "委",
    "厅",
    "办",
    "院",
    "署",
    "中心",
    "所",
    "站",
    "处",
    "馆",
    "队",
    "会",
    "街道办事处",
    "街道",
    "镇",
    "乡",
    "管委会",
    "公司",
    "集团",
];

fn ends_with_org(s: &str) -> bool {
    ORG_SUFFIXES.iter().any(|x| s.ends_with(x))
}

/// A region's name alone ("重庆市", "道县", "甘南藏族自治州"): Han characters
/// (no spaces: a navigation bar's words are apart) ending in a level of
/// administration, as a government's title opens.
/// `s` is the line cleaned of title leftovers (`#道县`), `raw` the line itself.
fn is_place_name(s: &str, raw: &str) -> bool {
    const LEVELS: [&str; 8] = ["省", "市", "县", "区", "州", "旗", "盟", "地区"];
    (2..=24).contains(&s.chars().count())
        && !raw.trim().contains(char::is_whitespace)
        && s.chars().all(crate::parse::normalize::is_han)
        && LEVELS.iter().any(|x| s.ends_with(x))
}

/// A body's name has something before its kind: "人民政府" or "办公厅" alone is
/// what is left when spam took the place name's slot.
fn is_named(s: &str) -> bool {
    let generic = [
        "人民政府办公室",
        "人民政府办公厅",
        "人民政府",
        "政府",
        "办公室",
        "办公厅",
        "委员会",
    ];
    let mut rest = s;
    for g in generic {
        rest = rest.strip_suffix(g).unwrap_or(rest);
    }
    rest.chars().filter(|c| is_han(*c)).count() >= 1 && s.chars().count() >= 2
}

/// Extracts metadata from normalised lines (chrome included, since the
/// 发布时间/索引号 bars are chrome) and what the HTML markup said.
pub fn extract<S: AsRef<str>>(
    lines: &[S],
    chrome: &[bool],
    html_title: Option<&str>,
    html_published: Option<&str>,
) -> Meta {
    let lines: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
    let lines = lines.as_slice();
    let pairs = label_pairs(lines);
    let mut meta = Meta::default();
    let (title, title_lines) = find_title(lines, &pairs, chrome, html_title);
    meta.title = title;
    meta.title_lines = title_lines;

    let body: String = lines
        .iter()
        .zip(chrome)
        .filter(|(_, c)| !**c)
        .map(|(l, _)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    meta.year = meta
        .title
        .as_deref()
        .and_then(|t| YEAR_IN_TITLE.captures(t))
        .or_else(|| PERIOD.captures(&body))
        .or_else(|| YEAR_REPORT.captures(&body))
        .and_then(|c| c[1].parse().ok());

    for line in lines
        .iter()
        .copied()
        .chain(pairs.iter().map(String::as_str))
    {
        if meta.index_no.is_none() {
            meta.index_no = INDEX_NO.captures(line).map(|c| c[1].to_string());
        }
    }
    // A publication date before the end of the year reported is a date quoted in the text.
    let plausible = |d: &String| match meta.year {
        Some(y) => d[..4].parse::<i32>().is_ok_and(|py| py >= y),
        None => true,
    };
    let labelled = lines
        .iter()
        .copied()
        .chain(pairs.iter().map(String::as_str))
        .filter(|l| at_most_chars(l, 120))
        .filter_map(|l| DATE_LABELLED.captures(l))
        .filter_map(|c| ymd(&c[1], &c[2], &c[3]));
    let from_html = html_published
        .and_then(|s| DATE_ANY.captures(s))
        .and_then(|c| ymd(&c[1], &c[2], &c[3]));
    // A signature date closing the report ("2022年3月7日").
    let signature = lines
        .iter()
        .zip(chrome)
        .rev()
        .filter(|(l, c)| !**c && !l.trim().is_empty())
        .take(4)
        .find_map(|(l, _)| DATE_LINE.captures(l.trim()))
        .and_then(|c| ymd(&c[1], &c[2], &c[3]));
    meta.published = labelled.chain(from_html).chain(signature).find(plausible);

    let named = |i: &String| is_named(i);
    meta.issuer = meta
        .title
        .as_deref()
        .and_then(issuer_from_title)
        .filter(named)
        .or_else(|| issuer_from_label(lines).filter(named))
        .or_else(|| issuer_from_label(&pairs).filter(named))
        .or_else(|| issuer_from_text(&body).filter(named))
        .or_else(|| issuer_from_sentences(lines, chrome).filter(named));

    meta.region = meta
        .issuer
        .as_deref()
        .and_then(|i| gazetteer::resolve(i, meta.year))
        .or_else(|| {
            meta.title
                .as_deref()
                .and_then(|t| gazetteer::resolve(title_prefix(t), meta.year))
        })
        .or_else(|| {
            meta.index_no
                .as_deref()
                .and_then(|i| gazetteer::from_credit_code(i, meta.year))
        });
    meta
}

/// `s.chars().count() <= n`, without counting when the byte length settles it.
fn at_most_chars(s: &str, n: usize) -> bool {
    s.len() <= n || s.chars().count() <= n
}

fn ymd(y: &str, m: &str, d: &str) -> Option<String> {
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Characters a converter or a hostile page may leave before a title.
const TITLE_JUNK: &[char] = &['#', '=', '+', '-', '@', '*', ' '];

fn is_title_like(s: &str) -> bool {
    let n = s.chars().count();
    (6..=80).contains(&n)
        && (s.contains("信息公开") || s.contains("政务公开"))
        && (s.contains("报告") || s.contains("年报"))
        && !s.contains(['。', ',', ';', '|'])
        && !is_breadcrumb(s)
        // A line cut out of a sentence ("定》)和《关于印发…") starts mid-phrase;
        // markup or formula leftovers before a title ("#", "=") do not count.
        && s
            .trim_start_matches(TITLE_JUNK)
            .starts_with(|c: char| is_han(c) || c.is_ascii_digit() || c == '《')
        && !["根据", "按照", "如下", "现将", "特将", "本报告"]
            .iter()
            .any(|w| s.contains(w))
}

/// A breadcrumb ("政务公开 > 政府信息公开年度报告"): an arrow between two
/// Chinese words is navigation, not a title. (Markup in a title, "报告<b>",
/// is text to show, not an arrow.)
fn is_breadcrumb(s: &str) -> bool {
    let c: Vec<char> = s.chars().filter(|c| *c != ' ').collect();
    c.windows(3)
        .any(|w| matches!(w[1], '>' | '›' | '»') && is_han(w[0]) && is_han(w[2]))
}

fn clean_title(s: &str) -> String {
    // Spaces inside a Chinese title are layout ("临淄区人民政府 2023年").
    // Leftovers of markdown before it ("#"), an opening bracket after it ("…报告(");
    // a formula sign stays, for the exports to defuse.
    let s = s
        .trim()
        .trim_start_matches(['#', ' '])
        .trim_end_matches(['(', '[', '【', ' '])
        .trim_matches(['《', '》']);
    if s.chars().any(|c| c.is_ascii_alphabetic()) {
        s.to_string()
    } else {
        s.split_whitespace().collect()
    }
}

/// A site's metadata bar flattened one cell a line ("索引号" over its value):
/// each bare label joined to the line after it, as "label:value".
fn label_pairs(lines: &[&str]) -> Vec<String> {
    lines
        .windows(2)
        .filter(|w| normalize::is_bare_meta_label(w[0]))
        .filter(|w| !w[1].trim().is_empty() && !normalize::is_bare_meta_label(w[1]))
        .map(|w| format!("{}:{}", w[0].trim().trim_matches('|').trim(), w[1].trim()))
        .collect()
}

fn find_title(
    lines: &[&str],
    pairs: &[String],
    chrome: &[bool],
    html_title: Option<&str>,
) -> (Option<String>, Vec<usize>) {
    let mut title = html_title
        .map(normalize::fold)
        .filter(|t| is_title_like(t))
        .map(|t| clean_title(&t));
    if title.is_none() {
        title = lines
            .iter()
            .copied()
            .chain(pairs.iter().map(String::as_str))
            .filter_map(|l| TITLE_LABEL.captures(l))
            .map(|c| clean_title(&c[1]))
            .find(|t| is_title_like(t));
    }
    // The first lines of the body: a title line (or two, when it wraps),
    // possibly repeating the one found.
    let text: Vec<(usize, &str)> = lines
        .iter()
        .zip(chrome)
        .enumerate()
        .take(40)
        .filter(|(_, (_, c))| !**c)
        .map(|(i, (l, _))| (i, *l))
        .collect();
    // A title whose year a PDF text tool set on a line of its own, with the
    // year back in its place (from the line just below or above).
    let with_year: Vec<(Cow<str>, Option<usize>)> = text
        .iter()
        .enumerate()
        .map(|(k, &(_, l))| {
            let near = [text.get(k + 1), k.checked_sub(1).map(|p| &text[p])]
                .into_iter()
                .flatten()
                .find(|(_, y)| BARE_YEAR.is_match(y));
            match (YEAR_GAP.captures(l), near) {
                (Some(c), Some(&(j, y))) if !YEAR_IN_TITLE.is_match(l) => {
                    let cut = c.get(1).expect("group 1").end();
                    let rest = l[cut..].trim_start();
                    (
                        Cow::Owned(format!("{}{}{rest}", &l[..cut], y.trim())),
                        Some(j),
                    )
                }
                _ => (Cow::Borrowed(l), None),
            }
        })
        .collect();
    for (k, &(i, _)) in text.iter().enumerate() {
        let (l, year_line) = (&*with_year[k].0, with_year[k].1);
        let next = text
            .get(k + 1)
            .map(|&(j, _)| (j, clean_title(&with_year[k + 1].0)));
        let prev = k.checked_sub(1).map(|p| text[p]);
        let t = clean_title(l);
        let found = if is_title_like(&t) {
            match prev {
                // "XX区人民政府" over "2023年政府信息公开工作年度报告".
                Some((p, raw)) if YEAR_IN_TITLE.find(&t).is_some_and(|m| m.start() == 0) => {
                    let pl = clean_title(raw);
                    // An issuer ("XX区人民政府") or a place alone ("毕节市纳雍县", "#道县").
                    let name = pl.chars().count() <= 24
                        && !pl.contains(['。', ',', ':', '、'])
                        && (ends_with_org(&pl)
                            || is_place_name(&pl, raw)
                            || (pl.chars().all(is_han) && gazetteer::resolve(&pl, None).is_some()));
                    if name {
                        Some((format!("{pl}{t}"), vec![p, i]))
                    } else {
                        Some((t, vec![i]))
                    }
                }
                _ => Some((t, vec![i])),
            }
        } else {
            // "2024年上海市科委政府信息公开工作" over "年度报告". A next line
            // that is a whole title with its year, under a line without one,
            // is not a second half: the line above is something else (a
            // site's navigation bar); an issuer's name there joins on the
            // next line's turn.
            next.filter(|(_, n)| at_most_chars(l, 40) && at_most_chars(n, 20))
                .filter(|(_, n)| {
                    !(is_title_like(n) && YEAR_IN_TITLE.is_match(n) && !YEAR_IN_TITLE.is_match(&t))
                })
                .map(|(j, n)| (format!("{t}{n}"), j))
                .filter(|(joined, _)| is_title_like(joined))
                .map(|(joined, j)| (joined, vec![i, j]))
        };
        if let Some((t, mut at)) = found {
            at.extend(year_line);
            if title.is_none() {
                title = Some(t.clone());
            }
            if title.as_deref() == Some(t.as_str()) {
                return (title, at);
            }
            return (title, Vec::new());
        }
        if l.chars().count() > 60 {
            break; // a paragraph: the title would have come before it
        }
    }
    (title, Vec::new())
}

/// The part of a title before the year: the issuer or its region.
fn title_prefix(t: &str) -> &str {
    match YEAR_IN_TITLE.find(t) {
        Some(m) if m.start() > 0 => &t[..m.start()],
        _ => t,
    }
}

fn issuer_from_title(t: &str) -> Option<String> {
    let mut name = title_prefix(t)
        .trim()
        .trim_end_matches(['关', '于'])
        .to_string();
    if name == t || name.is_empty() {
        // "2021年X市人民政府政府信息公开工作年度报告": the name follows the year.
        let after = YEAR_IN_TITLE.find(t).map(|m| &t[m.end()..]).unwrap_or(t);
        let after = after.trim_start_matches('度');
        name = after.split("政府信息公开").next().unwrap_or("").to_string();
        if name.ends_with("人民") {
            name.push_str("政府");
        }
    }
    let name = name.trim().trim_start_matches(TITLE_JUNK).to_string();
    if name.chars().count() < 2 || !name.chars().any(is_han) {
        return None;
    }
    if ends_with_org(&name) {
        return Some(name);
    }
    // A bare place name: the report of its people's government.
    if gazetteer::resolve(&name, None).is_some()
        && name.ends_with(['省', '市', '县', '区', '州', '旗', '盟'])
    {
        return Some(format!("{name}人民政府"));
    }
    Some(name)
}

static ISSUER_LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:发布机构|发文机关|发布单位|信息来源|来源)\s*:\s*(\p{Han}{2,30})"));

/// The site's 发布机构 bar, when it names a government body of a known place
/// ("发布机构: 临淄区人民政府"; a bare "办公室" says nothing).
fn issuer_from_label<S: AsRef<str>>(lines: &[S]) -> Option<String> {
    lines
        .iter()
        .map(AsRef::as_ref)
        .filter(|l| at_most_chars(l, 120))
        .filter_map(|l| ISSUER_LABEL.captures(l))
        .map(|c| c[1].to_string())
        .find(|n| ends_with_org(n) && gazetteer::resolve(n, None).is_some())
}

/// "现将双柏县政务服务管理局2021年度政府信息公开工作情况报告如下" → the body's name.
fn issuer_from_text(body: &str) -> Option<String> {
    for c in ISSUER_BEFORE_YEAR.captures_iter(body) {
        let run = &c[1];
        if let Some(name) = trim_to_org(run) {
            return Some(name);
        }
    }
    None
}

fn trim_to_org(run: &str) -> Option<String> {
    if !ends_with_org(run) {
        return None;
    }
    // From the leftmost place name on ("现将双柏县政务服务管理局" → "双柏县政务服务管理局").
    if let Some(at) = gazetteer::first_name_at(run) {
        if run[at..].chars().count() >= 2 {
            return Some(run[at..].to_string());
        }
    }
    const LEADS: &[&str] = &[
        "附件下载",
        "附件",
        "现向社会公布",
        "向社会公布",
        "现予公布",
        "现公布",
        "现将",
        "现就",
        "特将",
        "根据",
        "按照",
        "关于",
        "本",
        "我",
        "将",
        "对",
    ];
    let mut s = run;
    loop {
        let before = s;
        for l in LEADS {
            s = s.strip_prefix(l).unwrap_or(s);
        }
        if s == before {
            break;
        }
    }
    (s.chars().count() >= 2 && !s.starts_with(['我', '本'])).then(|| s.to_string())
}

fn issuer_from_sentences(lines: &[&str], chrome: &[bool]) -> Option<String> {
    lines
        .iter()
        .zip(chrome)
        .filter(|(_, c)| !**c)
        .take(60)
        .find_map(|(l, _)| ISSUER_SENTENCE.captures(l.trim()).map(|c| c[1].to_string()))
        .filter(|n| !n.starts_with(['我', '本', '全', '各']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_from_titles() {
        assert_eq!(
            issuer_from_title("秦皇岛市2021年政府信息公开工作年度报告").unwrap(),
            "秦皇岛市人民政府"
        );
        assert_eq!(
            issuer_from_title("淄博市临淄区人民政府2023年政府信息公开工作年度报告").unwrap(),
            "淄博市临淄区人民政府"
        );
        assert_eq!(
            issuer_from_title("2022年河北省人民政府政府信息公开工作年度报告").unwrap(),
            "河北省人民政府"
        );
        assert_eq!(
            issuer_from_title("=大连市2017年度政府信息公开工作报告").unwrap(),
            "大连市人民政府"
        );
    }

    #[test]
    fn issuer_from_the_publisher_bar() {
        let lines = ["发布日期:2024-02-18 发布机构: 临淄区人民政府".to_string()];
        assert_eq!(issuer_from_label(&lines).unwrap(), "临淄区人民政府");
        assert_eq!(issuer_from_label(&["发布机构:办公室".to_string()]), None);
    }

    #[test]
    fn spam_leaves_no_issuer() {
        assert!(
            !is_named("人民政府")
                && !is_named("办公厅")
                && is_named("市工信局")
                && is_named("锦州市人民政府")
        );
    }

    #[test]
    fn issuer_from_body_text() {
        let body = "现将双柏县政务服务管理局2021年度政府信息公开工作情况报告如下:";
        assert_eq!(issuer_from_text(body).unwrap(), "双柏县政务服务管理局");
        let body = "根据《条例》规定,现向社会公布县交通运输局2020年政府信息公开工作年度报告。";
        assert_eq!(issuer_from_text(body).unwrap(), "县交通运输局");
    }

    #[test]
    fn a_navigation_bar_is_not_the_first_half_of_a_title() {
        let lines = [
            "首页 政务公开 办事服务 互动交流",
            "海晏县2020年政府信息公开工作年度报告",
            "一、总体情况",
        ];
        let (title, at) = find_title(&lines, &[], &[false; 3], None);
        assert_eq!(title.unwrap(), "海晏县2020年政府信息公开工作年度报告");
        assert_eq!(at, vec![1]);
        // A region's name over a title that opens with its year joins.
        let lines = ["重庆市", "2024年政府信息公开工作年度报告", "一、总体情况"];
        let (title, at) = find_title(&lines, &[], &[false; 3], None);
        assert_eq!(title.unwrap(), "重庆市2024年政府信息公开工作年度报告");
        assert_eq!(at, vec![0, 1]);
        let lines = [
            "#伊犁哈萨克自治州察布查尔锡伯自治县",
            "2025年政府信息公开工作年度报告",
        ];
        let (title, _) = find_title(&lines, &[], &[false; 2], None);
        assert_eq!(
            title.unwrap(),
            "伊犁哈萨克自治州察布查尔锡伯自治县2025年政府信息公开工作年度报告"
        );
        // The year a PDF text tool set on a line of its own, below or above.
        for lines in [
            [
                "首页政务公开办事服务互动交流",
                "安溪县年政府信息公开工作年度报告",
                "2022",
            ],
            [
                "首页政务公开办事服务互动交流",
                "2022",
                "安溪县年政府信息公开工作年度报告",
            ],
        ] {
            let (title, at) = find_title(&lines, &[], &[false; 3], None);
            assert_eq!(title.unwrap(), "安溪县2022年政府信息公开工作年度报告");
            assert_eq!(at.len(), 2);
        }
        // A breadcrumb one link a line (a crawler's get_text) is not a title.
        let lines = [
            "当前位置:",
            "首页",
            ">",
            "政务公开",
            "> 政府信息公开年度报告",
        ];
        let (title, _) = find_title(&lines, &[], &[false; 5], None);
        assert_eq!(title, None);
        assert!(is_breadcrumb("政务公开 » 政府信息公开年度报告"));
        assert!(!is_breadcrumb("某市2021年政府信息公开工作年度报告<b>x</b>"));
        let lines = ["政务公开 区县", "2024年政府信息公开工作年度报告"];
        let (title, _) = find_title(&lines, &[], &[false; 2], None);
        assert_eq!(title.unwrap(), "2024年政府信息公开工作年度报告");
        // A title that does wrap still joins, its year on either line.
        let lines = [
            "2025年华坪县应急管理局",
            "政府信息公开工作年度报告",
            "一、总体情况",
        ];
        let (title, _) = find_title(&lines, &[], &[false; 3], None);
        assert_eq!(
            title.unwrap(),
            "2025年华坪县应急管理局政府信息公开工作年度报告"
        );
        let lines = [
            "2024年上海市科委政府信息公开工作",
            "年度报告",
            "一、总体情况",
        ];
        let (title, at) = find_title(&lines, &[], &[false; 3], None);
        assert_eq!(title.unwrap(), "2024年上海市科委政府信息公开工作年度报告");
        assert_eq!(at, vec![0, 1]);
    }
}
