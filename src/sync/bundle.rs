//! Bundle files: changes carried on a USB stick or by e-mail.
//!
//! ```text
//! "SAMSKAP-BUNDLE\n" | version u8 | workspace [16] | source replica [16] | created_ms i64 LE
//!   | payload length u64 LE | sha256(payload) [32] | payload = zstd(postcard(Batch))
//! ```
//! A bundle is checked whole (length, checksum, workspace) before any of it
//! is applied; a corrupt or foreign bundle is refused and changes nothing.
//! This module only encodes and decodes bytes; `net::bundle_file` reads and
//! writes the files.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::SyncError;
use crate::model::{ReplicaId, WorkspaceId};
use crate::store::{Batch, Ingested, Store};

const MAGIC: &[u8; 15] = b"SAMSKAP-BUNDLE\n";
const VERSION: u8 = 2;
const HEADER: usize = 15 + 1 + 16 + 16 + 8 + 8 + 32;
const MAX_PAYLOAD: usize = 4 << 30;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BundleHeader {
    pub workspace: WorkspaceId,
    pub source: ReplicaId,
    pub created_ms: i64,
    pub payload_bytes: u64,
}

/// Every record's change in one bundle, as bytes (writing them is the
/// caller's: `net::bundle_file` does it atomically).
pub fn write_bundle(store: &Store, now: DateTime<Utc>) -> Result<(BundleHeader, Vec<u8>), SyncError> {
    let slice = store.log_since(0, None, usize::MAX)?;
    let body = postcard::to_stdvec(&slice.batch).map_err(|e| SyncError::Bundle(e.to_string()))?;
    let payload = zstd::bulk::compress(&body, 3).map_err(|e| SyncError::Bundle(e.to_string()))?;
    let header = BundleHeader {
        workspace: store.workspace_id()?,
        source: store.replica_id(),
        created_ms: now.timestamp_millis(),
        payload_bytes: payload.len() as u64,
    };
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.extend_from_slice(header.workspace.as_bytes());
    out.extend_from_slice(header.source.as_bytes());
    out.extend_from_slice(&header.created_ms.to_le_bytes());
    out.extend_from_slice(&header.payload_bytes.to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&payload));
    out.extend_from_slice(&payload);
    Ok((header, out))
}

/// Reads and checks a bundle without applying it.
pub fn read_bundle(bytes: &[u8]) -> Result<(BundleHeader, Batch), SyncError> {
    let bad = |why: &str| SyncError::Bundle(why.to_string());
    if bytes.len() < HEADER || &bytes[..15] != MAGIC {
        return Err(bad("not a Samskap bundle"));
    }
    if bytes[15] != VERSION {
        return Err(SyncError::Bundle(format!(
            "bundle version {} is not supported (this Samskap reads version {VERSION})",
            bytes[15]
        )));
    }
    let field = |at: usize, len: usize| &bytes[at..at + len];
    let header = BundleHeader {
        workspace: WorkspaceId::from_slice(field(16, 16)).expect("16 bytes"),
        source: ReplicaId::from_slice(field(32, 16)).expect("16 bytes"),
        created_ms: i64::from_le_bytes(field(48, 8).try_into().expect("8 bytes")),
        payload_bytes: u64::from_le_bytes(field(56, 8).try_into().expect("8 bytes")),
    };
    let payload = &bytes[HEADER..];
    if header.payload_bytes != payload.len() as u64 {
        return Err(SyncError::Bundle(format!(
            "the bundle is truncated or padded: it should hold {} bytes of changes, it holds {}",
            header.payload_bytes,
            payload.len()
        )));
    }
    if Sha256::digest(payload).as_slice() != field(64, 32) {
        return Err(bad("the bundle is corrupt (checksum mismatch)"));
    }
    let body =
        super::unzstd::decompress(payload, MAX_PAYLOAD).map_err(|e| SyncError::Bundle(format!("corrupt: {e}")))?;
    let batch = postcard::from_bytes(&body).map_err(|e| SyncError::Bundle(format!("corrupt: {e}")))?;
    Ok((header, batch))
}

/// What applying a bundle did.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct BundleApplied {
    pub header: BundleHeader,
    #[serde(flatten)]
    pub ingested: Ingested,
    /// Contact people forgotten by the after-sync retention pass.
    pub forgotten_contacts: usize,
}

/// Checks and applies a bundle's bytes, all or nothing, then does the same
/// after-sync work as any sync ([`super::after_sync`]). `progress` reports
/// `(indexed, total)` while arrived records are indexed.
pub fn apply_bundle(
    store: &mut Store,
    bytes: &[u8],
    now: DateTime<Utc>,
    progress: impl FnMut(u64, u64),
) -> Result<BundleApplied, SyncError> {
    let (header, batch) = read_bundle(bytes)?;
    if header.workspace != store.workspace_id()? {
        return Err(SyncError::Bundle("this bundle belongs to another workspace; nothing was imported".into()));
    }
    let mut peer = store.peer(header.source)?;
    peer.last_seen_ms = Some(now.timestamp_millis());
    let ingested = store.ingest_from_peer(&batch, &peer)?;
    store.catch_up_index(progress)?;
    let forgotten = super::after_sync(store, now)?;
    Ok(BundleApplied { header, ingested, forgotten_contacts: forgotten.contacts })
}
