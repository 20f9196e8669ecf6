//! Materializes index rows from a record document. Called inside the same
//! transaction that appended the document's chunk.

use automerge::Automerge;
use rusqlite::{params, Connection, OptionalExtension};

use super::codes::{month_of, LinkKind};
use super::{Result, StoreError};
use crate::doc::{self, DocView, Record, RecordKey, Sealer};
use crate::model::*;

/// Records that have index rows.
pub trait Indexed {
    /// Writes the record's rows (the caller has removed the old ones).
    fn index(&self, conn: &Connection, rowid: i64, refs: &mut Refs) -> Result<()>;
    /// The text of its full-text search row, which the caller writes (and
    /// `rebuild_search` writes again, alone, when the search index changes).
    fn search_text(&self) -> String;
}

/// Full-text rows waiting to be written together, and the record ids
/// already numbered in this transaction. FTS5 flushes its pending terms to
/// disk at every statement savepoint, so interleaving its inserts with other
/// writes costs a new segment (and merges) per record; a batch collects them
/// and writes them last. Lives no longer than one transaction.
#[derive(Default)]
pub struct SearchRows {
    rows: Vec<(i64, String)>,
    refs: Refs,
}

impl SearchRows {
    pub fn write(self, conn: &Connection) -> Result<()> {
        let mut stmt = conn.prepare_cached("INSERT INTO search(rowid, body) VALUES (?1, ?2)")?;
        for (rowid, body) in self.rows {
            stmt.execute(params![rowid, body])?;
        }
        Ok(())
    }
}

/// Record ids numbered in `refs` during one transaction: a first sync
/// names the same partners and staff in 100,000 encounters.
#[derive(Default)]
pub struct Refs {
    numbered: foldhash::HashMap<RecordId, i64>,
    /// Whether the rollups wait for a bulk load to end, once asked.
    bulk: Option<bool>,
}

impl Refs {
    /// Whether the rollups wait for a bulk load to end; asked once per transaction.
    fn bulk(&mut self, conn: &Connection) -> Result<bool> {
        if let Some(b) = self.bulk {
            return Ok(b);
        }
        let b = super::rollup::suspended(conn)?;
        self.bulk = Some(b);
        Ok(b)
    }

    /// The small integer that stands for a record id in index rows.
    pub fn n(&mut self, conn: &Connection, id: RecordId) -> Result<i64> {
        if let Some(n) = self.numbered.get(&id) {
            return Ok(*n);
        }
        let n = ref_n(conn, id)?;
        self.numbered.insert(id, n);
        Ok(n)
    }
}

/// Removes every index row of one document.
pub(crate) fn unindex(conn: &Connection, rowid: i64, kind: RecordKind) -> Result<()> {
    unindex_rows(conn, rowid, kind, false)
}

/// Removes a document's index rows; `keep_partner` leaves a partner's own
/// row, which [`Partner::index`] then updates in place.
fn unindex_rows(conn: &Connection, rowid: i64, kind: RecordKind, keep_partner: bool) -> Result<()> {
    conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?.execute([rowid])?;
    let tables: &[&str] = match kind {
        RecordKind::Encounter => &[
            "DELETE FROM encounters WHERE rowid = ?1",
            "DELETE FROM encounter_partners WHERE encounter = ?1",
            "DELETE FROM follow_ups WHERE encounter = ?1",
        ],
        RecordKind::Partner => {
            if conn.prepare_cached("DELETE FROM partner_merges WHERE partner = ?1")?.execute([rowid])? > 0 {
                super::merge::refresh_canon(conn)?;
            }
            if keep_partner {
                &["DELETE FROM partner_moves WHERE partner = ?1"]
            } else {
                &["DELETE FROM partners WHERE rowid = ?1", "DELETE FROM partner_moves WHERE partner = ?1"]
            }
        }
        RecordKind::Activity => {
            &["DELETE FROM activities WHERE rowid = ?1", "DELETE FROM activity_links WHERE activity = ?1"]
        }
        RecordKind::Staff => &["DELETE FROM staff WHERE rowid = ?1"],
    };
    for sql in tables {
        conn.prepare_cached(sql)?.execute([rowid])?;
    }
    Ok(())
}

/// Indexes a record just created (it has no rows yet).
pub fn index_new<R: Record + Indexed>(conn: &Connection, rowid: i64, rec: &R) -> Result<()> {
    let mut search = SearchRows::default();
    index_into(conn, rowid, rec, &mut search)?;
    search.write(conn)
}

fn index_into<R: Record + Indexed>(conn: &Connection, rowid: i64, rec: &R, search: &mut SearchRows) -> Result<()> {
    if !rec.deleted() {
        rec.index(conn, rowid, &mut search.refs)?;
        search.rows.push((rowid, rec.search_text()));
    }
    Ok(())
}

/// A record of any kind, read from its document off the writer's thread.
pub enum AnyRecord {
    Encounter(Encounter),
    Partner(Partner),
    Activity(Activity),
    Staff(StaffMember),
}

impl AnyRecord {
    /// Reads whatever record a document holds. Pure: runs on any thread.
    pub fn read<D: DocView>(d: &D, id: RecordId, key: Option<&RecordKey>) -> Result<AnyRecord> {
        Self::read_with(d, id, key, true)
    }

    /// `conflicts: false` skips looking for concurrent values (the index
    /// shows winners only); right for documents with a single change.
    pub fn read_with<D: DocView>(d: &D, id: RecordId, key: Option<&RecordKey>, conflicts: bool) -> Result<AnyRecord> {
        let sealer = key.map(|k| Sealer::new(k, id));
        let s = sealer.as_ref();
        Ok(match doc::kind_of(d)? {
            RecordKind::Encounter => AnyRecord::Encounter(doc::read_opts(d, id, s, conflicts)?.record),
            RecordKind::Partner => AnyRecord::Partner(doc::read_opts(d, id, s, conflicts)?.record),
            RecordKind::Activity => AnyRecord::Activity(doc::read_opts(d, id, s, conflicts)?.record),
            RecordKind::Staff => AnyRecord::Staff(doc::read_opts(d, id, s, conflicts)?.record),
        })
    }

    /// Reads a record from its raw chunks, as they arrive in a sync. A
    /// record that is one change is replayed without building a document.
    /// `Err` when a chunk is not an Automerge change or document at all;
    /// `Ok(None)` when the chunks parse but hold no record this version reads.
    pub fn from_chunks(chunks: &[&[u8]], id: RecordId, key: Option<&RecordKey>) -> Result<Option<AnyRecord>> {
        if let [only] = chunks {
            // Checked as it is read; anything else Automerge loads and checks.
            if let Some(view) = doc::ChangeView::replay(only) {
                return Ok(Self::read_with(&view, id, key, false).ok());
            }
        }
        let whole: Vec<u8> = chunks.concat();
        let d = match doc::untrusted(|| Automerge::load(&whole)) {
            Some(Ok(d)) => d,
            Some(Err(e)) => return Err(StoreError::BadBatch(format!("record {id}: unreadable change ({e})"))),
            None => return Err(StoreError::BadBatch(format!("record {id}: a change Automerge cannot apply"))),
        };
        Ok(Self::read_with(&d, id, key, chunks.len() > 1).ok())
    }

    pub fn kind(&self) -> RecordKind {
        match self {
            AnyRecord::Encounter(_) => RecordKind::Encounter,
            AnyRecord::Partner(_) => RecordKind::Partner,
            AnyRecord::Activity(_) => RecordKind::Activity,
            AnyRecord::Staff(_) => RecordKind::Staff,
        }
    }

    pub fn deleted(&self) -> bool {
        match self {
            AnyRecord::Encounter(r) => r.deleted,
            AnyRecord::Partner(r) => r.deleted,
            AnyRecord::Activity(r) => r.deleted,
            AnyRecord::Staff(r) => r.deleted,
        }
    }

    /// The text of its search row.
    pub fn search_text(&self) -> String {
        match self {
            AnyRecord::Encounter(r) => r.search_text(),
            AnyRecord::Partner(r) => r.search_text(),
            AnyRecord::Activity(r) => r.search_text(),
            AnyRecord::Staff(r) => r.search_text(),
        }
    }

    /// Replaces the document's index rows with this record's.
    pub fn reindex(&self, conn: &Connection, rowid: i64) -> Result<()> {
        // A live partner's row is updated in place: deleting and inserting
        // it would make the report's triggers (rollup.rs) recount every
        // encounter linked to it twice, for an edit of its phone number.
        let keep_partner = matches!(self, AnyRecord::Partner(p) if !p.deleted);
        unindex_rows(conn, rowid, self.kind(), keep_partner)?;
        self.index_fresh(conn, rowid)
    }

    /// Writes the index rows of a record that has none yet.
    pub fn index_fresh(&self, conn: &Connection, rowid: i64) -> Result<()> {
        let mut search = SearchRows::default();
        self.index_into(conn, rowid, &mut search)?;
        search.write(conn)
    }

    /// Like [`Self::index_fresh`], leaving the search row in `search`.
    pub fn index_into(&self, conn: &Connection, rowid: i64, search: &mut SearchRows) -> Result<()> {
        match self {
            AnyRecord::Encounter(r) => index_into(conn, rowid, r, search),
            AnyRecord::Partner(r) => index_into(conn, rowid, r, search),
            AnyRecord::Activity(r) => index_into(conn, rowid, r, search),
            AnyRecord::Staff(r) => index_into(conn, rowid, r, search),
        }
    }
}

/// Rebuilds every index row of one document from its merged state.
pub fn reindex(conn: &Connection, rowid: i64, id: RecordId, d: &Automerge, key: Option<&RecordKey>) -> Result<()> {
    AnyRecord::read(d, id, key)?.reindex(conn, rowid)
}

/// The small integer that stands for a record id in index rows.
pub fn ref_n(conn: &Connection, id: RecordId) -> Result<i64> {
    let found =
        conn.prepare_cached("SELECT n FROM refs WHERE id = ?1")?.query_row([id.as_bytes()], |r| r.get(0)).optional()?;
    match found {
        Some(n) => Ok(n),
        None => {
            conn.prepare_cached("INSERT INTO refs(id) VALUES (?1)")?.execute([id.as_bytes()])?;
            Ok(conn.last_insert_rowid())
        }
    }
}

fn search_body(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("\n")
}

/// Outcomes as the bit set `encounters.outcomes` holds (`1 << code`).
pub fn outcome_bits(outcomes: &[Outcome]) -> i64 {
    outcomes.iter().fold(0, |bits, o| bits | 1 << o.code())
}

/// An encounter's index row, with its partner kinds and origin flag as
/// the rollups' triggers would set them (`?1`: its rowid).
fn encounter_row(kinds: &str, origin: &str) -> String {
    format!(
        "INSERT INTO encounters(rowid, when_ms, staff, branch, place, outside, perspective, counterpart,
         initiative, role, new_activity, tags, outcomes, month, kinds, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, {kinds}, {origin})"
    )
}

/// An encounter row with its partner kinds and origin flag looked up as it
/// is written, so the rollups' insert trigger counts it once.
static ENCOUNTER_ROW: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| encounter_row(&super::rollup::kinds_of("?1"), &super::rollup::origin_of("?1")));

/// The same row during a bulk load, while the rollups wait (`rollup::suspend`):
/// their fill at the end sets kinds and origin for every encounter in one
/// pass, which is cheaper than four joins per row.
static ENCOUNTER_ROW_BULK: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| encounter_row("0", "0"));

impl Indexed for Encounter {
    fn index(&self, conn: &Connection, rowid: i64, refs: &mut Refs) -> Result<()> {
        let e = self;
        // Links first, so the encounter's row is written with the kinds of
        // its partners and its origin flag, and the report's triggers count
        // it once (rollup.rs). A link repeats the encounter's time (written
        // only here, with the encounter): a partner's timeline reads its
        // links newest first.
        let mut link = conn.prepare_cached(
            "INSERT OR IGNORE INTO encounter_partners(partner, encounter, when_ms) VALUES (?1, ?2, ?3)",
        )?;
        for p in &e.partners {
            link.execute(params![refs.n(conn, *p)?, rowid, e.when.timestamp_millis()])?;
        }
        let row = if refs.bulk(conn)? { &ENCOUNTER_ROW_BULK } else { &ENCOUNTER_ROW };
        conn.prepare_cached(row)?.execute(params![
            rowid,
            e.when.timestamp_millis(),
            e.staff.map(|s| refs.n(conn, s)).transpose()?,
            e.branch,
            e.place,
            e.outside,
            e.perspective.code(),
            e.counterpart.code(),
            e.initiative.map(Slug::code),
            e.role.map(Slug::code),
            e.outcomes.contains(&Outcome::NewActivity),
            e.tags.join(" "),
            outcome_bits(&e.outcomes),
            month_of(e.when.timestamp_millis()),
        ])?;
        let mut item = conn.prepare_cached(
            "INSERT OR REPLACE INTO follow_ups(encounter, item, text, due, owner, done) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for f in &e.follow_ups {
            let due = f.due.map(|d| d.format("%Y-%m-%d").to_string());
            item.execute(params![rowid, f.id, f.text, due, f.owner.map(|o| refs.n(conn, o)).transpose()?, f.done])?;
        }
        Ok(())
    }

    fn search_text(&self) -> String {
        let e = self;
        let follow_ups: Vec<&str> = e.follow_ups.iter().map(|f| f.text.as_str()).collect();
        let tags = e.tags.join(" ");
        let follow_ups = follow_ups.join("\n");
        search_body(&[&e.place, &e.idea, &e.note, &tags, &follow_ups, &e.branch])
    }
}

impl Indexed for Partner {
    fn index(&self, conn: &Connection, rowid: i64, refs: &mut Refs) -> Result<()> {
        let p = self;
        // Upserted: a reindexed partner keeps its row (AnyRecord::reindex).
        conn.prepare_cached(
            "INSERT INTO partners(rowid, name, kind, level, place, tags, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(rowid) DO UPDATE SET name = excluded.name, kind = excluded.kind, level = excluded.level,
               place = excluded.place, tags = excluded.tags, created_ms = excluded.created_ms",
        )?
    .execute(params![rowid, p.name, p.kind.code(), p.level.code(), p.place, p.tags.join(" "), p.created_at.timestamp_millis()])?;
        let mut mv = conn.prepare_cached(
            "INSERT INTO partner_moves(partner, at_ms, from_level, to_level) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for m in &p.level_history {
            mv.execute(params![rowid, m.at.timestamp_millis(), m.from.map(Slug::code), m.to.code()])?;
        }
        if let Some(into) = p.merged_into {
            conn.prepare_cached("INSERT INTO partner_merges(partner, from_n, into_n) VALUES (?1, ?2, ?3)")?
                .execute(params![rowid, refs.n(conn, p.id)?, refs.n(conn, into)?])?;
            super::merge::refresh_canon(conn)?;
        }
        Ok(())
    }

    fn search_text(&self) -> String {
        let p = self;
        let contacts: Vec<String> = p.contacts.iter().map(|c| format!("{} {}", c.name, c.role)).collect();
        let agreements: Vec<&str> = p.agreements.iter().map(|a| a.title.as_str()).collect();
        let (tags, contacts, agreements) = (p.tags.join(" "), contacts.join("\n"), agreements.join("\n"));
        search_body(&[&p.name, &p.place, &tags, &p.note, &contacts, &agreements])
    }
}

impl Indexed for Activity {
    fn index(&self, conn: &Connection, rowid: i64, refs: &mut Refs) -> Result<()> {
        let a = self;
        conn.prepare_cached(
            "INSERT INTO activities(rowid, title, status, outside, extra_resources, place, tags, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            rowid,
            a.title,
            a.status.code(),
            a.outside,
            a.extra_resources,
            a.place,
            a.tags.join(" "),
            a.created_at.timestamp_millis()
        ])?;
        let mut link =
            conn.prepare_cached("INSERT OR IGNORE INTO activity_links(target, activity, kind) VALUES (?1, ?2, ?3)")?;
        for p in &a.partners {
            link.execute(params![refs.n(conn, *p)?, rowid, LinkKind::Partner as i64])?;
        }
        for e in &a.from_encounters {
            link.execute(params![refs.n(conn, *e)?, rowid, LinkKind::OriginEncounter as i64])?;
        }
        Ok(())
    }

    fn search_text(&self) -> String {
        let a = self;
        let tags = a.tags.join(" ");
        search_body(&[&a.title, &a.place, &a.note, &tags])
    }
}

impl Indexed for StaffMember {
    fn index(&self, conn: &Connection, rowid: i64, _refs: &mut Refs) -> Result<()> {
        conn.prepare_cached("INSERT INTO staff(rowid, name, branch) VALUES (?1, ?2, ?3)")?.execute(params![
            rowid,
            self.name,
            self.branch
        ])?;
        Ok(())
    }

    fn search_text(&self) -> String {
        search_body(&[&self.name, &self.branch])
    }
}
