//! The store as a replica: reading its change log for a peer and ingesting
//! what a peer sent. Used by the sync protocol; no network here.

use std::collections::HashMap;

use automerge::Automerge;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{docs, get_meta, index, put_meta, Result, Store, StoreError};
use crate::doc::{self, RecordKey};
use crate::model::{RecordId, Slug};

/// One stored Automerge chunk of one record document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Chunk {
    pub doc: RecordId,
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
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty() && self.keys.is_empty()
    }
    pub fn bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.bytes.len() + 16).sum::<usize>() + self.keys.len() * 48
    }
}

/// A slice of a replica's log.
#[derive(Debug, Default)]
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
}

/// A peer's row: what this replica knows of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PeerState {
    pub rowid: i64,
    pub id: [u8; 16],
    pub name: String,
    pub epoch: Option<[u8; 16]>,
    pub recv_cursor: u64,
    pub sent_upto: u64,
    pub request_no: u64,
    pub seen_request_no: u64,
    pub last_seen_ms: Option<i64>,
}

impl Store {
    /// This replica's id (its device id) as peers know it.
    pub fn replica_id(&self) -> [u8; 16] {
        self.device
    }

    /// The workspace this replica belongs to.
    pub fn workspace_id(&self) -> Result<[u8; 16]> {
        get_meta(&self.conn, "workspace_id")?
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| StoreError::NotAStore(self.dir.clone()))
    }

    /// Moves this replica into another workspace (joining). Its records stay
    /// and reach the workspace's other replicas on the next sync.
    pub fn set_workspace(&mut self, id: [u8; 16], name: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        put_meta(&tx, "workspace_id", &id)?;
        put_meta(&tx, "workspace_name", name.as_bytes())?;
        tx.commit()?;
        Ok(())
    }

    /// The epoch of this replica's log: new if the log could have been lost
    /// or rewritten, so peers know to start over instead of trusting cursors.
    pub fn log_epoch(&self) -> Result<[u8; 16]> {
        if let Some(e) = get_meta(&self.conn, "log_epoch")?.and_then(|v| v.try_into().ok()) {
            return Ok(e);
        }
        let e = *uuid::Uuid::new_v4().as_bytes();
        put_meta(&self.conn, "log_epoch", &e)?;
        Ok(e)
    }

    /// The highest seq in the log (0 when empty).
    pub fn log_head(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM chunks", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Log entries after `after`, leaving out those that came from
    /// `exclude_origin` (the peer we send to already has them), up to about
    /// `budget` bytes.
    pub fn log_since(&self, after: u64, exclude_origin: Option<i64>, budget: usize) -> Result<LogSlice> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.seq, c.origin, d.id, c.bytes, k.key FROM chunks c
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
            let bytes: Vec<u8> = row.get(3)?;
            size += bytes.len() + 16;
            if let Some(key) = row.get::<_, Option<Vec<u8>>>(4)? {
                if keyed.insert(id, ()).is_none() {
                    if let Ok(key) = <[u8; 32]>::try_from(key.as_slice()) {
                        slice.batch.keys.push(KeyGrant { doc: id, key });
                        size += 48;
                    }
                }
            }
            slice.batch.chunks.push(Chunk { doc: id, bytes });
        }
        Ok(slice)
    }

    /// Applies a peer's batch in one transaction: new changes are appended to
    /// the log (tagged with the peer they came from) and indexed. A chunk
    /// that does not parse, or a document of the wrong kind, rejects the
    /// whole batch and changes nothing.
    pub fn ingest(&mut self, batch: &Batch, origin: i64) -> Result<Ingested> {
        let tx = self.conn.transaction()?;
        let out = ingest_in(&tx, &self.actor, batch, origin)?;
        tx.commit()?;
        Ok(out)
    }

    /// Ingests a batch and records the peer's new cursors in the same transaction.
    pub fn ingest_from_peer(&mut self, batch: &Batch, peer: &PeerState) -> Result<Ingested> {
        let tx = self.conn.transaction()?;
        let out = ingest_in(&tx, &self.actor, batch, peer.rowid)?;
        save_peer(&tx, peer)?;
        tx.commit()?;
        Ok(out)
    }

    /// The row for a peer, created on first contact.
    pub fn peer(&self, id: [u8; 16]) -> Result<PeerState> {
        self.conn.execute("INSERT OR IGNORE INTO peers(id) VALUES (?1)", [&id[..]])?;
        let p = self.conn.query_row(
            "SELECT rowid, name, epoch, recv_cursor, sent_upto, request_no, seen_request_no, last_seen_ms FROM peers WHERE id = ?1",
            [&id[..]],
            |r| {
                Ok(PeerState {
                    rowid: r.get(0)?,
                    id,
                    name: r.get(1)?,
                    epoch: r.get::<_, Option<Vec<u8>>>(2)?.and_then(|v| v.try_into().ok()),
                    recv_cursor: r.get::<_, i64>(3)? as u64,
                    sent_upto: r.get::<_, i64>(4)? as u64,
                    request_no: r.get::<_, i64>(5)? as u64,
                    seen_request_no: r.get::<_, i64>(6)? as u64,
                    last_seen_ms: r.get(7)?,
                })
            },
        )?;
        Ok(p)
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
        ids.into_iter().filter_map(|v| <[u8; 16]>::try_from(v.as_slice()).ok()).map(|id| self.peer(id)).collect()
    }

    /// Bytes of all stored chunks (what a full sync must carry at least).
    pub fn stored_chunk_bytes(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT COALESCE(SUM(length(bytes)), 0) FROM chunks", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// Bytes of every document saved on its own, uncompressed (a reference
    /// for what naive per-document transfer costs). Loads every document.
    pub fn separate_docs_bytes(&self) -> Result<u64> {
        let rows: Vec<i64> = self
            .conn
            .prepare("SELECT rowid FROM docs")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut total = 0u64;
        for rowid in rows {
            total += docs::load(&self.conn, rowid, &self.actor)?.save_nocompress().len() as u64;
        }
        Ok(total)
    }

    /// Log entries a peer has not acknowledged yet (what a sync would send).
    pub fn pending_for(&self, peer: &PeerState) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM chunks WHERE seq > ?1 AND origin != ?2",
            params![peer.sent_upto as i64, peer.rowid],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }
}

fn save_peer(conn: &rusqlite::Connection, p: &PeerState) -> Result<()> {
    conn.execute(
        "UPDATE peers SET name = ?2, epoch = ?3, recv_cursor = ?4, sent_upto = ?5, request_no = ?6,
             seen_request_no = ?7, last_seen_ms = ?8 WHERE rowid = ?1",
        params![
            p.rowid,
            p.name,
            p.epoch.map(|e| e.to_vec()),
            p.recv_cursor as i64,
            p.sent_upto as i64,
            p.request_no as i64,
            p.seen_request_no as i64,
            p.last_seen_ms
        ],
    )?;
    Ok(())
}

fn ingest_in(conn: &rusqlite::Connection, actor: &automerge::ActorId, batch: &Batch, origin: i64) -> Result<Ingested> {
    let mut out = Ingested::default();
    let keys: HashMap<RecordId, &[u8; 32]> = batch.keys.iter().map(|k| (k.doc, &k.key)).collect();
    // Group chunks by document, keeping their order.
    let mut order: Vec<RecordId> = vec![];
    let mut by_doc: HashMap<RecordId, Vec<&[u8]>> = HashMap::new();
    for c in &batch.chunks {
        by_doc.entry(c.doc).or_insert_with(|| {
            order.push(c.doc);
            vec![]
        });
        by_doc.get_mut(&c.doc).expect("just inserted").push(&c.bytes);
    }
    let now = chrono::Utc::now().timestamp_millis();
    for id in order {
        let chunks = &by_doc[&id];
        if docs::is_erased(conn, id)? {
            out.refused_erased += chunks.len();
            continue;
        }
        let existing = conn
            .query_row("SELECT rowid, kind FROM docs WHERE id = ?1", [id.as_bytes()], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })
            .optional()?;
        let bad = |why: String| StoreError::BadBatch(format!("record {id}: {why}"));
        let mut d = match existing {
            Some((rowid, _)) => docs::load(conn, rowid, actor)?,
            None => doc::new_doc(actor),
        };
        let mut fresh = vec![];
        for bytes in chunks {
            let before = d.get_heads();
            d.load_incremental(bytes).map_err(|e| bad(format!("unreadable change ({e})")))?;
            if d.get_heads() != before {
                fresh.push(*bytes);
            }
        }
        if fresh.is_empty() {
            continue;
        }
        let kind = doc::kind_of(&d).map_err(|e| bad(e.to_string()))?;
        let rowid = match existing {
            Some((_, k)) if k != kind.code() => {
                return Err(bad(format!("changes a {} into a {}", k, kind.slug())));
            }
            Some((rowid, _)) => rowid,
            None => docs::insert_doc(conn, id, kind, now)?,
        };
        for bytes in &fresh {
            docs::append_chunk(conn, rowid, origin, bytes)?;
        }
        if let Some(key) = keys.get(&id) {
            if docs::get_key(conn, rowid)?.is_none() {
                docs::put_key(conn, rowid, &RecordKey(**key))?;
            }
        }
        let key = docs::get_key(conn, rowid)?;
        let deleted = doc_deleted(&d);
        docs::touch(conn, rowid, now, deleted)?;
        index::reindex(conn, rowid, id, &d, key.as_ref())?;
        out.new_chunks += fresh.len();
        out.records += 1;
    }
    Ok(out)
}

fn doc_deleted(d: &Automerge) -> bool {
    use automerge::ReadDoc;
    matches!(d.get(automerge::ROOT, "deleted"), Ok(Some((automerge::Value::Scalar(s), _))) if s.as_bool() == Some(true))
}
