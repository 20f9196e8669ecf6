//! What this replica holds that no peer has acknowledged yet: the count the
//! navigation shows ("3 records not shared") and the timeline's marker on
//! records that exist only on this device.
//!
//! A chunk is shared once any peer acknowledged it (its seq is at or below
//! that peer's `sent_upto`) or when it came from a peer (origin ≠ 0). Only
//! this device's own chunks after the highest acknowledgement are read,
//! through the partial index `chunks_local`, so the count costs what is
//! unshared, not the size of the log. A compacted record's one chunk takes
//! the seq of the newest chunk it replaced (`chunk_log::compact`), so it is
//! shared exactly when that chunk was.
//!
//! The count stops at [`UNSHARED_COUNTED_UPTO`]: a store that never synced
//! (a demo, a tablet away for years) would otherwise read its whole log and
//! hold every id in a temporary tree at each refresh of the badge, which is
//! what made the app's start and memory grow with the store. "Over 10 000"
//! says all a colleague needs.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{get_meta, put_meta, Result, Store};

/// The sharing state as the navigation shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sharing {
    /// Records with changes no peer has acknowledged, counted up to
    /// [`UNSHARED_COUNTED_UPTO`].
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub unshared_records: u64,
    /// More records than `unshared_records` are unshared: the count stopped.
    pub unshared_more: bool,
    /// The last time any peer (hub, LAN session, bundle) was met.
    pub last_sync: Option<DateTime<Utc>>,
    /// The last sync attempt: when, and whether the other side answered.
    pub last_attempt: Option<DateTime<Utc>>,
    /// The other side answered at the last attempt (an app hosting a LAN
    /// session counts as online too: `net::device::sharing`).
    pub online: bool,
}

/// The highest point of this log any peer has acknowledged (SQL).
pub(crate) const SHARED_UPTO: &str = "(SELECT COALESCE(MAX(sent_upto), 0) FROM peers)";

/// Where the count of unshared records stops.
pub const UNSHARED_COUNTED_UPTO: u64 = 10_000;

// INDEXED BY: with the LIMIT, the planner would rather walk `chunks_doc`
// (distinct without a temporary tree), which is the whole log.
fn unshared_sql() -> String {
    format!(
        "SELECT count(*) FROM (SELECT DISTINCT doc FROM chunks INDEXED BY chunks_local \
         WHERE origin = 0 AND seq > {SHARED_UPTO} LIMIT {})",
        UNSHARED_COUNTED_UPTO + 1
    )
}

impl Store {
    /// Distinct records with own changes after every peer's acknowledgement,
    /// counted up to one past [`UNSHARED_COUNTED_UPTO`] (which means "more").
    pub fn unshared_records(&self) -> Result<u64> {
        Ok(self.conn().prepare_cached(&unshared_sql())?.query_row([], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Notes how a sync attempt went: `reached` when the other side
    /// answered (even with a refusal), not when the network failed.
    pub fn note_sync_attempt(&self, at: DateTime<Utc>, reached: bool) -> Result<()> {
        let mut v = at.timestamp_millis().to_le_bytes().to_vec();
        v.push(reached as u8);
        put_meta(self.conn(), "last_sync_attempt", &v)
    }

    pub fn sharing(&self) -> Result<Sharing> {
        let last_seen: Option<i64> = self.conn().query_row("SELECT MAX(last_seen_ms) FROM peers", [], |r| r.get(0))?;
        let attempt = get_meta(self.conn(), "last_sync_attempt")?.filter(|v| v.len() == 9);
        let (last_attempt, online) = match attempt {
            Some(v) => {
                let ms = i64::from_le_bytes(v[..8].try_into().expect("eight bytes"));
                (DateTime::from_timestamp_millis(ms), v[8] == 1)
            }
            None => (None, false),
        };
        let unshared = self.unshared_records()?;
        Ok(Sharing {
            unshared_records: unshared.min(UNSHARED_COUNTED_UPTO),
            unshared_more: unshared > UNSHARED_COUNTED_UPTO,
            last_sync: last_seen.and_then(DateTime::from_timestamp_millis),
            last_attempt,
            online,
        })
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_count_reads_the_index_of_own_changes_not_the_log() {
        let (_d, s) = crate::testing::temp_store("Máret", "Alta");
        let plan: Vec<String> = s
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {}", super::unshared_sql()))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(plan.iter().any(|p| p.contains("USING COVERING INDEX chunks_local")), "{plan:?}");
        assert!(!plan.iter().any(|p| p.starts_with("SCAN chunks")), "{plan:?}");
    }
}
