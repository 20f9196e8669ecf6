//! Erasure that reaches every replica (crypto-shredding).
//!
//! Personal fields sit in record documents only as ciphertext under the
//! record's key (`record_keys`, outside the CRDT). Erasing a record destroys
//! the key, the record's chunks and index rows, and writes an entry in
//! `erasure_log`: `(record, device)` says "this device has erased it". The
//! first entry is the marker; every replica that applies it adds its own
//! entry, a receipt. Entries travel in the sync log like chunks (their seq
//! comes from the same sequence), so hubs, LAN peers and bundles carry them,
//! and any entry makes a replica erase the record: delete wins. Chunks of an
//! erased record that come back later (an old tablet, an old bundle) are
//! refused, and without the key they could not be read anyway.
//!
//! So that no readable copy lingers in the files, the store runs with
//! `secure_delete` (freed pages are zeroed), the search index is rewritten
//! without the erased rows, and the WAL is truncated after an erasure.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{docs, index, Result, Store, StoreError};
use crate::model::{RecordId, RecordKind};

/// One erasure log entry: `device` has erased `record`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureEntry {
    pub record: RecordId,
    pub device: [u8; 16],
    pub at_ms: i64,
}

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
        let now = chrono::Utc::now().timestamp_millis();
        let tx = self.conn.transaction()?;
        let kind = shred(&tx, id, now)?.ok_or(StoreError::NotFound(id))?;
        log_entry(&tx, &ErasureEntry { record: id, device: self.device, at_ms: now }, 0)?;
        scrub_search(&tx)?;
        tx.commit()?;
        self.scrub_wal()?;
        Ok(kind)
    }

    /// Every erasure this replica knows, newest first, with its receipts.
    pub fn erasures(&self) -> Result<Vec<ErasureStatus>> {
        let mut out: Vec<ErasureStatus> = vec![];
        let mut stmt = self.conn.prepare(
            "SELECT e.record, e.device, e.at_ms, COALESCE(p.name, ''), x.erased_ms FROM erasure_log e
             JOIN erasures x ON x.id = e.record LEFT JOIN peers p ON p.id = e.device
             ORDER BY x.erased_ms DESC, e.record, e.at_ms",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let record =
                RecordId::from_slice(&r.get::<_, Vec<u8>>(0)?).ok_or(StoreError::NotAStore(self.dir.clone()))?;
            let device = uuid::Uuid::from_slice(&r.get::<_, Vec<u8>>(1)?).unwrap_or_default();
            let receipt =
                Receipt { this_device: device.as_bytes() == &self.device, device, name: r.get(3)?, at_ms: r.get(2)? };
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

/// The next seq of the replica's log (shared with `chunks`, so chunks and
/// erasure entries interleave in one order peers read with one cursor).
fn next_seq(conn: &Connection) -> Result<i64> {
    let bumped: Option<i64> = conn
        .prepare_cached("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'chunks' RETURNING seq")?
        .query_row([], |r| r.get(0))
        .optional()?;
    match bumped {
        Some(seq) => Ok(seq),
        None => {
            conn.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('chunks', 1)", [])?;
            Ok(1)
        }
    }
}

/// Appends an entry unless the log has it. Returns whether it was new.
fn log_entry(conn: &Connection, e: &ErasureEntry, origin: i64) -> Result<bool> {
    let known = conn
        .prepare_cached("SELECT 1 FROM erasure_log WHERE record = ?1 AND device = ?2")?
        .query_row(params![e.record.as_bytes(), &e.device[..]], |_| Ok(()))
        .optional()?
        .is_some();
    if known {
        return Ok(false);
    }
    let seq = next_seq(conn)?;
    conn.prepare_cached("INSERT INTO erasure_log(seq, record, device, at_ms, origin) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![seq, e.record.as_bytes(), &e.device[..], e.at_ms, origin])?;
    Ok(true)
}

/// Destroys a record's key, chunks, index rows and document row, and marks
/// it erased. `None` when there was no such record here (it may arrive later,
/// and will be refused). Errors if it is already erased.
fn shred(conn: &Connection, id: RecordId, now_ms: i64) -> Result<Option<RecordKind>> {
    if docs::is_erased(conn, id)? {
        return Err(StoreError::Erased(id));
    }
    let found = match docs::find(conn, id) {
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

/// Applies an entry a peer sent: logs it, and erases the record here (with
/// this device's receipt) if this replica had not yet. Returns whether the
/// record was erased now.
pub(crate) fn apply(conn: &Connection, e: &ErasureEntry, origin: i64, me: [u8; 16]) -> Result<bool> {
    log_entry(conn, e, origin)?;
    if docs::is_erased(conn, e.record)? {
        return Ok(false);
    }
    let now = chrono::Utc::now().timestamp_millis();
    shred(conn, e.record, e.at_ms)?;
    log_entry(conn, &ErasureEntry { record: e.record, device: me, at_ms: now }, 0)?;
    Ok(true)
}

/// Log entries after `after` up to `upto` (inclusive), leaving out those from `exclude_origin`.
pub(crate) fn entries_between(
    conn: &Connection,
    after: u64,
    upto: u64,
    exclude_origin: Option<i64>,
) -> Result<(Vec<ErasureEntry>, u64)> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, record, device, at_ms, origin FROM erasure_log WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
    )?;
    let mut rows = stmt.query(params![after as i64, upto.min(i64::MAX as u64) as i64])?;
    let (mut out, mut last) = (vec![], after);
    while let Some(r) = rows.next()? {
        last = r.get::<_, i64>(0)? as u64;
        if Some(r.get::<_, i64>(4)?) == exclude_origin {
            continue;
        }
        let (Some(record), Ok(device)) =
            (RecordId::from_slice(&r.get::<_, Vec<u8>>(1)?), <[u8; 16]>::try_from(r.get::<_, Vec<u8>>(2)?.as_slice()))
        else {
            continue;
        };
        out.push(ErasureEntry { record, device, at_ms: r.get(3)? });
    }
    Ok((out, last))
}
