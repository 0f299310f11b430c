//! A report as a tantivy document, and back: the content id, the n-gram
//! value, the fields written, and the stored report read from a hit.

use super::schema::Fields;
use super::tokenizer;
use crate::model::report::Report;
use crate::parse::sections::SectionKey;
use tantivy::schema::{Facet, Field, OwnedValue};
use tantivy::TantivyDocument;

pub(crate) fn section_pos(k: SectionKey) -> usize {
    SectionKey::ALL.iter().position(|x| *x == k).unwrap_or(5)
}

/// The n-gram part code of a section: '1'..='6' in `SectionKey::ALL` order,
/// '7' for the preamble (so that `preamble:` finds exactly its text).
pub fn section_code(k: SectionKey) -> char {
    if k == SectionKey::Preamble {
        return '7';
    }
    (b'1' + section_pos(k) as u8) as char
}

/// Content id of a report: blake3 of its normalised full text
/// ([`Report::full_text`], hashed piece by piece), 16 hex digits.
pub fn content_id(report: &Report) -> String {
    let mut h = blake3::Hasher::new();
    h.update(report.title.as_bytes());
    for sec in &report.sections {
        h.update(b"\n");
        h.update(sec.text.as_bytes());
    }
    h.finalize().to_hex()[..16].to_string()
}

/// The value of the n-gram field: the title and every section, each marked
/// with its part code.
pub fn ngram_text(r: &Report) -> String {
    tokenizer::ngram_value(
        std::iter::once((tokenizer::TITLE_CODE, r.title.as_str())).chain(
            r.sections
                .iter()
                .map(|s| (section_code(s.key), s.text.as_str())),
        ),
    )
}

/// A report ready to be indexed, with where it came from.
pub struct IndexDoc {
    pub id: String,
    pub src: String,
    pub path: String,
    pub path_key: String,
    pub url: Option<String>,
    pub bytes: u64,
    /// blake3 of the file's bytes (hex).
    pub sha: String,
    pub report: Report,
    /// Where its copied text was found (empty until the copy pass ran).
    pub copies: CopySources,
}

/// Ids of the reports a report's copied text stands in: the same body's
/// previous report and the most similar report of another body that year.
/// Set with the `copied.*` figures by [`crate::index::copies`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CopySources {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_year: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_body: Option<String>,
}

impl CopySources {
    pub fn is_empty(&self) -> bool {
        self.previous_year.is_none() && self.other_body.is_none()
    }
}

/// A report as stored in the index.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredReport {
    pub id: String,
    /// The file as it was ingested.
    pub path: String,
    pub url: Option<String>,
    /// Stable id of the issuing body, when the report names one.
    pub body: Option<String>,
    /// The canonical path and the blake3 of the bytes ingested (absent in
    /// documents written without them).
    pub path_key: Option<String>,
    pub sha: Option<String>,
    pub report: Report,
    /// Reports its copied text was found in.
    pub copies: CopySources,
}

/// Builds the tantivy document of a report.
pub fn to_document(f: &Fields, d: &IndexDoc) -> TantivyDocument {
    let r = &d.report;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &d.id);
    doc.add_text(f.src, &d.src);
    doc.add_text(f.path_key, &d.path_key);
    doc.add_text(f.sha, &d.sha);
    doc.add_text(f.path, &d.path);
    if let Some(u) = &d.url {
        doc.add_text(f.url, u);
    }
    doc.add_text(f.title, &r.title);
    // Raw text, segmented by the registered tokenizer inside the indexing
    // thread (a pre-tokenized value would go through JSON twice).
    doc.add_text(f.all, r.full_text());
    doc.add_text(f.ngram, ngram_text(r));
    doc.add_text(
        f.report,
        serde_json::to_string(r).expect("report serialises"),
    );
    if let Some(y) = r.year {
        doc.add_i64(f.year, y as i64);
    }
    if let Some(reg) = &r.region {
        let path = format!("/{}", reg.path.trim_matches('/'));
        doc.add_facet(
            f.region,
            Facet::from_text(&path).unwrap_or_else(|_| Facet::root()),
        );
        doc.add_text(f.region_s, &path);
    }
    if let Some(i) = &r.issuer {
        doc.add_text(f.issuer, i);
        if let Some(b) = crate::model::body::body_id(i, r.region.as_ref()) {
            doc.add_text(f.body, b);
        }
    }
    if let Some(l) = r.level {
        doc.add_text(f.level, l.as_str());
    }
    doc.add_text(f.template, r.template.as_str());
    for c in r.failed_checks() {
        doc.add_text(f.failed, c);
    }
    doc.add_u64(f.bytes, d.bytes);
    doc.add_text(
        f.timeliness,
        crate::model::derived::timeliness_of(r).as_str(),
    );
    if !d.copies.is_empty() {
        doc.add_text(
            f.copies,
            serde_json::to_string(&d.copies).expect("sources serialise"),
        );
    }
    for (key, field) in &f.figures {
        if let Some(v) = r.figures.get(*key) {
            if v.is_finite() {
                doc.add_f64(*field, *v);
            }
        }
    }
    doc
}

fn stored_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| match OwnedValue::from(v) {
            OwnedValue::Str(s) => Some(s),
            _ => None,
        })
}

fn stored_copies(f: &Fields, doc: &TantivyDocument) -> CopySources {
    stored_text(doc, f.copies)
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

/// Reads the stored report back from its document; the error says why the
/// stored JSON cannot be read.
pub fn from_document(f: &Fields, doc: &TantivyDocument) -> Result<StoredReport, String> {
    let text = |field: Field| stored_text(doc, field);
    let json = text(f.report).unwrap_or_default();
    let report: Report =
        serde_json::from_str(&json).map_err(|e| format!("stored report unreadable: {e}"))?;
    Ok(StoredReport {
        id: text(f.id).unwrap_or_default(),
        path: text(f.path).unwrap_or_default(),
        url: text(f.url),
        body: text(f.body),
        copies: stored_copies(f, doc),
        path_key: text(f.path_key),
        sha: text(f.sha),
        report,
    })
}

/// The [`IndexDoc`] a stored document was built from, so that it can be
/// written again with new derived values.
pub fn index_doc(f: &Fields, doc: &TantivyDocument) -> Result<IndexDoc, String> {
    let s = from_document(f, doc)?;
    let bytes = doc
        .get_first(f.bytes)
        .and_then(|v| match OwnedValue::from(v) {
            OwnedValue::U64(n) => Some(n),
            _ => None,
        })
        .unwrap_or(0);
    Ok(IndexDoc {
        id: s.id,
        src: stored_text(doc, f.src).unwrap_or_default(),
        path: s.path,
        path_key: s.path_key.unwrap_or_default(),
        url: s.url,
        bytes,
        sha: s.sha.unwrap_or_default(),
        report: s.report,
        copies: s.copies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_id_is_the_hash_of_the_full_text() {
        let r = crate::parse_bytes(
            "某县2022年政府信息公开工作年度报告\n一、总体情况\n本县推进政务公开。\n五、存在的主要问题及改进情况\n人员不足。\n"
                .as_bytes(),
            "txt",
        )
        .unwrap();
        let want = blake3::hash(r.full_text().as_bytes()).to_hex()[..16].to_string();
        assert_eq!(content_id(&r), want);
    }

    #[test]
    fn a_body_renamed_between_years_keeps_its_id() {
        let parse = |title: &str| {
            let text = format!("{title}\n一、总体情况\n本委推进政务公开。\n");
            crate::parse_bytes(text.as_bytes(), "txt").unwrap()
        };
        let f = Fields::standard();
        let stored = |r: Report| {
            let d = IndexDoc {
                id: content_id(&r),
                src: String::new(),
                path: "x.txt".into(),
                path_key: "x.txt".into(),
                sha: String::new(),
                url: None,
                bytes: 0,
                report: r,
                copies: CopySources::default(),
            };
            from_document(&f, &to_document(&f, &d)).unwrap()
        };
        let a = stored(parse("上海市科委2022年政府信息公开工作年度报告"));
        let b = stored(parse("上海市科学技术委员会2023年政府信息公开工作年度报告"));
        let c = stored(parse("上海市教育委员会2023年政府信息公开工作年度报告"));
        assert!(a.body.is_some());
        assert_eq!(a.body, b.body);
        assert_ne!(a.body, c.body);
    }
}
