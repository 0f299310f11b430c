//! The tantivy index: schema, opening, building documents from reports, and
//! reading them back.

pub mod ingest;
pub mod tokenizer;

use crate::model::report::Report;
use crate::parse::sections::SectionKey;
use std::path::{Path, PathBuf};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, OwnedValue, Schema,
    TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::{DocAddress, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use tokenizer::{JiebaTokenizer, NgramTokenizer};

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The reason is part of the message, not a `source`, so that printing the
    /// error chain does not say it twice.
    #[error("index {dir}: {reason}")]
    Tantivy {
        dir: PathBuf,
        reason: tantivy::TantivyError,
    },
    #[error("no space left on {dir}; this run's uncommitted files were removed, free some space and run again")]
    NoSpace { dir: PathBuf },
    #[error("index {dir}: {msg}")]
    Other { dir: PathBuf, msg: String },
}

/// Default index directory (relative to the working directory).
pub const DEFAULT_DIR: &str = "index";

/// Name of the fast field that holds a figure of `fields.tsv`.
pub fn figure_field_name(key: &str) -> String {
    format!("fig_{}", key.replace('.', "__"))
}

/// Handles to every field of the schema.
#[derive(Clone, Debug)]
pub struct Fields {
    pub id: Field,
    /// Hash of the raw file bytes and manifest overrides: a rerun skips files whose
    /// `src` is present without parsing them.
    pub src: Field,
    pub path_key: Field,
    pub path: Field,
    pub url: Field,
    pub title: Field,
    /// jieba words of the title and every section. Words scoped to one section go
    /// through the n-gram field instead (its terms carry the part code).
    pub all: Field,
    pub ngram: Field,
    pub report: Field,
    pub year: Field,
    pub region: Field,
    pub region_s: Field,
    pub issuer: Field,
    pub level: Field,
    pub template: Field,
    pub failed: Field,
    pub bytes: Field,
    /// (key, field) for every figure key of fields.tsv.
    pub figures: Vec<(&'static str, Field)>,
}

fn build_schema() -> Schema {
    let mut b = Schema::builder();
    let jieba = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("jieba")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let ngram = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("ngram")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
            .set_fieldnorms(true),
    );
    b.add_text_field("id", STRING | STORED);
    b.add_text_field("src", STRING);
    b.add_text_field("path_key", STRING);
    b.add_text_field("path", STORED);
    b.add_text_field("url", STORED);
    b.add_text_field("title", jieba.clone() | STORED);
    b.add_text_field("all", jieba);
    b.add_text_field("ngram", ngram);
    b.add_text_field("report", STORED);
    b.add_i64_field("year", INDEXED | FAST | STORED);
    b.add_facet_field("region", FacetOptions::default().set_stored());
    b.add_text_field("region_s", STRING | FAST);
    b.add_text_field("issuer", STRING | FAST | STORED);
    b.add_text_field("level", STRING | FAST);
    b.add_text_field("template", STRING | FAST);
    b.add_text_field("failed", STRING | FAST);
    b.add_u64_field("bytes", FAST);
    for f in crate::model::fields::all() {
        b.add_f64_field(
            &figure_field_name(f.key),
            NumericOptions::default().set_fast(),
        );
    }
    b.build()
}

impl Fields {
    fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |n: &str| schema.get_field(n);
        let mut figures = Vec::new();
        for d in crate::model::fields::all() {
            figures.push((d.key, f(&figure_field_name(d.key))?));
        }
        Ok(Fields {
            id: f("id")?,
            src: f("src")?,
            path_key: f("path_key")?,
            path: f("path")?,
            url: f("url")?,
            title: f("title")?,
            all: f("all")?,
            ngram: f("ngram")?,
            report: f("report")?,
            year: f("year")?,
            region: f("region")?,
            region_s: f("region_s")?,
            issuer: f("issuer")?,
            level: f("level")?,
            template: f("template")?,
            failed: f("failed")?,
            bytes: f("bytes")?,
            figures,
        })
    }

    /// The fields of the schema this version builds (for checking requests without an index).
    pub fn standard() -> Fields {
        Fields::new(&build_schema()).expect("schema has every field")
    }
}

pub(crate) fn section_pos(k: SectionKey) -> usize {
    SectionKey::ALL.iter().position(|x| *x == k).unwrap_or(5)
}

/// The n-gram part code of a section.
pub fn section_code(k: SectionKey) -> char {
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
    pub report: Report,
}

/// An opened index.
#[derive(Clone)]
pub struct Index {
    pub(crate) dir: PathBuf,
    pub(crate) index: tantivy::Index,
    pub(crate) reader: IndexReader,
    pub fields: Fields,
    /// Every term of a segment's facet column, in ordinal order: segments never
    /// change, so facet ordinals are resolved by indexing instead of reading the
    /// term dictionary on every search.
    pub(crate) terms: TermCache,
}

/// Terms of (segment, column), decoded once.
pub(crate) type TermCache = std::sync::Arc<
    std::sync::Mutex<
        std::collections::HashMap<
            (tantivy::index::SegmentId, &'static str),
            std::sync::Arc<Vec<String>>,
        >,
    >,
>;

fn register(index: &tantivy::Index) {
    index.tokenizers().register("jieba", JiebaTokenizer);
    index.tokenizers().register("ngram", NgramTokenizer);
}

impl Index {
    /// Opens the index in `dir`, creating it when the directory is empty or absent.
    pub fn open_or_create(dir: &Path) -> Result<Index, IndexError> {
        let err = |reason| IndexError::Tantivy {
            dir: dir.to_path_buf(),
            reason,
        };
        std::fs::create_dir_all(dir).map_err(|e| IndexError::Other {
            dir: dir.to_path_buf(),
            msg: e.to_string(),
        })?;
        let mmap = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| err(tantivy::TantivyError::from(e)))?;
        let index = tantivy::Index::open_or_create(mmap, build_schema()).map_err(|e| match e {
            tantivy::TantivyError::SchemaError(_) => IndexError::Other {
                dir: dir.to_path_buf(),
                msg: "this index was built by another version of gongkai (its fields differ); \
                      ingest into a new directory, or delete this one and ingest again"
                    .into(),
            },
            e => err(e),
        })?;
        Self::finish(dir, index)
    }

    /// Opens an existing index (an error if there is none).
    pub fn open(dir: &Path) -> Result<Index, IndexError> {
        if !dir.join("meta.json").exists() {
            return Err(IndexError::Other {
                dir: dir.to_path_buf(),
                msg: "no index here (run `gongkai ingest` first)".into(),
            });
        }
        let index = tantivy::Index::open_in_dir(dir).map_err(|reason| IndexError::Tantivy {
            dir: dir.to_path_buf(),
            reason,
        })?;
        Self::finish(dir, index)
    }

    fn finish(dir: &Path, index: tantivy::Index) -> Result<Index, IndexError> {
        let err = |reason| IndexError::Tantivy {
            dir: dir.to_path_buf(),
            reason,
        };
        register(&index);
        let fields = Fields::new(&index.schema()).map_err(err)?;
        let reader = index
            .reader_builder()
            // A running server sees a later ingest's commits (tantivy watches meta.json).
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(err)?;
        Ok(Index {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            terms: TermCache::default(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn terr(&self, reason: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy {
            dir: self.dir.clone(),
            reason,
        }
    }

    /// Segments of the opened commit.
    pub fn segment_ids(&self) -> Result<Vec<tantivy::index::SegmentId>, IndexError> {
        self.index
            .searchable_segment_ids()
            .map_err(|e| self.terr(e))
    }

    /// Merges the segments `ids` into one (nothing to do for fewer than two).
    /// Facet counting and phrase matching cost a little per segment, so a
    /// search over one segment is cheaper than over the many an ingest leaves.
    pub fn merge(
        &self,
        ids: &[tantivy::index::SegmentId],
        heap_bytes: usize,
    ) -> Result<(), IndexError> {
        if ids.len() <= 1 {
            return Ok(());
        }
        let mut writer: IndexWriter = self.writer(heap_bytes, 1)?;
        let merge = writer.merge(ids);
        merge.wait().map_err(|e| self.terr(e))?;
        writer.wait_merging_threads().map_err(|e| self.terr(e))?;
        self.reload()
    }

    /// Merges every segment into one. Returns the number of segments merged.
    pub fn compact(&self, heap_bytes: usize) -> Result<usize, IndexError> {
        let ids = self.segment_ids()?;
        self.merge(&ids, heap_bytes)?;
        Ok(ids.len())
    }

    pub fn reload(&self) -> Result<(), IndexError> {
        self.reader.reload().map_err(|e| self.terr(e))
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Number of reports in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// A writer with a memory budget for its in-RAM segments (bytes, total).
    pub fn writer(&self, heap_bytes: usize, threads: usize) -> Result<IndexWriter, IndexError> {
        self.index
            .writer_with_num_threads(threads, heap_bytes)
            .map_err(|e| self.terr(e))
    }

    /// True when a document with this term exists in the opened commit.
    pub fn has_term(&self, field: Field, value: &str) -> bool {
        let term = Term::from_field_text(field, value);
        self.reader
            .searcher()
            .doc_freq(&term)
            .map(|n| n > 0)
            .unwrap_or(false)
    }

    pub(crate) fn address_of(&self, id: &str) -> Option<DocAddress> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = self
            .reader
            .searcher()
            .search(&q, &TopDocs::with_limit(1))
            .ok()?;
        top.first().map(|(_, a)| *a)
    }

    /// The report with this id.
    pub fn get(&self, id: &str) -> Option<Report> {
        self.get_stored(id).map(|s| s.report)
    }

    /// The report with this id, with the path it was ingested from.
    pub fn get_stored(&self, id: &str) -> Option<StoredReport> {
        let addr = self.address_of(id)?;
        self.stored(&self.reader.searcher(), addr).ok()
    }

    pub(crate) fn stored(
        &self,
        searcher: &tantivy::Searcher,
        addr: DocAddress,
    ) -> Result<StoredReport, IndexError> {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.terr(e))?;
        let text = |f: Field| -> Option<String> {
            doc.get_first(f).and_then(|v| match OwnedValue::from(v) {
                OwnedValue::Str(s) => Some(s),
                _ => None,
            })
        };
        let json = text(self.fields.report).unwrap_or_default();
        let report: Report = serde_json::from_str(&json).map_err(|e| IndexError::Other {
            dir: self.dir.clone(),
            msg: format!("stored report unreadable: {e}"),
        })?;
        Ok(StoredReport {
            id: text(self.fields.id).unwrap_or_default(),
            path: text(self.fields.path).unwrap_or_default(),
            url: text(self.fields.url),
            report,
        })
    }

    /// Builds the tantivy document of a report.
    pub fn document(&self, d: &IndexDoc) -> TantivyDocument {
        let f = &self.fields;
        let r = &d.report;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &d.id);
        doc.add_text(f.src, &d.src);
        doc.add_text(f.path_key, &d.path_key);
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
        }
        if let Some(l) = r.level {
            doc.add_text(f.level, l.as_str());
        }
        doc.add_text(f.template, r.template.as_str());
        for c in r.failed_checks() {
            doc.add_text(f.failed, c);
        }
        doc.add_u64(f.bytes, d.bytes);
        for (key, field) in &f.figures {
            if let Some(v) = r.figures.get(*key) {
                if v.is_finite() {
                    doc.add_f64(*field, *v);
                }
            }
        }
        doc
    }
}

/// A report as stored in the index.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredReport {
    pub id: String,
    /// The file as it was ingested.
    pub path: String,
    pub url: Option<String>,
    pub report: Report,
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
}
