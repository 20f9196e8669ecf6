//! Sync over the whole collection of record documents, sans IO.
//!
//! A round trip: the client sends its log entries the server has not
//! acknowledged plus its cursor into the server's log; the server ingests,
//! and answers with its entries after that cursor, leaving out what came
//! from this client. Cost follows what changed, not the workspace size: a
//! sync with nothing to do is one small round trip. Transports (HTTP, LAN,
//! files) move the bytes; nothing here reads a file, a socket or the clock
//! (time is an input: [`ClientSession::with_clock`], `now` arguments), so
//! everything is testable in memory.

mod bundle;
mod error;
mod policy;
mod server_log;
mod session;
mod unzstd;
mod wire;

pub use bundle::{apply_bundle, read_bundle, write_bundle, BundleApplied, BundleHeader};
pub use error::SyncError;
pub use policy::after_sync;
pub use server_log::{PushOutcome, ServerLog};
pub use session::{
    admit_all, answer, answer_admitted, answer_all, serve, sync_local, Admitted, ClientSession, Progress, SyncReport,
};
pub use wire::{decode, encode, Cursor, Message, SyncRequest, SyncResponse, MAX_FRAME};

/// How many bytes of chunks one message carries at most (before compression).
pub const BATCH_BUDGET: usize = 8 << 20;

#[cfg(test)]
mod tests;
