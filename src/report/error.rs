use thiserror::Error;

use crate::i18n::{Language, Localize};
use crate::store::StoreError;
use crate::tr;

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

impl Localize for ReportError {
    fn localize(&self, lang: Language) -> String {
        match self {
            ReportError::BadDate(given) => tr!(lang,
                nb: "«{given}» er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, for eksempel 2026-01-31",
                da: "»{given}« er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, for eksempel 2026-01-31",
                en: "'{given}' is not a date; write it as YYYY-MM-DD"),
            ReportError::EmptyPeriod { from, to } => tr!(lang,
                nb: "Perioden starter ({from}) etter at den slutter ({to}); bytt om datoene",
                da: "Perioden starter ({from}), efter at den slutter ({to}); byt om på datoerne",
                en: "the period starts ({from}) after it ends ({to})"),
            ReportError::TooLong(months) => tr!(lang,
                nb: "Perioden er for lang ({months} måneder); en rapport kan dekke høyst 100 år",
                da: "Perioden er for lang ({months} måneder); en rapport kan højst dække 100 år",
                en: "the period is too long ({months} months); reports cover at most 100 years"),
            ReportError::Store(e) => e.localize(lang),
        }
    }
}
