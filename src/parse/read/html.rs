//! HTML pages to lines of text: html5ever with a bounded nesting depth and a
//! deadline checked as the input is fed, then one iterative walk of the DOM
//! (no recursion, so no nesting can overflow the stack).

use super::{DecodeError, Document, Format, Limits};
use ego_tree::iter::Edge;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::LocalName;
use html5ever::TokenizerResult;
use scraper::{ElementRef, Html, HtmlTreeSink, Node};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};

/// Deepest element nesting handed to the tree builder. Start tags past it are
/// dropped, so their content is kept as text of the element at the limit
/// (browsers do the same; Blink's limit is 512). Real reports nest fewer than
/// 40 elements deep. html5ever scans its stack of open elements for many tags,
/// so this also bounds the cost of each tag.
pub const MAX_DEPTH: usize = 256;

/// Input is fed to the parser in pieces of this size, with a deadline check between them.
const CHUNK: usize = 64 * 1024;

/// Grid positions that table spans may fill: this many, plus one per
/// [`SPAN_BYTES_PER_CELL`] bytes of the page. `rowspan=100 colspan=100` asks
/// for 10,000 positions in 30 bytes; real tables span a few cells.
const SPAN_CELLS_BASE: usize = 64 * 1024;
const SPAN_BYTES_PER_CELL: usize = 8;

/// Elements whose end tag may be left out: a new one (or one of its siblings)
/// closes the open one, as the tree builder does. Keeps the depth estimate close
/// to the real depth for `<p>a<p>b` and tables without end tags.
fn implicitly_closes(start: &str) -> (&'static [&'static str], &'static [&'static str]) {
    const TABLE: &[&str] = &["table"];
    match start {
        "p" => (&["p"], &["div", "td", "th", "table", "li", "body"]),
        "li" => (&["li"], &["ul", "ol"]),
        "dd" | "dt" => (&["dd", "dt"], &["dl"]),
        "option" => (&["option"], &["select"]),
        "td" | "th" => (&["td", "th"], TABLE),
        "tr" => (&["tr", "td", "th"], TABLE),
        "tbody" | "thead" | "tfoot" => (&["tbody", "thead", "tfoot", "tr", "td", "th"], TABLE),
        _ => (&[], &[]),
    }
}

/// Elements that never have content: not part of the nesting.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "frame"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "html"
            | "head"
            | "body"
    )
}

/// Elements whose content the tokenizer reads as raw text: they cannot nest, and
/// dropping their start tag would make markup of their text, so they always pass.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "plaintext"
    )
}

/// Sits between html5ever's tokenizer and tree builder and drops start tags
/// that would nest past [`MAX_DEPTH`] (and their end tags). The depth is
/// estimated from the tags, as the tree builder's own stack is private.
struct DepthLimit<S> {
    inner: S,
    open: RefCell<Vec<LocalName>>,
    dropped: RefCell<Vec<LocalName>>,
    flattened: Cell<u64>,
}

impl<S: TokenSink> TokenSink for DepthLimit<S> {
    type Handle = S::Handle;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<S::Handle> {
        if let Token::TagToken(tag) = &token {
            let name: &str = &tag.name;
            let mut open = self.open.borrow_mut();
            match tag.kind {
                TagKind::StartTag if !is_void(name) => {
                    let (closes, boundaries) = implicitly_closes(name);
                    if !closes.is_empty() {
                        let at = open
                            .iter()
                            .rposition(|n| closes.contains(&&**n) || boundaries.contains(&&**n));
                        if let Some(i) = at.filter(|&i| closes.contains(&&*open[i])) {
                            open.truncate(i);
                        }
                    }
                    if open.len() >= MAX_DEPTH && !is_raw_text(name) {
                        self.dropped.borrow_mut().push(tag.name.clone());
                        self.flattened.set(self.flattened.get() + 1);
                        return TokenSinkResult::Continue;
                    }
                    open.push(tag.name.clone());
                }
                TagKind::EndTag => {
                    let mut dropped = self.dropped.borrow_mut();
                    if dropped.last() == Some(&tag.name) {
                        dropped.pop();
                        return TokenSinkResult::Continue;
                    }
                    if let Some(i) = open.iter().rposition(|n| *n == tag.name) {
                        open.truncate(i);
                        dropped.clear();
                    }
                }
                TagKind::StartTag => {}
            }
        }
        self.inner.process_token(token, line)
    }

    fn end(&self) {
        self.inner.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Parses a page with bounded nesting; returns the DOM and how many start tags were flattened.
fn parse(text: &str, limits: &Limits) -> Result<(Html, u64), DecodeError> {
    let builder = TreeBuilder::new(
        HtmlTreeSink::new(Html::new_document()),
        TreeBuilderOpts::default(),
    );
    let limiter = DepthLimit {
        inner: builder,
        open: RefCell::default(),
        dropped: RefCell::default(),
        flattened: Cell::new(0),
    };
    let tokenizer = Tokenizer::new(limiter, TokenizerOpts::default());
    let input = BufferQueue::default();
    let mut rest = text;
    while !rest.is_empty() {
        limits.check()?;
        let mut cut = rest.len().min(CHUNK);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        input.push_back(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
        // A script result asks the caller to run a script; there is none to run.
        while let TokenizerResult::Script(_) = tokenizer.feed(&input) {}
    }
    tokenizer.end();
    let flattened = tokenizer.sink.flattened.get();
    let html = html5ever::tree_builder::TreeSink::finish(tokenizer.sink.inner.sink);
    Ok((html, flattened))
}

/// Reads a page into lines. A page whose `<title>` swallowed the rest of the
/// document (a corrupted `</title>`) is read again from the title's text.
pub(super) fn html_document(text: &str, limits: &Limits) -> Result<Document, DecodeError> {
    let (doc, html) = html_document_once(text, limits)?;
    if doc.lines.is_empty() {
        let swallowed = elements(&html)
            .find(|e| e.value().name() == "title")
            .map(|t| t.text().collect::<String>())
            .filter(|t| t.contains('<'));
        drop(html);
        if let Some(rest) = swallowed {
            let (mut again, _) = html_document_once(&rest, limits)?;
            again.warnings.push(
                "the page's </title> is missing or corrupted: read the title's text as the page"
                    .into(),
            );
            return Ok(again);
        }
    }
    Ok(doc)
}

fn html_document_once(text: &str, limits: &Limits) -> Result<(Document, Html), DecodeError> {
    let (html, flattened) = parse(text, limits)?;
    let mut doc = Document {
        was_html: true,
        format: Format::Html,
        ..Default::default()
    };
    if flattened > 0 {
        doc.warnings.push(format!(
            "elements nested deeper than {MAX_DEPTH}: {flattened} tags flattened (their text is kept)"
        ));
    }
    doc.html_title = html_title(&html);
    doc.html_published = meta_content(&html, &["pubdate", "publishdate", "firstpublishedtime"]);
    let root = elements(&html)
        .find(|e| e.value().name() == "body")
        .unwrap_or_else(|| html.root_element());
    let mut walker = Walker {
        out: Lines::default(),
        span_cells: SPAN_CELLS_BASE + text.len() / SPAN_BYTES_PER_CELL,
        spans_ignored: 0,
    };
    walker.walk(root, limits)?;
    walker.out.flush();
    if walker.spans_ignored > 0 {
        doc.warnings.push(format!(
            "table spans past the page's budget of grid cells: {} spans ignored (their text is kept)",
            walker.spans_ignored
        ));
    }
    doc.lines = walker.out.lines;
    Ok((doc, html))
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
        // "<report title>_<site name>", "<report title>-<body's short name>":
        // keep the part that names a report.
        let part = title_parts(text)
            .map(str::trim)
            .find(|p| p.contains("报告") || p.contains("報告") || p.contains("年报"));
        if let Some(p) = part {
            return Some(p.to_string());
        }
    }
    None
}

/// Splits a page title at the separators sites put between a report's title
/// and their own name; a hyphen between digits ("2019-2020年") is not one.
fn title_parts(text: &str) -> impl Iterator<Item = &str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut cuts = Vec::new();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let between_digits = || {
            k > 0
                && chars[k - 1].1.is_ascii_digit()
                && chars.get(k + 1).is_some_and(|n| n.1.is_ascii_digit())
        };
        if matches!(c, '_' | '|' | '—' | '－') || (c == '-' && !between_digits()) {
            cuts.push((i, c.len_utf8()));
        }
    }
    let mut start = 0;
    let mut parts = Vec::with_capacity(cuts.len() + 1);
    for (i, len) in cuts {
        parts.push(&text[start..i]);
        start = i + len;
    }
    parts.push(&text[start..]);
    parts.into_iter()
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

/// The DOM walk's state: lines so far and what is left of the page's span budget.
struct Walker {
    out: Lines,
    /// Grid positions that spans may still fill.
    span_cells: usize,
    spans_ignored: u64,
}

impl Walker {
    /// Text of the elements below `root` in document order, skipping chrome;
    /// block elements break lines, data tables become rows of cells.
    fn walk(&mut self, root: ElementRef, limits: &Limits) -> Result<(), DecodeError> {
        // A subtree being skipped (chrome, or a table already read), by its root.
        let mut skip = None;
        for (seen, edge) in root.traverse().enumerate() {
            if seen % 4096 == 0 {
                limits.check()?;
            }
            match edge {
                Edge::Open(node) if skip.is_none() && node.id() != root.id() => {
                    match node.value() {
                        Node::Text(t) => self.out.push_text(t),
                        Node::Element(e) => {
                            let el = ElementRef::wrap(node).expect("element node");
                            if is_chrome(e) {
                                skip = Some(node.id());
                            } else if e.name() == "table" && is_data_table(el) {
                                self.out.flush();
                                for row in self.table_rows(el) {
                                    self.out.lines.push(row.join(" | "));
                                }
                                skip = Some(node.id());
                            } else if is_block_tag(e.name()) {
                                self.out.flush();
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) if skip == Some(node.id()) => skip = None,
                Edge::Close(node) if skip.is_none() && node.id() != root.id() => {
                    if let Node::Element(e) = node.value() {
                        if is_block_tag(e.name()) {
                            self.out.flush();
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Rows of cells with rowspan/colspan resolved: a spanned cell's text sits in its
    /// first position, the positions it covers are empty. Spans are honoured while
    /// the page's budget of grid positions lasts; past it a cell fills one position.
    fn table_rows(&mut self, table: ElementRef) -> Vec<Vec<String>> {
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
                let text = cell_text(cell);
                let span = |a: &str| {
                    cell.value()
                        .attr(a)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 100)
                };
                let (mut rs, mut cs) = (span("rowspan"), span("colspan"));
                if rs * cs > 1 {
                    if rs * cs <= self.span_cells {
                        self.span_cells -= rs * cs;
                    } else {
                        self.spans_ignored += 1;
                        (rs, cs) = (1, 1);
                    }
                }
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
}

/// A cell's words joined by single spaces.
fn cell_text(cell: ElementRef) -> String {
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
    text
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

#[cfg(test)]
mod tests {
    use super::title_parts;

    #[test]
    fn a_page_title_splits_at_site_separators_but_not_inside_year_ranges() {
        let parts: Vec<&str> =
            title_parts("沭阳县发改局2023年政府信息公开年度报告-沭阳县发改局").collect();
        assert_eq!(
            parts,
            ["沭阳县发改局2023年政府信息公开年度报告", "沭阳县发改局"]
        );
        let parts: Vec<&str> = title_parts("XX局2019-2020年度报告_某某网").collect();
        assert_eq!(parts, ["XX局2019-2020年度报告", "某某网"]);
        let parts: Vec<&str> = title_parts("报告 | 网站 — 首页").collect();
        assert_eq!(parts, ["报告 ", " 网站 ", " 首页"]);
    }
}
