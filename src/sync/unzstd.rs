//! Decompressing what a peer or a bundle file sent, within a bound, without
//! reserving the bound up front. (`zstd::bulk::decompress(data, max)`
//! reserves `max` bytes for every call: 4 GiB for any bundle, which a
//! tablet that cannot reserve that much answers by aborting. The `bundle`
//! fuzz target found it under an address-space limit.)

use std::io::Read;

/// At most this many bytes are reserved before any arrive, per compressed byte.
const TRUSTED_RATIO: u64 = 32;

/// `payload`, decompressed: an error if it is not zstd or holds more than `max` bytes.
pub fn decompress(payload: &[u8], max: usize) -> std::io::Result<Vec<u8>> {
    // Honest frames say their size: reserve it, as far as the input makes it plausible.
    let declared = zstd::zstd_safe::get_frame_content_size(payload).ok().flatten().unwrap_or(0);
    let plausible = (payload.len() as u64).saturating_mul(TRUSTED_RATIO).max(64 << 10);
    let mut out = Vec::with_capacity(declared.min(plausible).min(max as u64) as usize);
    zstd::stream::read::Decoder::new(payload)?.take(max as u64 + 1).read_to_end(&mut out)?;
    if out.len() > max {
        return Err(std::io::Error::other(format!("it holds more than {max} bytes")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_payload_reserves_little_whatever_the_bound() {
        let data = "Vadsø husflidslag; strikkekafé i biblioteket".repeat(20).into_bytes();
        let packed = zstd::bulk::compress(&data, 3).unwrap();
        let out = decompress(&packed, usize::MAX / 2).unwrap();
        assert_eq!(out, data);
        assert!(out.capacity() < 1 << 20, "reserved {} bytes", out.capacity());
    }

    #[test]
    fn more_than_the_bound_or_not_zstd_is_an_error() {
        let packed = zstd::bulk::compress(&[7u8; 10_000], 3).unwrap();
        assert_eq!(decompress(&packed, 10_000).unwrap().len(), 10_000);
        assert!(decompress(&packed, 9_999).is_err());
        assert!(decompress(b"not zstd at all", 1 << 20).is_err());
        assert!(decompress(&packed[..packed.len() - 3], 1 << 20).is_err(), "truncated");
    }
}
