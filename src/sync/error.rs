use thiserror::Error;

use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum SyncError {
    #[error("message too short to be a Samskap sync message ({0} bytes)")]
    TooShort(usize),
    #[error("not a Samskap sync message (bad magic)")]
    BadMagic,
    #[error(
        "sync message version {0} is not supported by this Samskap (it speaks version {1}); update the older device"
    )]
    UnsupportedVersion(u8, u8),
    #[error("unknown sync message kind {0}")]
    UnknownKind(u8),
    #[error("sync message is truncated or padded: header says {declared} bytes, got {actual}")]
    LengthMismatch { declared: usize, actual: usize },
    #[error("sync message too large ({len} bytes; at most {max})")]
    TooLarge { len: usize, max: usize },
    #[error("sync message is corrupt (checksum mismatch)")]
    Checksum,
    #[error("sync message is malformed: {0}")]
    Malformed(String),
    #[error("this message was already received (replayed request {got}, last was {last})")]
    Replayed { got: u64, last: u64 },
    #[error("unexpected answer: for request {got}, but request {expected} is outstanding")]
    Unexpected { got: u64, expected: u64 },
    #[error("expected a {expected}, got a {got}")]
    WrongMessage { expected: &'static str, got: &'static str },
    #[error("this device belongs to another workspace than the peer; join the peer's workspace first")]
    WrongWorkspace,
    #[error("bundle: {0}")]
    Bundle(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> Self {
        SyncError::Store(e.into())
    }
}

impl SyncError {
    /// A stable machine-readable code (HTTP adapters and the app use it).
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::TooShort(_)
            | SyncError::BadMagic
            | SyncError::UnknownKind(_)
            | SyncError::LengthMismatch { .. }
            | SyncError::Checksum
            | SyncError::Malformed(_) => "malformed",
            SyncError::UnsupportedVersion(..) => "unsupported_version",
            SyncError::TooLarge { .. } => "too_large",
            SyncError::Replayed { .. } => "replayed",
            SyncError::Unexpected { .. } | SyncError::WrongMessage { .. } => "unexpected",
            SyncError::WrongWorkspace => "wrong_workspace",
            SyncError::Bundle(_) => "bad_bundle",
            SyncError::Store(e) => e.code(),
            SyncError::Io(_) => "io",
        }
    }
}
