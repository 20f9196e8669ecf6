//! The one error type that crosses IPC: `{code, message}`. The UI matches
//! on `code` (stable, from the core's error enums) and shows `message`.

use samskap::conflicts::ConflictError;
use samskap::net::NetError;
use samskap::settings::SettingsError;
use samskap::store::StoreError;
use samskap::sync::SyncError;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error, ts_rs::TS)]
#[error("{message}")]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError { code: code.to_string(), message: message.into() }
    }

    /// Commands that need a store before the user has created one.
    pub fn no_store() -> Self {
        ApiError::new("no_store", "there is no store yet; create one first")
    }
}

/// Every core error has a stable `code()`; it crosses IPC with its message.
macro_rules! from_core_errors {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for ApiError {
            fn from(e: $t) -> Self {
                ApiError::new(e.code(), e.to_string())
            }
        }
    )*};
}

from_core_errors!(
    StoreError,
    SettingsError,
    ConflictError,
    NetError,
    SyncError,
    samskap::report::ReportError,
    samskap::export::ExportError,
    samskap::import::ImportError,
    samskap::draft::DraftError,
);

pub type ApiResult<T> = Result<T, ApiError>;
