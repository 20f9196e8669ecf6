//! Bundle files on a USB stick or in an e-mail: the file side of
//! [`sync::write_bundle`] and [`sync::apply_bundle`], which only handle bytes.

use std::io::Write;
use std::path::Path;

use crate::store::Store;
use crate::sync::{self, BundleApplied, BundleHeader, SyncError};

/// Writes a bundle of every change in the store to `path`, atomically: a
/// temporary file beside it, flushed to disk, then renamed into place, so a
/// full disk or a pulled stick never leaves half a bundle.
pub fn save(store: &Store, path: &Path) -> Result<BundleHeader, SyncError> {
    let (header, bytes) = sync::write_bundle(store, chrono::Utc::now())?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(&bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| SyncError::Io(e.error))?;
    Ok(header)
}

/// Reads the bundle at `path` and applies it, all or nothing.
pub fn load(store: &mut Store, path: &Path, progress: impl FnMut(u64, u64)) -> Result<BundleApplied, SyncError> {
    let bytes = std::fs::read(path)?;
    sync::apply_bundle(store, &bytes, chrono::Utc::now(), progress)
}
