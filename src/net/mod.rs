//! Transports around the sans-IO sync core: the hub (axum), the client
//! (reqwest), LAN sessions. Small adapters: they move bytes and check
//! credentials; the protocol lives in `sync`.

pub mod auth;
pub mod client;
pub mod conn_limit;
pub mod device;
pub mod discovery;
pub mod group;
pub mod hub;
pub mod lan;
pub mod pg;
pub mod server;

use thiserror::Error;

use crate::store::StoreError;
use crate::sync::SyncError;

#[derive(Debug, Error)]
pub enum NetError {
    #[error("not allowed: {0}")]
    Unauthorized(&'static str),
    #[error("this device was revoked by the workspace; ask a colleague to invite it again")]
    Revoked,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("refusing to send the workspace over plain http to {0}; use https (plain http is only for this machine and the local network)")]
    InsecureUrl(String),
    #[error("{0} is not a hub address (expected http://HOST:PORT or https://HOST)")]
    BadUrl(String),
    #[error("this device has not joined a workspace yet; run `samskap join --hub URL --invite CODE`")]
    NotJoined,
    #[error("could not reach {url}: {why}")]
    Unreachable { url: String, why: String },
    #[error("the peer answered {status}: {message}")]
    Peer { status: u16, code: String, message: String },
    #[error("too many requests from this device; try again in a moment")]
    RateLimited,
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    #[error("TLS: {0}")]
    Tls(String),
}

impl From<rusqlite::Error> for NetError {
    fn from(e: rusqlite::Error) -> Self {
        NetError::Store(e.into())
    }
}

impl NetError {
    /// Stable code sent over HTTP as `{code, message}`.
    pub fn code(&self) -> &str {
        match self {
            NetError::Unauthorized(_) => "unauthorized",
            NetError::Revoked => "revoked",
            NetError::BadRequest(_) => "bad_request",
            NetError::InsecureUrl(_) => "insecure_url",
            NetError::BadUrl(_) => "bad_url",
            NetError::NotJoined => "not_joined",
            NetError::Unreachable { .. } => "unreachable",
            NetError::Peer { code, .. } => code,
            NetError::RateLimited => "rate_limited",
            NetError::Sync(e) => e.code(),
            NetError::Store(e) => e.code(),
            NetError::Io(_) => "io",
            NetError::Tls(_) => "tls",
        }
    }

    /// The HTTP status a server answers this error with.
    pub fn status(&self) -> u16 {
        match self {
            NetError::Unauthorized(_) => 401,
            NetError::Revoked => 403,
            NetError::RateLimited => 429,
            NetError::BadRequest(_) => 400,
            NetError::Sync(SyncError::Replayed { .. }) => 409,
            NetError::Sync(SyncError::TooLarge { .. }) => 413,
            NetError::Sync(SyncError::WrongWorkspace) => 403,
            NetError::Sync(SyncError::Store(_)) | NetError::Store(_) | NetError::Io(_) => 500,
            NetError::Sync(_) => 400,
            _ => 500,
        }
    }
}
