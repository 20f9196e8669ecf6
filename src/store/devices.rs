//! The workspace's devices as this replica has seen them: peers it synced
//! with, devices named in the control log (erasure receipts, revocations),
//! and itself. Settings lists them so a coordinator can revoke a lost one.

use serde::Serialize;

use super::{Result, Store};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Device {
    pub id: uuid::Uuid,
    /// The name it gave itself where this replica knows it ("" otherwise).
    pub name: String,
    /// Last sync with this replica; `None` when only heard of through others.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_seen_ms: Option<i64>,
    pub revoked: bool,
    pub this_device: bool,
}

impl Store {
    /// Every device this replica knows, this one first, then by last contact.
    pub fn devices(&self) -> Result<Vec<Device>> {
        let mut stmt = self.conn().prepare(
            "WITH ids AS (SELECT id FROM peers UNION SELECT device FROM control_log
                          UNION SELECT subject FROM control_log WHERE kind = ?2 UNION SELECT ?1)
             SELECT ids.id, COALESCE(p.name, ''), p.last_seen_ms,
                    EXISTS (SELECT 1 FROM control_log c WHERE c.kind = ?2 AND c.subject = ids.id)
             FROM ids LEFT JOIN peers p ON p.id = ids.id
             ORDER BY ids.id = ?1 DESC, p.last_seen_ms IS NULL, p.last_seen_ms DESC, ids.id",
        )?;
        let me = self.replica_id();
        let rows = stmt.query_map(rusqlite::params![me, super::ControlKind::Revoked as i64], |r| {
            let id: Vec<u8> = r.get(0)?;
            Ok(Device {
                this_device: id.as_slice() == me.as_bytes(),
                id: uuid::Uuid::from_slice(&id).unwrap_or_default(),
                name: r.get(1)?,
                last_seen_ms: r.get(2)?,
                revoked: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
