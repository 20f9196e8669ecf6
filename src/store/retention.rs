//! Retention: a partner's contact people (and its personal note) are kept
//! while the partnership is in use; after `period` with no encounter and no
//! edit, they are forgotten. The partner, its level history, agreements and
//! every count in the reports stay.
//!
//! Forgetting must reach old copies too, so it is crypto-shredding again:
//! the partner's remaining sealed fields are rewritten under a new key, and
//! the old key is retired by a control entry (kind 3) that every replica
//! applies by destroying its copy. Every earlier change that held the
//! contacts (here, on the hub, on a USB stick) is then ciphertext without a
//! key; a retired key that comes back with an old bundle is refused.

use serde::Serialize;

use super::control::{self, ControlEntry, Issued};
use super::{chunk_log, erasure, index, Result, Store, StoreError};
use crate::doc::{self, RecordKey, Sealer};
use crate::model::{Partner, RecordId, Validate, ValidationError};

/// What a retention pass forgot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Forgotten {
    pub partners: usize,
    pub contacts: usize,
}

/// Months a partner's contact people are kept after its last encounter or
/// edit, unless the workspace chose another period.
pub const DEFAULT_RETENTION_MONTHS: u32 = 24;

impl Store {
    /// The retention period, in months.
    pub fn retention_months(&self) -> Result<u32> {
        Ok(super::get_meta(&self.conn, "retention_months")?
            .and_then(|v| <[u8; 4]>::try_from(v.as_slice()).ok())
            .map(u32::from_le_bytes)
            .unwrap_or(DEFAULT_RETENTION_MONTHS))
    }

    pub fn set_retention_months(&self, months: u32) -> Result<()> {
        if months == 0 {
            let given = months.to_string();
            return Err(
                ValidationError::BadFormat { what: "retention period", given, format: "at least 1 month" }.into()
            );
        }
        super::put_meta(&self.conn, "retention_months", &months.to_le_bytes())
    }

    /// Runs retention with this store's period, as of `now` (ms).
    pub fn apply_retention_policy(&mut self, now: i64) -> Result<Forgotten> {
        let period = chrono::Duration::days(i64::from(self.retention_months()?) * 365 / 12);
        let out = self.apply_retention(period, now)?;
        super::put_meta(&self.conn, "retention_run_ms", &now.to_le_bytes())?;
        Ok(out)
    }

    /// [`Store::apply_retention_policy`] unless it ran in the last day: what
    /// a sync calls, so a sync with nothing to do stays one small round trip.
    pub fn apply_retention_daily(&mut self, now: i64) -> Result<Forgotten> {
        let last = super::get_meta(&self.conn, "retention_run_ms")?
            .and_then(|v| <[u8; 8]>::try_from(v.as_slice()).ok())
            .map(i64::from_le_bytes)
            .unwrap_or(0);
        // During a bulk load (a first sync) the partner lookups would scan
        // every link, their index is built at the end; whoever ends the load
        // runs the pass then (`net::client`), else the next sync does.
        if now - last < 86_400_000 || super::rollup::suspended(&self.conn)? {
            return Ok(Forgotten::default());
        }
        self.apply_retention_policy(now)
    }

    /// Forgets the contact people of every partner with no encounter and no
    /// edit in the `period` before `now_ms`.
    pub fn apply_retention(&mut self, period: chrono::Duration, now_ms: i64) -> Result<Forgotten> {
        let cut = now_ms - period.num_milliseconds();
        // Partners without a recent encounter; their last edit is checked
        // in their documents (the index's times are arrival times).
        let quiet: Vec<(i64, Vec<u8>)> = self
            .conn
            .prepare(
                "SELECT d.rowid, d.id FROM partners p CROSS JOIN docs d ON d.rowid = p.rowid
                 WHERE d.deleted = 0 AND NOT EXISTS (
                     SELECT 1 FROM refs r JOIN encounter_partners ep ON ep.partner = r.n
                     JOIN encounters e ON e.rowid = ep.encounter WHERE r.id = d.id AND e.when_ms >= ?1)",
            )?
            .query_map([cut], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Forgotten::default();
        for (rowid, id) in quiet {
            let Some(id) = RecordId::from_slice(&id) else { continue };
            let d = chunk_log::load(&self.conn, rowid, &self.actor)?;
            let last_edit = d.get_changes(&[]).iter().map(|c| c.timestamp()).max().unwrap_or(0);
            if last_edit < cut {
                let n = self.forget_contacts(id)?;
                if n > 0 {
                    out.partners += 1;
                    out.contacts += n;
                }
            }
        }
        Ok(out)
    }

    /// Forgets a partner's contact people and personal note now, on every
    /// replica the retirement reaches. Returns how many contacts it held.
    pub fn forget_contacts(&mut self, id: RecordId) -> Result<usize> {
        self.reseal_partner(id, |partner| {
            let contacts = partner.contacts.len();
            if contacts == 0 && partner.personal_note.is_empty() {
                return None;
            }
            partner.contacts.clear();
            partner.personal_note.clear();
            Some(contacts)
        })
    }

    /// Edits a partner's personal data so that what `edit` removed is
    /// unreadable in every copy of its history: every sealed field is written
    /// again under a new key, and the old key is retired on every replica.
    /// `edit` returns `None` to leave the partner as it was.
    pub(crate) fn reseal_partner<T>(&mut self, id: RecordId, edit: impl FnOnce(&mut Partner) -> Option<T>) -> Result<T>
    where
        T: Default,
    {
        let meta = self.change_meta();
        let tx = self.conn.transaction()?;
        let (rowid, _) = chunk_log::find(&tx, id)?;
        let old = chunk_log::get_key(&tx, rowid)?.ok_or(StoreError::Erased(id))?;
        let mut d = chunk_log::load(&tx, rowid, &self.actor)?;
        let mut partner: Partner = doc::read(&d, id, Some(&Sealer::new(&old, id)))?.record;
        let Some(out) = edit(&mut partner) else { return Ok(T::default()) };
        partner.validate()?;
        // Every sealed field is written again under the new key (`force`).
        let new = RecordKey::generate();
        let change = doc::write(&mut d, &partner, Some(&Sealer::new(&new, id)), &meta, true)?;
        if let Some(change) = change {
            let chunks = chunk_log::append_chunk(&tx, rowid, 0, change.raw_bytes())?;
            chunk_log::set_deleted(&tx, rowid, partner.deleted)?;
            // The snapshot too must hold the fields sealed under the new key.
            chunk_log::after_change(&tx, rowid, chunks, &d, 0)?;
        }
        chunk_log::retire_key(&tx, &old.fingerprint())?;
        control::log_entry(
            &tx,
            &ControlEntry::key_retired(old.fingerprint(), Issued { by: self.device.into(), at_ms: meta.time_ms }),
            0,
        )?;
        chunk_log::put_key(&tx, rowid, &new)?;
        index::reindex(&tx, rowid, id, &d, Some(&new))?;
        erasure::scrub_search(&tx)?;
        tx.commit()?;
        self.scrub_wal()?;
        Ok(out)
    }
}
