//! Record ids: UUID v7, so ids sort by creation time and index pages stay warm.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

use super::ValidationError;

/// The id of one record, and of the Automerge document that holds it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(Uuid);

impl RecordId {
    pub fn new() -> Self {
        RecordId(Uuid::now_v7())
    }
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        RecordId(Uuid::from_bytes(bytes))
    }
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        Uuid::from_slice(bytes).ok().map(RecordId)
    }
    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }
}

impl Default for RecordId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({})", self.0.hyphenated())
    }
}

impl FromStr for RecordId {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s.trim()).map(RecordId).map_err(|_| ValidationError::BadId(s.to_string()))
    }
}

/// 16-byte identities that are not records. Each has its own type so that
/// a device can never be passed where a workspace is meant; all serialize
/// exactly as the bare `[u8; 16]` they replace (postcard, JSON, SQL blobs),
/// so wire and disk formats are unchanged.
macro_rules! byte_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub [u8; 16]);

        impl $name {
            pub fn from_slice(bytes: &[u8]) -> Option<Self> {
                <[u8; 16]>::try_from(bytes).ok().map($name)
            }
            pub fn as_bytes(&self) -> &[u8; 16] {
                &self.0
            }
            pub fn to_uuid(self) -> Uuid {
                Uuid::from_bytes(self.0)
            }
        }

        impl From<[u8; 16]> for $name {
            fn from(b: [u8; 16]) -> Self {
                $name(b)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                $name(*u.as_bytes())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.to_uuid().hyphenated().fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.to_uuid().hyphenated())
            }
        }
    )*};
}

byte_id! {
    /// A device: its Automerge actor, and the id of its replica.
    DeviceId;
    /// A workspace (one county's or library's shared set of records).
    WorkspaceId;
    /// A replica of a workspace: a device's store (same bytes as its
    /// [`DeviceId`]) or a hub's log.
    ReplicaId;
    /// The epoch of a replica's log: new whenever the log may have been lost
    /// or rewritten, so peers' cursors into the old one are not trusted.
    LogEpoch;
    /// The fingerprint of a record key (never the key itself).
    KeyFingerprint;
}

impl From<DeviceId> for ReplicaId {
    fn from(d: DeviceId) -> Self {
        ReplicaId(d.0)
    }
}

impl LogEpoch {
    /// A fresh, random epoch.
    pub fn new_random() -> Self {
        LogEpoch(*Uuid::new_v4().as_bytes())
    }
}
