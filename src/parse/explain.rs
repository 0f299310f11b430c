//! Why the parser read a report the way it did (`gongkai check --explain`):
//! which heading anchored each section, which heading-like lines were passed
//! over and why, what the table reader did with each row, and every piece of
//! text removed from the body with the rule that removed it.

use crate::parse::sections::SectionKey;
use serde::Serialize;
use std::fmt;

/// The parser's account of one report. Every stage adds to it; nothing in it
/// changes what the report says.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Explain {
    /// The heading that opened each section, in text order.
    pub sections: Vec<Anchor>,
    /// Lines that looked like headings but were not taken as one.
    pub rejected: Vec<Rejected>,
    /// Table rows read or refused by the figures stage.
    pub rows: Vec<RowNote>,
    /// Text taken out of the body, with the rule that took it.
    pub removed: Vec<Removed>,
}

/// A heading that starts a section.
#[derive(Debug, Clone, Serialize)]
pub struct Anchor {
    pub key: SectionKey,
    /// 1-based line of the decoded document.
    pub line: usize,
    /// Numbering style: "一、", "1.", "(一)", "第一部分", "bare".
    pub style: &'static str,
    /// The heading as it stands in the text, numbering included.
    pub text: String,
    /// The heading is also the first words of the section's text: a run-in
    /// sub-heading ("(一)存在的主要问题。一是…") that opens a paragraph.
    pub in_text: bool,
}

/// A heading-like line that did not open a section.
#[derive(Debug, Clone, Serialize)]
pub struct Rejected {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

/// What the table reader did with one row.
#[derive(Debug, Clone, Serialize)]
pub struct RowNote {
    /// Table number of the 2021 template (1, 2 or 3).
    pub table: u8,
    /// The row's field key prefix or label as read.
    pub label: String,
    pub line: Option<usize>,
    pub accepted: bool,
    /// The numbers taken, or why none were.
    pub note: String,
}

/// Why a piece of text left the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoveRule {
    /// A whole line of website chrome (navigation, metadata bar, page footer).
    Chrome,
    /// The report's title line (and its repeats as page headers).
    Title,
    /// The closing signature: the body's name and the date.
    Signature,
    /// Markdown heading marks (`##`).
    Markup,
}

impl RemoveRule {
    pub fn as_str(self) -> &'static str {
        match self {
            RemoveRule::Chrome => "chrome",
            RemoveRule::Title => "title",
            RemoveRule::Signature => "signature",
            RemoveRule::Markup => "markup",
        }
    }
}

/// One removal.
#[derive(Debug, Clone, Serialize)]
pub struct Removed {
    pub rule: RemoveRule,
    pub line: usize,
    pub text: String,
}

impl fmt::Display for Explain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "sections:")?;
        for a in &self.sections {
            writeln!(
                f,
                "  {:<9} line {:>4}  {:<8} {}{}",
                a.key.as_str(),
                a.line,
                a.style,
                a.text,
                if a.in_text {
                    "  (kept in the text)"
                } else {
                    ""
                }
            )?;
        }
        if !self.rejected.is_empty() {
            writeln!(f, "not headings:")?;
            for r in &self.rejected {
                writeln!(f, "  line {:>4}  {}  ({})", r.line, r.text, r.reason)?;
            }
        }
        if !self.rows.is_empty() {
            writeln!(f, "table rows:")?;
            for r in &self.rows {
                let line = r.line.map_or("-".to_string(), |l| l.to_string());
                let mark = if r.accepted { "ok" } else { "no" };
                writeln!(
                    f,
                    "  table {} line {:>4}  {mark} {}  {}",
                    r.table, line, r.label, r.note
                )?;
            }
        }
        if !self.removed.is_empty() {
            writeln!(f, "removed:")?;
            for r in &self.removed {
                writeln!(f, "  line {:>4}  {:<9} {}", r.line, r.rule.as_str(), r.text)?;
            }
        }
        Ok(())
    }
}
