//! The integration tests, as one binary (one link instead of one per file).
//! Shared helpers and the shared material's paths are in [`common`]. A new
//! test file must be declared here: `autotests` is off in Cargo.toml.

mod common;

mod api;
mod browser;
mod browser_body;
mod browser_journalist;
mod browser_report;
mod coverage;
mod figures;
mod fixtures_golden;
mod gen_golden;
mod golden;
mod invest;
mod parse;
mod pdf_docx;
mod phrases;
mod report_detail;
mod robust;
mod search;
mod snapshot;
