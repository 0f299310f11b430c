//! gongkai (公开): parse, index and search Chinese government information
//! disclosure annual reports (政府信息公开工作年度报告).
//!
//! The pipeline has one module per stage: [`read`] turns a file into lines,
//! [`normalize`] cleans them, [`meta`] finds title/year/region/issuer,
//! [`sections`] splits the six sections, [`figures`] reads the tables, and
//! [`report`] ties them into a [`report::Report`].

pub mod error;
pub mod fields;
pub mod figures;
pub mod gazetteer;
pub mod gen;
pub mod index;
pub mod ingest;
pub mod meta;
pub mod normalize;
pub mod openapi;
pub mod query;
pub mod read;
pub mod report;
pub mod sections;
pub mod server;
pub mod text;

pub use error::Error;
pub use report::{parse_bytes, parse_file, Report};
