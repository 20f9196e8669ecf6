use std::path::PathBuf;

use thiserror::Error;

use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{0} is not a CSV or XLSX file (it should end in .csv, .txt or .xlsx)")]
    UnknownType(PathBuf),
    #[error("the spreadsheet cannot be read: {0}")]
    Xlsx(String),
    #[error("the CSV file cannot be read: {0}")]
    Csv(String),
    #[error("the file has no header row")]
    NoHeader,
    #[error("the file has no {missing} column (found: {found}); name it one of: {accepted}; nothing was imported")]
    MissingColumn { missing: &'static str, found: String, accepted: String },
    #[error("two columns mean {field}: '{first}' and '{second}'; rename or remove one; nothing was imported")]
    DuplicateColumn { field: &'static str, first: String, second: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Read { .. } => "io",
            ImportError::UnknownType(_) => "unknown_file_type",
            ImportError::Xlsx(_) | ImportError::Csv(_) => "unreadable_file",
            ImportError::NoHeader => "no_header",
            ImportError::MissingColumn { .. } => "missing_column",
            ImportError::DuplicateColumn { .. } => "duplicate_column",
            ImportError::Store(e) => e.code(),
        }
    }
}
