//! Document rows and their chunk log.

use automerge::{ActorId, Automerge};
use rusqlite::{params, Connection, OptionalExtension};

use super::{Result, StoreError};
use crate::doc::snapshot::Snapshot;
use crate::doc::RecordKey;
use crate::model::{KeyFingerprint, RecordId, RecordKind, Slug};

/// A document with more chunks than this is rewritten as one saved document.
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

/// Whether a document's index rows are current (the `docs.stale` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexState {
    /// Its index rows match the document.
    Current = 0,
    /// It arrived (or a migration dropped its rows) and waits for `catch_up_index`.
    Pending = 1,
    /// This version cannot read it: kept and synced, never indexed.
    Unreadable = 2,
}

/// Files a record that arrived whole, with its chunk count (its chunks
/// follow with [`insert_packed`]).
pub fn insert_filed(
    conn: &Connection,
    id: RecordId,
    kind: RecordKind,
    stale: IndexState,
    deleted: bool,
    chunks: usize,
) -> Result<i64> {
    conn.prepare_cached("INSERT INTO docs(id, kind, stale, deleted, chunks) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![id.as_bytes(), kind.code(), stale as i64, deleted, chunks as i64])?;
    Ok(conn.last_insert_rowid())
}

/// Stores a packed chunk of a document filed with its chunk count.
pub fn insert_packed(conn: &Connection, rowid: i64, origin: i64, packed: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT INTO chunks(doc, origin, bytes) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, origin, packed])?;
    Ok(())
}

/// Records whether a document's record is deleted, after a change to it.
pub fn set_deleted(conn: &Connection, rowid: i64, deleted: bool) -> Result<()> {
    conn.prepare_cached("UPDATE docs SET deleted = ?2 WHERE rowid = ?1 AND deleted != ?2")?
        .execute(params![rowid, deleted])?;
    Ok(())
}

/// Chunks are stored as zstd frames of Automerge's uncompressed bytes,
/// packed with a dictionary trained on record documents: a change of a few
/// hundred bytes shares little with itself but much with other records'
/// (field names, column layouts), so the dictionary packs chunks ~3.5×
/// smaller than plain zstd, and faster. Sync sends raw chunks, compressing
/// whole batches instead.
static DICT: &[u8] = include_bytes!("chunks.dict");

/// zstd's level for stored chunks. Measured on a million demo records'
/// chunks (about 640 bytes each): level 1 packs them to 282 bytes, 5 to
/// 257 for about the same time, 6 to 253 for twice the time. Chunks are
/// packed on the other cores during a first sync, and older chunks packed
/// at another level read the same.
const PACK_LEVEL: i32 = 5;

pub fn pack(raw: &[u8]) -> Vec<u8> {
    // One context per thread: creating one per chunk cost more than compressing.
    thread_local!(static CX: std::cell::RefCell<zstd::bulk::Compressor<'static>> =
        std::cell::RefCell::new(zstd::bulk::Compressor::with_dictionary(PACK_LEVEL, DICT).expect("zstd dictionary")));
    CX.with_borrow_mut(|cx| cx.compress(raw).expect("zstd compresses in memory without failing"))
}

/// Largest unpacked chunk accepted (a document with a long history).
const MAX_CHUNK: usize = 64 << 20;

pub fn unpack(stored: &[u8]) -> Result<Vec<u8>> {
    thread_local!(static DX: std::cell::RefCell<(zstd::bulk::Decompressor<'static>, zstd::bulk::Decompressor<'static>)> =
    std::cell::RefCell::new((
        zstd::bulk::Decompressor::with_dictionary(DICT).expect("zstd dictionary"),
        zstd::bulk::Decompressor::new().expect("zstd context"),
    )));
    let damaged = |e: std::io::Error| StoreError::BadBatch(format!("a stored chunk is damaged: {e}"));
    let size = match zstd::zstd_safe::get_frame_content_size(stored) {
        Ok(Some(size)) if size as usize <= MAX_CHUNK => size as usize,
        Ok(Some(size)) => return Err(StoreError::BadBatch(format!("a stored chunk claims {size} bytes"))),
        // Every frame this store writes says its size.
        _ => return Err(StoreError::BadBatch("a stored chunk is damaged: no frame size".into())),
    };
    DX.with_borrow_mut(|(with_dict, plain)| match zstd::zstd_safe::get_dict_id_from_frame(stored) {
        None => plain.decompress(stored, size),
        Some(id) if Some(id) == zstd::zstd_safe::get_dict_id_from_dict(DICT) => with_dict.decompress(stored, size),
        Some(id) => Err(std::io::Error::other(format!("packed with an unknown dictionary ({id})"))),
    })
    .map_err(damaged)
}

/// Appends a raw chunk to a document's log; returns how many chunks it now has.
pub fn append_chunk(conn: &Connection, rowid: i64, origin: i64, raw: &[u8]) -> Result<i64> {
    insert_packed(conn, rowid, origin, &pack(raw))?;
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

/// Replaces a document's chunks with one saved document (Automerge keeps
/// the whole history in it, so nothing a peer may still send is lost).
///
/// The saved document takes the seq of the newest chunk it replaces, so the log
/// stays a log for every peer: one whose cursor passed that seq had every
/// replaced change already and is sent nothing more, and one behind it
/// reads the saved document where it would have read that chunk (and Automerge
/// drops the changes it had). Filing it at the head instead would send the
/// whole document again to every peer after each compaction. Its origin is
/// `peer` (the one whose changes are being merged, 0 for none) when that
/// peer holds every replaced change — it sent them, or acknowledged them —
/// so that the saved document never goes back to it either.
pub fn compact(conn: &Connection, rowid: i64, doc: &Automerge, peer: i64) -> Result<()> {
    let (last, origin): (i64, i64) = conn
        .prepare_cached(
            "SELECT MAX(seq),
                CASE WHEN MIN(origin) = MAX(origin) THEN MIN(origin)
                     WHEN ?2 != 0 AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.doc = ?1 AND c.origin != ?2
                        AND c.seq > (SELECT sent_upto FROM peers WHERE rowid = ?2)) THEN ?2
                     ELSE 0 END
             FROM chunks WHERE doc = ?1",
        )?
        .query_row([rowid, peer], |r| Ok((r.get(0)?, r.get(1)?)))?;
    conn.prepare_cached("DELETE FROM chunks WHERE doc = ?1")?.execute([rowid])?;
    conn.prepare_cached("INSERT INTO chunks(seq, doc, origin, bytes) VALUES (?1, ?2, ?3, ?4)")?.execute(params![
        last,
        rowid,
        origin,
        pack(&doc.save_nocompress())
    ])?;
    conn.prepare_cached("UPDATE docs SET chunks = 1 WHERE rowid = ?1")?.execute([rowid])?;
    // From now on the record is read from its snapshot, not its history.
    write_snapshot(conn, rowid, doc)
}

/// After a change to a document (`chunks`: how many its log now holds):
/// compacts it when its log has grown past [`COMPACT_AFTER`], and keeps the
/// snapshot of a compacted document current, in the caller's transaction.
pub fn after_change(conn: &Connection, rowid: i64, chunks: i64, doc: &Automerge, peer: i64) -> Result<()> {
    if chunks > COMPACT_AFTER {
        compact(conn, rowid, doc, peer)?;
    } else if has_snapshot(conn, rowid)? {
        write_snapshot(conn, rowid, doc)?;
    }
    Ok(())
}

fn has_snapshot(conn: &Connection, rowid: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT snapshot IS NOT NULL FROM docs WHERE rowid = ?1")?
        .query_row([rowid], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

/// A compacted document's current state (`doc::snapshot`), packed like a
/// chunk; NULL when the document holds something a snapshot cannot.
fn write_snapshot(conn: &Connection, rowid: i64, doc: &Automerge) -> Result<()> {
    put_snapshot(conn, rowid, Snapshot::of(doc).map(|s| pack(&s.encode())).as_deref())
}

/// The packed snapshot of the document these raw chunks make, if they load.
pub fn snapshot_of_chunks(raw: &[&[u8]]) -> Option<Vec<u8>> {
    let d = crate::doc::untrusted(|| Automerge::load(&raw.concat()))?.ok()?;
    Snapshot::of(&d).map(|s| pack(&s.encode()))
}

/// Files a document's packed snapshot (`None`: it has none).
pub fn put_snapshot(conn: &Connection, rowid: i64, packed: Option<&[u8]>) -> Result<()> {
    conn.prepare_cached("UPDATE docs SET snapshot = ?2 WHERE rowid = ?1")?.execute(params![rowid, packed])?;
    Ok(())
}

/// The snapshot kept beside a document with a long history, if any; a
/// damaged one counts as none (the caller reads the history).
pub fn snapshot(conn: &Connection, rowid: i64) -> Result<Option<Snapshot>> {
    let packed: Option<Vec<u8>> = conn
        .prepare_cached("SELECT snapshot FROM docs WHERE rowid = ?1")?
        .query_row([rowid], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(packed.and_then(|p| unpack(&p).ok()).and_then(|raw| Snapshot::decode(&raw)))
}

/// How one record's document is kept: what a long history costs on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordStorage {
    /// Chunks in its log (one right after a compaction).
    pub chunks: u64,
    /// Their bytes as stored (packed).
    pub stored_bytes: u64,
    /// The same document saved compacted now, packed the same way: the floor.
    pub compacted_bytes: u64,
    /// Its heads (change hashes in hex, sorted): equal heads, equal history.
    pub heads: Vec<String>,
}

pub fn storage(conn: &Connection, rowid: i64, actor: &ActorId) -> Result<RecordStorage> {
    let (chunks, stored_bytes): (i64, i64) = conn
        .prepare_cached("SELECT count(*), COALESCE(SUM(length(bytes)), 0) FROM chunks WHERE doc = ?1")?
        .query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let doc = load(conn, rowid, actor)?;
    let mut heads: Vec<String> = doc.get_heads().iter().map(|h| h.to_string()).collect();
    heads.sort();
    Ok(RecordStorage {
        chunks: chunks as u64,
        stored_bytes: stored_bytes as u64,
        compacted_bytes: pack(&doc.save_nocompress()).len() as u64,
        heads,
    })
}

/// Keeps a record's key, unless the key was retired (delete wins: a key
/// that comes back from an old tablet or bundle is refused).
pub fn put_key(conn: &Connection, rowid: i64, key: &RecordKey) -> Result<()> {
    let fp = key.fingerprint();
    let retired = conn
        .prepare_cached("SELECT 1 FROM control_log WHERE kind = ?2 AND subject = ?1")?
        .query_row(rusqlite::params![fp, super::ControlKind::KeyRetired as i64], |_| Ok(()))
        .optional()?
        .is_some();
    if !retired {
        conn.prepare_cached("INSERT OR REPLACE INTO record_keys(doc, key, fp) VALUES (?1, ?2, ?3)")?
            .execute(params![rowid, &key.0[..], fp])?;
    }
    Ok(())
}

/// Names keys kept before keys had fingerprints (layout 5).
pub fn fill_fingerprints(conn: &Connection) -> Result<()> {
    let keys: Vec<(i64, Vec<u8>)> = conn
        .prepare("SELECT doc, key FROM record_keys WHERE fp IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (doc, key) in keys {
        if let Some(k) = RecordKey::from_slice(&key) {
            conn.execute("UPDATE record_keys SET fp = ?2 WHERE doc = ?1", params![doc, k.fingerprint()])?;
        }
    }
    Ok(())
}

/// Destroys the key with this fingerprint; whether this replica held it.
pub fn retire_key(conn: &Connection, fingerprint: &KeyFingerprint) -> Result<bool> {
    Ok(conn.prepare_cached("DELETE FROM record_keys WHERE fp = ?1")?.execute([fingerprint])? > 0)
}

pub fn get_key(conn: &Connection, rowid: i64) -> Result<Option<RecordKey>> {
    let k: Option<Vec<u8>> =
        conn.query_row("SELECT key FROM record_keys WHERE doc = ?1", [rowid], |r| r.get(0)).optional()?;
    Ok(k.and_then(|k| RecordKey::from_slice(&k)))
}
