//! What a replica does once it has taken in what a peer sent — the same
//! whether it came from a hub, a colleague on the LAN (either side of the
//! session) or a bundle on a USB stick, so no transport can skip it: a tablet
//! that only ever meets colleagues still forgets contact people past the
//! retention period.

use chrono::{DateTime, Utc};

use super::SyncError;
use crate::store::{Forgotten, Store};

/// The after-sync work: the retention pass, at most once a day (so a sync
/// with nothing to do stays one small round trip).
pub fn after_sync(store: &mut Store, now: DateTime<Utc>) -> Result<Forgotten, SyncError> {
    Ok(store.apply_retention_daily(now.timestamp_millis())?)
}
