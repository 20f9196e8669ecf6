//! The rows that exports write, read from the index in one query per
//! record kind (no documents: an export of 100,000 encounters must take
//! seconds). Functions over a read-only [`Reader`]. Filters as in
//! `report_cells`, the period applying to when an
//! encounter happened and when an activity was created.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::query::{activity_row, id_of, opt_slug, slug_of, words, ActivityRow};
use super::report_cells::{ReportScope, ACTIVITY_FILTER, ENCOUNTER_FILTER, PARTNER_FILTER};
use super::{Reader, Result};
use crate::doc::from_ms;
use crate::model::*;

/// A partner as other rows name it: kind included, so that exports can
/// hold back the names of private persons.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartnerRef {
    pub name: String,
    pub kind: PartnerKind,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EncounterExport {
    pub id: RecordId,
    pub when: DateTime<Utc>,
    pub place: String,
    pub outside: bool,
    pub branch: String,
    pub staff_name: Option<String>,
    pub perspective: Perspective,
    pub counterpart: CounterpartKind,
    pub initiative: Option<Initiative>,
    pub role: Option<Role>,
    pub outcomes: Vec<Outcome>,
    pub partners: Vec<PartnerRef>,
    pub tags: Vec<String>,
    /// The start of the note (its first 64 characters), from the document.
    pub preview: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartnerExport {
    pub id: RecordId,
    pub name: String,
    pub kind: PartnerKind,
    pub level: Level,
    pub place: String,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// Encounters that name the partner.
    pub encounters: u64,
    /// Moves on the network circle, the first (joining) included.
    pub moves: u64,
}

/// An activity as the list shows it, with its partners and origins.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActivityExport {
    #[serde(flatten)]
    pub activity: ActivityRow,
    pub partners: Vec<PartnerRef>,
    pub origin_encounters: u64,
}

/// `name 0x1F kind`, joined by 0x1E (separators that typed text does not hold).
fn partner_refs(s: Option<String>) -> Vec<PartnerRef> {
    s.unwrap_or_default()
        .split('\u{1e}')
        .filter_map(|p| {
            let (name, kind) = p.split_once('\u{1f}')?;
            Some(PartnerRef { name: name.to_string(), kind: PartnerKind::from_code(kind.parse().ok()?)? })
        })
        .collect()
}

const PARTNER_NAMES: &str = "(SELECT group_concat(p.name || char(31) || p.kind, char(30) ORDER BY p.name)
    FROM {links} JOIN refs r ON r.n = {target} JOIN docs pd ON pd.id = r.id JOIN partners p ON p.rowid = pd.rowid
    WHERE {cond})";

pub fn encounters(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<EncounterExport>> {
    // Read in storage order (a sequential scan, not 100,000 lookups through
    // the time index) and sort by time here. Staff and partner names come
    // from small reads into maps, and the partner links from one read
    // ordered by encounter, not from joins or lookups per row.
    let conn = db.conn();
    let staff: HashMap<i64, String> = conn
        .prepare_cached(
            "SELECT r.n, s.name FROM staff s CROSS JOIN docs d ON d.rowid = s.rowid JOIN refs r ON r.id = d.id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let sql = format!(
        "SELECT d.id, e.when_ms, e.place, e.outside, e.branch, e.staff, e.perspective, e.counterpart,
                e.initiative, e.role, e.outcomes, e.tags, e.rowid
         FROM encounters e NOT INDEXED JOIN docs d ON d.rowid = e.rowid
         WHERE {ENCOUNTER_FILTER} ORDER BY e.rowid"
    );
    // Room for every encounter, so the rows are not copied as they grow
    // (room a narrower scope leaves unused is never touched).
    let all: i64 = conn.prepare_cached("SELECT count(*) FROM encounters")?.query_row([], |r| r.get(0))?;
    let rows = Vec::with_capacity(all as usize);
    let mut rows: Vec<(i64, EncounterExport)> = scope.query_into(&mut *conn.prepare_cached(&sql)?, rows, |r| {
        let bits: i64 = r.get(10)?;
        Ok((
            r.get(12)?,
            EncounterExport {
                id: id_of(r, 0)?,
                when: from_ms(r.get(1)?),
                place: r.get(2)?,
                outside: r.get(3)?,
                branch: r.get(4)?,
                staff_name: r.get::<_, Option<i64>>(5)?.and_then(|n| staff.get(&n).cloned()),
                perspective: slug_of(r, 6)?,
                counterpart: slug_of(r, 7)?,
                initiative: opt_slug(r, 8)?,
                role: opt_slug(r, 9)?,
                outcomes: Outcome::ALL.iter().copied().filter(|o| bits & (1 << o.code()) != 0).collect(),
                tags: words(r.get(11)?),
                preview: String::new(),
                partners: vec![],
            },
        ))
    })?;
    let names: HashMap<i64, PartnerRef> = conn
        .prepare_cached(
            "SELECT r.n, p.name, p.kind FROM partners p CROSS JOIN docs d ON d.rowid = p.rowid JOIN refs r ON r.id = d.id",
        )?
        .query_map([], |r| Ok((r.get(0)?, PartnerRef { name: r.get(1)?, kind: slug_of(r, 2)? })))?
        .collect::<rusqlite::Result<_>>()?;
    let links: Vec<(i64, i64)> = conn
        .prepare_cached("SELECT encounter, partner FROM encounter_partners ORDER BY encounter, partner")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (rowid, e) in &mut rows {
        let first = links.partition_point(|l| l.0 < *rowid);
        let mine = links[first..].iter().take_while(|l| l.0 == *rowid);
        e.partners = mine.filter_map(|l| names.get(&l.1).cloned()).collect();
        e.partners.sort_by(|a, b| a.name.cmp(&b.name));
    }
    // Previews from the documents, read in rowid (storage) order.
    let rowids: Vec<i64> = rows.iter().map(|(rowid, _)| *rowid).collect();
    for ((_, e), preview) in rows.iter_mut().zip(super::previews::previews(conn, db.dir(), &rowids)?) {
        e.preview = preview;
    }
    rows.sort_unstable_by_key(|a| (a.1.when, a.0));
    Ok(rows.into_iter().map(|(_, e)| e).collect())
}

pub fn partners(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<PartnerExport>> {
    let sql = format!(
        "SELECT d.id, p.name, p.kind, p.level, p.place, p.tags, p.created_ms,
                (SELECT count(*) FROM refs r JOIN encounter_partners ep ON ep.partner = r.n WHERE r.id = d.id),
                (SELECT count(*) FROM partner_moves m WHERE m.partner = p.rowid)
         FROM partners p CROSS JOIN docs d ON d.rowid = p.rowid
         WHERE {PARTNER_FILTER} ORDER BY p.name COLLATE NOCASE, p.rowid"
    );
    scope.query(&mut *db.conn().prepare_cached(&sql)?, |r| {
        Ok(PartnerExport {
            id: id_of(r, 0)?,
            name: r.get(1)?,
            kind: slug_of(r, 2)?,
            level: slug_of(r, 3)?,
            place: r.get(4)?,
            tags: words(r.get(5)?),
            created_at: from_ms(r.get(6)?),
            encounters: r.get::<_, i64>(7)? as u64,
            moves: r.get::<_, i64>(8)? as u64,
        })
    })
}

pub fn activities(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<ActivityExport>> {
    let names = PARTNER_NAMES
        .replace("{links}", "activity_links l")
        .replace("{target}", "l.target")
        .replace("{cond}", "l.activity = a.rowid AND l.kind = :partner_link");
    let sql = format!(
        "SELECT d.id, a.title, a.status, a.outside, a.extra_resources, a.place, a.tags, a.created_ms, {names},
                (SELECT count(*) FROM activity_links l WHERE l.activity = a.rowid AND l.kind = :origin_link)
         FROM activities a CROSS JOIN docs d ON d.rowid = a.rowid
         WHERE {ACTIVITY_FILTER} ORDER BY a.created_ms, a.rowid"
    );
    scope.query(&mut *db.conn().prepare_cached(&sql)?, |r| {
        Ok(ActivityExport {
            activity: activity_row(r)?,
            partners: partner_refs(r.get(8)?),
            origin_encounters: r.get::<_, i64>(9)? as u64,
        })
    })
}
