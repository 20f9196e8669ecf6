//! Where a device's store key lives: the computer's own key store (Secret
//! Service on Linux desktops, Keychain on macOS, Credential Manager on
//! Windows), never beside the data. A thief with the tablet's disk finds an
//! encrypted file and, in the store folder, only the key's *name*
//! (`samskap.keyid`, a random id) to look it up by.
//!
//! `SAMSKAP_DB_KEY` (64 hex digits) overrides the key store: for servers
//! (a hub's key comes from its service manager's credentials) and tests.

use std::path::Path;

use zeroize::Zeroizing;

#[derive(Debug, thiserror::Error)]
pub enum KeyStoreError {
    /// The key store could not give or keep a key (its message says why).
    #[error("{0}")]
    Refused(String),
    /// The file naming the key could not be written.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A store file's key. Never printed; wiped from memory when dropped.
#[derive(Clone)]
pub struct DbKey(Zeroizing<[u8; 32]>);

impl DbKey {
    pub fn random() -> DbKey {
        DbKey(Zeroizing::new(rand::random()))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> DbKey {
        DbKey(Zeroizing::new(bytes))
    }

    /// 64 hexadecimal digits (what `SAMSKAP_DB_KEY` and key files hold).
    pub fn from_hex(text: &str) -> Option<DbKey> {
        let text = text.trim();
        let bytes = Zeroizing::new(data_encoding::HEXLOWER_PERMISSIVE.decode(text.as_bytes()).ok()?);
        Some(DbKey::from_bytes(bytes.as_slice().try_into().ok()?))
    }

    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::HEXLOWER.encode(&self.0[..]))
    }
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(…)")
    }
}

/// Environment variable holding a store key as 64 hex digits.
pub const KEY_ENV: &str = "SAMSKAP_DB_KEY";
/// The file in a store folder naming its key in the key store.
pub const KEY_ID_FILE: &str = "samskap.keyid";
const SERVICE: &str = "no.samskap.store";

/// The key from `SAMSKAP_DB_KEY`, if set. A malformed value is an error,
/// not a silent fallback to an unencrypted store.
pub fn from_env() -> Result<Option<DbKey>, KeyStoreError> {
    match std::env::var(KEY_ENV) {
        Ok(v) if !v.trim().is_empty() => DbKey::from_hex(&v)
            .map(Some)
            .ok_or_else(|| KeyStoreError::Refused(format!("{KEY_ENV} must be 64 hexadecimal digits"))),
        _ => Ok(None),
    }
}

/// Whether the store in `dir` was made with a key (it names where the key is).
pub fn names_a_key(dir: &Path) -> bool {
    dir.join(KEY_ID_FILE).is_file()
}

/// The key of the store in `dir`, if it is to be found.
pub fn find(dir: &Path) -> Result<Option<DbKey>, KeyStoreError> {
    if let Some(k) = from_env()? {
        return Ok(Some(k));
    }
    let Ok(id) = std::fs::read_to_string(dir.join(KEY_ID_FILE)) else {
        return Ok(None);
    };
    if id.trim() == KEY_ENV {
        return Ok(None);
    }
    let entry = keyring::Entry::new(SERVICE, id.trim()).map_err(key_store)?;
    match entry.get_password() {
        Ok(hex) => Ok(DbKey::from_hex(&hex)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(key_store(e)),
    }
}

/// A key for a new store in `dir`: from `SAMSKAP_DB_KEY`, or a new random
/// key saved in the key store and read back before any data depends on it.
/// `None` when this computer has no usable key store (the store is then
/// created unencrypted, and says so in `samskap status`).
pub fn create(dir: &Path) -> Result<Option<DbKey>, KeyStoreError> {
    if let Some(k) = from_env()? {
        std::fs::write(dir.join(KEY_ID_FILE), KEY_ENV)?;
        return Ok(Some(k));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let key = DbKey::random();
    let saved = keyring::Entry::new(SERVICE, &id).and_then(|e| {
        e.set_password(&key.to_hex())?;
        e.get_password()
    });
    match saved {
        Ok(back) if back == *key.to_hex() => {
            std::fs::write(dir.join(KEY_ID_FILE), &id)?;
            Ok(Some(key))
        }
        Ok(_) => Err(KeyStoreError::Refused("the key store returned another key than was saved".into())),
        Err(e) => {
            tracing::warn!("no usable key store ({e}); the store will not be encrypted at rest");
            Ok(None)
        }
    }
}

fn key_store(e: keyring::Error) -> KeyStoreError {
    KeyStoreError::Refused(e.to_string())
}
