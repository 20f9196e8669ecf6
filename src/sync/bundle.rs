//! Bundle files: changes carried on a USB stick or by e-mail.
//!
//! ```text
//! "SAMSKAP-BUNDLE\n" | version u8 | workspace [16] | source replica [16] | created_ms i64 LE
//!   | payload length u64 LE | sha256(payload) [32] | payload = zstd(postcard(Batch))
//! ```
//! A bundle is checked whole (length, checksum, workspace) before any of it
//! is applied; a corrupt or foreign bundle is refused and changes nothing.

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::SyncError;
use crate::store::{Batch, Ingested, Store};

const MAGIC: &[u8; 15] = b"SAMSKAP-BUNDLE\n";
const VERSION: u8 = 2;
const HEADER: usize = 15 + 1 + 16 + 16 + 8 + 8 + 32;
const MAX_PAYLOAD: usize = 4 << 30;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BundleHeader {
    pub workspace: [u8; 16],
    pub source: [u8; 16],
    pub created_ms: i64,
    pub payload_bytes: u64,
}

/// Writes every record's changes into `path` (atomically: a temporary file
/// renamed into place, so a full disk never leaves half a bundle).
pub fn export_bundle(store: &Store, path: &Path) -> Result<BundleHeader, SyncError> {
    let slice = store.log_since(0, None, usize::MAX)?;
    let body = postcard::to_stdvec(&slice.batch).map_err(|e| SyncError::Bundle(e.to_string()))?;
    let payload = zstd::bulk::compress(&body, 3).map_err(|e| SyncError::Bundle(e.to_string()))?;
    let header = BundleHeader {
        workspace: store.workspace_id()?,
        source: store.replica_id(),
        created_ms: chrono::Utc::now().timestamp_millis(),
        payload_bytes: payload.len() as u64,
    };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(MAGIC)?;
    tmp.write_all(&[VERSION])?;
    tmp.write_all(&header.workspace)?;
    tmp.write_all(&header.source)?;
    tmp.write_all(&header.created_ms.to_le_bytes())?;
    tmp.write_all(&header.payload_bytes.to_le_bytes())?;
    tmp.write_all(&Sha256::digest(&payload))?;
    tmp.write_all(&payload)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| SyncError::Io(e.error))?;
    Ok(header)
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
        workspace: field(16, 16).try_into().expect("16 bytes"),
        source: field(32, 16).try_into().expect("16 bytes"),
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

/// Checks and applies a bundle, all or nothing.
pub fn import_bundle(store: &mut Store, path: &Path) -> Result<(BundleHeader, Ingested), SyncError> {
    import_bundle_with(store, path, |_, _| {})
}

/// [`import_bundle`], reporting `(indexed, total)` while the arrived records are indexed.
pub fn import_bundle_with(
    store: &mut Store,
    path: &Path,
    progress: impl FnMut(u64, u64),
) -> Result<(BundleHeader, Ingested), SyncError> {
    let bytes = std::fs::read(path)?;
    let (header, batch) = read_bundle(&bytes)?;
    if header.workspace != store.workspace_id()? {
        return Err(SyncError::Bundle("this bundle belongs to another workspace; nothing was imported".into()));
    }
    let mut peer = store.peer(header.source)?;
    peer.last_seen_ms = Some(chrono::Utc::now().timestamp_millis());
    let got = store.ingest_from_peer(&batch, &peer)?;
    store.index_pending(progress)?;
    Ok((header, got))
}
