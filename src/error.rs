use std::path::PathBuf;

/// Errors of the library. Every variant that concerns a file names it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The reason is part of the message (not a `source`), so that printing
    /// the error chain does not say it twice.
    #[error("{path}: cannot read: {reason}")]
    Io {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("{path}: empty file")]
    Empty { path: PathBuf },
    #[error("{path}: binary or undecodable content ({reason})")]
    Binary { path: PathBuf, reason: String },
    #[error("{path}: not a regular file ({kind}); only regular files are read")]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{path}: file larger than the limit of {limit} bytes")]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{path}: parsing took longer than the budget of {budget:?} per file")]
    OverBudget {
        path: PathBuf,
        budget: std::time::Duration,
    },
    #[error("{path}: broken {format}: {reason}")]
    Broken {
        path: PathBuf,
        format: &'static str,
        reason: String,
    },
    #[error("{path}: no text layer (scanned PDF): needs OCR")]
    NoTextLayer { path: PathBuf },
    #[error("{path}: {reason}")]
    Unsupported { path: PathBuf, reason: String },
    #[error("{path}: no report text found")]
    NoText { path: PathBuf },
    #[error("{0}")]
    Other(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
