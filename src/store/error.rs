use std::path::PathBuf;
use thiserror::Error;

use crate::doc::DocError;
use crate::model::{RecordId, ValidationError};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no Samskap store in {0}; create one with `samskap init --staff NAME`")]
    NotInitialized(PathBuf),
    #[error("{0} already holds a Samskap store")]
    AlreadyInitialized(PathBuf),
    #[error("{0} is not a Samskap store; nothing was changed")]
    NotAStore(PathBuf),
    #[error("the store in {dir} is in use by another Samskap process{}; close it and try again", .pid.map(|p| format!(" (pid {p})")).unwrap_or_default())]
    Busy { dir: PathBuf, pid: Option<u32> },
    #[error("the store in {0} was written by a newer Samskap (layout {1}); update Samskap to open it")]
    TooNew(PathBuf, i64),
    #[error("the store in {0} is encrypted and its key is not here (not in this computer's key store, nor in SAMSKAP_DB_KEY); nothing was changed")]
    KeyNeeded(PathBuf),
    #[error("the key given for {0} does not open it; nothing was changed")]
    WrongKey(PathBuf),
    #[error("the computer's key store: {0}")]
    KeyStore(String),
    #[error("no record with id {0}")]
    NotFound(RecordId),
    #[error("record {id} is {}, not {}", crate::model::with_article(found), crate::model::with_article(expected))]
    WrongKind { id: RecordId, expected: &'static str, found: &'static str },
    #[error("there is no {} with id {id}", .kind)]
    MissingRef { id: RecordId, kind: &'static str },
    #[error("record {0} was erased and cannot be used again")]
    Erased(RecordId),
    #[error("a peer sent changes that cannot be used ({0}); nothing was changed")]
    BadBatch(String),
    #[error("the disk is full; nothing was written")]
    DiskFull,
    #[error("partner has no {what} with id {id}; it may have been removed on another device")]
    NoItem { what: &'static str, id: String },
    #[error("this device cannot revoke itself; revoke it from another device")]
    OwnDevice,
    #[error(transparent)]
    Merge(#[from] super::merge::MergeError),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("record document: {0}")]
    Doc(#[from] DocError),
    #[error("database: {0}")]
    Sqlite(rusqlite::Error),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<automerge::AutomergeError> for StoreError {
    fn from(e: automerge::AutomergeError) -> Self {
        StoreError::Doc(DocError::Automerge(e))
    }
}

impl StoreError {
    /// A stable machine-readable code, for the CLI's exit status and the app's IPC errors.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotInitialized(_) => "not_initialized",
            StoreError::AlreadyInitialized(_) => "already_initialized",
            StoreError::NotAStore(_) => "not_a_store",
            StoreError::Busy { .. } => "busy",
            StoreError::TooNew(..) => "too_new",
            StoreError::KeyNeeded(_) => "key_needed",
            StoreError::WrongKey(_) => "wrong_key",
            StoreError::KeyStore(_) => "key_store",
            StoreError::NotFound(_) => "not_found",
            StoreError::WrongKind { .. } => "wrong_kind",
            StoreError::Erased(_) => "erased",
            StoreError::MissingRef { .. } => "missing_reference",
            StoreError::DiskFull => "disk_full",
            StoreError::BadBatch(_) => "bad_batch",
            StoreError::NoItem { .. } => "no_item",
            StoreError::OwnDevice => "own_device",
            StoreError::Merge(e) => e.code(),
            StoreError::Invalid(_) => "invalid",
            StoreError::Doc(_) => "document",
            StoreError::Sqlite(_) => "database",
            StoreError::Io(_) => "io",
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
