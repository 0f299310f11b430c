//! The tantivy index: opening it, writing and reading reports. The schema,
//! the document of a report, the tokenizers, the ingest manifest and ingest
//! itself each have their module.

pub mod copies;
pub mod document;
pub mod ingest;
pub mod manifest;
pub mod schema;
pub mod tokenizer;

pub use document::{content_id, ngram_text, section_code, CopySources, IndexDoc, StoredReport};
pub use schema::{figure_field_name, Fields};

use crate::model::report::Report;
use schema::build_schema;
use std::path::{Path, PathBuf};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption};
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
        document::from_document(&self.fields, &doc).map_err(|msg| IndexError::Other {
            dir: self.dir.clone(),
            msg,
        })
    }

    /// Builds the tantivy document of a report.
    pub fn document(&self, d: &IndexDoc) -> TantivyDocument {
        document::to_document(&self.fields, d)
    }
}
