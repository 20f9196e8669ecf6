//! Encryption at rest. SQLCipher encrypts every page of the store file and
//! of its WAL with a 256-bit key (AES-256, a fresh IV per page, an HMAC per
//! page), so a lost tablet's disk shows no record, name or index entry.
//! Without a key the same library is plain SQLite; a plain file starts with
//! SQLite's magic header, an encrypted one with random bytes.

use std::io::Read;
use std::path::Path;

use rusqlite::Connection;
use zeroize::Zeroizing;

use super::{Result, StoreError};
pub use crate::keystore::DbKey;

/// Whether the database file at `db` is encrypted (not a plain SQLite file).
/// A missing or empty file is not.
pub fn is_encrypted(db: &Path) -> std::io::Result<bool> {
    let mut head = [0u8; 16];
    let mut f = match std::fs::File::open(db) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let n = f.read(&mut head)?;
    Ok(n == 16 && &head != b"SQLite format 3\0")
}

/// Gives a freshly opened connection its key, and proves the key opens the
/// file (SQLCipher checks only on the first read) before anything is written.
pub(crate) fn unlock(conn: &Connection, key: Option<&DbKey>, db: &Path) -> Result<()> {
    if let Some(key) = key {
        let pragma = Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", key.to_hex().as_str()));
        conn.execute_batch(&pragma)?;
    }
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())) {
        Ok(()) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => Err(match key {
            Some(_) => StoreError::WrongKey(db.to_path_buf()),
            None => StoreError::NotAStore(db.to_path_buf()),
        }),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_from_hex_and_never_print() {
        let k = DbKey::random();
        let back = DbKey::from_hex(&k.to_hex()).unwrap();
        assert_eq!(*back.to_hex(), *k.to_hex());
        assert_eq!(format!("{k:?}"), "DbKey(…)");
        assert!(DbKey::from_hex("abc").is_none());
        assert!(DbKey::from_hex(&"zz".repeat(32)).is_none());
    }
}
