//! Document rows and their chunk log.

use automerge::{ActorId, Automerge};
use rusqlite::{params, Connection, OptionalExtension};

use super::{Result, StoreError};
use crate::doc::RecordKey;
use crate::model::{RecordId, RecordKind, Slug};

/// A document with more chunks than this is rewritten as one saved snapshot.
pub const COMPACT_AFTER: i64 = 32;

pub fn find(conn: &Connection, id: RecordId) -> Result<(i64, RecordKind)> {
    let row: Option<(i64, i64)> = conn
        .prepare_cached("SELECT rowid, kind FROM docs WHERE id = ?1")?
        .query_row([id.as_bytes()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        Some((rowid, kind)) => Ok((rowid, RecordKind::from_code(kind).ok_or(StoreError::NotFound(id))?)),
        None if is_erased(conn, id)? => Err(StoreError::Erased(id)),
        None => Err(StoreError::NotFound(id)),
    }
}

pub fn is_erased(conn: &Connection, id: RecordId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM erasures WHERE id = ?1")?
        .query_row([id.as_bytes()], |_| Ok(()))
        .optional()?
        .is_some())
}

pub fn insert_doc(conn: &Connection, id: RecordId, kind: RecordKind, now_ms: i64) -> Result<i64> {
    insert_doc_as(conn, id, kind, now_ms, false)
}

/// `stale`: the record's index rows are still to be built.
pub fn insert_doc_as(conn: &Connection, id: RecordId, kind: RecordKind, now_ms: i64, stale: bool) -> Result<i64> {
    conn.prepare_cached("INSERT INTO docs(id, kind, updated_ms, stale) VALUES (?1, ?2, ?3, ?4)")?.execute(params![
        id.as_bytes(),
        kind.code(),
        now_ms,
        stale
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn touch(conn: &Connection, rowid: i64, now_ms: i64, deleted: bool) -> Result<()> {
    conn.prepare_cached("UPDATE docs SET updated_ms = ?2, deleted = ?3 WHERE rowid = ?1")?
        .execute(params![rowid, now_ms, deleted])?;
    Ok(())
}

/// Chunks are stored as zstd frames of Automerge's uncompressed bytes:
/// about as small as Automerge's own deflate, faster to write, and cheap to
/// unwrap for sync, where whole batches of raw chunks compress far better.
pub fn pack(raw: &[u8]) -> Vec<u8> {
    zstd::bulk::compress(raw, 3).expect("zstd compresses in memory without failing")
}

/// Largest unpacked chunk accepted (a document with a long history).
const MAX_CHUNK: usize = 64 << 20;

pub fn unpack(stored: &[u8]) -> Result<Vec<u8>> {
    zstd::bulk::decompress(stored, MAX_CHUNK)
        .map_err(|e| StoreError::BadBatch(format!("a stored chunk is damaged: {e}")))
}

/// Appends a raw chunk to a document's log; returns how many chunks it now has.
pub fn append_chunk(conn: &Connection, rowid: i64, origin: i64, raw: &[u8]) -> Result<i64> {
    append_packed(conn, rowid, origin, &pack(raw))
}

/// Appends an already packed chunk.
pub fn append_packed(conn: &Connection, rowid: i64, origin: i64, packed: &[u8]) -> Result<i64> {
    conn.prepare_cached("INSERT INTO chunks(doc, origin, bytes) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, origin, packed])?;
    Ok(conn
        .prepare_cached("UPDATE docs SET chunks = chunks + 1 WHERE rowid = ?1 RETURNING chunks")?
        .query_row([rowid], |r| r.get(0))?)
}

/// Loads a document from its chunks.
pub fn load(conn: &Connection, rowid: i64, actor: &ActorId) -> Result<Automerge> {
    let mut stmt = conn.prepare_cached("SELECT bytes FROM chunks WHERE doc = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([rowid])?;
    let mut bytes = Vec::new();
    while let Some(row) = rows.next()? {
        bytes.extend_from_slice(&unpack(row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?)?);
    }
    Ok(Automerge::load(&bytes)?.with_actor(actor.clone()))
}

/// Replaces a document's chunks with one saved snapshot. The snapshot gets a
/// new seq, so peers behind it receive it (and deduplicate what they had).
pub fn compact(conn: &Connection, rowid: i64, doc: &Automerge) -> Result<()> {
    conn.execute("DELETE FROM chunks WHERE doc = ?1", [rowid])?;
    conn.execute(
        "INSERT INTO chunks(doc, origin, bytes) VALUES (?1, 0, ?2)",
        params![rowid, pack(&doc.save_nocompress())],
    )?;
    conn.execute("UPDATE docs SET chunks = 1 WHERE rowid = ?1", [rowid])?;
    Ok(())
}

pub fn put_key(conn: &Connection, rowid: i64, key: &RecordKey) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO record_keys(doc, key) VALUES (?1, ?2)")?
        .execute(params![rowid, &key.0[..]])?;
    Ok(())
}

pub fn get_key(conn: &Connection, rowid: i64) -> Result<Option<RecordKey>> {
    let k: Option<Vec<u8>> =
        conn.query_row("SELECT key FROM record_keys WHERE doc = ?1", [rowid], |r| r.get(0)).optional()?;
    Ok(k.and_then(|k| RecordKey::from_slice(&k)))
}
