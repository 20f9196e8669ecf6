//! Sealing of personal fields with a per-record key (crypto-shredding).
//!
//! Personal values are stored in the Automerge document only as ciphertext.
//! The key lives outside the CRDT (the store's key table), so destroying the
//! key makes every copy of the value unreadable, in every replica's history.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

use crate::model::{KeyFingerprint, RecordId};

const NONCE: usize = 24;

/// A record's 32-byte key.
#[derive(Clone)]
pub struct RecordKey(pub [u8; 32]);

impl RecordKey {
    pub fn generate() -> Self {
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        RecordKey(k)
    }
    pub fn from_slice(b: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(b).ok().map(RecordKey)
    }
    /// Names the key without revealing it (what a retirement marker carries).
    pub fn fingerprint(&self) -> KeyFingerprint {
        use sha2::Digest;
        let h = sha2::Sha256::new().chain_update(b"samskap record key").chain_update(self.0).finalize();
        KeyFingerprint(h[..16].try_into().expect("a SHA-256 digest has 32 bytes"))
    }
}

impl std::fmt::Debug for RecordKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecordKey(..)")
    }
}

/// Seals and opens values for one record. The record id is bound in as
/// associated data, so a sealed value copied into another record won't open.
pub struct Sealer {
    cipher: XChaCha20Poly1305,
    aad: [u8; 16],
}

impl Sealer {
    pub fn new(key: &RecordKey, id: RecordId) -> Self {
        Sealer { cipher: XChaCha20Poly1305::new((&key.0).into()), aad: *id.as_bytes() }
    }

    pub fn seal(&self, plain: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE];
        rand::rng().fill_bytes(&mut nonce);
        let ct = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain.as_bytes(), aad: &self.aad })
            .expect("XChaCha20-Poly1305 encryption of an in-memory value cannot fail");
        let mut out = Vec::with_capacity(NONCE + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        out
    }

    /// `None` when the bytes were not sealed with this key for this record.
    pub fn open(&self, sealed: &[u8]) -> Option<String> {
        if sealed.len() < NONCE {
            return None;
        }
        let (nonce, ct) = sealed.split_at(NONCE);
        let plain = self.cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &self.aad }).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_record() {
        let id = RecordId::new();
        let key = RecordKey::generate();
        let s = Sealer::new(&key, id);
        let sealed = s.seal("Máret Ánte Sara, 915 55 555");
        assert!(!sealed.windows(5).any(|w| w == b"Sara,"));
        assert_eq!(s.open(&sealed).as_deref(), Some("Máret Ánte Sara, 915 55 555"));
        assert_eq!(Sealer::new(&RecordKey::generate(), id).open(&sealed), None);
        assert_eq!(Sealer::new(&key, RecordId::new()).open(&sealed), None);
        assert_eq!(s.open(&sealed[..10]), None);
    }
}
