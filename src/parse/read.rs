//! Reading a file: charset detection and decoding, and turning HTML into
//! lines of text (tables as rows of cells joined by " | ").

use crate::error::{Error, Result};
use scraper::{ElementRef, Html, Node};
use std::borrow::Cow;
use std::path::Path;

/// A decoded document: its lines and what the page's markup said about it.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub lines: Vec<String>,
    /// Title from `<title>`/`<h1>`/meta tags, for HTML pages.
    pub html_title: Option<String>,
    /// Publication date from meta tags (`PubDate`), for HTML pages.
    pub html_published: Option<String>,
    pub was_html: bool,
    /// The file format the text came from.
    pub format: Format,
}

pub use crate::model::report::Format;

/// Reads and decodes one file.
pub fn read_file(path: &Path) -> Result<Document> {
    let bytes = std::fs::read(path).map_err(|reason| Error::Io {
        path: path.to_path_buf(),
        reason,
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    decode(&bytes, &ext).map_err(|reason| match reason {
        DecodeError::Empty => Error::Empty {
            path: path.to_path_buf(),
        },
        DecodeError::Binary(reason) => Error::Binary {
            path: path.to_path_buf(),
            reason,
        },
        DecodeError::Broken { format, reason } => Error::Broken {
            path: path.to_path_buf(),
            format,
            reason,
        },
        DecodeError::NoTextLayer => Error::NoTextLayer {
            path: path.to_path_buf(),
        },
        DecodeError::Unsupported(reason) => Error::Unsupported {
            path: path.to_path_buf(),
            reason,
        },
    })
}

#[derive(Debug)]
pub enum DecodeError {
    Empty,
    Binary(String),
    /// A PDF or Word file that cannot be read: truncated, broken xref, not a zip…
    Broken {
        format: &'static str,
        reason: String,
    },
    /// A PDF whose pages are images only.
    NoTextLayer,
    /// A format this reader does not take, and what to convert it to.
    Unsupported(String),
}

/// Decodes bytes into a [`Document`]; `ext` (lower case, no dot) hints the format.
pub fn decode(bytes: &[u8], ext: &str) -> Result<Document, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if bytes.starts_with(b"%PDF") || ext == "pdf" {
        return super::pdf::read_pdf(bytes);
    }
    if bytes.starts_with(b"PK\x03\x04") || ext == "docx" {
        return super::docx::read_docx(bytes);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") || matches!(ext, "doc" | "wps") {
        return Err(super::docx::binary_office(ext));
    }
    let looks_html = matches!(ext, "html" | "htm" | "shtml" | "xhtml") || sniff_html(bytes);
    let text = decode_text(bytes, looks_html)?;
    let doc = if looks_html {
        html_document(&text)
    } else {
        text_document(&text)
    };
    if doc.lines.iter().all(|l| l.trim().is_empty()) {
        return Err(DecodeError::Empty);
    }
    Ok(doc)
}

fn sniff_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> = bytes
        .iter()
        .take(1024)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let head = String::from_utf8_lossy(&head);
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<!doctype html")
        || t.starts_with("<html")
        || head.contains("<head")
        || head.contains("<body")
}

fn decode_text(bytes: &[u8], html: bool) -> Result<String, DecodeError> {
    let nul = bytes.iter().filter(|&&b| b == 0).count();
    // UTF-16 files carry NULs; a BOM settles them.
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, _) = enc.decode(bytes);
        return check_decoded(text.into_owned());
    }
    if nul > 0 {
        return Err(DecodeError::Binary(format!("{nul} NUL bytes")));
    }
    let declared = if html { declared_charset(bytes) } else { None };
    let encoding = match declared {
        Some(enc) if enc != encoding_rs::UTF_8 || std::str::from_utf8(bytes).is_ok() => enc,
        _ => {
            if std::str::from_utf8(bytes).is_ok() {
                encoding_rs::UTF_8
            } else {
                let mut det = chardetng::EncodingDetector::new();
                // The first 16 KB say enough about a page's charset.
                let head = &bytes[..bytes.len().min(16384)];
                det.feed(head, head.len() == bytes.len());
                let guess = det.guess(Some(b"cn"), true);
                // Chinese pages: anything GB-like is decoded as its superset GB18030.
                if guess == encoding_rs::GBK || guess == encoding_rs::UTF_8 {
                    encoding_rs::GB18030
                } else {
                    guess
                }
            }
        }
    };
    let encoding = if encoding == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        encoding
    };
    let (text, _, _) = encoding.decode(bytes);
    check_decoded(text.into_owned())
}

fn check_decoded(text: String) -> Result<String, DecodeError> {
    // Counted on the UTF-8 bytes in one pass: characters are the bytes that start
    // one; the undecodable are U+FFFD (EF BF BD) and the controls (C0 and DEL as
    // bytes, C1 as C2 80..9F) other than \n \r \t \f.
    let b = text.as_bytes();
    let mut total = 0usize;
    let mut bad = 0usize;
    for (i, &c) in b.iter().enumerate() {
        total += usize::from(c & 0xC0 != 0x80);
        bad += usize::from(match c {
            0x00..=0x1F => !matches!(c, b'\n' | b'\r' | b'\t' | 0x0C),
            0x7F => true,
            0xC2 => b.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)),
            0xEF => b[i + 1..].starts_with(&[0xBF, 0xBD]),
            _ => false,
        });
    }
    let total = total.max(1);
    if bad * 20 > total {
        return Err(DecodeError::Binary(format!(
            "{bad} of {total} characters undecodable"
        )));
    }
    Ok(text)
}

fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let i = head.find("charset")?;
    let rest = head[i + 7..].trim_start_matches([' ', '=', '"', '\'']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// Plain text: lines, with word-processor leftovers and stray tags removed.
fn text_document(text: &str) -> Document {
    let lines = text
        .split(['\n', '\r'])
        .map(|l| strip_markup(l).into_owned())
        .collect();
    Document {
        lines,
        format: Format::Text,
        ..Default::default()
    }
}

/// Removes `<!--[if …]-->` comments, stray tags and HTML entities from a line of text.
pub fn strip_markup(line: &str) -> Cow<'_, str> {
    if !line.contains(['<', '&']) {
        return Cow::Borrowed(line);
    }
    static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"<!--.*?-->|<!\[.*?\]>|</?[A-Za-z][^<>]{0,300}>").unwrap()
    });
    let no_tags = TAG.replace_all(line, "");
    Cow::Owned(html_escape::decode_html_entities(&no_tags).replace('\u{a0}', " "))
}

/// Elements dropped with their content (a `match`, cheaper than a list search per element).
fn is_skip_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "nav"
            | "header"
            | "footer"
            | "aside"
            | "form"
            | "select"
            | "option"
            | "button"
            | "iframe"
            | "svg"
            | "object"
            | "embed"
            | "template"
            | "head"
            | "input"
            | "textarea"
            | "map"
    )
}
const CHROME_MARKERS: &[&str] = &[
    "nav",
    "menu",
    "breadcrumb",
    "crumb",
    "footer",
    "header",
    "share",
    "print",
    "fontsize",
    "font-size",
    "toolbar",
    "sidebar",
    "copyright",
    "bottom",
    "topbar",
    "position",
    "location",
    "weizhi",
    "dqwz",
];
/// Elements that start and end a line (a `match`, cheaper than a list search per element).
fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "tr"
            | "blockquote"
            | "pre"
            | "dd"
            | "dt"
            | "dl"
            | "hr"
            | "center"
            | "caption"
            | "tbody"
            | "thead"
            | "main"
            | "td"
            | "th"
    )
}

fn is_chrome(el: &scraper::node::Element) -> bool {
    if is_skip_tag(el.name()) {
        return true;
    }
    // Only whole tokens of class and id count: "content-header-text" is not chrome
    // but "header" is. Letter case does not matter (the markers are lower case).
    el.attrs()
        .filter(|(k, _)| *k == "class" || *k == "id")
        .any(|(_, v)| {
            v.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .filter(|t| !t.is_empty())
                .any(|tok| {
                    CHROME_MARKERS.iter().any(|m| {
                        tok.eq_ignore_ascii_case(m)
                            || tok.split('-').any(|p| p.eq_ignore_ascii_case(m))
                    })
                })
        })
}

/// The elements `Html::select` visits, in its order (the tree's nodes as stored,
/// attached ones only).
fn elements(html: &Html) -> impl Iterator<Item = ElementRef<'_>> {
    html.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.parent().is_some())
}

/// The elements below `el` (not `el` itself), in document order, as `ElementRef::select` visits them.
fn descendants<'a>(el: ElementRef<'a>) -> impl Iterator<Item = ElementRef<'a>> {
    el.descendants().skip(1).filter_map(ElementRef::wrap)
}

fn html_document(text: &str) -> Document {
    let html = Html::parse_document(text);
    let mut doc = Document {
        was_html: true,
        format: Format::Html,
        ..Default::default()
    };
    doc.html_title = html_title(&html);
    doc.html_published = meta_content(&html, &["pubdate", "publishdate", "firstpublishedtime"]);
    let root = elements(&html)
        .find(|e| e.value().name() == "body")
        .unwrap_or_else(|| html.root_element());
    let mut out = Lines::default();
    walk(root, &mut out);
    out.flush();
    doc.lines = out.lines;
    doc
}

fn meta_content(html: &Html, names: &[&str]) -> Option<String> {
    // What "meta[name], meta[property]" selects.
    elements(html)
        .filter(|m| {
            m.value().name() == "meta"
                && (m.value().attr("name").is_some() || m.value().attr("property").is_some())
        })
        .find_map(|m| {
            let name = m
                .value()
                .attr("name")
                .or_else(|| m.value().attr("property"))?
                .to_ascii_lowercase();
            names
                .contains(&name.as_str())
                .then(|| m.value().attr("content").map(str::trim).map(String::from))
                .flatten()
        })
        .filter(|s| !s.is_empty())
}

fn html_title(html: &Html) -> Option<String> {
    if let Some(t) = meta_content(html, &["articletitle", "og:title"]) {
        return Some(t);
    }
    for el in elements(html).filter(|e| matches!(e.value().name(), "title" | "h1")) {
        let text: String = el.text().collect::<String>();
        let text = text.trim();
        // "<report title>_<site name>": keep the part that names a report.
        let part = text
            .split(['_', '|', '—'])
            .map(str::trim)
            .find(|p| p.contains("报告") || p.contains("報告") || p.contains("年报"));
        if let Some(p) = part {
            return Some(p.to_string());
        }
    }
    None
}

#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    cur: String,
}

impl Lines {
    fn push_text(&mut self, t: &str) {
        let t = if t.contains('\u{a0}') {
            Cow::Owned(t.replace('\u{a0}', " "))
        } else {
            Cow::Borrowed(t)
        };
        for (i, part) in t.split('\n').enumerate() {
            if i > 0 {
                self.flush();
            }
            self.cur.push_str(part);
        }
    }
    fn flush(&mut self) {
        let line = std::mem::take(&mut self.cur);
        let t = line.trim();
        if !t.is_empty() {
            self.lines.push(if t.len() == line.len() {
                line
            } else {
                t.to_string()
            });
        }
    }
}

fn walk(el: ElementRef, out: &mut Lines) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_text(t),
            Node::Element(e) => {
                if is_chrome(e) {
                    continue;
                }
                let child_el = ElementRef::wrap(child).expect("element node");
                if e.name() == "table" && is_data_table(child_el) {
                    out.flush();
                    for row in table_rows(child_el) {
                        out.lines.push(row.join(" | "));
                    }
                    continue;
                }
                let block = is_block_tag(e.name());
                if block {
                    out.flush();
                }
                walk(child_el, out);
                if block {
                    out.flush();
                }
            }
            _ => {}
        }
    }
}

/// A table holding data rather than page layout: no nested tables, no long cells.
fn is_data_table(table: ElementRef) -> bool {
    // "table table" below a table: any table below it.
    if descendants(table).any(|e| e.value().name() == "table") {
        return false;
    }
    descendants(table)
        .filter(|e| matches!(e.value().name(), "td" | "th"))
        .all(|c| c.text().map(|t| t.chars().count()).sum::<usize>() < 200)
}

/// Rows of cells with rowspan/colspan resolved: a spanned cell's text sits in its
/// first position, the positions it covers are empty.
pub fn table_rows(table: ElementRef) -> Vec<Vec<String>> {
    let mut grid: Vec<Vec<Option<String>>> = Vec::new();
    for (r, tr) in descendants(table)
        .filter(|e| e.value().name() == "tr")
        .enumerate()
    {
        if grid.len() <= r {
            grid.push(Vec::new());
        }
        let mut c = 0;
        for cell in tr.children().filter_map(ElementRef::wrap) {
            let name = cell.value().name();
            if name != "td" && name != "th" {
                continue;
            }
            while grid[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            // The cell's words joined by single spaces.
            let mut text = String::new();
            let mut space = false;
            for c in cell.text().flat_map(str::chars) {
                if c.is_whitespace() {
                    space = !text.is_empty();
                } else {
                    if space {
                        text.push(' ');
                        space = false;
                    }
                    text.push(c);
                }
            }
            let span = |a: &str| {
                cell.value()
                    .attr(a)
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 100)
            };
            let (rs, cs) = (span("rowspan"), span("colspan"));
            for dr in 0..rs {
                let rr = r + dr;
                while grid.len() <= rr {
                    grid.push(Vec::new());
                }
                for dc in 0..cs {
                    let cc = c + dc;
                    if grid[rr].len() <= cc {
                        grid[rr].resize(cc + 1, None);
                    }
                    grid[rr][cc] = Some(if dr == 0 && dc == 0 {
                        text.clone()
                    } else {
                        String::new()
                    });
                }
            }
            c += cs;
        }
    }
    grid.into_iter()
        .map(|row| {
            row.into_iter()
                .map(Option::unwrap_or_default)
                .collect::<Vec<_>>()
        })
        .filter(|row: &Vec<String>| row.iter().any(|c| !c.is_empty()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_page_without_declaration_is_detected() {
        let html = "<html><body><p>秦皇岛市2021年政府信息公开工作年度报告</p><p>一、总体情况</p></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(html);
        let doc = decode(&bytes, "html").unwrap();
        assert!(
            doc.lines.iter().any(|l| l.contains("秦皇岛市2021年")),
            "{:?}",
            doc.lines
        );
    }

    #[test]
    fn spans_are_resolved_and_chrome_dropped() {
        let html = r#"<html><body><div class="nav">首页 > 政务公开</div>
            <table><tr><td rowspan="2">三、本年度办理结果</td><td>(一)予以公开</td><td>5</td></tr>
            <tr><td>(二)部分公开</td><td>2</td></tr></table><script>var x=1;</script></body></html>"#;
        let doc = decode(html.as_bytes(), "html").unwrap();
        assert_eq!(
            doc.lines,
            vec![
                "三、本年度办理结果 | (一)予以公开 | 5",
                " | (二)部分公开 | 2"
            ]
        );
    }

    #[test]
    fn decoded_check_counts_as_chars_do() {
        let bad = |t: &str| {
            t.chars()
                .filter(|&c| {
                    c == '\u{fffd}'
                        || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
                })
                .count()
        };
        for t in [
            "",
            "abc",
            "\u{fffd}\u{fffd}x",
            "\u{85}\u{9f}\u{a0}\u{7f}\u{0}\n\r\t\u{c}\u{b}",
            "政务\u{ffef}\u{fffc}公开\u{80}",
        ] {
            let s = t.repeat(30);
            let want = bad(&s) * 20 > s.chars().count().max(1);
            assert_eq!(check_decoded(s.clone()).is_err(), want, "{t:?}");
            let one = format!("{s}{}", "a".repeat(s.chars().count() * 30));
            assert_eq!(
                check_decoded(one.clone()).is_err(),
                bad(&one) * 20 > one.chars().count()
            );
        }
        match check_decoded("\u{0}\u{fffd}政".to_string()) {
            Err(DecodeError::Binary(m)) => assert_eq!(m, "2 of 3 characters undecodable"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn empty_and_binary_are_errors() {
        assert!(matches!(decode(b"  \n ", "txt"), Err(DecodeError::Empty)));
        assert!(matches!(
            decode(&[0, 159, 146, 150, 0, 1, 2], "txt"),
            Err(DecodeError::Binary(_))
        ));
    }
}
