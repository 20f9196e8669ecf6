//! Credentials: invite codes, device tokens, member proofs, and which
//! addresses may be spoken to without TLS.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::model::DeviceId;

/// A fresh random secret as text with a prefix, e.g. `smk_ABC…`.
fn secret(prefix: &str, bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut b);
    format!("{prefix}{}", BASE32_NOPAD.encode(&b))
}

/// An invite code, short enough to read out loud or type.
pub fn new_invite() -> String {
    let raw = secret("", 15);
    let groups: Vec<&str> =
        raw.as_bytes().chunks(6).map(|c| std::str::from_utf8(c).expect("base32 is ASCII")).collect();
    format!("SMSK-{}", groups.join("-"))
}

/// Invite codes are compared without dashes, spaces or case.
pub fn normalize_invite(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase()
}

/// A device credential issued by a hub.
pub fn new_token() -> String {
    secret("smk_", 32)
}

/// What a hub stores instead of a secret.
pub fn hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// A workspace member's proof to a LAN peer: HMAC of its device id under
/// the workspace secret. Peers that know the secret can check it.
pub fn member_proof(secret: &[u8; 32], device: DeviceId) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"samskap-member-v1");
    mac.update(device.as_bytes());
    BASE32_NOPAD.encode(&mac.finalize().into_bytes())
}

pub fn check_member_proof(secret: &[u8; 32], device: DeviceId, proof: &str) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"samskap-member-v1");
    mac.update(device.as_bytes());
    match BASE32_NOPAD.decode(proof.as_bytes()) {
        Ok(p) => mac.verify_slice(&p).is_ok(),
        Err(_) => false,
    }
}

pub fn new_workspace_secret() -> [u8; 32] {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    b
}

/// Plain HTTP is allowed only to this machine and to private LAN addresses
/// (a pop-up session on a phone hotspot); anything else needs https.
pub fn plain_http_allowed(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host == "localhost" || host.ends_with(".local") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback() || ip.is_private() || ip.is_link_local(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || (ip.segments()[0] & 0xfe00) == 0xfc00 || (ip.segments()[0] & 0xffc0) == 0xfe80
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invites_and_tokens() {
        let code = new_invite();
        assert!(code.starts_with("SMSK-"), "{code}");
        assert_eq!(normalize_invite(&code.to_lowercase().replace('-', " ")), normalize_invite(&code));
        assert_ne!(new_token(), new_token());
        assert_eq!(hash("a"), hash("a"));
    }

    #[test]
    fn member_proofs_need_the_secret_and_the_device() {
        let s = new_workspace_secret();
        let p = member_proof(&s, DeviceId([1; 16]));
        assert!(check_member_proof(&s, DeviceId([1; 16]), &p));
        assert!(!check_member_proof(&s, DeviceId([2; 16]), &p));
        assert!(!check_member_proof(&new_workspace_secret(), DeviceId([1; 16]), &p));
        assert!(!check_member_proof(&s, DeviceId([1; 16]), "not base32!"));
    }

    #[test]
    fn plain_http_only_nearby() {
        for ok in ["127.0.0.1", "localhost", "192.168.43.1", "10.0.0.5", "[::1]", "tablet.local"] {
            assert!(plain_http_allowed(ok), "{ok}");
        }
        for no in ["hub.example.no", "8.8.8.8", "[2001:db8::1]"] {
            assert!(!plain_http_allowed(no), "{no}");
        }
    }
}
