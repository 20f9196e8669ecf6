//! The one error type that crosses IPC: `{code, message}`. The UI matches
//! on `code` (stable, from the core's error enums) and shows `message`.

use samskap::conflicts::ConflictError;
use samskap::settings::SettingsError;
use samskap::store::StoreError;
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

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

impl From<SettingsError> for ApiError {
    fn from(e: SettingsError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

impl From<ConflictError> for ApiError {
    fn from(e: ConflictError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

impl From<samskap::report::ReportError> for ApiError {
    fn from(e: samskap::report::ReportError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

impl From<samskap::export::ExportError> for ApiError {
    fn from(e: samskap::export::ExportError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

impl From<samskap::import::ImportError> for ApiError {
    fn from(e: samskap::import::ImportError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
