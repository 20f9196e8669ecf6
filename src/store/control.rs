//! The control log: facts about the workspace that are not record edits and
//! must reach every replica — "device D erased record R", "device D
//! revoked device L" and "device D retired record key K" ([`ControlKind`]).
//! Entries sit in the replica's log beside the chunks (their seq comes from
//! the same sequence), so one cursor reads both and
//! hubs, LAN peers and bundles carry them alike. Entries are a grow-only set:
//! applying one twice changes nothing, so duplicates and reordering are safe.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{Result, Store};
use crate::model::{DeviceId, KeyFingerprint, RecordId, ReplicaId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ControlKind {
    /// `subject` (a record) was erased by `device`.
    Erased = 1,
    /// `subject` (a lost device) was revoked by `device`.
    Revoked = 2,
    /// The record key whose fingerprint is `subject` was retired by
    /// `device` (personal details forgotten): every replica destroys it.
    KeyRetired = 3,
}

impl ControlKind {
    /// The kind stored as `code` (the enum's discriminant); `None` for a
    /// kind from a newer version, which this one skips.
    pub fn from_code(code: i64) -> Option<Self> {
        [ControlKind::Erased, ControlKind::Revoked, ControlKind::KeyRetired].into_iter().find(|k| *k as i64 == code)
    }
}

/// One control log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlEntry {
    pub kind: ControlKind,
    /// A record id, a device id or a key fingerprint, as `kind` says; the
    /// typed constructors and accessors below keep them apart.
    pub subject: [u8; 16],
    /// The replica that issued the entry: a device, or a hub.
    pub issuer: ReplicaId,
    pub at_ms: i64,
}

/// Who issued a control entry, and when: a named argument, so that the
/// issuing device cannot be swapped with a revoked one unnoticed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Issued {
    pub by: ReplicaId,
    pub at_ms: i64,
}

impl ControlEntry {
    pub fn erased(record: RecordId, issued: Issued) -> Self {
        ControlEntry { kind: ControlKind::Erased, subject: *record.as_bytes(), issuer: issued.by, at_ms: issued.at_ms }
    }
    pub fn revoked(device: DeviceId, issued: Issued) -> Self {
        ControlEntry { kind: ControlKind::Revoked, subject: device.0, issuer: issued.by, at_ms: issued.at_ms }
    }
    pub fn key_retired(fingerprint: KeyFingerprint, issued: Issued) -> Self {
        ControlEntry { kind: ControlKind::KeyRetired, subject: fingerprint.0, issuer: issued.by, at_ms: issued.at_ms }
    }
    /// The record an `Erased` entry names.
    pub fn erased_record(&self) -> Option<RecordId> {
        (self.kind == ControlKind::Erased).then(|| RecordId::from_bytes(self.subject))
    }
    /// The device a `Revoked` entry names.
    pub fn revoked_device(&self) -> Option<DeviceId> {
        (self.kind == ControlKind::Revoked).then_some(DeviceId(self.subject))
    }
    /// The key a `KeyRetired` entry names.
    pub fn retired_key(&self) -> Option<KeyFingerprint> {
        (self.kind == ControlKind::KeyRetired).then_some(KeyFingerprint(self.subject))
    }
}

/// A revoked device, as a replica knows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Revocation {
    pub device: uuid::Uuid,
    pub by: uuid::Uuid,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub at_ms: i64,
}

impl Store {
    /// Revokes a lost or stolen device from this replica: LAN sessions
    /// hosted here refuse it at once, and the revocation travels with the
    /// next sync; the hub then refuses the device and rotates the
    /// workspace's secret. Revoking twice is harmless.
    pub fn revoke_device(&mut self, device: uuid::Uuid) -> Result<()> {
        let device = DeviceId::from(device);
        if device == self.device {
            return Err(super::StoreError::OwnDevice);
        }
        let issued = Issued { by: self.device.into(), at_ms: self.now().timestamp_millis() };
        log_entry(&self.conn, &ControlEntry::revoked(device, issued), 0)?;
        Ok(())
    }

    pub fn is_revoked(&self, device: &DeviceId) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM control_log WHERE kind = ?2 AND subject = ?1")?
            .query_row(rusqlite::params![device, ControlKind::Revoked as i64], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Devices revoked in this workspace, as far as this replica knows.
    pub fn revocations(&self) -> Result<Vec<Revocation>> {
        let mut stmt = self.conn.prepare(
            "SELECT subject, device, MIN(at_ms) FROM control_log WHERE kind = ?1 GROUP BY subject ORDER BY 3",
        )?;
        let rows = stmt.query_map([ControlKind::Revoked as i64], |r| {
            let id = |v: Vec<u8>| uuid::Uuid::from_slice(&v).unwrap_or_default();
            Ok(Revocation { device: id(r.get(0)?), by: id(r.get(1)?), at_ms: r.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The next seq of the replica's log (shared with `chunks`, so chunks and
/// control entries interleave in one order peers read with one cursor).
fn next_seq(conn: &Connection) -> Result<i64> {
    let bumped: Option<i64> = conn
        .prepare_cached("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'chunks' RETURNING seq")?
        .query_row([], |r| r.get(0))
        .optional()?;
    match bumped {
        Some(seq) => Ok(seq),
        None => {
            conn.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('chunks', 1)", [])?;
            Ok(1)
        }
    }
}

/// Appends an entry unless the log has it. Returns whether it was new.
pub(crate) fn log_entry(conn: &Connection, e: &ControlEntry, origin: i64) -> Result<bool> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO control_log(seq, kind, subject, device, at_ms, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (kind, subject, device) DO NOTHING",
        )?
        .execute(params![next_seq(conn)?, e.kind as i64, &e.subject[..], e.issuer, e.at_ms, origin])?;
    Ok(inserted > 0)
}

/// Entries after `after` up to `upto` (inclusive), leaving out those from
/// `exclude_origin`; and the last seq scanned.
pub(crate) fn entries_between(
    conn: &Connection,
    after: u64,
    upto: u64,
    exclude_origin: Option<i64>,
) -> Result<(Vec<ControlEntry>, u64)> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, kind, subject, device, at_ms, origin FROM control_log WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
    )?;
    let mut rows = stmt.query(params![after as i64, upto.min(i64::MAX as u64) as i64])?;
    let (mut out, mut last) = (vec![], after);
    while let Some(r) = rows.next()? {
        last = r.get::<_, i64>(0)? as u64;
        if Some(r.get::<_, i64>(5)?) == exclude_origin {
            continue;
        }
        let Some(kind) = ControlKind::from_code(r.get(1)?) else { continue };
        let (Ok(subject), Some(issuer)) =
            (<[u8; 16]>::try_from(r.get::<_, Vec<u8>>(2)?.as_slice()), ReplicaId::from_slice(&r.get::<_, Vec<u8>>(3)?))
        else {
            continue;
        };
        out.push(ControlEntry { kind, subject, issuer, at_ms: r.get(4)? });
    }
    Ok((out, last))
}
