//! Reading a file: size limit, charset detection and decoding, and turning
//! HTML into lines of text (tables as rows of cells joined by " | ").

mod html;

use crate::error::{Error, Result};
use std::borrow::Cow;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

pub use html::MAX_DEPTH;

/// Largest file read (8 MiB). Real reports are 10 KB to 2 MB; past this a file
/// is refused rather than risking hundreds of MB of DOM for one page.
pub const MAX_FILE_BYTES: u64 = 8 << 20;
/// PDFs and .docx may be this many times larger (64 MiB by default).
pub const PACKAGED_FACTOR: u64 = 8;

/// What one file may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Larger files are refused before they are read.
    pub max_bytes: u64,
    /// Reading stops with [`DecodeError::OverBudget`] once this has passed.
    pub deadline: Option<Instant>,
    /// The time budget the deadline came from, for the error message.
    pub budget: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: MAX_FILE_BYTES,
            deadline: None,
            budget: Duration::ZERO,
        }
    }
}

impl Limits {
    /// Limits with a time budget starting now.
    pub fn with_budget(budget: Duration) -> Self {
        Limits {
            deadline: Some(Instant::now() + budget),
            budget,
            ..Limits::default()
        }
    }

    /// The size limit for a file of this extension: PDFs and Word files carry
    /// fonts and images beside their text, so they may be larger.
    pub fn max_bytes_for(&self, ext: &str) -> u64 {
        if matches!(ext, "pdf" | "docx") {
            self.max_bytes.saturating_mul(PACKAGED_FACTOR)
        } else {
            self.max_bytes
        }
    }

    /// Fails once the deadline has passed.
    pub fn check(&self) -> Result<(), DecodeError> {
        match self.deadline {
            Some(d) if Instant::now() > d => Err(DecodeError::OverBudget(self.budget)),
            _ => Ok(()),
        }
    }
}

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
    /// What reading changed or could not keep (flattened nesting, ignored spans).
    pub warnings: Vec<String>,
}

pub use crate::model::report::Format;

/// Reads and decodes one file within the default [`Limits`].
pub fn read_file(path: &Path) -> Result<Document> {
    read_file_within(path, &Limits::default())
}

/// Reads and decodes one file; a file past `limits` is refused with an error naming the limit.
pub fn read_file_within(path: &Path, limits: &Limits) -> Result<Document> {
    let bytes = read_bytes(path, limits)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    decode_within(&bytes, &ext, limits).map_err(|e| e.for_path(path))
}

/// A regular file's bytes, refused past `limits.max_bytes`; other kinds of
/// path (FIFOs, devices, folders) are refused before they are opened, as
/// opening a FIFO for reading waits for a writer.
pub fn read_bytes(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let io = |reason| Error::Io {
        path: path.to_path_buf(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(Error::NotRegular {
            path: path.to_path_buf(),
            kind: file_kind(&meta.file_type()),
        });
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let max = limits.max_bytes_for(&ext);
    let too_large = || DecodeError::TooLarge(max).for_path(path);
    if meta.len() > max {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    // One byte past the limit tells a file that grew past it while being read.
    std::fs::File::open(path)
        .and_then(|f| f.take(max.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// What a path that is not a regular file is, for messages.
pub fn file_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// Why bytes could not be read as a document.
#[derive(Debug)]
pub enum DecodeError {
    /// Nothing but whitespace.
    Empty,
    Binary(String),
    /// Markup without any text.
    NoText,
    /// Larger than the limit (bytes).
    TooLarge(u64),
    /// Reading took longer than this budget.
    OverBudget(Duration),
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

impl DecodeError {
    /// The library error for this failure on `path`.
    pub fn for_path(self, path: &Path) -> Error {
        let path = path.to_path_buf();
        match self {
            DecodeError::Empty => Error::Empty { path },
            DecodeError::Binary(reason) => Error::Binary { path, reason },
            DecodeError::NoText => Error::NoText { path },
            DecodeError::TooLarge(limit) => Error::TooLarge { path, limit },
            DecodeError::OverBudget(budget) => Error::OverBudget { path, budget },
            DecodeError::Broken { format, reason } => Error::Broken {
                path,
                format,
                reason,
            },
            DecodeError::NoTextLayer => Error::NoTextLayer { path },
            DecodeError::Unsupported(reason) => Error::Unsupported { path, reason },
        }
    }
}

/// Decodes bytes into a [`Document`] within the default [`Limits`]; `ext` (lower case, no dot) hints the format.
pub fn decode(bytes: &[u8], ext: &str) -> Result<Document, DecodeError> {
    decode_within(bytes, ext, &Limits::default())
}

/// Decodes bytes into a [`Document`], refusing input past `limits`.
pub fn decode_within(bytes: &[u8], ext: &str, limits: &Limits) -> Result<Document, DecodeError> {
    let packaged = bytes.starts_with(b"%PDF") || bytes.starts_with(b"PK\x03\x04");
    let max = limits.max_bytes_for(if packaged { "pdf" } else { ext });
    if bytes.len() as u64 > max {
        return Err(DecodeError::TooLarge(max));
    }
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
    limits.check()?;
    let doc = if looks_html {
        html::html_document(&text, limits)?
    } else {
        text_document(&text)
    };
    if doc.lines.iter().all(|l| l.trim().is_empty()) {
        return Err(if looks_html {
            DecodeError::NoText
        } else {
            DecodeError::Empty
        });
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
