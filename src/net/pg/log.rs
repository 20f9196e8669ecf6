//! A workspace's log in PostgreSQL, as the server side of the protocol
//! reads and appends it ([`ServerLog`]). It never loads a record document:
//! it checks each chunk's framing and checksum, keeps each record's kind
//! fixed, refuses chunks of erased records, and applies erasures by
//! deleting the record's chunks and key.
//!
//! Ordering: an appending transaction first locks the workspace's row and
//! bumps `head` by the entries it adds (`UPDATE … SET head = head + n`), so
//! appends to one workspace are serialized across every hub process, and
//! each commits before the next can take seqs: readers never see a seq
//! before a lower one. Readers stop at the `head` they read, so they never
//! hand out a seq whose neighbours below might still be in flight.

use std::collections::{HashMap, HashSet};

use r2d2_postgres::postgres::{Client, GenericClient};

use super::db::{Db, Statements};
use super::group_ingest::{self, put_keys, take_seqs};
use super::log_read::{read_chunks, read_control, Cut, PAGE};
use super::tail::Tail;

use crate::model::{LogEpoch, RecordId, RecordKind, ReplicaId, Slug, WorkspaceId};
use crate::store::{Batch, Chunk, ControlEntry, Ingested, Issued, LogSlice, PeerState, StoreError};
use crate::sync::{PushOutcome, ServerLog, SyncError};

/// One workspace's log over one database connection.
pub struct PgLog<'c> {
    conn: &'c mut Client,
    stmts: &'c mut Statements,
    workspace: WorkspaceId,
    replica: ReplicaId,
    epoch: LogEpoch,
    /// Records erased (or keys retired) by what this log ingested: the hub
    /// then destroys their keys for real (`shred`).
    pub erased: usize,
    /// The head as last read, for slices read after it (everything at or
    /// below it is committed); cleared by an append.
    head: Option<u64>,
    /// This process's copy of the workspace log's tail, if it keeps one.
    tail: Option<&'c Tail>,
}

impl<'c> PgLog<'c> {
    /// The log over `conn`, preparing its statements into `stmts` (which
    /// must belong to that connection).
    pub fn new(
        conn: &'c mut Client,
        stmts: &'c mut Statements,
        workspace: WorkspaceId,
        replica: ReplicaId,
        epoch: LogEpoch,
    ) -> Self {
        PgLog { conn, stmts, workspace, replica, epoch, erased: 0, head: None, tail: None }
    }

    /// Reads recent entries from `tail` (this process's copy of the log's
    /// tail) instead of the database where it can.
    pub fn with_tail(mut self, tail: &'c Tail) -> Self {
        self.tail = Some(tail);
        self
    }

    fn db(&mut self) -> Db<'_, Client> {
        Db { c: &mut *self.conn, s: &mut *self.stmts }
    }

    /// The workspace's secret (members derive LAN keys from it; a
    /// revocation rotates it), reading the head along with it: one round
    /// trip for what an answer needs besides its slice.
    pub fn secret_and_head(&mut self) -> Result<[u8; 32], SyncError> {
        let ws = self.workspace;
        let row = self.db().query_one("SELECT secret, head FROM workspaces WHERE id = $1", &[&ws])?;
        self.head = Some(row.get::<_, i64>(1) as u64);
        <[u8; 32]>::try_from(row.get::<_, &[u8]>(0))
            .map_err(|_| StoreError::HubDatabase("the workspace's secret is damaged".into()).into())
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl ServerLog for PgLog<'_> {
    fn log_workspace(&mut self) -> Result<WorkspaceId, SyncError> {
        Ok(self.workspace)
    }
    fn log_replica(&mut self) -> Result<ReplicaId, SyncError> {
        Ok(self.replica)
    }
    fn log_epoch(&mut self) -> Result<LogEpoch, SyncError> {
        Ok(self.epoch)
    }
    fn log_head(&mut self) -> Result<u64, SyncError> {
        let ws = self.workspace;
        let h = head(&mut self.db(), &ws)?;
        self.head = Some(h);
        Ok(h)
    }

    fn log_since(&mut self, after: u64, exclude_origin: Option<i64>, budget: usize) -> Result<LogSlice, SyncError> {
        let ws = self.workspace;
        let tail = self.tail;
        let mut db = Db { c: &mut *self.conn, s: &mut *self.stmts };
        // Everything at or below the head was committed with it.
        let head = match self.head {
            Some(h) => h,
            None => head(&mut db, &ws)?,
        };
        let mut cut = Cut::new(after, exclude_origin, budget);
        // Recent entries from this process's copy of the log's tail, when
        // it reaches back to `after` (every device syncing often).
        if let Some(tail) = tail {
            if let Some(control) = tail.read(&mut db, &ws, after, head, &mut cut)? {
                return Ok(cut.finish(head, control));
            }
        }
        let mut from = after;
        loop {
            let page = read_chunks(&mut db, &ws, from, head)?;
            let full = page.len() as i64 == PAGE;
            for e in &page {
                from = e.seq;
                if !cut.take(e) {
                    break;
                }
            }
            if cut.slice.more || !full {
                break;
            }
        }
        let control = read_control(&mut db, &ws, after, cut.bound(head))?;
        Ok(cut.finish(head, control))
    }

    fn ingest_pushes(
        &mut self,
        pushes: &[(ReplicaId, &Batch)],
        mut admit: impl FnMut(usize, &mut PeerState) -> Result<(), SyncError>,
    ) -> Result<Vec<PushOutcome>, SyncError> {
        let ws = self.workspace;
        let replica = self.replica;
        self.head = None;
        let mut tx = self.conn.transaction()?;
        let mut db = Db { c: &mut tx, s: &mut *self.stmts };
        // Locks in one order everywhere (the workspace's row, then peers by
        // id), so two processes' groups wait for each other, never deadlock.
        if pushes.iter().any(|(_, b)| !b.is_empty()) {
            db.execute("SELECT head FROM workspaces WHERE id = $1 FOR UPDATE", &[&ws])?;
        }
        let mut devices: Vec<&[u8]> = pushes.iter().map(|(d, _)| d.as_bytes().as_slice()).collect();
        devices.sort();
        devices.dedup();
        db.execute(
            "INSERT INTO peers(workspace, id) SELECT $1, * FROM UNNEST($2::bytea[]) ON CONFLICT DO NOTHING",
            &[&ws, &devices],
        )?;
        let locked = db.query(
            "SELECT origin, name, epoch, recv_cursor, sent_upto, request_no, seen_request_no, last_seen_ms, id
             FROM peers WHERE workspace = $1 AND id = ANY($2) ORDER BY id FOR UPDATE",
            &[&ws, &devices],
        )?;
        let outs = if pushes.iter().all(|(_, b)| b.control.is_empty()) {
            let mut peers = HashMap::with_capacity(locked.len());
            for row in &locked {
                let p = group_ingest::peer(row)?;
                peers.insert(p.id, p);
            }
            group_ingest::ingest_group(&mut db, ws, &mut peers, pushes, &mut admit)?
        } else {
            let mut outs = Vec::with_capacity(pushes.len());
            let mut erased = 0;
            for (i, (device, batch)) in pushes.iter().enumerate() {
                let mut sp = db.c.savepoint("push")?;
                let one =
                    push_one(&mut Db { c: &mut sp, s: &mut *db.s }, ws, replica, *device, batch, |peer| admit(i, peer));
                if one.is_ok() {
                    sp.commit()?;
                } // else dropped: rolled back to before this push
                if let Ok((_, out)) = &one {
                    erased += out.erased;
                }
                outs.push(one);
            }
            self.erased += erased;
            outs
        };
        tx.commit()?;
        Ok(outs)
    }
}

fn push_one(
    db: &mut Db<'_, impl GenericClient>,
    ws: WorkspaceId,
    replica: ReplicaId,
    device: ReplicaId,
    batch: &Batch,
    admit: impl FnOnce(&mut PeerState) -> Result<(), SyncError>,
) -> PushOutcome {
    let mut peer = read_peer(db, &ws, &device)?;
    admit(&mut peer)?;
    let out = ingest(db, ws, replica, batch, peer.rowid)?;
    db.execute(
        "UPDATE peers SET seen_request_no = $2, last_seen_ms = $3 WHERE origin = $1",
        &[&peer.rowid, &(peer.seen_request_no as i64), &peer.last_seen_ms],
    )?;
    Ok((peer, out))
}

fn read_peer(db: &mut Db<'_, impl GenericClient>, ws: &WorkspaceId, id: &ReplicaId) -> Result<PeerState, StoreError> {
    let row = db.query_one(
        "SELECT origin, name, epoch, recv_cursor, sent_upto, request_no, seen_request_no, last_seen_ms, id
         FROM peers WHERE workspace = $1 AND id = $2",
        &[ws, id],
    )?;
    group_ingest::peer(&row)
}

/// The workspace's last seq.
pub(crate) fn head(db: &mut Db<'_, impl GenericClient>, ws: &WorkspaceId) -> Result<u64, StoreError> {
    let row = db.query_opt("SELECT head FROM workspaces WHERE id = $1", &[&ws])?;
    Ok(row.map_or(0, |r| r.get::<_, i64>(0)) as u64)
}

/// Appends a control entry unless the log has it; whether it was new.
pub(crate) fn log_control(
    db: &mut Db<'_, impl GenericClient>,
    ws: &WorkspaceId,
    e: &ControlEntry,
    origin: i64,
) -> Result<bool, StoreError> {
    let known = db.query_opt(
        "SELECT 1 FROM control_log WHERE workspace = $1 AND kind = $2 AND subject = $3 AND device = $4",
        &[ws, &(e.kind as i16), &&e.subject[..], &e.issuer],
    )?;
    if known.is_some() {
        return Ok(false);
    }
    let seq = take_seqs(db, ws, 1)?;
    db.execute(
        "INSERT INTO control_log(workspace, seq, kind, subject, device, at_ms, origin) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[ws, &seq, &(e.kind as i16), &&e.subject[..], &e.issuer, &e.at_ms, &origin],
    )?;
    Ok(true)
}

/// Applies one push's batch: control entries first (chunks of a record
/// erased in the same batch are refused), then chunks and keys. A chunk
/// that is not Automerge's, or that would change a record's kind, fails
/// the whole push.
fn ingest(
    db: &mut Db<'_, impl GenericClient>,
    ws: WorkspaceId,
    replica: ReplicaId,
    batch: &Batch,
    origin: i64,
) -> Result<Ingested, StoreError> {
    let mut out = Ingested::default();
    for e in &batch.control {
        log_control(db, &ws, e, origin)?;
        // The hub acts on revocations itself (devices table, secret rotation).
        if let Some(record) = e.erased_record() {
            if erase(db, &ws, replica, record, e.at_ms)? {
                out.erased += 1;
            }
        }
        if let Some(fp) = e.retired_key() {
            let n = db.execute("DELETE FROM record_keys WHERE workspace = $1 AND fp = $2", &[&ws, &fp])?;
            out.erased += (n > 0) as usize;
        }
    }
    if batch.chunks.is_empty() && batch.keys.is_empty() {
        return Ok(out);
    }
    let mut seen = HashSet::new();
    let ids: Vec<&[u8]> = batch
        .chunks
        .iter()
        .map(|c| &c.doc)
        .chain(batch.keys.iter().map(|k| &k.doc))
        .filter(|d| seen.insert(**d))
        .map(|d| d.as_bytes().as_slice())
        .collect();
    let erased: HashSet<Vec<u8>> = db
        .query("SELECT id FROM erasures WHERE workspace = $1 AND id = ANY($2)", &[&ws, &ids])?
        .iter()
        .map(|r| r.get::<_, Vec<u8>>(0))
        .collect();
    let mut kinds: HashMap<Vec<u8>, i16> = db
        .query("SELECT id, kind FROM docs WHERE workspace = $1 AND id = ANY($2)", &[&ws, &ids])?
        .iter()
        .map(|r| (r.get::<_, Vec<u8>>(0), r.get::<_, i16>(1)))
        .collect();
    // Check every chunk before writing any.
    let mut fresh: Vec<(&Chunk, [u8; 16])> = vec![];
    let mut digests: HashSet<[u8; 16]> = HashSet::new();
    let mut new_docs: Vec<(&[u8], i16)> = vec![];
    for c in &batch.chunks {
        let id = c.doc.as_bytes().as_slice();
        if erased.contains(id) {
            out.refused_erased += 1;
            continue;
        }
        let bad = |why: String| StoreError::BadBatch(format!("record {}: {why}", c.doc));
        let kind = RecordKind::from_code(c.kind as i64).ok_or_else(|| bad(format!("unknown kind {}", c.kind)))?;
        match kinds.get(id) {
            Some(&k) if k != kind.code() as i16 => {
                return Err(bad(format!("changes a record of kind {k} into kind {}", kind.code())))
            }
            Some(_) => {}
            None => {
                kinds.insert(id.to_vec(), kind.code() as i16);
                new_docs.push((id, kind.code() as i16));
            }
        }
        crate::doc::frames::check(&c.bytes).map_err(bad)?;
        let digest = group_ingest::digest(c);
        if digests.insert(digest) {
            fresh.push((c, digest));
        }
    }
    // Leave out what the hub already has (a retried push).
    let wanted: Vec<&[u8]> = fresh.iter().map(|(_, d)| d.as_slice()).collect();
    let known: HashSet<Vec<u8>> = db
        .query("SELECT digest FROM chunks WHERE workspace = $1 AND digest = ANY($2)", &[&ws, &wanted])?
        .iter()
        .map(|r| r.get::<_, Vec<u8>>(0))
        .collect();
    fresh.retain(|(_, d)| !known.contains(d.as_slice()));
    let logged: Vec<(&Chunk, [u8; 16], i64)> = fresh.iter().map(|(c, d)| (*c, *d, origin)).collect();
    group_ingest::write_records(db, &ws, new_docs, &logged)?;
    if !fresh.is_empty() {
        out.new_chunks = fresh.len();
        out.records = fresh.iter().map(|(c, _)| c.doc).collect::<HashSet<_>>().len();
    }
    put_keys(db, &ws, &batch.keys, &erased)?;
    Ok(out)
}

/// Erases a record here (its chunks, key and kind), marks it erased and
/// logs the hub's receipt; whether it was erased now.
fn erase(
    db: &mut Db<'_, impl GenericClient>,
    ws: &WorkspaceId,
    replica: ReplicaId,
    record: RecordId,
    at_ms: i64,
) -> Result<bool, StoreError> {
    let new = db.execute(
        "INSERT INTO erasures(workspace, id, erased_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[ws, &&record.as_bytes()[..], &at_ms],
    )?;
    if new == 0 {
        return Ok(false);
    }
    for sql in [
        "DELETE FROM record_keys WHERE workspace = $1 AND doc = $2",
        "DELETE FROM chunks WHERE workspace = $1 AND doc = $2",
        "DELETE FROM docs WHERE workspace = $1 AND id = $2",
    ] {
        db.execute(sql, &[ws, &&record.as_bytes()[..]])?;
    }
    let receipt = ControlEntry::erased(record, Issued { by: replica, at_ms: now_ms() });
    log_control(db, ws, &receipt, 0)?;
    Ok(true)
}
