//! Merging two partners that are the same organisation or person.
//!
//! The dropped partner's document gets `merged_into` (a set holding the
//! survivor), and in the same transaction the merge
//! - rewrites every encounter and activity that names the dropped partner
//!   to name the kept one (the links survive a later erasure of the dropped
//!   partner);
//! - copies the dropped partner's agreements and evaluations into the kept
//!   one **under the same item ids** and adds its tags, so two tablets that
//!   merge the same pair end up with one copy of each.
//!
//! Personal data (contact people, phone, e-mail, personal note) and the
//! shared note and level history are not copied: the kept partner's page
//! reads them from the merged partner's own document (`partners.rs`), so
//! erasing a contact person or the merged partner, anywhere, before or after
//! the merge arrives, leaves no copy behind.
//!
//! Resolution lives in the index: `partner_merges` holds each merged
//! partner's edge, `partner_canon` what it resolves to. Chains are followed;
//! in a cycle (A into B on one tablet, B into A on another) the smallest id
//! survives, the same on every replica since it depends only on the edges.

use std::collections::{HashMap, HashSet};

use rusqlite::{named_params, params, Connection};
use serde::Serialize;
use thiserror::Error;

use super::codes::LinkKind;
use super::{chunk_log, edit_in, Result, Store, StoreError};
use crate::doc::{self, Sealer};
use crate::model::{Activity, Encounter, Partner, RecordId, RecordKind, Slug};

#[derive(Debug, Error)]
pub enum MergeError {
    #[error("a partner cannot be merged with itself")]
    Same,
    #[error("{0} has already been merged into another partner")]
    AlreadyMerged(RecordId),
}

impl crate::i18n::Localize for MergeError {
    fn localize(&self, lang: crate::i18n::Language) -> String {
        match self {
            MergeError::Same => crate::tr!(lang,
                nb: "En partner kan ikke slås sammen med seg selv",
                da: "En partner kan ikke lægges sammen med sig selv",
                en: "a partner cannot be merged with itself"),
            MergeError::AlreadyMerged(id) => crate::tr!(lang,
                nb: "{id} er allerede slått sammen med en annen partner",
                da: "{id} er allerede lagt sammen med en anden partner",
                en: "{id} has already been merged into another partner"),
        }
    }
}

impl MergeError {
    pub fn code(&self) -> &'static str {
        match self {
            MergeError::Same => "merge_same",
            MergeError::AlreadyMerged(_) => "already_merged",
        }
    }
}

/// What a merge moves (or moved) to the kept partner: what the
/// confirmation says before, and the result after.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MergePlan {
    pub keep: RecordId,
    pub drop: RecordId,
    pub encounters: u32,
    pub activities: u32,
    pub agreements: u32,
    pub evaluations: u32,
    pub contacts: u32,
    pub level_moves: u32,
}

impl Store {
    /// What merging `drop` into `keep` would move; writes nothing.
    pub fn plan_merge(&self, keep: RecordId, drop: RecordId) -> Result<MergePlan> {
        plan(self.conn(), keep, drop)
    }

    /// Merges `drop` into `keep`, in one transaction (see the module docs).
    pub fn merge_partners(&mut self, keep: RecordId, drop: RecordId) -> Result<MergePlan> {
        let meta = self.change_meta();
        let tx = self.conn.transaction()?;
        let plan = plan(&tx, keep, drop)?;
        let dropped = read_partner(&tx, drop)?;
        let (encounters, activities) = linked(&tx, drop)?;
        for id in encounters {
            edit_in::<Encounter>(&tx, &self.actor, &meta, id, false, None, |e| relink(&mut e.partners, drop, keep))?;
        }
        for id in activities {
            edit_in::<Activity>(&tx, &self.actor, &meta, id, false, None, |a| relink(&mut a.partners, drop, keep))?;
        }
        edit_in::<Partner>(&tx, &self.actor, &meta, keep, false, None, |k| {
            for a in &dropped.agreements {
                if !k.agreements.iter().any(|x| x.id == a.id) {
                    k.agreements.push(a.clone());
                }
            }
            k.agreements.sort_by(|a, b| a.id.cmp(&b.id));
            for e in &dropped.evaluations {
                if !k.evaluations.iter().any(|x| x.id == e.id) {
                    k.evaluations.push(e.clone());
                }
            }
            k.evaluations.sort_by(|a, b| a.id.cmp(&b.id));
            for t in &dropped.tags {
                if !k.tags.contains(t) {
                    k.tags.push(t.clone());
                }
            }
        })?;
        edit_in::<Partner>(&tx, &self.actor, &meta, drop, false, None, |d| d.merged_into = Some(keep))?;
        tx.commit()?;
        Ok(plan)
    }
}

/// Replaces `from` by `to` in a list of partner links, keeping it free of duplicates.
fn relink(partners: &mut Vec<RecordId>, from: RecordId, to: RecordId) {
    partners.retain(|p| *p != from);
    if !partners.contains(&to) {
        partners.push(to);
    }
}

/// A partner read with its key (sealed fields as far as it opens them).
fn read_partner(conn: &Connection, id: RecordId) -> Result<Partner> {
    let (rowid, kind) = chunk_log::find(conn, id)?;
    if kind != RecordKind::Partner {
        return Err(StoreError::WrongKind { id, expected: "partner", found: kind.slug() });
    }
    let d = chunk_log::load(conn, rowid, &automerge::ActorId::random())?;
    let key = chunk_log::get_key(conn, rowid)?.ok_or(StoreError::Erased(id))?;
    Ok(doc::read(&d, id, Some(&Sealer::new(&key, id)))?.record)
}

/// Live encounters and activities that name `partner` directly.
fn linked(conn: &Connection, partner: RecordId) -> Result<(Vec<RecordId>, Vec<RecordId>)> {
    let ids = |sql: &str, params: &[(&str, &dyn rusqlite::ToSql)]| -> Result<Vec<RecordId>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, |r| r.get::<_, Vec<u8>>(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.iter().filter_map(|b| RecordId::from_slice(b)).collect())
    };
    let encounters = ids(
        "SELECT d.id FROM encounter_partners ep JOIN docs d ON d.rowid = ep.encounter
         WHERE ep.partner = (SELECT n FROM refs WHERE id = :partner)",
        named_params![":partner": partner.as_bytes()],
    )?;
    let activities = ids(
        "SELECT d.id FROM activity_links l JOIN docs d ON d.rowid = l.activity
         WHERE l.kind = :partner_link AND l.target = (SELECT n FROM refs WHERE id = :partner)",
        named_params![":partner": partner.as_bytes(), ":partner_link": LinkKind::Partner as i64],
    )?;
    Ok((encounters, activities))
}

fn plan(conn: &Connection, keep: RecordId, drop: RecordId) -> Result<MergePlan> {
    if keep == drop {
        return Err(MergeError::Same.into());
    }
    let k = read_partner(conn, keep)?;
    let d = read_partner(conn, drop)?;
    for p in [&k, &d] {
        if p.merged_into.is_some() {
            return Err(MergeError::AlreadyMerged(p.id).into());
        }
    }
    let (encounters, activities) = linked(conn, drop)?;
    Ok(MergePlan {
        keep,
        drop,
        encounters: encounters.len() as u32,
        activities: activities.len() as u32,
        agreements: d.agreements.iter().filter(|a| !k.agreements.iter().any(|x| x.id == a.id)).count() as u32,
        evaluations: d.evaluations.iter().filter(|e| !k.evaluations.iter().any(|x| x.id == e.id)).count() as u32,
        contacts: d.contacts.len() as u32,
        level_moves: d.level_history.len() as u32,
    })
}

/// Rebuilds `partner_canon` and `partners.merged` from `partner_merges`.
/// Runs whenever a merged partner is indexed or unindexed (merges are few,
/// so it rebuilds the whole resolution).
pub(crate) fn refresh_canon(conn: &Connection) -> Result<()> {
    let mut edges: HashMap<i64, i64> = HashMap::new();
    let mut ids: HashMap<i64, Vec<u8>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT m.from_n, m.into_n, f.id, t.id FROM partner_merges m
             JOIN refs f ON f.n = m.from_n JOIN refs t ON t.n = m.into_n",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (from, into): (i64, i64) = (r.get(0)?, r.get(1)?);
            edges.insert(from, into);
            ids.insert(from, r.get(2)?);
            ids.insert(into, r.get(3)?);
        }
    }
    conn.prepare_cached("DELETE FROM partner_canon")?.execute([])?;
    let mut put = conn.prepare_cached("INSERT INTO partner_canon(n, canonical) VALUES (?1, ?2)")?;
    for &start in edges.keys() {
        let canonical = resolve(start, &edges, &ids);
        if canonical != start {
            put.execute(params![start, canonical])?;
        }
    }
    conn.prepare_cached("UPDATE partners SET merged = 0 WHERE merged != 0")?.execute([])?;
    conn.prepare_cached(
        "UPDATE partners SET merged = 1 WHERE rowid IN
         (SELECT d.rowid FROM partner_canon c JOIN refs r ON r.n = c.n JOIN docs d ON d.id = r.id)",
    )?
    .execute([])?;
    Ok(())
}

/// Follows `merged_into` edges from `start` to the partner it resolves to:
/// the end of the chain, or in a cycle the member with the smallest id.
fn resolve(start: i64, edges: &HashMap<i64, i64>, ids: &HashMap<i64, Vec<u8>>) -> i64 {
    let mut path = vec![start];
    let mut seen: HashSet<i64> = HashSet::from([start]);
    let mut at = start;
    while let Some(&next) = edges.get(&at) {
        if !seen.insert(next) {
            let from = path.iter().position(|n| *n == next).unwrap_or(0);
            return path[from..]
                .iter()
                .copied()
                .min_by_key(|n| ids.get(n).cloned().unwrap_or_default())
                .unwrap_or(next);
        }
        path.push(next);
        at = next;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(i64, i64)]) -> (HashMap<i64, i64>, HashMap<i64, Vec<u8>>) {
        let ids = (1..=9).map(|n| (n, vec![n as u8])).collect();
        (edges.iter().copied().collect(), ids)
    }

    #[test]
    fn a_chain_resolves_to_its_end() {
        let (e, ids) = graph(&[(1, 2), (2, 3)]);
        assert_eq!(resolve(1, &e, &ids), 3);
        assert_eq!(resolve(2, &e, &ids), 3);
    }

    #[test]
    fn opposite_merges_settle_on_the_smallest_id_from_either_side() {
        let (e, ids) = graph(&[(5, 3), (3, 5)]);
        assert_eq!((resolve(5, &e, &ids), resolve(3, &e, &ids)), (3, 3));
        // A chain into a cycle lands on the cycle's survivor.
        let (e, ids) = graph(&[(9, 7), (7, 4), (4, 7)]);
        assert_eq!(resolve(9, &e, &ids), 4);
    }

    #[test]
    fn relinking_never_names_a_partner_twice() {
        let (a, b, c) = (RecordId::new(), RecordId::new(), RecordId::new());
        let mut links = vec![a, b];
        relink(&mut links, a, b);
        assert_eq!(links, vec![b]);
        let mut links = vec![a, c];
        relink(&mut links, a, b);
        assert_eq!(links, vec![c, b]);
    }
}
