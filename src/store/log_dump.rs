//! A replica's log read whole, with its seqs and origins as stored, to move
//! a hub's workspace into another storage (`samskap hub migrate`): peers
//! keep their cursors only if every entry keeps its seq. Functions over a
//! read-only [`Reader`].

use rusqlite::OptionalExtension;

use super::control::{ControlEntry, ControlKind};
use super::{chunk_log, get_meta, Reader, Result, StoreError};
use crate::model::{LogEpoch, RecordId, ReplicaId};

/// One chunk of the log as stored: still packed (`chunk_log::pack`).
#[derive(Clone, Debug)]
pub struct StoredChunk {
    pub seq: u64,
    pub doc: RecordId,
    pub kind: u8,
    /// The peer row it came from (0: written here).
    pub origin: i64,
    pub packed: Vec<u8>,
}

impl StoredChunk {
    /// The chunk's Automerge bytes.
    pub fn bytes(&self) -> Result<Vec<u8>> {
        chunk_log::unpack(&self.packed)
    }
}

/// A control entry with its place in the log.
#[derive(Clone, Debug)]
pub struct StoredControl {
    pub seq: u64,
    pub entry: ControlEntry,
    pub origin: i64,
}

/// The highest seq the log ever handed out, erased entries included:
/// a new entry must come after it, or a peer that read up to it would
/// never see the new one.
pub fn high_water(db: Reader<'_>) -> Result<u64> {
    let taken: Option<i64> =
        db.conn().query_row("SELECT seq FROM sqlite_sequence WHERE name = 'chunks'", [], |r| r.get(0)).optional()?;
    Ok(super::replica::head(db.conn())?.max(taken.unwrap_or(0).max(0) as u64))
}

/// The log's epoch if it has one, without making one (reading only).
pub fn log_epoch(db: Reader<'_>) -> Result<Option<LogEpoch>> {
    Ok(get_meta(db.conn(), "log_epoch")?.and_then(|v| LogEpoch::from_slice(&v)))
}

/// Up to `limit` chunks after seq `after`, in log order.
pub fn chunks(db: Reader<'_>, after: u64, limit: usize) -> Result<Vec<StoredChunk>> {
    let mut stmt = db.conn().prepare_cached(
        "SELECT c.seq, d.id, d.kind, c.origin, c.bytes FROM chunks c JOIN docs d ON d.rowid = c.doc
         WHERE c.seq > ?1 ORDER BY c.seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(rusqlite::params![after as i64, limit as i64], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, i64>(2)?, r.get(3)?, r.get(4)?))
    })?;
    let mut out = vec![];
    for row in rows {
        let (seq, id, kind, origin, packed) = row?;
        let doc = RecordId::from_slice(&id).ok_or_else(|| StoreError::NotAStore(db.dir().to_path_buf()))?;
        out.push(StoredChunk { seq: seq as u64, doc, kind: kind as u8, origin, packed });
    }
    Ok(out)
}

/// Every record key: (record, key).
pub fn record_keys(db: Reader<'_>) -> Result<Vec<(RecordId, [u8; 32])>> {
    let mut stmt = db.conn().prepare("SELECT d.id, k.key FROM record_keys k JOIN docs d ON d.rowid = k.doc")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    let mut out = vec![];
    for row in rows {
        let (id, key) = row?;
        if let (Some(id), Ok(key)) = (RecordId::from_slice(&id), <[u8; 32]>::try_from(key.as_slice())) {
            out.push((id, key));
        }
    }
    Ok(out)
}

/// The whole control log, in log order.
pub fn control(db: Reader<'_>) -> Result<Vec<StoredControl>> {
    let mut stmt =
        db.conn().prepare("SELECT seq, kind, subject, device, at_ms, origin FROM control_log ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Vec<u8>>(2)?,
            r.get::<_, Vec<u8>>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    let mut out = vec![];
    for row in rows {
        let (seq, kind, subject, device, at_ms, origin) = row?;
        let Some(kind) = ControlKind::from_code(kind) else { continue };
        let (Ok(subject), Some(issuer)) = (subject.try_into(), ReplicaId::from_slice(&device)) else { continue };
        out.push(StoredControl { seq: seq as u64, entry: ControlEntry { kind, subject, issuer, at_ms }, origin });
    }
    Ok(out)
}

/// Records erased here: (record, when).
pub fn erasures(db: Reader<'_>) -> Result<Vec<(RecordId, i64)>> {
    let mut stmt = db.conn().prepare("SELECT id, erased_ms FROM erasures")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?)))?;
    let mut out = vec![];
    for row in rows {
        let (id, at) = row?;
        if let Some(id) = RecordId::from_slice(&id) {
            out.push((id, at));
        }
    }
    Ok(out)
}
