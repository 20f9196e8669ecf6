//! Checks the framing of stored Automerge bytes without loading them: a
//! run of chunks, each `magic, checksum, type, length, contents`. What a
//! hub that never loads documents (`net::pg`) can check of what it keeps.
//!
//! The checksum is the first four bytes of SHA-256 over type, length and
//! contents; a compressed change's checksum covers its uncompressed form,
//! so only its framing is checked here (devices check it when they load).

use sha2::{Digest, Sha256};

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED_CHANGE: u8 = 2;

/// Whether bytes begin with a saved (compacted) document rather than a change.
pub fn is_saved_document(bytes: &[u8]) -> bool {
    bytes.len() > 8 && bytes[..4] == MAGIC && bytes[8] == DOCUMENT
}

/// Why bytes are not a run of Automerge chunks.
pub fn check(mut bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("an empty change".into());
    }
    while !bytes.is_empty() {
        if bytes.len() < 9 || bytes[..4] != MAGIC {
            return Err("not an Automerge chunk (bad magic)".into());
        }
        let checksum = &bytes[4..8];
        let typed = &bytes[8..];
        let kind = typed[0];
        let (len, read) = uleb(&typed[1..]).ok_or("a chunk length that does not read")?;
        let header = 1 + read;
        let end = usize::try_from(len).ok().and_then(|l| l.checked_add(header)).filter(|&e| e <= typed.len());
        let Some(end) = end else { return Err("a chunk longer than the bytes that carry it".into()) };
        match kind {
            DOCUMENT | CHANGE => {
                if checksum != &Sha256::digest(&typed[..end])[..4] {
                    return Err("a chunk whose checksum does not match".into());
                }
            }
            COMPRESSED_CHANGE => {}
            other => return Err(format!("an unknown chunk type {other}")),
        }
        bytes = &typed[end..];
    }
    Ok(())
}

/// An unsigned LEB128 number and how many bytes it took (at most 10).
fn uleb(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for (i, b) in bytes.iter().take(10).enumerate() {
        v |= u64::from(b & 0x7f).checked_shl(7 * i as u32)?;
        if b & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::check;
    use automerge::transaction::Transactable;

    #[test]
    fn changes_and_saved_documents_pass_and_damage_is_named() {
        let mut doc = automerge::AutoCommit::new();
        doc.put(automerge::ROOT, "note", "Lesesirkel på Vardø bibliotek").unwrap();
        let first = doc.save_incremental();
        doc.put(automerge::ROOT, "note", "x".repeat(2000)).unwrap();
        doc.put(automerge::ROOT, "phone", "789 12 345").unwrap();
        let more = doc.save_incremental();
        let whole = doc.save_nocompress();
        let compressed = doc.save();
        for ok in [&first, &more, &whole, &compressed, &[first.clone(), more.clone()].concat()] {
            check(ok).unwrap();
        }
        let mut flipped = first.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(check(&flipped).unwrap_err().contains("checksum"));
        assert!(check(&first[..first.len() - 1]).unwrap_err().contains("longer"));
        assert!(check(&[0x85, 0x6f, 0x4a, 0x83, 1]).unwrap_err().contains("magic"));
        assert!(check(b"hello, hub").unwrap_err().contains("magic"));
        assert!(check(&[]).is_err());
        let mut unknown = first.clone();
        unknown[8] = 9;
        assert!(check(&unknown).is_err());
    }
}
