//! What the server side of the protocol needs of a replica: the boundary a
//! hub's storage implements. A device's [`Store`] implements it (LAN
//! sessions, the SQLite hub, tests); `net::pg` implements it over
//! PostgreSQL for hubs of many processes.
//!
//! Deliberately absent: the query index, record documents, anything that
//! loads a record. A server only keeps an ordered log and hands slices of
//! it out; the devices read the records.

use super::SyncError;
use crate::model::{LogEpoch, ReplicaId, WorkspaceId};
use crate::store::{Batch, Ingested, LogSlice, PeerState, Store};

/// One push's outcome in [`ServerLog::ingest_pushes`]: the peer's state
/// after it, or why it was refused (alone).
pub type PushOutcome = Result<(PeerState, Ingested), SyncError>;

/// A replica's log as the server side of a sync uses it.
///
/// Sequence: every entry (chunk or control entry) gets a seq from one
/// workspace-wide sequence, and a reader that has seen seq `n` must never
/// later find a new entry at or below `n` (it would move its cursor past it
/// for ever). Entries may vanish (erasure), never appear behind a reader.
pub trait ServerLog {
    /// The workspace this log belongs to.
    fn log_workspace(&mut self) -> Result<WorkspaceId, SyncError>;
    /// The id peers know this replica by.
    fn log_replica(&mut self) -> Result<ReplicaId, SyncError>;
    /// Changes when the log may have been lost or rewritten, so peers start over.
    fn log_epoch(&mut self) -> Result<LogEpoch, SyncError>;
    /// No entry a reader can see has a seq above this.
    fn log_head(&mut self) -> Result<u64, SyncError>;
    /// Entries after `after`, leaving out those that came from
    /// `exclude_origin`, up to about `budget` bytes; only entries already
    /// committed.
    fn log_since(&mut self, after: u64, exclude_origin: Option<i64>, budget: usize) -> Result<LogSlice, SyncError>;
    /// Several peers' pushes (chunks, record keys, control entries: erasures,
    /// revocations, retired keys) in one transaction; each push applies or
    /// fails alone (its own savepoint). `admit` checks and updates the peer's
    /// state (request numbers for replay refusal, last seen), read inside the
    /// transaction so two pushes of one peer see each other. The outer error
    /// means nothing was kept.
    fn ingest_pushes(
        &mut self,
        pushes: &[(ReplicaId, &Batch)],
        admit: impl FnMut(usize, &mut PeerState) -> Result<(), SyncError>,
    ) -> Result<Vec<PushOutcome>, SyncError>;
}

/// A device's store serves the protocol as a full replica: what arrives is
/// also indexed, so the store's lists and reports see it.
impl ServerLog for Store {
    fn log_workspace(&mut self) -> Result<WorkspaceId, SyncError> {
        Ok(Store::workspace_id(self)?)
    }
    fn log_replica(&mut self) -> Result<ReplicaId, SyncError> {
        Ok(Store::replica_id(self))
    }
    fn log_epoch(&mut self) -> Result<LogEpoch, SyncError> {
        Ok(Store::log_epoch(self)?)
    }
    fn log_head(&mut self) -> Result<u64, SyncError> {
        Ok(Store::log_head(self)?)
    }
    fn log_since(&mut self, after: u64, exclude_origin: Option<i64>, budget: usize) -> Result<LogSlice, SyncError> {
        Ok(Store::log_since(self, after, exclude_origin, budget)?)
    }
    fn ingest_pushes(
        &mut self,
        pushes: &[(ReplicaId, &Batch)],
        admit: impl FnMut(usize, &mut PeerState) -> Result<(), SyncError>,
    ) -> Result<Vec<PushOutcome>, SyncError> {
        let outs = Store::ingest_pushes(self, pushes, admit)?;
        self.catch_up_index(|_, _| {})?;
        Ok(outs)
    }
}
