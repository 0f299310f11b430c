//! gongkai (公开): parse, index and search Chinese government information
//! disclosure annual reports (政府信息公开工作年度报告).
//!
//! The modules follow the pipeline: [`parse`] turns a file into a
//! [`model::Report`] (read → normalize → meta → sections → figures), [`index`]
//! writes reports into tantivy, [`search`] answers queries over the index, and
//! [`server`] puts search behind an HTTP API and a web page. [`synth`] generates
//! realistic reports with their ground truth for tests and benchmarks, and
//! [`analysis`] answers questions across reports (copied text).

pub mod analysis;
pub mod error;
pub mod gazetteer;
pub mod index;
pub mod model;
pub mod parse;
pub mod search;
pub mod server;
pub mod synth;

pub use error::Error;
pub use model::Report;
pub use parse::{parse_bytes, parse_file};
