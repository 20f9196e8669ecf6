//! Erasure that reaches every replica (crypto-shredding).
//!
//! Personal fields sit in record documents only as ciphertext under the
//! record's key (`record_keys`, outside the CRDT). Erasing a record destroys
//! the key, the record's chunks and index rows, and writes an `Erased` entry
//! in the control log (see `control.rs`): `(record, device)` says "this
//! device has erased it". The first entry is the marker; every replica that
//! applies it adds its own entry, a receipt. Entries travel in the sync log
//! like chunks, so hubs, LAN peers and bundles carry them, and any entry
//! makes a replica erase the record: delete wins. Chunks of an
//! erased record that come back later (an old tablet, an old bundle) are
//! refused, and without the key they could not be read anyway.
//!
//! So that no readable copy lingers in the files, the store runs with
//! `secure_delete` (freed pages are zeroed), the search index is rewritten
//! without the erased rows, and the WAL is truncated after an erasure.

use rusqlite::{params, Connection};
use serde::Serialize;

use super::control::{self, ControlEntry, Issued};
use super::{chunk_log, index, Result, Store, StoreError};
use crate::model::{RecordId, RecordKind, ReplicaId};

/// An erased record and the devices known to have erased it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErasureStatus {
    pub record: RecordId,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub erased_ms: i64,
    pub receipts: Vec<Receipt>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Receipt {
    pub device: uuid::Uuid,
    /// The device's name where this replica knows it ("" otherwise).
    pub name: String,
    pub this_device: bool,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub at_ms: i64,
}

impl Store {
    /// Erases a record everywhere it will ever sync: destroys its key, its
    /// history and its index rows here, and leaves a marker that makes every
    /// other replica do the same.
    pub fn erase(&mut self, id: RecordId) -> Result<RecordKind> {
        let now = self.now().timestamp_millis();
        let tx = self.conn.transaction()?;
        let kind = shred(&tx, id, now)?.ok_or(StoreError::NotFound(id))?;
        control::log_entry(&tx, &ControlEntry::erased(id, Issued { by: self.device.into(), at_ms: now }), 0)?;
        scrub_search(&tx)?;
        tx.commit()?;
        self.docs.clear();
        self.scrub_wal()?;
        Ok(kind)
    }

    /// Every erasure this replica knows, newest first, with its receipts.
    pub fn erasures(&self) -> Result<Vec<ErasureStatus>> {
        let mut out: Vec<ErasureStatus> = vec![];
        let mut stmt = self.conn.prepare(
            "SELECT e.subject, e.device, e.at_ms, COALESCE(p.name, ''), x.erased_ms FROM control_log e
             JOIN erasures x ON x.id = e.subject LEFT JOIN peers p ON p.id = e.device
             WHERE e.kind = ?1 ORDER BY x.erased_ms DESC, e.subject, e.at_ms",
        )?;
        let mut rows = stmt.query([super::ControlKind::Erased as i64])?;
        while let Some(r) = rows.next()? {
            let record =
                RecordId::from_slice(&r.get::<_, Vec<u8>>(0)?).ok_or(StoreError::NotAStore(self.dir.clone()))?;
            let device = uuid::Uuid::from_slice(&r.get::<_, Vec<u8>>(1)?).unwrap_or_default();
            let receipt = Receipt {
                this_device: device.as_bytes() == self.device.as_bytes(),
                device,
                name: r.get(3)?,
                at_ms: r.get(2)?,
            };
            match out.last_mut() {
                Some(last) if last.record == record => last.receipts.push(receipt),
                _ => out.push(ErasureStatus { record, erased_ms: r.get(4)?, receipts: vec![receipt] }),
            }
        }
        Ok(out)
    }

    /// Empties the WAL, whose old page images may still hold what was erased.
    pub(crate) fn scrub_wal(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

/// Rewrites the search index without deleted rows. A contentless FTS5 table
/// only marks rows deleted, keeping their terms in its segments until they
/// merge; erased names must not wait for that.
pub(crate) fn scrub_search(conn: &Connection) -> Result<()> {
    conn.execute("INSERT INTO search(search) VALUES ('optimize')", [])?;
    Ok(())
}

/// Destroys a record's key, chunks, index rows and document row, and marks
/// it erased. `None` when there was no such record here (it may arrive later,
/// and will be refused). Errors if it is already erased.
fn shred(conn: &Connection, id: RecordId, now_ms: i64) -> Result<Option<RecordKind>> {
    if chunk_log::is_erased(conn, id)? {
        return Err(StoreError::Erased(id));
    }
    let found = match chunk_log::find(conn, id) {
        Ok(found) => Some(found),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    if let Some((rowid, kind)) = found {
        index::unindex(conn, rowid, kind)?;
        for sql in [
            "DELETE FROM record_keys WHERE doc = ?1",
            "DELETE FROM chunks WHERE doc = ?1",
            "DELETE FROM docs WHERE rowid = ?1",
        ] {
            conn.prepare_cached(sql)?.execute([rowid])?;
        }
    }
    conn.prepare_cached("INSERT INTO erasures(id, erased_ms) VALUES (?1, ?2)")?
        .execute(params![id.as_bytes(), now_ms])?;
    Ok(found.map(|(_, kind)| kind))
}

/// Erases a record a peer's entry names, with this device's receipt, unless
/// this replica already has. Returns whether the record was erased now.
/// `now_ms` dates this replica's receipt.
pub(crate) fn apply(conn: &Connection, record: RecordId, at_ms: i64, me: ReplicaId, now_ms: i64) -> Result<bool> {
    if chunk_log::is_erased(conn, record)? {
        return Ok(false);
    }
    shred(conn, record, at_ms)?;
    control::log_entry(conn, &ControlEntry::erased(record, Issued { by: me, at_ms: now_ms }), 0)?;
    Ok(true)
}
