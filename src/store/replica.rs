//! The store as a replica: reading its change log for a peer and ingesting
//! what a peer sent. Used by the sync protocol; no network here.

use std::collections::HashMap;

use automerge::Automerge;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::chunk_log::{self, IndexState};
use super::control::{self, ControlEntry};
use super::doc_cache::{DocCache, Written};
use super::{get_meta, index, put_meta, Result, Store, StoreError};
use crate::doc::{self, RecordKey};
use crate::model::{LogEpoch, RecordId, RecordKind, ReplicaId, Slug, WorkspaceId};

/// One stored Automerge chunk of one record document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Chunk {
    pub doc: RecordId,
    /// The record kind's code, so a new record can be filed before it is
    /// indexed; checked against the document when it is.
    pub kind: u8,
    /// Automerge's uncompressed chunk bytes (batches are compressed whole).
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// A record key travelling with its record's chunks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct KeyGrant {
    pub doc: RecordId,
    pub key: [u8; 32],
}

/// What one replica sends another: chunks in log order, and the keys of
/// the records they belong to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Batch {
    pub chunks: Vec<Chunk>,
    pub keys: Vec<KeyGrant>,
    /// Control log entries (erasures, revocations), applied before the chunks.
    pub control: Vec<ControlEntry>,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty() && self.keys.is_empty() && self.control.is_empty()
    }
    pub fn bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.bytes.len() + 16).sum::<usize>() + self.keys.len() * 48 + self.control.len() * 48
    }
}

/// A slice of a replica's log.
#[derive(Debug, Default, PartialEq)]
pub struct LogSlice {
    pub batch: Batch,
    /// The last seq scanned (entries skipped for echo are scanned too).
    pub upto: u64,
    /// More entries follow `upto`.
    pub more: bool,
}

/// What ingesting a batch changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ingested {
    /// Chunks that brought changes this replica did not have.
    pub new_chunks: usize,
    /// Records created or changed by them.
    pub records: usize,
    /// Chunks for erased records, refused.
    pub refused_erased: usize,
    /// Records erased here because the batch carried their erasure.
    pub erased: usize,
}

/// What catching up the index did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IndexReport {
    pub indexed: u64,
    /// Records whose documents could not be read; kept, not indexed.
    pub unreadable: u64,
}

/// A peer's row: what this replica knows of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PeerState {
    pub rowid: i64,
    pub id: ReplicaId,
    pub name: String,
    pub epoch: Option<LogEpoch>,
    pub recv_cursor: u64,
    pub sent_upto: u64,
    pub request_no: u64,
    pub seen_request_no: u64,
    pub last_seen_ms: Option<i64>,
}

impl Store {
    /// This replica's id (its device id) as peers know it.
    pub fn replica_id(&self) -> ReplicaId {
        self.device.into()
    }

    /// The workspace this replica belongs to.
    pub fn workspace_id(&self) -> Result<WorkspaceId> {
        get_meta(&self.conn, "workspace_id")?
            .and_then(|v| WorkspaceId::from_slice(&v))
            .ok_or_else(|| StoreError::NotAStore(self.dir.clone()))
    }

    /// Moves this replica into another workspace (joining). Its records stay
    /// and reach the workspace's other replicas on the next sync.
    pub fn set_workspace(&mut self, id: WorkspaceId, name: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        put_meta(&tx, "workspace_id", id.as_bytes())?;
        put_meta(&tx, "workspace_name", name.as_bytes())?;
        tx.commit()?;
        Ok(())
    }

    /// The epoch of this replica's log: new if the log could have been lost
    /// or rewritten, so peers know to start over instead of trusting cursors.
    pub fn log_epoch(&self) -> Result<LogEpoch> {
        if let Some(e) = get_meta(&self.conn, "log_epoch")?.and_then(|v| LogEpoch::from_slice(&v)) {
            return Ok(e);
        }
        let e = LogEpoch::new_random();
        put_meta(&self.conn, "log_epoch", e.as_bytes())?;
        Ok(e)
    }

    /// The highest seq in the log (0 when empty).
    pub fn log_head(&self) -> Result<u64> {
        head(&self.conn)
    }

    /// Log entries after `after`, leaving out those that came from
    /// `exclude_origin` (the peer we send to already has them), up to about
    /// `budget` bytes.
    pub fn log_since(&self, after: u64, exclude_origin: Option<i64>, budget: usize) -> Result<LogSlice> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.seq, c.origin, d.id, c.bytes, k.key, d.kind FROM chunks c
             JOIN docs d ON d.rowid = c.doc LEFT JOIN record_keys k ON k.doc = c.doc
             WHERE c.seq > ?1 ORDER BY c.seq",
        )?;
        let mut rows = stmt.query([after as i64])?;
        let mut slice = LogSlice { upto: after, ..Default::default() };
        let mut size = 0usize;
        let mut keyed: HashMap<RecordId, ()> = HashMap::new();
        while let Some(row) = rows.next()? {
            let seq = row.get::<_, i64>(0)? as u64;
            if size >= budget {
                slice.more = true;
                break;
            }
            slice.upto = seq;
            let origin: i64 = row.get(1)?;
            if Some(origin) == exclude_origin {
                continue;
            }
            let id = RecordId::from_slice(row.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?)
                .ok_or_else(|| StoreError::NotAStore(self.dir.clone()))?;
            let bytes = chunk_log::unpack(row.get_ref(3)?.as_blob().map_err(rusqlite::Error::from)?)?;
            let kind = row.get::<_, i64>(5)? as u8;
            size += bytes.len() + 17;
            if let Some(key) = row.get::<_, Option<Vec<u8>>>(4)? {
                if keyed.insert(id, ()).is_none() {
                    if let Ok(key) = <[u8; 32]>::try_from(key.as_slice()) {
                        slice.batch.keys.push(KeyGrant { doc: id, key });
                        size += 48;
                    }
                }
            }
            slice.batch.chunks.push(Chunk { doc: id, kind, bytes });
        }
        let bound = if slice.more { slice.upto } else { u64::MAX };
        let (control, last) = control::entries_between(&self.conn, after, bound, exclude_origin)?;
        slice.batch.control = control;
        slice.upto = slice.upto.max(last);
        Ok(slice)
    }

    /// Applies a peer's batch in one transaction: new changes are appended to
    /// the log (tagged with the peer they came from) and indexed. A chunk
    /// that does not parse, or a document of the wrong kind, rejects the
    /// whole batch and changes nothing.
    pub fn ingest(&mut self, batch: &Batch, origin: i64) -> Result<Ingested> {
        let now_ms = self.now().timestamp_millis();
        let tx = self.conn.transaction()?;
        let mut written = Written::default();
        let out = ingest_in(&tx, &self.actor, batch, origin, now_ms, Some(&mut self.docs), &mut written)?;
        tx.commit()?;
        self.after_ingest(&out, written)?;
        Ok(out)
    }

    /// Ingests a batch and records the peer's new cursors in the same transaction.
    pub fn ingest_from_peer(&mut self, batch: &Batch, peer: &PeerState) -> Result<Ingested> {
        let now_ms = self.now().timestamp_millis();
        let tx = self.conn.transaction()?;
        // The peer's cursors first: compaction reads what it acknowledged.
        save_peer(&tx, peer)?;
        let mut written = Written::default();
        let out = ingest_in(&tx, &self.actor, batch, peer.rowid, now_ms, Some(&mut self.docs), &mut written)?;
        tx.commit()?;
        self.after_ingest(&out, written)?;
        Ok(out)
    }

    /// Several peers' pushes in one transaction, so one disk flush serves
    /// them all (a hub's group commit). Each push runs in its own savepoint:
    /// `admit` checks and updates the peer's state, read inside the
    /// transaction so two pushes from one peer see each other; a push it
    /// refuses, or whose batch fails, is rolled back alone. The outer error
    /// (the commit itself failed) means none was kept.
    pub fn ingest_pushes<E: From<StoreError>>(
        &mut self,
        pushes: &[(ReplicaId, &Batch)],
        mut admit: impl FnMut(usize, &mut PeerState) -> std::result::Result<(), E>,
    ) -> Result<Vec<std::result::Result<(PeerState, Ingested), E>>> {
        let now_ms = self.now().timestamp_millis();
        let mut tx = self.conn.transaction()?;
        let mut outs = Vec::with_capacity(pushes.len());
        for (i, (device, batch)) in pushes.iter().enumerate() {
            let sp = tx.savepoint()?;
            let one = (|| {
                let mut peer = peer_in(&sp, *device, &self.dir)?;
                admit(i, &mut peer)?;
                // The peer's cursors first: compaction reads what it acknowledged.
                save_peer(&sp, &peer)?;
                // Savepoints roll back alone, so the hub reads documents from its log.
                let out = ingest_in(&sp, &self.actor, batch, peer.rowid, now_ms, None, &mut Written::default())?;
                Ok((peer, out))
            })();
            if one.is_ok() {
                sp.commit()?;
            } // else dropped: rolled back to before this push
            outs.push(one);
        }
        tx.commit()?;
        for (_, out) in outs.iter().flatten() {
            self.after_ingest(out, Written::default())?;
        }
        Ok(outs)
    }

    /// After a batch committed: keeps the documents it wrote in memory, or
    /// after an erasure forgets every one and scrubs the WAL.
    fn after_ingest(&mut self, out: &Ingested, written: Written) -> Result<()> {
        if out.erased > 0 {
            self.docs.clear();
            self.scrub_wal()?;
        } else {
            self.docs.keep_all(&self.conn, written)?;
        }
        Ok(())
    }

    /// Before a first sync into a (nearly) empty store: drops the query
    /// indexes that would otherwise take a random B-tree insert per record,
    /// so `restore_query_indexes` builds each in one sorted pass at the end.
    /// Returns whether it did. Lists and reports still work meanwhile, by
    /// scanning; `Store::open` restores the indexes if the sync never ends.
    pub fn defer_query_indexes(&mut self) -> Result<bool> {
        let small: bool = self.conn.query_row("SELECT count(*) < 1000 FROM encounters", [], |r| r.get(0))?;
        if !small {
            return Ok(false);
        }
        let tx = self.conn.transaction()?;
        for (name, _) in super::schema::DEFERRABLE_INDEXES {
            tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
        }
        // The report's rollups are computed whole at the end too.
        super::rollup::suspend(&tx)?;
        // The search index flushes a segment per megabyte of terms and
        // merges them as they pile up: a quarter of the writer's search
        // time. A slice's terms fit one segment, and ten can wait unmerged.
        tx.execute("INSERT INTO search(search, rank) VALUES ('automerge', 0)", [])?;
        tx.execute("INSERT INTO search(search, rank) VALUES ('hashsize', ?1)", [32 << 20])?;
        tx.commit()?;
        // Each slice still commits whole (WAL), but without waiting for the
        // disk: what a power cut takes is the last slices, and their cursors
        // with them, so the next sync fetches them again. The commit in
        // `restore_query_indexes` waits for the disk, which makes every
        // slice before it durable too: the durability of one transaction
        // over the whole load, without 76 waits for the disk at a million.
        let full: i64 = self.conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        if full == 2 {
            self.conn.pragma_update(None, "synchronous", "NORMAL")?;
            self.relaxed = true;
        }
        Ok(true)
    }

    /// Builds the query indexes [`Store::defer_query_indexes`] dropped, and
    /// the report's rollups. The rollups' counting only reads, so it runs on
    /// a second connection on another core while this one sorts the indexes
    /// (each was about 2.5 s of the end of a first sync of a million records).
    pub fn restore_query_indexes(&mut self) -> Result<()> {
        if std::mem::take(&mut self.relaxed) {
            self.conn.pragma_update(None, "synchronous", "FULL")?;
        }
        let reader = match super::rollup::suspended(&self.conn)? {
            true => Some(self.read_connection()?),
            false => None,
        };
        std::thread::scope(|s| {
            let counting = reader.map(|conn| s.spawn(move || super::rollup::plan(&conn)));
            let tx = self.conn.transaction()?;
            super::schema::ensure_query_indexes(&tx)?;
            let planned = counting.map(|t| t.join().expect("the rollups' counting thread")).transpose()?;
            super::rollup::resume_planned(&tx, planned)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// The row for a peer, created on first contact.
    pub fn peer(&self, id: ReplicaId) -> Result<PeerState> {
        peer_in(&self.conn, id, &self.dir)
    }

    pub fn save_peer(&self, peer: &PeerState) -> Result<()> {
        save_peer(&self.conn, peer)
    }

    pub fn peers(&self) -> Result<Vec<PeerState>> {
        let ids: Vec<Vec<u8>> = self
            .conn
            .prepare("SELECT id FROM peers ORDER BY last_seen_ms DESC")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter().filter_map(|v| ReplicaId::from_slice(&v)).map(|id| self.peer(id)).collect()
    }

    /// How many records wait for their index rows.
    pub fn unindexed_count(&self) -> Result<u64> {
        let pending = IndexState::Pending as i64;
        Ok(self.conn.query_row(UNINDEXED_COUNT, [pending], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Builds the index rows of records that arrived unindexed, in batches
    /// (documents are read on all cores; each batch commits on its own, so
    /// the work resumes after an interruption). A record whose document
    /// cannot be read is set aside ([`IndexState::Unreadable`]) and counted, not fatal.
    pub fn catch_up_index(&mut self, mut progress: impl FnMut(u64, u64)) -> Result<IndexReport> {
        let total = self.unindexed_count()?;
        let mut report = IndexReport::default();
        loop {
            let rows: Vec<PendingRow> = self
                .conn
                .prepare_cached(UNINDEXED_PAGE)?
                .query_map([IndexState::Pending as i64], pending_row)?
                .collect::<rusqlite::Result<_>>()?;
            if rows.is_empty() {
                return Ok(report);
            }
            let read = read_records(&self.conn, &self.dir, rows)?;
            let tx = self.conn.transaction()?;
            // Records filed unindexed have no rows to replace.
            let mut search = index::SearchRows::default();
            for (rowid, rec) in read {
                match rec {
                    Some(rec) => {
                        rec.index_into(&tx, rowid, &mut search)?;
                        tx.prepare_cached("UPDATE docs SET stale = ?3, deleted = ?2 WHERE rowid = ?1")?
                            .execute(params![rowid, rec.deleted(), IndexState::Current as i64])?;
                        report.indexed += 1;
                    }
                    None => {
                        tx.prepare_cached("UPDATE docs SET stale = ?2 WHERE rowid = ?1")?
                            .execute([rowid, IndexState::Unreadable as i64])?;
                        report.unreadable += 1;
                    }
                }
            }
            search.write(&tx)?;
            tx.commit()?;
            progress(report.indexed + report.unreadable, total);
        }
    }

    /// Log entries a peer has not acknowledged yet (what a sync would send).
    pub fn pending_for(&self, peer: &PeerState) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM chunks WHERE seq > ?1 AND origin != ?2)
                  + (SELECT count(*) FROM control_log WHERE seq > ?1 AND origin != ?2)",
            params![peer.sent_upto as i64, peer.rowid],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }
}

// Every sync asks for records waiting for their index rows. `stale != 0`
// lets SQLite use the partial index `docs_stale` (it cannot tell that from
// `stale = ?1` alone, and would scan every record: a no-op sync grew with
// the workspace).
pub(super) const UNINDEXED_COUNT: &str = "SELECT count(*) FROM docs WHERE stale = ?1 AND stale != 0";
pub(super) const UNINDEXED_PAGE: &str = "SELECT d.rowid, d.id, d.kind, k.key FROM docs d
     LEFT JOIN record_keys k ON k.doc = d.rowid WHERE d.stale = ?1 AND d.stale != 0 LIMIT 4000";

/// The highest seq in a replica's log (0 when empty).
pub(super) fn head(conn: &rusqlite::Connection) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT MAX((SELECT COALESCE(MAX(seq), 0) FROM chunks), (SELECT COALESCE(MAX(seq), 0) FROM control_log))",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64)
}

fn peer_in(conn: &rusqlite::Connection, id: ReplicaId, dir: &std::path::Path) -> Result<PeerState> {
    // Read first: a write here would cost a disk flush on every sync.
    let read = |conn: &rusqlite::Connection| {
        conn.prepare_cached(
            "SELECT rowid, name, epoch, recv_cursor, sent_upto, request_no, seen_request_no, last_seen_ms FROM peers WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(PeerState {
                rowid: r.get(0)?,
                id,
                name: r.get(1)?,
                epoch: r.get::<_, Option<Vec<u8>>>(2)?.and_then(|v| LogEpoch::from_slice(&v)),
                recv_cursor: r.get::<_, i64>(3)? as u64,
                sent_upto: r.get::<_, i64>(4)? as u64,
                request_no: r.get::<_, i64>(5)? as u64,
                seen_request_no: r.get::<_, i64>(6)? as u64,
                last_seen_ms: r.get(7)?,
            })
        })
        .optional()
    };
    if let Some(p) = read(conn)? {
        return Ok(p);
    }
    conn.execute("INSERT OR IGNORE INTO peers(id) VALUES (?1)", [id])?;
    read(conn)?.ok_or_else(|| StoreError::NotAStore(dir.to_path_buf()))
}

fn save_peer(conn: &rusqlite::Connection, p: &PeerState) -> Result<()> {
    conn.execute(
        "UPDATE peers SET name = ?2, epoch = ?3, recv_cursor = ?4, sent_upto = ?5, request_no = ?6,
             seen_request_no = ?7, last_seen_ms = ?8 WHERE rowid = ?1",
        params![
            p.rowid,
            p.name,
            p.epoch,
            p.recv_cursor as i64,
            p.sent_upto as i64,
            p.request_no as i64,
            p.seen_request_no as i64,
            p.last_seen_ms
        ],
    )?;
    Ok(())
}

/// A record waiting for its index rows: rowid, id, kind, key.
type PendingRow = (i64, Vec<u8>, i64, Option<Vec<u8>>);

/// A [`PendingRow`] from a query that selects `d.rowid, d.id, d.kind, k.key`.
pub(super) fn pending_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PendingRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

/// Writes every live record's search row again, from its document:
/// after a layout that changed how the search index stores its terms
/// (13). Only the search rows: the other index rows stay. One
/// transaction, so a rebuild cut off (crash, power) leaves the flag
/// `search_rebuild` in `meta` and starts over at the next open.
pub(super) fn rebuild_search(conn: &mut rusqlite::Connection, dir: &std::path::Path) -> Result<()> {
    const PAGE: &str = "SELECT d.rowid, d.id, d.kind, k.key FROM docs d
         LEFT JOIN record_keys k ON k.doc = d.rowid
         WHERE d.rowid > ?1 AND d.stale = 0 AND d.deleted = 0 ORDER BY d.rowid LIMIT 4000";
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM search", [])?;
    let mut after = 0i64;
    loop {
        let rows: Vec<PendingRow> =
            tx.prepare_cached(PAGE)?.query_map([after], pending_row)?.collect::<rusqlite::Result<_>>()?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        let mut insert = tx.prepare_cached("INSERT INTO search(rowid, body) VALUES (?1, ?2)")?;
        for (rowid, rec) in read_records(&tx, dir, rows)? {
            // Unreadable now (a key erased since): no search row, as at indexing.
            if let Some(rec) = rec.filter(|r| !r.deleted()) {
                insert.execute(params![rowid, rec.search_text()])?;
            }
        }
    }
    tx.execute("DELETE FROM meta WHERE key = 'search_rebuild'", [])?;
    tx.commit()?;
    Ok(())
}

/// The stored chunks of these documents, in order, by document. Many
/// documents close together in rowid order (an export, a rebuild) are read
/// in one pass over their range; a few, one lookup each.
fn packed_chunks(conn: &rusqlite::Connection, rows: &[PendingRow]) -> Result<HashMap<i64, Vec<Vec<u8>>>> {
    let mut out: HashMap<i64, Vec<Vec<u8>>> = HashMap::with_capacity(rows.len());
    let wanted: std::collections::HashSet<i64> = rows.iter().map(|r| r.0).collect();
    let (lo, hi) = rows.iter().fold((i64::MAX, i64::MIN), |(lo, hi), r| (lo.min(r.0), hi.max(r.0)));
    if rows.len() >= 256 && hi - lo < 4 * rows.len() as i64 {
        let mut stmt =
            conn.prepare_cached("SELECT doc, bytes FROM chunks WHERE doc BETWEEN ?1 AND ?2 ORDER BY doc, seq")?;
        let mut found = stmt.query([lo, hi])?;
        while let Some(r) = found.next()? {
            let doc: i64 = r.get(0)?;
            if wanted.contains(&doc) {
                out.entry(doc).or_default().push(r.get(1)?);
            }
        }
        return Ok(out);
    }
    let mut stmt = conn.prepare_cached("SELECT bytes FROM chunks WHERE doc = ?1 ORDER BY seq")?;
    for doc in wanted {
        let chunks = stmt.query_map([doc], |r| r.get::<_, Vec<u8>>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        out.insert(doc, chunks);
    }
    Ok(out)
}

/// Reads the records of a page of documents (rowid, id, kind, key) on
/// every core: `None` for one this version cannot read, or whose document
/// holds another kind than it was filed as.
pub(super) fn read_records(
    conn: &rusqlite::Connection,
    dir: &std::path::Path,
    rows: Vec<PendingRow>,
) -> Result<Vec<(i64, Option<index::AnyRecord>)>> {
    // Packed as stored: unpacking is left to the other cores too.
    let mut packed = packed_chunks(conn, &rows)?;
    let mut work = Vec::with_capacity(rows.len());
    for (rowid, id, kind, key) in rows {
        let id = RecordId::from_slice(&id).ok_or_else(|| StoreError::NotAStore(dir.to_path_buf()))?;
        let chunks = packed.remove(&rowid).unwrap_or_default();
        work.push((rowid, id, kind, key.and_then(|k| RecordKey::from_slice(&k)), chunks));
    }
    let read = parallel(&work, |(_, id, kind, key, packed)| -> Result<Option<index::AnyRecord>> {
        let chunks = packed.iter().map(|b| chunk_log::unpack(b)).collect::<Result<Vec<_>>>()?;
        let raw: Vec<&[u8]> = chunks.iter().map(Vec::as_slice).collect();
        let rec = index::AnyRecord::from_chunks(&raw, *id, key.as_ref()).ok().flatten();
        Ok(rec.filter(|rec| rec.kind().code() == *kind))
    });
    // A damaged stored chunk is an error, as it was when unpacked here.
    work.iter().map(|(rowid, ..)| *rowid).zip(read).map(|(rowid, rec)| Ok((rowid, rec?))).collect()
}

/// `now_ms`: when this replica files what arrives (and dates its erasure receipts).
fn ingest_in(
    conn: &rusqlite::Connection,
    actor: &automerge::ActorId,
    batch: &Batch,
    origin: i64,
    now_ms: i64,
    mut docs: Option<&mut DocCache>,
    written: &mut Written,
) -> Result<Ingested> {
    let mut out = Ingested::default();
    // Control entries first: chunks of a record erased in this same batch are refused.
    let me = ReplicaId::from_slice(actor.to_bytes()).ok_or_else(|| StoreError::BadBatch("device id".into()))?;
    out.erased = apply_control(conn, &batch.control, origin, me, now_ms)?;
    let incoming = Incoming::of(batch);
    let (fresh, known) = incoming.sort_out(conn, &mut out)?;
    file_new_records(conn, &incoming, &fresh, origin, &mut out)?;
    for (id, row) in known {
        let (taken, d) = merge_known_record(conn, actor, &incoming, id, row, origin, docs.as_deref_mut())?;
        written.push(row.0, d);
        if taken > 0 {
            out.new_chunks += taken;
            out.records += 1;
        }
    }
    if out.erased > 0 {
        // Records re-indexed after a key was retired dropped their search
        // terms; rewrite the index pages that still held them.
        super::erasure::scrub_search(conn)?;
    }
    Ok(out)
}

/// A batch's chunks grouped by record, in the order records first appear,
/// with the keys that came along.
struct Incoming<'b> {
    order: Vec<RecordId>,
    by_doc: HashMap<RecordId, Vec<&'b Chunk>>,
    keys: HashMap<RecordId, &'b [u8; 32]>,
}

impl<'b> Incoming<'b> {
    fn of(batch: &'b Batch) -> Self {
        let mut order = vec![];
        let mut by_doc: HashMap<RecordId, Vec<&Chunk>> = HashMap::new();
        for c in &batch.chunks {
            by_doc
                .entry(c.doc)
                .or_insert_with(|| {
                    order.push(c.doc);
                    vec![]
                })
                .push(c);
        }
        Incoming { order, by_doc, keys: batch.keys.iter().map(|k| (k.doc, &k.key)).collect() }
    }

    fn key(&self, id: &RecordId) -> Option<RecordKey> {
        self.keys.get(id).map(|k| RecordKey(**k))
    }

    /// Records new here, and records this replica has (with their row and
    /// kind); chunks of erased records are counted as refused and dropped.
    #[allow(clippy::type_complexity)]
    fn sort_out(
        &self,
        conn: &rusqlite::Connection,
        out: &mut Ingested,
    ) -> Result<(Vec<RecordId>, Vec<(RecordId, (i64, i64))>)> {
        let (mut fresh, mut known) = (vec![], vec![]);
        // Most stores have erased nothing: one look instead of one per record.
        let any_erased: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM erasures)", [], |r| r.get(0))?;
        for &id in &self.order {
            if any_erased && chunk_log::is_erased(conn, id)? {
                out.refused_erased += self.by_doc[&id].len();
                continue;
            }
            let existing = conn
                .prepare_cached("SELECT rowid, kind FROM docs WHERE id = ?1")?
                .query_row([id.as_bytes()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
                .optional()?;
            match existing {
                Some(row) => known.push((id, row)),
                None => fresh.push(id),
            }
        }
        Ok((fresh, known))
    }
}

/// A new record read ahead on another core: its chunks packed for storage,
/// the record (if this version reads it), and its packed snapshot when it
/// arrived compacted.
struct Prepared {
    packed: Vec<Vec<u8>>,
    rec: Option<index::AnyRecord>,
    snapshot: Option<Vec<u8>>,
}

/// Records new here: on all cores, check their chunks parse, read the
/// record and pack the chunks for storage; then file and index them in
/// this transaction. A chunk that does not parse rejects the batch; a
/// record this version cannot read is kept, set aside unindexed.
fn file_new_records(
    conn: &rusqlite::Connection,
    incoming: &Incoming<'_>,
    fresh: &[RecordId],
    origin: i64,
    out: &mut Ingested,
) -> Result<()> {
    let mut search = index::SearchRows::default();
    let prepare = |id: &RecordId| -> Result<Prepared> {
        let raw: Vec<&[u8]> = incoming.by_doc[id].iter().map(|c| c.bytes.as_slice()).collect();
        let rec = index::AnyRecord::from_chunks(&raw, *id, incoming.key(id).as_ref())?;
        // A record some replica compacted arrives as a saved document: it
        // is read from a snapshot here too (rare, so loaded a second time).
        let snapshot = match raw.iter().any(|b| crate::doc::frames::is_saved_document(b)) {
            true => chunk_log::snapshot_of_chunks(&raw),
            false => None,
        };
        Ok(Prepared { packed: raw.iter().map(|b| chunk_log::pack(b)).collect(), rec, snapshot })
    };
    // Filing runs on this thread while the other cores read ahead.
    pipelined(fresh, prepare, |i, prepared| {
        let id = fresh[i];
        let Prepared { packed, rec, snapshot } = prepared?;
        let chunks = &incoming.by_doc[&id];
        let kind = RecordKind::from_code(chunks[0].kind as i64)
            .ok_or_else(|| StoreError::BadBatch(format!("record {id}: unknown kind {}", chunks[0].kind)))?;
        if let Some(rec) = rec.as_ref().filter(|r| r.kind() != kind) {
            return Err(StoreError::BadBatch(format!(
                "record {id}: says {} but holds {}",
                kind.slug(),
                rec.kind().slug()
            )));
        }
        let stale = if rec.is_some() { IndexState::Current } else { IndexState::Unreadable };
        let deleted = rec.as_ref().is_some_and(|r| r.deleted());
        let rowid = chunk_log::insert_filed(conn, id, kind, stale, deleted, packed.len())?;
        for p in &packed {
            chunk_log::insert_packed(conn, rowid, origin, p)?;
        }
        if let Some(snapshot) = snapshot {
            chunk_log::put_snapshot(conn, rowid, Some(&snapshot))?;
        }
        if let Some(key) = incoming.key(&id) {
            chunk_log::put_key(conn, rowid, &key)?;
        }
        if let Some(rec) = rec {
            rec.index_into(conn, rowid, &mut search)?;
        }
        out.new_chunks += chunks.len();
        out.records += 1;
        Ok(())
    })?;
    search.write(conn)
}

/// A record this replica has: merges the incoming chunks, keeps only those
/// that brought something new, and reindexes it. Returns how many it kept,
/// and the document as this transaction leaves it.
#[allow(clippy::too_many_arguments)]
fn merge_known_record(
    conn: &rusqlite::Connection,
    actor: &automerge::ActorId,
    incoming: &Incoming<'_>,
    id: RecordId,
    (rowid, kind_code): (i64, i64),
    origin: i64,
    docs: Option<&mut DocCache>,
) -> Result<(usize, Automerge)> {
    let bad = |why: String| StoreError::BadBatch(format!("record {id}: {why}"));
    let mut d = match docs {
        Some(docs) => docs.load(conn, rowid, actor)?,
        None => chunk_log::load(conn, rowid, actor)?,
    };
    let mut fresh: Vec<std::borrow::Cow<'_, [u8]>> = vec![];
    for c in &incoming.by_doc[&id] {
        let before = d.get_heads();
        match crate::doc::untrusted(|| d.load_incremental(&c.bytes)) {
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(bad(format!("unreadable change ({e})"))),
            None => return Err(bad("a change Automerge cannot apply".into())),
        }
        if d.get_heads() == before {
            continue;
        }
        if crate::doc::frames::is_saved_document(&c.bytes) {
            // A peer compacted the record: of its whole history, only the
            // changes new here are kept (else every compaction on a tablet
            // would file the whole document again on the hub).
            let new: Vec<u8> = d.get_changes(&before).iter().flat_map(|ch| ch.raw_bytes().iter().copied()).collect();
            fresh.push(new.into());
        } else {
            fresh.push(c.bytes.as_slice().into());
        }
    }
    if fresh.is_empty() {
        return Ok((0, d));
    }
    let kind = doc::kind_of(&d).map_err(|e| bad(e.to_string()))?;
    if kind.code() != kind_code {
        return Err(bad(format!("changes a {} into a {}", kind_code, kind.slug())));
    }
    let mut chunks = 0;
    for bytes in &fresh {
        chunks = chunk_log::append_chunk(conn, rowid, origin, bytes)?;
    }
    // A note edited for years on three tablets arrives mostly by sync.
    chunk_log::after_change(conn, rowid, chunks, &d, origin)?;
    if let Some(key) = incoming.key(&id) {
        if chunk_log::get_key(conn, rowid)?.is_none() {
            chunk_log::put_key(conn, rowid, &key)?;
        }
    }
    let key = chunk_log::get_key(conn, rowid)?;
    chunk_log::set_deleted(conn, rowid, doc_deleted(&d))?;
    index::reindex(conn, rowid, id, &d, key.as_ref())?;
    Ok((fresh.len(), d))
}

/// Runs `f` over `items` on the other cores while this thread hands each
/// result, in order, to `consume` (which may hold a transaction, so it stays
/// here); when the next result is not ready, this thread computes one too.
/// The first error from `consume` stops the workers and is returned.
pub(crate) fn pipelined<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(usize, R) -> Result<()>,
) -> Result<()> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    // Asked once: the answer reads cgroup files, which costs more than a
    // small batch's whole ingest.
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    let workers = cores.min(8) - 1;
    if workers == 0 || items.len() < 64 {
        return items.iter().enumerate().try_for_each(|(i, t)| consume(i, f(t)));
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let claim = || {
        let i = next.fetch_add(1, Ordering::Relaxed);
        (i < items.len() && !stop.load(Ordering::Relaxed)).then_some(i)
    };
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, R)>();
        for _ in 0..workers {
            let tx = tx.clone();
            let (f, claim) = (&f, &claim);
            s.spawn(move || {
                while let Some(i) = claim() {
                    if tx.send((i, f(&items[i]))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        // Results that arrived before their turn.
        let mut early: HashMap<usize, R> = HashMap::new();
        let result = (|| {
            for want in 0..items.len() {
                let r = loop {
                    if let Some(r) = early.remove(&want) {
                        break r;
                    }
                    match rx.try_recv() {
                        Ok((i, r)) => {
                            early.insert(i, r);
                            continue;
                        }
                        Err(std::sync::mpsc::TryRecvError::Empty) => {}
                        Err(std::sync::mpsc::TryRecvError::Disconnected) => {}
                    }
                    // Nothing ready: help with the next unclaimed item, or wait.
                    match claim() {
                        Some(i) => drop(early.insert(i, f(&items[i]))),
                        None => match rx.recv() {
                            Ok((i, r)) => drop(early.insert(i, r)),
                            Err(_) => panic!("a thread reading records stopped without its result"),
                        },
                    }
                };
                consume(want, r)?;
            }
            Ok(())
        })();
        stop.store(true, Ordering::Relaxed);
        result
    })
}

/// Runs `f` over `items` on the machine's cores, keeping order.
pub(crate) fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    if threads < 2 || items.len() < 64 {
        return items.iter().map(&f).collect();
    }
    let per = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> =
            items.chunks(per).map(|part| s.spawn(|| part.iter().map(&f).collect::<Vec<_>>())).collect();
        handles.into_iter().flat_map(|h| h.join().expect("worker thread panicked")).collect()
    })
}

fn doc_deleted(d: &Automerge) -> bool {
    use automerge::ReadDoc;
    matches!(d.get(automerge::ROOT, "deleted"), Ok(Some((automerge::Value::Scalar(s), _))) if s.as_bool() == Some(true))
}

/// Applies the entries a peer sent, in one transaction with its chunks.
/// Returns how many records were erased here because of them.
fn apply_control(
    conn: &rusqlite::Connection,
    entries: &[ControlEntry],
    origin: i64,
    me: ReplicaId,
    now_ms: i64,
) -> Result<usize> {
    let mut erased = 0;
    for e in entries {
        control::log_entry(conn, e, origin)?;
        if let Some(record) = e.erased_record() {
            if super::erasure::apply(conn, record, e.at_ms, me, now_ms)? {
                erased += 1;
            }
        }
        if let Some(key) = e.retired_key() {
            if super::chunk_log::retire_key(conn, &key)? {
                erased += 1;
            }
        }
    }
    if erased > 0 {
        super::erasure::scrub_search(conn)?;
    }
    Ok(erased)
}
