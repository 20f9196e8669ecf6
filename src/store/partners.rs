//! What a partner's page needs beyond the partner's own document: partners
//! merged into it (read from their own documents, so their personal data
//! is never copied), the last time anyone met it, and the erasure of one
//! contact person.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::query::PARTNER_AND_MERGED;
use super::{Result, Store, StoreError};
use crate::doc::from_ms;
use crate::model::{Agreement, Contact, Evaluation, LevelMove, Partner, RecordId};

/// A partner merged into another, as the survivor's page shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MergedPartner {
    pub id: RecordId,
    pub name: String,
    pub contacts: Vec<Contact>,
    pub level_history: Vec<LevelMove>,
    pub note: String,
    /// Agreements and evaluations the survivor does not hold (added to the
    /// merged partner on another tablet after the merge).
    pub agreements: Vec<Agreement>,
    pub evaluations: Vec<Evaluation>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartnerOverview {
    /// When this partner was merged into another: the one it resolves to.
    pub survivor: Option<RecordId>,
    pub merged: Vec<MergedPartner>,
    /// The latest encounter naming it or a partner merged into it.
    pub last_met: Option<DateTime<Utc>>,
}

impl Store {
    /// The partner page's extras, from the index and the merged partners' documents.
    pub fn partner_overview(&self, id: RecordId) -> Result<PartnerOverview> {
        let partner = self.get::<Partner>(id)?.record;
        let conn = self.conn();
        let survivor = conn
            .prepare_cached(
                "SELECT k.id FROM partner_canon c JOIN refs r ON r.n = c.n JOIN refs k ON k.n = c.canonical
                 WHERE r.id = ?1",
            )?
            .query_row([id.as_bytes()], |r| r.get::<_, Vec<u8>>(0))
            .optional()?
            .and_then(|b| RecordId::from_slice(&b));
        let last_met: Option<i64> = conn
            .prepare_cached(&format!(
                "SELECT max(e.when_ms) FROM encounter_partners ep JOIN encounters e ON e.rowid = ep.encounter
                 WHERE ep.partner IN {}",
                PARTNER_AND_MERGED.replace('?', "?1")
            ))?
            .query_row([id.as_bytes()], |r| r.get(0))?;
        let ids: Vec<Vec<u8>> = conn
            .prepare_cached(
                "SELECT r.id FROM partner_canon c JOIN refs r ON r.n = c.n JOIN refs k ON k.n = c.canonical
                 WHERE k.id = ?1 ORDER BY r.id",
            )?
            .query_map([id.as_bytes()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut merged = vec![];
        for m in ids.iter().filter_map(|b| RecordId::from_slice(b)) {
            // Erased (or not arrived) since: nothing to show, by design.
            let p = match self.get::<Partner>(m) {
                Ok(p) => p.record,
                Err(StoreError::NotFound(_)) | Err(StoreError::Erased(_)) => continue,
                Err(e) => return Err(e),
            };
            merged.push(MergedPartner {
                id: m,
                name: p.name,
                contacts: p.contacts,
                level_history: p.level_history,
                note: p.note,
                agreements: p
                    .agreements
                    .into_iter()
                    .filter(|a| !partner.agreements.iter().any(|k| k.id == a.id))
                    .collect(),
                evaluations: p
                    .evaluations
                    .into_iter()
                    .filter(|e| !partner.evaluations.iter().any(|k| k.id == e.id))
                    .collect(),
            });
        }
        Ok(PartnerOverview { survivor, merged, last_met: last_met.map(from_ms) })
    }

    /// Erases one contact person of a partner, everywhere: the contact is
    /// removed and the partner's remaining personal fields are sealed under
    /// a new key, whose predecessor every replica destroys, so no copy of
    /// the contact's history can be read again (as retention does).
    pub fn erase_contact(&mut self, partner: RecordId, contact: &str) -> Result<Contact> {
        let mut found = None;
        self.reseal_partner(partner, |p| {
            let at = p.contacts.iter().position(|c| c.id == contact)?;
            found = Some(p.contacts.remove(at));
            Some(())
        })?;
        found.ok_or_else(|| StoreError::NoItem { what: "contact person", id: contact.to_string() })
    }
}
