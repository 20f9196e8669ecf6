use thiserror::Error;

use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum ReportError {
    #[error("'{0}' is not a date; write it as YYYY-MM-DD")]
    BadDate(String),
    #[error("the period starts ({from}) after it ends ({to})")]
    EmptyPeriod { from: chrono::NaiveDate, to: chrono::NaiveDate },
    #[error("the period is too long ({0} months); reports cover at most 100 years")]
    TooLong(usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ReportError {
    /// A stable machine-readable code (CLI, app IPC).
    pub fn code(&self) -> &'static str {
        match self {
            ReportError::BadDate(_) => "bad_date",
            ReportError::EmptyPeriod { .. } => "bad_period",
            ReportError::TooLong(_) => "bad_period",
            ReportError::Store(e) => e.code(),
        }
    }
}
