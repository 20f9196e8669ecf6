//! Records, their vocabulary and validation. No storage here.

mod enums;
mod ids;
mod records;
mod slug;
mod validate;

pub use enums::*;
pub use ids::{DeviceId, KeyFingerprint, LogEpoch, RecordId, ReplicaId, WorkspaceId};
pub use records::*;
pub use slug::Slug;
pub use validate::*;
