//! The tantivy schema: every field's name (as a constant, so that no other
//! module spells one) and its options, and [`Fields`], the handles to them.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    FAST, INDEXED, STORED, STRING,
};

/// Content id (16 hex digits of blake3 over the normalised text).
pub const ID: &str = "id";
/// Hash of the raw bytes and manifest overrides.
pub const SRC: &str = "src";
/// The canonical path, for replacing a re-ingested file and serving it.
pub const PATH_KEY: &str = "path_key";
/// blake3 of the file's bytes as ingested: the file is served only while unchanged.
pub const SHA: &str = "sha";
/// The path as given to ingest.
pub const PATH: &str = "path";
pub const URL: &str = "url";
/// jieba words of the title.
pub const TITLE: &str = "title";
/// jieba words of the title and every section.
pub const ALL: &str = "all";
/// Character n-grams of every part, each marked with its part code.
pub const NGRAM: &str = "ngram";
/// The whole report as JSON.
pub const REPORT: &str = "report";
pub const YEAR: &str = "year";
/// Region as a facet ("/河北省/秦皇岛市"), for filtering by a region and everything under it.
pub const REGION: &str = "region";
/// Region path as a string column, for counting.
pub const REGION_S: &str = "region_s";
pub const ISSUER: &str = "issuer";
/// Stable id of the issuing body across years ([`crate::model::body::body_id`]).
pub const BODY: &str = "body";
pub const LEVEL: &str = "level";
pub const TEMPLATE: &str = "template";
/// Names of the consistency checks the report fails.
pub const FAILED: &str = "failed";
/// Size of the file.
pub const BYTES: &str = "bytes";
/// Whether the report came out by its deadline: on_time, late or unknown
/// ([`crate::model::derived::Timeliness`]).
pub const TIMELINESS: &str = "timeliness";
/// Ids of the reports its copied text was found in (JSON of
/// [`super::document::CopySources`]), set by the copy pass.
pub const COPIES: &str = "copies";

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
    pub sha: Field,
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
    pub body: Field,
    pub level: Field,
    pub template: Field,
    pub failed: Field,
    pub bytes: Field,
    pub timeliness: Field,
    pub copies: Field,
    /// (key, field) for every figure key of fields.tsv.
    pub figures: Vec<(&'static str, Field)>,
}

/// The schema this version writes.
pub fn build_schema() -> Schema {
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
    b.add_text_field(ID, STRING | STORED);
    // Stored so that the copy pass can write a document again as it was.
    b.add_text_field(SRC, STRING | STORED);
    b.add_text_field(PATH_KEY, STRING | STORED);
    b.add_text_field(SHA, STORED);
    b.add_text_field(PATH, STORED);
    b.add_text_field(URL, STORED);
    b.add_text_field(TITLE, jieba.clone() | STORED);
    b.add_text_field(ALL, jieba);
    b.add_text_field(NGRAM, ngram);
    b.add_text_field(REPORT, STORED);
    b.add_i64_field(YEAR, INDEXED | FAST | STORED);
    b.add_facet_field(REGION, FacetOptions::default().set_stored());
    b.add_text_field(REGION_S, STRING | FAST);
    b.add_text_field(ISSUER, STRING | FAST | STORED);
    b.add_text_field(BODY, STRING | FAST | STORED);
    b.add_text_field(LEVEL, STRING | FAST);
    b.add_text_field(TEMPLATE, STRING | FAST);
    b.add_text_field(FAILED, STRING | FAST);
    b.add_u64_field(BYTES, FAST | STORED);
    b.add_text_field(TIMELINESS, STRING | FAST);
    b.add_text_field(COPIES, STORED);
    for f in crate::model::fields::all() {
        b.add_f64_field(
            &figure_field_name(f.key),
            NumericOptions::default().set_fast(),
        );
    }
    b.build()
}

impl Fields {
    pub(crate) fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |n: &str| schema.get_field(n);
        let mut figures = Vec::new();
        for d in crate::model::fields::all() {
            figures.push((d.key, f(&figure_field_name(d.key))?));
        }
        Ok(Fields {
            id: f(ID)?,
            src: f(SRC)?,
            path_key: f(PATH_KEY)?,
            sha: f(SHA)?,
            path: f(PATH)?,
            url: f(URL)?,
            title: f(TITLE)?,
            all: f(ALL)?,
            ngram: f(NGRAM)?,
            report: f(REPORT)?,
            year: f(YEAR)?,
            region: f(REGION)?,
            region_s: f(REGION_S)?,
            issuer: f(ISSUER)?,
            body: f(BODY)?,
            level: f(LEVEL)?,
            template: f(TEMPLATE)?,
            failed: f(FAILED)?,
            bytes: f(BYTES)?,
            timeliness: f(TIMELINESS)?,
            copies: f(COPIES)?,
            figures,
        })
    }

    /// The fields of the schema this version builds (for checking requests without an index).
    pub fn standard() -> Fields {
        Fields::new(&build_schema()).expect("schema has every field")
    }
}
