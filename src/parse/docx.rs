//! Word: a .docx file's paragraphs and tables become the lines and rows an HTML
//! page gives (cells joined by " | ", `gridSpan` and `vMerge` resolved like
//! colspan and rowspan: the text in the first position, the covered ones empty).
//! The binary formats (.doc, .wps) are named with what to convert them to.

use super::read::{DecodeError, Document, Format};
use quick_xml::events::{BytesStart, Event};
use std::io::Read;

/// The main part is refused past this size once decompressed (a zip bomb).
const MAX_XML: u64 = 64 << 20;
/// Tables nested deeper than this are refused.
const MAX_NESTING: usize = 32;

fn broken(reason: impl Into<String>) -> DecodeError {
    DecodeError::Broken {
        format: "DOCX",
        reason: reason.into(),
    }
}

/// The error for a binary Office file (`ext` lower case, no dot).
pub fn binary_office(ext: &str) -> DecodeError {
    let what = match ext {
        "wps" => "WPS Office document (.wps)",
        "doc" => "Word 97-2003 document (.doc)",
        _ => "binary Office document",
    };
    DecodeError::Unsupported(format!(
        "{what} is a binary format this reader does not take: save it as .docx or PDF"
    ))
}

/// Reads `word/document.xml` from a .docx archive into lines.
pub fn read_docx(bytes: &[u8]) -> Result<Document, DecodeError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| broken(format!("not a zip archive ({e})")))?;
    let mut part = zip
        .by_name("word/document.xml")
        .map_err(|_| broken("no word/document.xml (not a Word document)"))?;
    if part.size() > MAX_XML {
        return Err(broken(format!(
            "word/document.xml is {} MB decompressed, over the {} MB limit (zip bomb?)",
            part.size() >> 20,
            MAX_XML >> 20
        )));
    }
    // The declared size can lie: read at most one byte past the limit.
    let mut xml = Vec::new();
    (&mut part)
        .take(MAX_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|e| broken(format!("word/document.xml: {e}")))?;
    if xml.len() as u64 > MAX_XML {
        return Err(broken(format!(
            "word/document.xml decompresses past the {} MB limit (zip bomb?)",
            MAX_XML >> 20
        )));
    }
    let lines = document_lines(&xml).map_err(broken)?;
    if lines.iter().all(|l| l.trim().is_empty()) {
        return Err(DecodeError::Empty);
    }
    Ok(Document {
        lines,
        format: Format::Docx,
        ..Default::default()
    })
}

/// A table cell: its paragraphs, and the grid positions it covers.
#[derive(Default)]
struct Cell {
    paras: Vec<String>,
    span: usize,
    /// A `vMerge` continuation: the cell above holds the text.
    continued: bool,
    nested: bool,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
    row: Option<Vec<Cell>>,
    cell: Option<Cell>,
}

/// Where text goes while the XML is read.
#[derive(Default)]
struct State {
    lines: Vec<String>,
    tables: Vec<Table>,
    para: String,
    /// Paragraphs open (text boxes put paragraphs inside paragraphs).
    para_depth: usize,
    in_text: bool,
}

impl State {
    /// Ends the current paragraph: into the open cell, or a line of its own.
    fn end_para(&mut self) {
        let p = collapse(&std::mem::take(&mut self.para));
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            Some(cell) => {
                if !p.is_empty() {
                    cell.paras.push(p);
                }
            }
            None => {
                if !p.is_empty() {
                    self.lines.push(p);
                }
            }
        }
    }

    fn start(&mut self, e: &BytesStart) -> Result<(), String> {
        match e.local_name().as_ref() {
            b"p" => {
                if self.para_depth > 0 {
                    self.para.push(' ');
                }
                self.para_depth += 1;
            }
            b"t" => self.in_text = true,
            b"tbl" => {
                if self.tables.len() >= MAX_NESTING {
                    return Err("tables nested too deep".into());
                }
                if self.para_depth == 0 {
                    self.end_para();
                }
                self.tables.push(Table::default());
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(Vec::new());
                }
            }
            b"tc" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(Cell {
                        span: 1,
                        ..Default::default()
                    });
                }
            }
            _ => self.empty(e),
        }
        Ok(())
    }

    /// Elements that matter whether empty or not: tabs, breaks and cell properties.
    fn empty(&mut self, e: &BytesStart) {
        let val = || {
            e.attributes()
                .flatten()
                .find(|a| a.key.local_name().as_ref() == b"val")
                .map(|a| String::from_utf8_lossy(&a.value).into_owned())
        };
        match e.local_name().as_ref() {
            b"tab" | b"br" | b"cr" if self.para_depth > 0 => self.para.push(' '),
            b"gridSpan" => {
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.span = val().and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64);
                }
            }
            b"vMerge" => {
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.continued = val().is_none_or(|v| v == "continue");
                }
            }
            b"gridBefore" => {
                let n: usize = val().and_then(|v| v.parse().ok()).unwrap_or(0).min(64);
                if let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    row.extend((0..n).map(|_| Cell {
                        span: 1,
                        ..Default::default()
                    }));
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"t" => self.in_text = false,
            b"p" => {
                self.para_depth = self.para_depth.saturating_sub(1);
                if self.para_depth == 0 {
                    self.end_para();
                }
            }
            b"tc" => {
                if let Some(t) = self.tables.last_mut() {
                    if let (Some(c), Some(row)) = (t.cell.take(), t.row.as_mut()) {
                        row.push(c);
                    }
                }
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    if let Some(row) = t.row.take() {
                        t.rows.push(row);
                    }
                }
            }
            b"tbl" => {
                if let Some(t) = self.tables.pop() {
                    self.close_table(t);
                }
            }
            _ => {}
        }
    }

    /// A finished table: its rows as lines, or its text into the enclosing cell.
    fn close_table(&mut self, t: Table) {
        if let Some(cell) = self.tables.last_mut().and_then(|p| p.cell.as_mut()) {
            cell.nested = true;
            cell.paras
                .extend(t.rows.into_iter().flatten().flat_map(|c| c.paras));
            return;
        }
        // Like HTML: a table with nested tables or long cells is layout, not data.
        let layout =
            t.rows.iter().flatten().any(|c| {
                c.nested || c.paras.iter().map(|p| p.chars().count()).sum::<usize>() >= 200
            });
        for row in t.rows {
            if layout {
                self.lines.extend(row.into_iter().flat_map(|c| c.paras));
                continue;
            }
            let mut cells: Vec<String> = Vec::new();
            for c in row {
                cells.push(if c.continued {
                    String::new()
                } else {
                    join_paras(&c.paras)
                });
                cells.extend((1..c.span).map(|_| String::new()));
            }
            if cells.iter().any(|c| !c.is_empty()) {
                self.lines.push(cells.join(" | "));
            }
        }
    }
}

/// A cell's paragraphs as one line: glued between Chinese characters, spaced otherwise.
fn join_paras(paras: &[String]) -> String {
    let mut s = String::new();
    for p in paras {
        let seam_cjk = s.chars().last().is_some_and(|c| !c.is_ascii())
            || p.chars().next().is_some_and(|c| !c.is_ascii());
        if !s.is_empty() && !seam_cjk {
            s.push(' ');
        }
        s.push_str(p);
    }
    s
}

/// Runs of whitespace as single spaces, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lines of `word/document.xml`'s body.
fn document_lines(xml: &[u8]) -> Result<Vec<String>, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut st = State::default();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => st.start(&e)?,
            Ok(Event::Empty(e)) => {
                let name = e.local_name();
                match name.as_ref() {
                    // An empty paragraph or cell still opens and closes.
                    b"p" | b"tc" | b"tr" | b"tbl" => {
                        st.start(&e)?;
                        st.end(name.as_ref());
                    }
                    _ => st.empty(&e),
                }
            }
            Ok(Event::End(e)) => st.end(e.local_name().as_ref()),
            Ok(Event::Text(t)) if st.in_text => {
                let t = t
                    .unescape()
                    .map_err(|e| format!("word/document.xml: {e}"))?;
                st.para.push_str(&t);
            }
            Ok(Event::CData(t)) if st.in_text => {
                st.para.push_str(&String::from_utf8_lossy(&t));
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "word/document.xml at byte {}: {e}",
                    reader.error_position()
                ))
            }
        }
        buf.clear();
    }
    st.end_para();
    Ok(st.lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(inner: &str) -> Vec<String> {
        let xml = format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{inner}</w:body></w:document>"#
        );
        document_lines(xml.as_bytes()).unwrap()
    }

    fn p(t: &str) -> String {
        format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>")
    }

    fn tc(props: &str, text: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text))
    }

    #[test]
    fn spans_and_merges_resolve_like_html() {
        let restart = r#"<w:vMerge w:val="restart"/>"#;
        let table = format!(
            "<w:tbl><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            tc(restart, "三、本年度办理结果"),
            tc("", "（一）予以公开"),
            tc("", "5"),
            tc("<w:vMerge/>", ""),
            tc("", "（二）部分公开"),
            tc("", "2"),
            tc(r#"<w:gridSpan w:val="2"/>"#, "四、结转"),
            tc("", "1"),
        );
        let lines = body(&format!("{}{table}{}", p("一、总体情况"), p("正文")));
        assert_eq!(
            lines,
            [
                "一、总体情况",
                "三、本年度办理结果 | （一）予以公开 | 5",
                " | （二）部分公开 | 2",
                "四、结转 |  | 1",
                "正文"
            ]
        );
    }

    #[test]
    fn runs_join_and_breaks_space() {
        let lines = body(
            "<w:p><w:r><w:t>政府信息</w:t></w:r><w:r><w:t xml:space=\"preserve\">公开 </w:t><w:tab/><w:t>年报</w:t></w:r><w:r><w:delText>删</w:delText><w:instrText>PAGE</w:instrText></w:r></w:p>",
        );
        assert_eq!(lines, ["政府信息公开 年报"]);
    }

    #[test]
    fn binary_office_names_the_format() {
        let DecodeError::Unsupported(m) = binary_office("wps") else {
            panic!()
        };
        assert!(m.contains(".wps") && m.contains(".docx"), "{m}");
    }
}
