use std::path::PathBuf;

use thiserror::Error;

use crate::report::ReportError;
use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("unknown export format '{0}'; valid: csv, xlsx, json, html")]
    UnknownFormat(String),
    #[error("unknown export content '{0}'; valid: encounters, partners, activities, report")]
    UnknownWhat(String),
    #[error("a CSV file holds one table: say which with --what encounters|partners|activities|report")]
    CsvNeedsWhat,
    #[error("the separator must be ',' or ';' or a tab, not '{0}'")]
    BadSeparator(char),
    #[error("there is no folder {0} to write the export into")]
    NoFolder(PathBuf),
    #[error("writing the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ExportError {
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::UnknownFormat(_) | ExportError::UnknownWhat(_) | ExportError::BadSeparator(_) => "bad_option",
            ExportError::CsvNeedsWhat => "bad_option",
            ExportError::NoFolder(_) => "no_folder",
            ExportError::Xlsx(_) | ExportError::Csv(_) | ExportError::Json(_) => "export",
            ExportError::Io(_) => "io",
            ExportError::Report(e) => e.code(),
            ExportError::Store(e) => e.code(),
        }
    }
}
