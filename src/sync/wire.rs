//! The frame every sync message travels in:
//!
//! ```text
//! "SMSY" | version u8 | kind u8 | flags u8 | 0 u8 | length u32 LE | crc32 u32 LE | payload
//! ```
//! The payload is postcard, zstd-compressed when flag bit 0 is set. Every
//! field is checked before anything is decoded; decompression is bounded.

use serde::{Deserialize, Serialize};

use super::SyncError;
use crate::model::{DeviceId, LogEpoch, ReplicaId, WorkspaceId};
use crate::store::Batch;

const MAGIC: &[u8; 4] = b"SMSY";
pub const VERSION: u8 = 2;
const HEADER: usize = 16;
/// Largest frame accepted, compressed.
pub const MAX_FRAME: usize = 64 << 20;
/// Largest payload accepted once decompressed.
const MAX_PAYLOAD: usize = 256 << 20;
const ZSTD: u8 = 1;
/// Payloads smaller than this are sent uncompressed.
const COMPRESS_FROM: usize = 512;

/// Where a client is in a server's log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The server log's epoch the seq belongs to.
    pub epoch: Option<LogEpoch>,
    pub seq: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequest {
    pub workspace: WorkspaceId,
    pub device: DeviceId,
    /// Strictly increasing per client and server: a replay is refused.
    pub request_no: u64,
    pub cursor: Cursor,
    /// The client's log entries in (push_from, push_upto].
    pub push_from: u64,
    pub push_upto: u64,
    pub push: Batch,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub request_no: u64,
    /// The server replica's id, so the client can tag what it receives.
    pub server: ReplicaId,
    pub epoch: LogEpoch,
    /// The client's entries up to here are now held by the server.
    pub acked_upto: u64,
    /// The server's entries in (from, upto].
    pub from: u64,
    pub upto: u64,
    pub more: bool,
    pub batch: Batch,
    /// From a hub: the workspace's current secret (LAN members prove it to
    /// each other), new after a device was revoked. Only sent to a device
    /// that presented a valid hub credential.
    pub secret: Option<[u8; 32]>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    Request(SyncRequest),
    Response(SyncResponse),
}

impl Message {
    fn kind(&self) -> u8 {
        match self {
            Message::Request(_) => 1,
            Message::Response(_) => 2,
        }
    }
    pub fn name(&self) -> &'static str {
        match self {
            Message::Request(_) => "sync request",
            Message::Response(_) => "sync response",
        }
    }
}

/// zstd level for frames: a first sync's slices are mostly Automerge's
/// own compact columns, which level 3 shrinks only a few percent more than
/// level 1 at twice the hub's time.
const WIRE_LEVEL: i32 = 1;

pub fn encode(msg: &Message) -> Vec<u8> {
    let body = match msg {
        Message::Request(r) => postcard::to_stdvec(r),
        Message::Response(r) => postcard::to_stdvec(r),
    }
    .expect("postcard encodes plain structs without failing");
    let (flags, payload) = if body.len() >= COMPRESS_FROM {
        (ZSTD, zstd::bulk::compress(&body, WIRE_LEVEL).expect("zstd compresses in memory without failing"))
    } else {
        (0, body)
    };
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[VERSION, msg.kind(), flags, 0]);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

pub fn decode(bytes: &[u8]) -> Result<Message, SyncError> {
    if bytes.len() > MAX_FRAME {
        return Err(SyncError::TooLarge { len: bytes.len(), max: MAX_FRAME });
    }
    if bytes.len() < HEADER {
        return Err(SyncError::TooShort(bytes.len()));
    }
    if &bytes[..4] != MAGIC {
        return Err(SyncError::BadMagic);
    }
    let (version, kind, flags) = (bytes[4], bytes[5], bytes[6]);
    if version != VERSION {
        return Err(SyncError::UnsupportedVersion(version, VERSION));
    }
    if !(1..=2).contains(&kind) {
        return Err(SyncError::UnknownKind(kind));
    }
    if flags & !ZSTD != 0 || bytes[7] != 0 {
        return Err(SyncError::Malformed(format!("unknown flags {flags:#04x}")));
    }
    let declared = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes")) as usize;
    let payload = &bytes[HEADER..];
    if declared != payload.len() {
        return Err(SyncError::LengthMismatch { declared, actual: payload.len() });
    }
    if crc32fast::hash(payload) != u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes")) {
        return Err(SyncError::Checksum);
    }
    let body;
    let body: &[u8] = if flags & ZSTD != 0 {
        body = super::unzstd::decompress(payload, MAX_PAYLOAD)
            .map_err(|e| SyncError::Malformed(format!("compression: {e}")))?;
        &body
    } else {
        payload
    };
    let bad = |e: postcard::Error| SyncError::Malformed(e.to_string());
    let msg = match kind {
        1 => Message::Request(postcard::from_bytes(body).map_err(bad)?),
        _ => Message::Response(postcard::from_bytes(body).map_err(bad)?),
    };
    Ok(msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Chunk;

    fn request() -> Message {
        Message::Request(SyncRequest {
            workspace: WorkspaceId([1; 16]),
            device: DeviceId([2; 16]),
            request_no: 7,
            cursor: Cursor { epoch: Some(LogEpoch([3; 16])), seq: 42 },
            push_from: 1,
            push_upto: 9,
            push: Batch {
                chunks: vec![Chunk { doc: crate::model::RecordId::new(), kind: 1, bytes: vec![9; 2000] }],
                keys: vec![],
                control: vec![crate::store::ControlEntry::revoked(
                    DeviceId([4; 16]),
                    crate::store::Issued { by: ReplicaId([5; 16]), at_ms: 1 },
                )],
            },
        })
    }

    #[test]
    fn frames_round_trip() {
        let m = request();
        assert_eq!(decode(&encode(&m)).unwrap(), m);
    }

    #[test]
    fn every_damage_is_a_clear_error() {
        let good = encode(&request());
        assert!(matches!(decode(&good[..10]), Err(SyncError::TooShort(10))));
        assert!(matches!(decode(&good[..good.len() - 1]), Err(SyncError::LengthMismatch { .. })));
        let mut padded = good.clone();
        padded.push(0);
        assert!(matches!(decode(&padded), Err(SyncError::LengthMismatch { .. })));
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        assert!(matches!(decode(&flipped), Err(SyncError::Checksum)));
        let mut next = good.clone();
        next[4] = VERSION + 1;
        let err = decode(&next).unwrap_err().to_string();
        assert!(err.contains(&format!("version {} is not supported", VERSION + 1)), "{err}");
        let mut magic = good.clone();
        magic[0] = b'X';
        assert!(matches!(decode(&magic), Err(SyncError::BadMagic)));
        let mut kind = good.clone();
        kind[5] = 9;
        assert!(matches!(decode(&kind), Err(SyncError::UnknownKind(9))));
        assert!(matches!(decode(&vec![0u8; MAX_FRAME + 1]), Err(SyncError::TooLarge { .. })));
    }

    #[test]
    fn a_valid_frame_around_garbage_is_malformed() {
        let garbage = vec![0xFFu8; 64];
        let mut f = Vec::new();
        f.extend_from_slice(MAGIC);
        f.extend_from_slice(&[VERSION, 1, 0, 0]);
        f.extend_from_slice(&(garbage.len() as u32).to_le_bytes());
        f.extend_from_slice(&crc32fast::hash(&garbage).to_le_bytes());
        f.extend_from_slice(&garbage);
        assert!(matches!(decode(&f), Err(SyncError::Malformed(_))));
    }
}
