//! A group's pushes written together. Almost every push is a device's few
//! new chunks and keys; taken one by one, each costs a dozen round trips
//! while the workspace's row is locked, and processes queue behind that
//! lock. Here the group's reads are one query per table, each push is
//! checked in memory (it still fails alone), and the writes are one
//! statement per table: the lock is held for a fixed number of round trips
//! whatever the group's size. Pushes with control entries (erasures,
//! revocations, retired keys) are rare and take the per-push path in
//! `log.rs`, which applies them in order within savepoints.

use std::collections::{HashMap, HashSet};

use r2d2_postgres::postgres::{GenericClient, Row};
use sha2::{Digest, Sha256};

use super::db::Db;
use crate::doc::RecordKey;
use crate::model::{KeyFingerprint, LogEpoch, RecordKind, ReplicaId, Slug, WorkspaceId};
use crate::store::{Batch, Chunk, ControlKind, Ingested, KeyGrant, PeerState, StoreError};
use crate::sync::{PushOutcome, SyncError};

/// A peer's state from a row of `origin, name, epoch, recv_cursor,
/// sent_upto, request_no, seen_request_no, last_seen_ms, id`.
pub(super) fn peer(row: &Row) -> Result<PeerState, StoreError> {
    Ok(PeerState {
        rowid: row.get(0),
        id: ReplicaId::from_slice(row.get(8)).ok_or_else(|| StoreError::HubDatabase("a peer id is damaged".into()))?,
        name: row.get(1),
        epoch: row.get::<_, Option<&[u8]>>(2).and_then(LogEpoch::from_slice),
        recv_cursor: row.get::<_, i64>(3) as u64,
        sent_upto: row.get::<_, i64>(4) as u64,
        request_no: row.get::<_, i64>(5) as u64,
        seen_request_no: row.get::<_, i64>(6) as u64,
        last_seen_ms: row.get(7),
    })
}

/// One push that passed its checks: what it adds.
struct Accepted<'b> {
    chunks: Vec<(&'b Chunk, [u8; 16])>,
    refused_erased: usize,
    /// Records it creates, with their kinds.
    new_kinds: Vec<(&'b [u8], i16)>,
}

/// Applies pushes that carry no control entries. `peers` holds every
/// pushing peer's row, locked; the caller commits.
pub(super) fn ingest_group(
    db: &mut Db<'_, impl GenericClient>,
    ws: WorkspaceId,
    peers: &mut HashMap<ReplicaId, PeerState>,
    pushes: &[(ReplicaId, &Batch)],
    admit: &mut impl FnMut(usize, &mut PeerState) -> Result<(), SyncError>,
) -> Result<Vec<PushOutcome>, SyncError> {
    let mut seen = HashSet::new();
    let ids: Vec<&[u8]> = pushes
        .iter()
        .flat_map(|(_, b)| b.chunks.iter().map(|c| &c.doc).chain(b.keys.iter().map(|k| &k.doc)))
        .filter(|d| seen.insert(**d))
        .map(|d| d.as_bytes().as_slice())
        .collect();
    let (erased, mut kinds) = if ids.is_empty() {
        (HashSet::new(), HashMap::new())
    } else {
        let erased: HashSet<Vec<u8>> = db
            .query("SELECT id FROM erasures WHERE workspace = $1 AND id = ANY($2)", &[&ws, &ids])?
            .iter()
            .map(|r| r.get::<_, Vec<u8>>(0))
            .collect();
        let kinds: HashMap<Vec<u8>, i16> = db
            .query("SELECT id, kind FROM docs WHERE workspace = $1 AND id = ANY($2)", &[&ws, &ids])?
            .iter()
            .map(|r| (r.get::<_, Vec<u8>>(0), r.get::<_, i16>(1)))
            .collect();
        (erased, kinds)
    };

    // Each push checked alone, in order, against what the pushes before it added.
    let mut outs: Vec<Result<(PeerState, Accepted), SyncError>> = Vec::with_capacity(pushes.len());
    let mut new_docs: Vec<(&[u8], i16)> = vec![];
    let mut keys: Vec<KeyGrant> = vec![];
    for (i, (device, batch)) in pushes.iter().enumerate() {
        let mut state =
            peers.get(device).cloned().ok_or_else(|| StoreError::HubDatabase("a pushing peer has no row".into()))?;
        let checked = admit(i, &mut state).and_then(|()| Ok(check(batch, &erased, &kinds)?));
        match checked {
            Ok(mut accepted) => {
                for (id, kind) in std::mem::take(&mut accepted.new_kinds) {
                    kinds.insert(id.to_vec(), kind);
                    new_docs.push((id, kind));
                }
                keys.extend(batch.keys.iter().cloned());
                peers.insert(*device, state.clone());
                outs.push(Ok((state, accepted)));
            }
            Err(e) => outs.push(Err(e)),
        }
    }

    // Leave out what the hub already has (a retried push, or a chunk two
    // devices relay), and what an earlier push in the group brought.
    let wanted: Vec<&[u8]> = outs.iter().flatten().flat_map(|(_, a)| a.chunks.iter().map(|(_, d)| &d[..])).collect();
    let mut known: HashSet<Vec<u8>> = if wanted.is_empty() {
        HashSet::new()
    } else {
        db.query("SELECT digest FROM chunks WHERE workspace = $1 AND digest = ANY($2)", &[&ws, &wanted])?
            .iter()
            .map(|r| r.get::<_, Vec<u8>>(0))
            .collect()
    };
    // Each new chunk with its digest and the origin (the pushing peer) it is logged under.
    let mut fresh: Vec<(&Chunk, [u8; 16], i64)> = vec![];
    let mut results = Vec::with_capacity(outs.len());
    for out in outs {
        results.push(out.map(|(state, accepted)| {
            let mut records = HashSet::new();
            let mut new_chunks = 0;
            for (c, digest) in accepted.chunks {
                if known.insert(digest.to_vec()) {
                    new_chunks += 1;
                    records.insert(c.doc);
                    fresh.push((c, digest, state.rowid));
                }
            }
            let ingested =
                Ingested { new_chunks, records: records.len(), refused_erased: accepted.refused_erased, erased: 0 };
            (state, ingested)
        }));
    }

    write_records(db, &ws, new_docs, &fresh)?;
    put_keys(db, &ws, &keys, &erased)?;

    // Each admitted peer's request number and last seen, once per peer.
    let mut written = HashSet::new();
    let states: Vec<&PeerState> =
        results.iter().flatten().filter(|(p, _)| written.insert(p.id)).map(|(p, _)| &peers[&p.id]).collect();
    if !states.is_empty() {
        let origins: Vec<i64> = states.iter().map(|p| p.rowid).collect();
        let seen: Vec<i64> = states.iter().map(|p| p.seen_request_no as i64).collect();
        let last: Vec<Option<i64>> = states.iter().map(|p| p.last_seen_ms).collect();
        db.execute(
            "UPDATE peers p SET seen_request_no = t.s, last_seen_ms = t.l
             FROM UNNEST($1::int8[], $2::int8[], $3::int8[]) AS t(o, s, l) WHERE p.origin = t.o",
            &[&origins, &seen, &last],
        )?;
    }
    Ok(results)
}

/// One push's chunks checked: refused if erased here, kind fixed by a
/// record's first chunk, Automerge's framing and checksum.
fn check<'b>(
    batch: &'b Batch,
    erased: &HashSet<Vec<u8>>,
    kinds: &HashMap<Vec<u8>, i16>,
) -> Result<Accepted<'b>, StoreError> {
    let mut accepted =
        Accepted { chunks: Vec::with_capacity(batch.chunks.len()), refused_erased: 0, new_kinds: vec![] };
    let mut fresh_kinds: HashMap<&[u8], i16> = HashMap::new();
    for c in &batch.chunks {
        let id = c.doc.as_bytes().as_slice();
        if erased.contains(id) {
            accepted.refused_erased += 1;
            continue;
        }
        let bad = |why: String| StoreError::BadBatch(format!("record {}: {why}", c.doc));
        let kind = RecordKind::from_code(c.kind as i64).ok_or_else(|| bad(format!("unknown kind {}", c.kind)))?;
        let code = kind.code() as i16;
        match kinds.get(id).or(fresh_kinds.get(id)) {
            Some(&k) if k != code => {
                return Err(bad(format!("changes a record of kind {k} into kind {}", kind.code())))
            }
            Some(_) => {}
            None => {
                fresh_kinds.insert(id, code);
                accepted.new_kinds.push((id, code));
            }
        }
        crate::doc::frames::check(&c.bytes).map_err(bad)?;
        accepted.chunks.push((c, digest(c)));
    }
    Ok(accepted)
}

/// A chunk's identity in the log. The record's id is part of it: two
/// records' first changes can be the same bytes (one device, the same
/// fields in the same second).
pub(super) fn digest(c: &Chunk) -> [u8; 16] {
    Sha256::new().chain_update(c.doc.as_bytes()).chain_update(&c.bytes).finalize()[..16]
        .try_into()
        .expect("16 of 32 bytes")
}

/// Takes `n` seqs from the workspace's counter (locking its row until the
/// transaction ends); returns the first.
pub(super) fn take_seqs(db: &mut Db<'_, impl GenericClient>, ws: &WorkspaceId, n: usize) -> Result<i64, StoreError> {
    let row = db.query_one(
        "UPDATE workspaces SET head = head + $2::bigint WHERE id = $1 RETURNING head",
        &[&ws, &(n as i64)],
    )?;
    Ok(row.get::<_, i64>(0) - n as i64 + 1)
}

/// Keeps record keys the hub does not have, unless their record was erased
/// or the key retired (delete wins: a key that comes back is refused).
pub(super) fn put_keys(
    db: &mut Db<'_, impl GenericClient>,
    ws: &WorkspaceId,
    keys: &[KeyGrant],
    erased: &HashSet<Vec<u8>>,
) -> Result<(), StoreError> {
    let keys: Vec<(&KeyGrant, KeyFingerprint)> = keys
        .iter()
        .filter(|k| !erased.contains(k.doc.as_bytes().as_slice()))
        .map(|k| (k, RecordKey(k.key).fingerprint()))
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    let fps: Vec<&[u8]> = keys.iter().map(|(_, fp)| fp.as_bytes().as_slice()).collect();
    let retired: HashSet<Vec<u8>> = db
        .query(
            "SELECT subject FROM control_log WHERE workspace = $1 AND kind = $2 AND subject = ANY($3)",
            &[&ws, &(ControlKind::KeyRetired as i16), &fps],
        )?
        .iter()
        .map(|r| r.get::<_, Vec<u8>>(0))
        .collect();
    let keep: Vec<&(&KeyGrant, KeyFingerprint)> =
        keys.iter().filter(|(_, fp)| !retired.contains(fp.as_bytes().as_slice())).collect();
    let docs: Vec<&[u8]> = keep.iter().map(|(k, _)| k.doc.as_bytes().as_slice()).collect();
    let values: Vec<&[u8]> = keep.iter().map(|(k, _)| k.key.as_slice()).collect();
    let fps: Vec<&[u8]> = keep.iter().map(|(_, fp)| fp.as_bytes().as_slice()).collect();
    db.execute(
        "INSERT INTO record_keys(workspace, doc, key, fp) SELECT $1, * FROM UNNEST($2::bytea[], $3::bytea[], $4::bytea[])
         ON CONFLICT DO NOTHING",
        &[&ws, &docs, &values, &fps],
    )?;
    Ok(())
}

/// Writes new records' kinds, then new chunks (each with its digest and the
/// origin it is logged under) at the next seqs of the workspace's counter.
pub(super) fn write_records(
    db: &mut Db<'_, impl GenericClient>,
    ws: &WorkspaceId,
    new_docs: Vec<(&[u8], i16)>,
    fresh: &[(&Chunk, [u8; 16], i64)],
) -> Result<(), StoreError> {
    if !new_docs.is_empty() {
        let (ids, kinds): (Vec<&[u8]>, Vec<i16>) = new_docs.into_iter().unzip();
        db.execute(
            "INSERT INTO docs(workspace, id, kind) SELECT $1, * FROM UNNEST($2::bytea[], $3::int2[]) ON CONFLICT DO NOTHING",
            &[ws, &ids, &kinds],
        )?;
    }
    if !fresh.is_empty() {
        let first = take_seqs(db, ws, fresh.len())?;
        let seqs: Vec<i64> = (first..first + fresh.len() as i64).collect();
        let origins: Vec<i64> = fresh.iter().map(|(_, _, o)| *o).collect();
        let docs: Vec<&[u8]> = fresh.iter().map(|(c, _, _)| c.doc.as_bytes().as_slice()).collect();
        let digests: Vec<&[u8]> = fresh.iter().map(|(_, d, _)| d.as_slice()).collect();
        let packed: Vec<Vec<u8>> = fresh.iter().map(|(c, _, _)| crate::store::pack_chunk(&c.bytes)).collect();
        db.execute(
            "INSERT INTO chunks(workspace, seq, doc, origin, digest, bytes)
             SELECT $1, s, d, o, g, b FROM UNNEST($2::int8[], $3::int8[], $4::bytea[], $5::bytea[], $6::bytea[]) AS t(s, o, d, g, b)",
            &[ws, &seqs, &origins, &docs, &digests, &packed],
        )?;
    }
    Ok(())
}
