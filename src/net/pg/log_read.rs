//! Reading a workspace's log: pages of chunks with their records' kinds
//! and keys, control entries, and cutting a slice to a byte budget. Shared
//! by the log (`log.rs`) and the process's copy of its tail (`tail.rs`).

use std::collections::HashSet;

use r2d2_postgres::postgres::GenericClient;

use super::db::Db;
use crate::model::{RecordId, ReplicaId, WorkspaceId};
use crate::store::{Chunk, ControlEntry, ControlKind, KeyGrant, LogSlice, StoreError};

/// Rows read per query when slicing the log.
pub(super) const PAGE: i64 = 2000;

/// A chunk as the log hands it out: with its record's kind (`None`: the
/// record was erased) and key.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub seq: u64,
    pub origin: i64,
    pub doc: RecordId,
    pub kind: Option<u8>,
    pub bytes: Vec<u8>,
    pub key: Option<[u8; 32]>,
}

/// A control entry with its seq and origin.
pub(super) type ControlRow = (u64, i64, ControlEntry);

/// Up to [`PAGE`] chunks after `after`, up to `head`, in seq order. Each
/// chunk's kind and key are looked up per row by primary key (scalar
/// subqueries): one round trip per page, and no join for a planner with
/// stale statistics (a workspace that grew since the last ANALYZE looks
/// empty) to turn into a scan.
pub(super) fn read_chunks(
    db: &mut Db<'_, impl GenericClient>,
    ws: &WorkspaceId,
    after: u64,
    head: u64,
) -> Result<Vec<Entry>, StoreError> {
    let rows = db.query(
        "SELECT c.seq, c.origin, c.doc, c.bytes,
            (SELECT d.kind FROM docs d WHERE d.workspace = c.workspace AND d.id = c.doc),
            (SELECT k.key FROM record_keys k WHERE k.workspace = c.workspace AND k.doc = c.doc)
         FROM chunks c WHERE c.workspace = $1 AND c.seq > $2 AND c.seq <= $3 ORDER BY c.seq LIMIT $4",
        &[ws, &(after as i64), &(head as i64), &PAGE],
    )?;
    rows.iter()
        .map(|row| {
            Ok(Entry {
                seq: row.get::<_, i64>(0) as u64,
                origin: row.get(1),
                doc: RecordId::from_slice(row.get(2))
                    .ok_or_else(|| StoreError::HubDatabase("a record id is damaged".into()))?,
                bytes: crate::store::unpack_chunk(row.get(3))?,
                kind: row.get::<_, Option<i16>>(4).map(|k| k as u8),
                key: row.get::<_, Option<&[u8]>>(5).and_then(|k| <[u8; 32]>::try_from(k).ok()),
            })
        })
        .collect()
}

/// The control entries after `after`, up to `upto`, in seq order.
pub(super) fn read_control(
    db: &mut Db<'_, impl GenericClient>,
    ws: &WorkspaceId,
    after: u64,
    upto: u64,
) -> Result<Vec<ControlRow>, StoreError> {
    let rows = db.query(
        "SELECT seq, kind, subject, device, at_ms, origin FROM control_log
         WHERE workspace = $1 AND seq > $2 AND seq <= $3 ORDER BY seq",
        &[ws, &(after as i64), &(upto as i64)],
    )?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let kind = ControlKind::from_code(row.get::<_, i16>(1).into())?;
            let subject = <[u8; 16]>::try_from(row.get::<_, &[u8]>(2)).ok()?;
            let issuer = ReplicaId::from_slice(row.get(3))?;
            let entry = ControlEntry { kind, subject, issuer, at_ms: row.get(4) };
            Some((row.get::<_, i64>(0) as u64, row.get(5), entry))
        })
        .collect())
}

/// A slice being cut from the log: entries in seq order go in until the
/// budget is spent; the asking peer's own entries are skipped (but
/// scanned, so its cursor moves past them).
pub(super) struct Cut {
    pub slice: LogSlice,
    after: u64,
    exclude: Option<i64>,
    budget: usize,
    size: usize,
    keyed: HashSet<RecordId>,
}

impl Cut {
    pub fn new(after: u64, exclude: Option<i64>, budget: usize) -> Cut {
        Cut {
            slice: LogSlice { upto: after, ..Default::default() },
            after,
            exclude,
            budget,
            size: 0,
            keyed: HashSet::new(),
        }
    }

    /// Takes `e` if the budget allows; false once it is spent.
    pub fn take(&mut self, e: &Entry) -> bool {
        if self.size >= self.budget {
            self.slice.more = true;
            return false;
        }
        self.slice.upto = e.seq;
        if Some(e.origin) == self.exclude {
            return true;
        }
        // No kind: erased since the chunk was written.
        let Some(kind) = e.kind else { return true };
        self.size += e.bytes.len() + 17;
        if let Some(key) = e.key {
            if self.keyed.insert(e.doc) {
                self.slice.batch.keys.push(KeyGrant { doc: e.doc, key });
                self.size += 48;
            }
        }
        self.slice.batch.chunks.push(Chunk { doc: e.doc, kind, bytes: e.bytes.clone() });
        true
    }

    /// The last seq the slice covers: the head unless the budget ran out.
    pub fn bound(&self, head: u64) -> u64 {
        if self.slice.more {
            self.slice.upto
        } else {
            head.max(self.after)
        }
    }

    /// The slice, with the control entries up to its bound (`control` may
    /// hold more).
    pub fn finish(mut self, head: u64, control: Vec<ControlRow>) -> LogSlice {
        let bound = self.bound(head);
        self.slice.upto = bound;
        for (seq, origin, entry) in control {
            if seq > self.after && seq <= bound && Some(origin) != self.exclude {
                self.slice.batch.control.push(entry);
            }
        }
        self.slice
    }
}
