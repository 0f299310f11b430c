//! Layouts: HTML pages with site chrome, flattened-cell text, PDF-extracted text,
//! and the traditional-character rendering.

use super::plan::Issuer;
use super::tables::{Block, Cell};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    Html,
    HtmlGbk { meta: bool },
    PipeLines,
    BlankLines,
    Pdf,
}

pub(super) struct Page {
    pub(super) title: Option<String>,
    /// The title as text layouts print it (over two lines, with leftovers…).
    pub(super) title_lines: Vec<String>,
    /// HTML paragraphs cut into styled inline runs, as word processors write them.
    pub(super) span_soup: bool,
    pub(super) top: Vec<String>,
    pub(super) blocks: Vec<Block>,
    pub(super) bottom: Vec<String>,
}

pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub(super) fn render_html(
    p: &Page,
    rng: &mut ChaCha8Rng,
    owner: &str,
    charset: Option<&str>,
) -> String {
    let mut h = String::with_capacity(32 * 1024);
    h.push_str("<!DOCTYPE html>\n<html>\n<head>\n");
    if let Some(cs) = charset {
        h.push_str(&format!(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset={cs}\">\n"
        ));
    }
    if let Some(t) = &p.title {
        h.push_str(&format!("<title>{}</title>\n", esc(t)));
    } else {
        h.push_str(&format!("<title>{}</title>\n", esc(owner)));
    }
    h.push_str("<link rel=\"stylesheet\" href=\"/css/main.css\">\n</head>\n<body>\n");
    h.push_str("<div class=\"top-nav\"><a href=\"/\">首页</a> <a href=\"/zwgk/\">政务公开</a> <a href=\"/bsfw/\">办事服务</a> <a href=\"/hdjl/\">互动交流</a></div>\n");
    h.push_str("<div class=\"breadcrumb\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a> &gt; 政府信息公开年度报告</div>\n");
    h.push_str("<div class=\"article\">\n");
    if let Some(t) = &p.title {
        h.push_str(&format!("<h1 class=\"title\">{}</h1>\n", esc(t)));
    }
    for l in &p.top {
        h.push_str(&format!("<div class=\"info\">{}</div>\n", esc(l)));
    }
    h.push_str("<div class=\"info\">字体：[ <a href=\"#\">大</a> <a href=\"#\">中</a> <a href=\"#\">小</a> ]</div>\n");
    h.push_str("<div class=\"content\" id=\"zoom\">\n");
    for b in &p.blocks {
        match b {
            Block::Heading(s) => {
                if rng.random_bool(0.5) {
                    h.push_str(&format!(
                        "<p style=\"text-indent:2em\"><strong>{}</strong></p>\n",
                        esc(s)
                    ));
                } else {
                    h.push_str(&format!("<p>{}</p>\n", esc(s)));
                }
            }
            Block::Para(s) if p.span_soup => h.push_str(&format!(
                "<p style=\"text-indent:2em\">{}</p>\n",
                soup(s, rng)
            )),
            Block::Para(s) => h.push_str(&format!("<p style=\"text-indent:2em\">{}</p>\n", esc(s))),
            Block::Table(t) => {
                h.push_str("<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\">\n<tbody>\n");
                for r in t {
                    h.push_str("<tr>");
                    for cell in r {
                        let mut attrs = String::new();
                        if cell.rs > 1 {
                            attrs.push_str(&format!(" rowspan=\"{}\"", cell.rs));
                        }
                        if cell.cs > 1 {
                            attrs.push_str(&format!(" colspan=\"{}\"", cell.cs));
                        }
                        h.push_str(&format!(
                            "<td{attrs}><p align=\"center\">{}</p></td>",
                            esc(&cell.text)
                        ));
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</tbody>\n</table>\n");
            }
        }
    }
    for l in &p.bottom {
        h.push_str(&format!("<p style=\"text-align:right\">{}</p>\n", esc(l)));
    }
    h.push_str("</div>\n</div>\n");
    h.push_str("<div class=\"share\">分享到：<a href=\"#\">微信</a> <a href=\"#\">微博</a> <a href=\"javascript:window.print()\">【打印本页】</a> <a href=\"javascript:window.close()\">【关闭窗口】</a></div>\n");
    let icp = rng.random_range(10_000_000..99_999_999);
    h.push_str(&format!(
        "<div class=\"footer\"><p>版权所有：{owner}办公室 主办单位：{owner}办公室</p><p>ICP备{icp}号 网站标识码：{}</p></div>\n",
        rng.random_range(1_000_000_000u64..9_999_999_999)
    ));
    h.push_str("</body>\n</html>\n");
    h
}

/// Text in `<span>`/`<font>` runs: digits in runs of their own, other runs cut at
/// random, and empty Office tags between them.
fn soup(s: &str, rng: &mut ChaCha8Rng) -> String {
    let mut out = String::with_capacity(s.len() * 4);
    let mut run = String::new();
    let mut digits = false;
    for ch in s.chars() {
        let d = ch.is_ascii_digit();
        if d != digits || (!d && rng.random_bool(0.08)) {
            soup_run(&mut run, digits, rng, &mut out);
            digits = d;
        }
        run.push(ch);
    }
    soup_run(&mut run, digits, rng, &mut out);
    out
}

fn soup_run(run: &mut String, digits: bool, rng: &mut ChaCha8Rng, out: &mut String) {
    if run.is_empty() {
        return;
    }
    let face = if digits {
        "Times New Roman"
    } else {
        "仿宋_GB2312"
    };
    out.push_str(&format!(
        "<span style=\"font-family: 微软雅黑;\"><font face=\"{face}\">{}</font></span>",
        esc(run)
    ));
    if rng.random_bool(0.1) {
        out.push_str("<span><o:p></o:p></span>");
    }
    run.clear();
}

pub(super) fn render_cells_text(p: &Page, pipes: bool, rng: &mut ChaCha8Rng) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let sep = if pipes { "\n" } else { "\n\n" };
    for t in &p.title_lines {
        out.push_str(t);
        out.push_str(sep);
    }
    for l in &p.top {
        out.push_str(l);
        out.push_str(sep);
    }
    for b in &p.blocks {
        match b {
            Block::Heading(s) | Block::Para(s) => {
                out.push_str(s);
                out.push_str(sep);
            }
            Block::Table(t) => {
                for r in t {
                    for cell in r {
                        if pipes {
                            out.push_str(&cell.text);
                            out.push_str(" |");
                            if cell.cs > 1 {
                                out.push(' ');
                                out.push_str(&"|".repeat(cell.cs - 1));
                            }
                            out.push('\n');
                        } else {
                            out.push_str(&cell.text);
                            out.push_str("\n\n");
                        }
                    }
                }
                if !pipes && rng.random_bool(0.5) {
                    out.push_str(" \n\n");
                }
            }
        }
    }
    for l in &p.bottom {
        out.push_str(l);
        out.push_str(sep);
    }
    out
}

/// Rows as lines of space-separated cells, as text extracted from a PDF.
pub(super) fn render_pdf(p: &Page, rng: &mut ChaCha8Rng, glue: bool, header: &str) -> String {
    let mut lines: Vec<String> = p.title_lines.clone();
    lines.extend(p.top.iter().cloned());
    let spaces = |rng: &mut ChaCha8Rng| " ".repeat(rng.random_range(2..7));
    for b in &p.blocks {
        match b {
            Block::Heading(s) => lines.push(s.clone()),
            Block::Para(s) => {
                // Paragraphs wrap at ~38 characters per line.
                // Pinyin annotations "(wù)" stay whole on one line.
                let mut line = String::new();
                let (mut n, mut depth) = (0, 0);
                let mut it = s.chars().peekable();
                while let Some(ch) = it.next() {
                    line.push(ch);
                    n += 1;
                    match ch {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    if n >= 38 && depth == 0 && it.peek() != Some(&'(') {
                        lines.push(std::mem::take(&mut line));
                        n = 0;
                    }
                }
                if !line.is_empty() {
                    lines.push(line);
                }
            }
            Block::Table(t) => {
                for r in t {
                    let labels: Vec<&Cell> = r
                        .iter()
                        .filter(|c| !is_numeric(&c.text) && !c.text.is_empty())
                        .collect();
                    let nums: Vec<&Cell> = r.iter().filter(|c| is_numeric(&c.text)).collect();
                    let empties = r.iter().filter(|c| c.text.is_empty()).count();
                    let mut label: String = labels
                        .iter()
                        .map(|c| c.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let mut tail = String::new();
                    // Long row labels wrap onto the next line, at a break that
                    // keeps the words naming the row on the first line.
                    if !nums.is_empty() && label.chars().count() > 18 {
                        if let Some(cut) = wrap_point(&label) {
                            tail = label[cut..].to_string();
                            label.truncate(cut);
                        }
                    }
                    let single =
                        nums.len() == 7 && empties == 0 && nums.iter().all(|c| c.text.len() == 1);
                    let mut line = label;
                    if glue && single {
                        line.push(' ');
                        line.push_str(&nums.iter().map(|c| c.text.as_str()).collect::<String>());
                    } else {
                        for n in &nums {
                            if !line.is_empty() {
                                line.push_str(&spaces(rng));
                            }
                            line.push_str(&n.text);
                        }
                    }
                    lines.push(line);
                    if !tail.is_empty() {
                        lines.push(tail);
                    }
                }
            }
        }
    }
    lines.extend(p.bottom.iter().cloned());
    // Page breaks: a page number and sometimes the running header.
    let per_page = if rng.random_bool(0.4) {
        rng.random_range(35..60)
    } else {
        usize::MAX
    };
    let mut out = String::with_capacity(32 * 1024);
    let mut page = 1;
    for (k, l) in lines.iter().enumerate() {
        out.push_str(l);
        out.push('\n');
        if k > 0 && k % per_page == 0 {
            out.push_str(&format!("— {page} —\n"));
            if !header.is_empty() {
                out.push_str(header);
                out.push('\n');
            }
            page += 1;
        }
    }
    out
}

pub(super) fn wrap_point(label: &str) -> Option<usize> {
    let last = label.rfind(' ').map_or(0, |i| i + 1);
    let row = &label[last..];
    // A break after the 6th character: "一、" and "（二）" are not breaks.
    let late = |c: char| {
        row.char_indices()
            .skip(6)
            .find(|&(_, x)| x == c)
            .map(|(i, _)| i)
    };
    let cut = late('、')
        .map(|i| i + '、'.len_utf8())
        .or_else(|| late('（'))?;
    (cut < row.len()).then_some(last + cut)
}

pub(super) fn is_numeric(s: &str) -> bool {
    !s.is_empty()
        && s.trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
}

// ------------------------------------------------------------------ traditional

pub(super) static S2T: LazyLock<ferrous_opencc::OpenCC> = LazyLock::new(|| {
    ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::S2t).expect("s2t")
});
pub(super) static T2S: LazyLock<ferrous_opencc::OpenCC> = LazyLock::new(|| {
    ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s).expect("t2s")
});

pub(super) const PINYIN: &[(char, &str)] = &[
    ('務', "wù"),
    ('開', "kāi"),
    ('進', "jìn"),
    ('設', "shè"),
    ('報', "bào"),
    ('請', "qǐng"),
    ('關', "guān"),
    ('時', "shí"),
    ('導', "dǎo"),
    ('議', "yì"),
    ('訟', "sòng"),
    ('題', "tí"),
    ('動', "dòng"),
    ('發', "fā"),
    ('強', "qiáng"),
    ('監', "jiān"),
    ('統', "tǒng"),
    ('數', "shù"),
    ('據', "jù"),
    ('規', "guī"),
];

pub(super) fn to_trad(
    s: &str,
    annotate: f64,
    rng: &mut ChaCha8Rng,
    used: &mut Vec<String>,
) -> String {
    let t = S2T.convert(s);
    if annotate <= 0.0 {
        return t;
    }
    let mut out = String::with_capacity(t.len() * 2);
    for ch in t.chars() {
        out.push(ch);
        if let Some((_, py)) = PINYIN.iter().find(|(c, _)| *c == ch) {
            if rng.random_bool(annotate) {
                let a = format!("({py})");
                out.push_str(&a);
                if !used.contains(&a) {
                    used.push(a);
                }
            }
        }
    }
    out
}

/// Lines above and below the article (index number, publication date, signature)
/// and the publication date they state, if any.
pub(super) fn chrome(
    rng: &mut ChaCha8Rng,
    iss: &Issuer,
    year: i32,
    layout: Layout,
    late: bool,
) -> (Vec<String>, Vec<String>, Option<String>) {
    // Months after either deadline when planted late (the same one draw).
    let pm = if late {
        rng.random_range(5..=9)
    } else {
        rng.random_range(1..=3)
    };
    let pd = rng.random_range(1..=28);
    let published = format!("{}-{pm:02}-{pd:02}", year + 1);
    let mut top = Vec::new();
    let mut bottom = Vec::new();
    let mut published_exp: Option<String> = None;
    let credit = iss.unit.as_ref().map(|u| {
        format!(
            "11{}{:08}{}",
            u.code,
            rng.random_range(0..99_999_999u32),
            ['A', 'B', 'C', 'X', '1'][rng.random_range(0..5)]
        )
    });
    match (layout, rng.random_range(0..3)) {
        (Layout::Pdf, _) | (_, 0) => {}
        (_, 1) => {
            top.push(format!(
                "发布时间：{published} 发布机构：{} 字体：[ 大 中 小]",
                if iss.gov { "办公室" } else { "综合科" }
            ));
            published_exp = Some(published.clone());
        }
        _ => {
            let idx = match &credit {
                Some(c) => format!("{c}/{}-{:05}", year + 1, rng.random_range(1..99999)),
                None => format!(
                    "{:09}/{}-{:05}",
                    rng.random_range(0..999_999_999u32),
                    year + 1,
                    rng.random_range(1..99999)
                ),
            };
            top.push(format!(
                "索引号：{idx} 主题分类：综合政务 发文日期：{published}"
            ));
            published_exp = Some(published.clone());
        }
    }
    if published_exp.is_none() && rng.random_bool(0.5) {
        bottom.push(iss.name.clone());
        bottom.push(format!("{}年{pm}月{pd}日", year + 1));
        published_exp = Some(published.clone());
    }
    (top, bottom, published_exp)
}

/// Rewrites the page in traditional characters, sometimes with pinyin after them,
/// when the round trip gives back every string in `must`; returns the pinyin
/// annotations used, or None when the page stays simplified.
pub(super) fn traditional(
    page: &mut Page,
    must: &[String],
    rng: &mut ChaCha8Rng,
) -> Option<Vec<String>> {
    if !must.iter().all(|m| T2S.convert(&S2T.convert(m)) == *m) {
        return None;
    }
    let mut used = Vec::new();
    let ann = if rng.random_bool(0.6) { 0.5 } else { 0.0 };
    page.title = page.title.as_ref().map(|t| to_trad(t, 0.0, rng, &mut used));
    for l in page.title_lines.iter_mut() {
        *l = to_trad(l, 0.0, rng, &mut used);
    }
    for b in page.blocks.iter_mut() {
        match b {
            Block::Heading(s) | Block::Para(s) => *s = to_trad(s, ann, rng, &mut used),
            Block::Table(t) => {
                for cell in t.iter_mut().flatten() {
                    cell.text = to_trad(&cell.text, ann, rng, &mut used);
                }
            }
        }
    }
    for l in page.bottom.iter_mut() {
        *l = to_trad(l, 0.0, rng, &mut used);
    }
    Some(used)
}

/// The page in its layout: file extension and bytes.
pub(super) fn render(
    page: &Page,
    rng: &mut ChaCha8Rng,
    iss: &Issuer,
    layout: Layout,
    glue: bool,
) -> (&'static str, Vec<u8>) {
    let owner = iss
        .unit
        .as_ref()
        .map(|u| format!("{}人民政府", u.path.split('/').next().unwrap()))
        .unwrap_or_else(|| "市人民政府".into());
    match layout {
        Layout::Html => (
            "html",
            render_html(page, rng, &owner, Some("utf-8")).into_bytes(),
        ),
        Layout::HtmlGbk { meta } => {
            let h = render_html(page, rng, &owner, meta.then_some("gbk"));
            let (b, _, _) = encoding_rs::GBK.encode(&h);
            ("html", b.into_owned())
        }
        Layout::PipeLines => ("txt", render_cells_text(page, true, rng).into_bytes()),
        Layout::BlankLines => ("txt", render_cells_text(page, false, rng).into_bytes()),
        Layout::Pdf => {
            let header = if rng.random_bool(0.5) {
                page.title.clone().unwrap_or_default()
            } else {
                String::new()
            };
            ("txt", render_pdf(page, rng, glue, &header).into_bytes())
        }
    }
}
