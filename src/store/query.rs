//! Lists, filters and full-text search, all from the index (never by
//! loading documents), so they stay fast at 100,000 records.

use chrono::{DateTime, Utc};
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, Row};
use serde::Serialize;

use super::previews::previews;
use super::search_terms::match_expr;
use super::{Result, Store};
use crate::doc::from_ms;
use crate::model::*;

/// A page of the timeline.
#[derive(Clone, Debug, Default)]
pub struct EncounterQuery {
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub perspective: Option<Perspective>,
    pub partner: Option<RecordId>,
    pub staff: Option<RecordId>,
    pub branch: Option<String>,
    /// Substring of the place name.
    pub place: Option<String>,
    /// Full-text search within the page's records.
    pub text: Option<String>,
    pub limit: Option<usize>,
    pub offset: usize,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EncounterRow {
    pub id: RecordId,
    pub when: DateTime<Utc>,
    pub place: String,
    pub outside: bool,
    pub perspective: Perspective,
    pub counterpart: CounterpartKind,
    pub initiative: Option<Initiative>,
    pub role: Option<Role>,
    pub staff: Option<RecordId>,
    pub staff_name: Option<String>,
    pub branch: String,
    pub preview: String,
    pub tags: Vec<String>,
    /// No peer has acknowledged any of it: it exists only on this device.
    pub local_only: bool,
}

#[derive(Clone, Debug, Default)]
pub struct PartnerQuery {
    pub level: Option<Level>,
    pub kind: Option<PartnerKind>,
    /// Name starts with (case-insensitive) or full-text match.
    pub text: Option<String>,
    pub limit: Option<usize>,
    pub offset: usize,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PartnerRow {
    pub id: RecordId,
    pub name: String,
    pub kind: PartnerKind,
    pub level: Level,
    pub place: String,
    pub tags: Vec<String>,
    /// The latest encounter naming the partner (or a partner merged into it).
    pub last_met: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Default)]
pub struct ActivityQuery {
    pub status: Option<ActivityStatus>,
    pub partner: Option<RecordId>,
    pub limit: Option<usize>,
    pub offset: usize,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ActivityRow {
    pub id: RecordId,
    pub title: String,
    pub status: ActivityStatus,
    pub outside: bool,
    pub extra_resources: Option<bool>,
    pub place: String,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SearchHit {
    pub id: RecordId,
    pub kind: RecordKind,
    pub title: String,
    pub detail: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StaffRow {
    pub id: RecordId,
    pub name: String,
    pub branch: String,
}

pub const DEFAULT_PAGE: usize = 50;

/// Up to this many matching records, search ranks them all by bm25; above,
/// it lists the newest first (see `Store::search`).
pub const RANKED_MATCHES: usize = 2000;

/// The newest `?2` records that match `?1`, newest first: reads no more of
/// the matches, and ranks none.
pub(super) const SEARCH_NEWEST: &str = "SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2";

/// The page's matches, as (rowid, order): best first, or as listed in
/// the JSON array `?1`.
///
/// Best is bm25 with each word counted once in a record, since the index
/// keeps no counts (`detail=none`, layout 13; FTS5's own `rank` is then 0
/// for every row). Every word must match, so all matches share the words'
/// weights and bm25's order is the records' length, shortest first: the
/// token counts FTS5 keeps in `search_docsize`, one big-endian varint per
/// row, which sorts as the number it holds. Ties: newest first.
pub(super) const SEARCH_RANKED: &str = "SELECT id AS rowid, row_number() OVER (ORDER BY sz, id DESC) AS o
     FROM search_docsize WHERE id IN (SELECT rowid FROM search WHERE search MATCH ?1) ORDER BY o LIMIT ?2";
const SEARCH_LISTED: &str = "SELECT value AS rowid, key AS o FROM json_each(?1) LIMIT ?2";

/// A search page's hits with their titles, in the order `matches` gives.
pub(super) fn hits_sql(matches: &str) -> String {
    format!(
        "SELECT d.id, d.kind,
                COALESCE(p.name, a.title, e.place, st.name, ''),
                COALESCE(p.place, a.place, st.branch, ''),
                e.when_ms, e.rowid
         FROM ({matches}) s
         JOIN docs d ON d.rowid = s.rowid
         LEFT JOIN encounters e ON e.rowid = s.rowid
         LEFT JOIN partners p ON p.rowid = s.rowid
         LEFT JOIN activities a ON a.rowid = s.rowid
         LEFT JOIN staff st ON st.rowid = s.rowid
         WHERE p.merged IS NOT 1
         ORDER BY s.o"
    )
}

/// The refs numbers that stand for one partner (`?`, its id): its own and
/// those of every partner merged into it, since links made before a merge
/// arrived (or on another tablet) still name the merged one.
pub(super) const PARTNER_AND_MERGED: &str = "(SELECT n FROM refs WHERE id = ? \
     UNION SELECT c.n FROM partner_canon c JOIN refs k ON k.n = c.canonical WHERE k.id = ?)";

pub(super) fn id_of(row: &Row<'_>, i: usize) -> rusqlite::Result<RecordId> {
    // Borrowed from the row: no allocation per id.
    let b = match row.get_ref(i)? {
        rusqlite::types::ValueRef::Blob(b) => Some(b),
        _ => None,
    };
    b.and_then(RecordId::from_slice)
        .ok_or_else(|| rusqlite::Error::InvalidColumnType(i, "id".into(), rusqlite::types::Type::Blob))
}

pub(super) fn slug_of<T: Slug>(row: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let c: i64 = row.get(i)?;
    T::from_code(c).ok_or(rusqlite::Error::IntegralValueOutOfRange(i, c))
}

pub(super) fn opt_slug<T: Slug>(row: &Row<'_>, i: usize) -> rusqlite::Result<Option<T>> {
    let c: Option<i64> = row.get(i)?;
    Ok(c.and_then(T::from_code))
}

pub(super) fn words(s: String) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

/// The partner list's WHERE clause (alias `p`) and its arguments; `None`
/// when the search text holds nothing to search for.
fn partner_filter(conn: &Connection, q: &PartnerQuery) -> Result<(Option<String>, Vec<Sql>)> {
    let mut sql = String::from("p.merged = 0");
    let mut args: Vec<Sql> = vec![];
    if let Some(l) = q.level {
        args.push(Sql::Integer(l.code()));
        sql.push_str(&format!(" AND p.level = ?{}", args.len()));
    }
    if let Some(k) = q.kind {
        args.push(Sql::Integer(k.code()));
        sql.push_str(&format!(" AND p.kind = ?{}", args.len()));
    }
    if let Some(t) = q.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let Some(m) = match_expr(conn, t)? else { return Ok((None, args)) };
        args.push(Sql::Text(m));
        sql.push_str(&format!(" AND p.rowid IN (SELECT rowid FROM search WHERE search MATCH ?{})", args.len()));
    }
    Ok((Some(sql), args))
}

impl Store {
    /// Every partner's id, name, kind and place: what an import matches rows against.
    pub fn partner_keys(&self) -> Result<Vec<(RecordId, String, PartnerKind, String)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT d.id, p.name, p.kind, p.place FROM partners p CROSS JOIN docs d ON d.rowid = p.rowid",
        )?;
        let rows = stmt.query_map([], |r| Ok((id_of(r, 0)?, r.get(1)?, slug_of(r, 2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether a record was erased on request (its id may never come back).
    pub fn is_erased(&self, id: RecordId) -> Result<bool> {
        super::chunk_log::is_erased(self.conn(), id)
    }

    pub fn list_encounters(&self, q: &EncounterQuery) -> Result<Vec<EncounterRow>> {
        let Some((sql, args)) = self.encounters_sql(q)? else { return Ok(vec![]) };
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            let row = EncounterRow {
                id: id_of(r, 0)?,
                when: from_ms(r.get(1)?),
                place: r.get(2)?,
                outside: r.get(3)?,
                perspective: slug_of(r, 4)?,
                counterpart: slug_of(r, 5)?,
                initiative: opt_slug(r, 6)?,
                role: opt_slug(r, 7)?,
                staff: r.get::<_, Option<Vec<u8>>>(8)?.and_then(|b| RecordId::from_slice(&b)),
                staff_name: r.get(9)?,
                branch: r.get(10)?,
                preview: String::new(),
                tags: words(r.get(11)?),
                local_only: r.get(12)?,
            };
            Ok((r.get::<_, i64>(13)?, row))
        })?;
        let (rowids, mut rows): (Vec<i64>, Vec<EncounterRow>) = rows.collect::<rusqlite::Result<_>>()?;
        for (row, preview) in rows.iter_mut().zip(previews(self.conn(), &self.dir, &rowids)?) {
            row.preview = preview;
        }
        Ok(rows)
    }

    /// The timeline page's statement and arguments; `None` when nothing can match.
    pub(super) fn encounters_sql(&self, q: &EncounterQuery) -> Result<Option<(String, Vec<Sql>)>> {
        // One partner (nothing merged into it): walk its links newest first
        // (`encounter_partners_when`), so a page costs the page, not every
        // encounter of the partner sorted. Merged partners take the set.
        let partner_ns = q.partner.map(|p| self.partner_ns(p)).transpose()?;
        if partner_ns.as_ref().is_some_and(Vec::is_empty) {
            return Ok(None);
        }
        let one_partner = partner_ns.as_ref().and_then(|ns| (ns.len() == 1).then(|| ns[0]));
        let (from, time) = match one_partner {
            Some(_) => ("encounter_partners ep JOIN encounters e ON e.rowid = ep.encounter", "ep.when_ms"),
            None => ("encounters e", "e.when_ms"),
        };
        let sql = format!(
            "SELECT d.id, e.when_ms, e.place, e.outside, e.perspective, e.counterpart, e.initiative, e.role,
                    r.id, s.name, e.branch, e.tags,
                    NOT EXISTS (SELECT 1 FROM chunks c WHERE c.doc = e.rowid
                                AND (c.origin != 0 OR c.seq <= SHARED_UPTO)),
                    e.rowid
             FROM {from} JOIN docs d ON d.rowid = e.rowid
             LEFT JOIN refs r ON r.n = e.staff LEFT JOIN docs sd ON sd.id = r.id LEFT JOIN staff s ON s.rowid = sd.rowid
             WHERE 1",
        );
        let mut sql = sql.replace("SHARED_UPTO", super::sharing::SHARED_UPTO);
        let mut args: Vec<Sql> = vec![];
        let mut arg = |sql: &mut String, clause: &str, v: Sql| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(n) = one_partner {
            arg(&mut sql, " AND ep.partner = ?", Sql::Integer(n));
        }
        if let Some(t) = q.since {
            arg(&mut sql, &format!(" AND {time} >= ?"), Sql::Integer(t.timestamp_millis()));
        }
        if let Some(t) = q.until {
            arg(&mut sql, &format!(" AND {time} < ?"), Sql::Integer(t.timestamp_millis()));
        }
        if let Some(p) = q.perspective {
            arg(&mut sql, " AND e.perspective = ?", Sql::Integer(p.code()));
        }
        if let (Some(p), None) = (q.partner, one_partner) {
            let clause = format!(
                " AND e.rowid IN (SELECT encounter FROM encounter_partners WHERE partner IN {PARTNER_AND_MERGED})"
            );
            arg(&mut sql, &clause, Sql::Blob(p.as_bytes().to_vec()));
        }
        if let Some(s) = q.staff {
            arg(&mut sql, " AND e.staff = (SELECT n FROM refs WHERE id = ?)", Sql::Blob(s.as_bytes().to_vec()));
        }
        if let Some(b) = &q.branch {
            arg(&mut sql, " AND e.branch = ?", Sql::Text(b.clone()));
        }
        if let Some(p) = &q.place {
            arg(&mut sql, " AND instr(lower(e.place), lower(?)) > 0", Sql::Text(p.clone()));
        }
        if let Some(t) = q.text.as_deref() {
            match match_expr(self.conn(), t)? {
                Some(m) => {
                    arg(&mut sql, " AND e.rowid IN (SELECT rowid FROM search WHERE search MATCH ?)", Sql::Text(m))
                }
                None => return Ok(None),
            }
        }
        sql.push_str(&format!(" ORDER BY {time} DESC LIMIT {} OFFSET {}", q.limit.unwrap_or(DEFAULT_PAGE), q.offset));
        Ok(Some((sql, args)))
    }

    /// The refs numbers links to a partner may name: its own and those of
    /// partners merged into it (none when nothing links to it yet).
    fn partner_ns(&self, partner: RecordId) -> Result<Vec<i64>> {
        let sql = format!("SELECT n FROM {PARTNER_AND_MERGED}").replace('?', "?1");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([partner.as_bytes()], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A page of the partner list, by name. Merged partners are left out.
    /// (`CROSS JOIN` here and wherever a kind's table meets `docs`: it keeps
    /// the kind's table outside; without statistics SQLite would walk every
    /// record's id, a million, to find two thousand partners.)
    pub fn list_partners(&self, q: &PartnerQuery) -> Result<Vec<PartnerRow>> {
        let (filter, args) = partner_filter(self.conn(), q)?;
        let Some(filter) = filter else { return Ok(vec![]) };
        let last_met = PARTNER_AND_MERGED.replace('?', "d.id");
        let sql = format!(
            "SELECT d.id, p.name, p.kind, p.level, p.place, p.tags,
                    (SELECT max(e.when_ms) FROM encounter_partners ep JOIN encounters e ON e.rowid = ep.encounter
                     WHERE ep.partner IN {last_met})
             FROM partners p CROSS JOIN docs d ON d.rowid = p.rowid WHERE {filter}
             ORDER BY p.name COLLATE NOCASE LIMIT {} OFFSET {}",
            q.limit.unwrap_or(DEFAULT_PAGE),
            q.offset
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(PartnerRow {
                id: id_of(r, 0)?,
                name: r.get(1)?,
                kind: slug_of(r, 2)?,
                level: slug_of(r, 3)?,
                place: r.get(4)?,
                tags: words(r.get(5)?),
                last_met: r.get::<_, Option<i64>>(6)?.map(from_ms),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many partners the list holds with these filters (limit and offset aside).
    pub fn count_partners(&self, q: &PartnerQuery) -> Result<u64> {
        let (filter, args) = partner_filter(self.conn(), q)?;
        let Some(filter) = filter else { return Ok(0) };
        let sql = format!("SELECT count(*) FROM partners p WHERE {filter}");
        let n: i64 = self.conn().prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(n as u64)
    }

    pub fn list_activities(&self, q: &ActivityQuery) -> Result<Vec<ActivityRow>> {
        let mut sql = String::from(
            "SELECT d.id, a.title, a.status, a.outside, a.extra_resources, a.place, a.tags, a.created_ms
             FROM activities a CROSS JOIN docs d ON d.rowid = a.rowid WHERE 1",
        );
        let mut args: Vec<Sql> = vec![];
        if let Some(s) = q.status {
            args.push(Sql::Integer(s.code()));
            sql.push_str(&format!(" AND a.status = ?{}", args.len()));
        }
        if let Some(p) = q.partner {
            args.push(Sql::Blob(p.as_bytes().to_vec()));
            let merged = PARTNER_AND_MERGED.replace('?', &format!("?{}", args.len()));
            sql.push_str(&format!(" AND a.rowid IN (SELECT activity FROM activity_links WHERE target IN {merged})"));
        }
        sql.push_str(&format!(
            " ORDER BY a.created_ms DESC LIMIT {} OFFSET {}",
            q.limit.unwrap_or(DEFAULT_PAGE),
            q.offset
        ));
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), activity_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn list_staff(&self) -> Result<Vec<StaffRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT d.id, s.name, s.branch FROM staff s CROSS JOIN docs d ON d.rowid = s.rowid ORDER BY s.name",
        )?;
        let rows = stmt.query_map([], |r| Ok(StaffRow { id: id_of(r, 0)?, name: r.get(1)?, branch: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Full-text search over encounters, partners and activities: best
    /// first (bm25, see [`SEARCH_RANKED`]), or, for a word so common that more than
    /// [`RANKED_MATCHES`] records hold it, the records added to this store
    /// most recently first.
    ///
    /// Why two orders: FTS5 ranks by computing bm25 for every match (and
    /// counting each word's matches for its weights), so the first page of
    /// a word in half the records cost a scan of half the store (28 ms at a
    /// million encounters). Reading matches newest rowid first stops after
    /// the page. A word in thousands of records tells bm25 little anyway;
    /// the newest of them are what a person looks for. (A prefix that
    /// several words share still costs FTS5 a merge of their lists, about
    /// 3 ms per 50,000 matches, before the first row.)
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(m) = match_expr(self.conn(), text)? else { return Ok(vec![]) };
        let newest: Vec<i64> = self
            .conn()
            .prepare_cached(SEARCH_NEWEST)?
            .query_map(rusqlite::params![m, RANKED_MATCHES as i64 + 1], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let (sql, first) = if newest.len() > RANKED_MATCHES {
            (SEARCH_LISTED, serde_json::to_string(&newest[..limit.min(newest.len())]).expect("numbers"))
        } else {
            (SEARCH_RANKED, m)
        };
        let mut stmt = self.conn().prepare_cached(&hits_sql(sql))?;
        let rows = stmt.query_map(rusqlite::params![first, limit as i64], |r| {
            let kind: RecordKind = slug_of(r, 1)?;
            let mut title: String = r.get(2)?;
            if kind == RecordKind::Encounter {
                let when = from_ms(r.get::<_, Option<i64>>(4)?.unwrap_or(0)).format("%Y-%m-%d");
                title = if title.is_empty() { when.to_string() } else { format!("{when} · {title}") };
            }
            Ok((r.get::<_, Option<i64>>(5)?, SearchHit { id: id_of(r, 0)?, kind, title, detail: r.get(3)? }))
        })?;
        let mut hits: Vec<(Option<i64>, SearchHit)> = rows.collect::<rusqlite::Result<_>>()?;
        // An encounter's detail is its preview, from its document.
        let encounters: Vec<i64> = hits.iter().filter_map(|(e, _)| *e).collect();
        let mut previews = previews(self.conn(), &self.dir, &encounters)?.into_iter();
        for (e, hit) in &mut hits {
            if e.is_some() {
                hit.detail = previews.next().unwrap_or_default();
            }
        }
        Ok(hits.into_iter().map(|(_, hit)| hit).collect())
    }

    /// Every live partner's name and kind (imports check them for duplicates).
    pub fn partner_names(&self) -> Result<Vec<(String, PartnerKind)>> {
        let mut stmt = self.conn().prepare_cached("SELECT name, kind FROM partners WHERE merged = 0")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, slug_of(r, 1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many live records of each kind the index holds.
    pub fn counts(&self) -> Result<Counts> {
        let c = |t: &str| -> Result<u64> {
            Ok(self.conn().query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            encounters: c("encounters")?,
            partners: c("partners WHERE merged = 0")?,
            activities: c("activities")?,
            staff: c("staff")?,
        })
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub encounters: u64,
    pub partners: u64,
    pub activities: u64,
    pub staff: u64,
}

/// An activity's list row from columns 0..=7: id, title, status, outside,
/// extra resources, place, tags, created (the list and the export share it).
pub(super) fn activity_row(r: &Row<'_>) -> rusqlite::Result<ActivityRow> {
    Ok(ActivityRow {
        id: id_of(r, 0)?,
        title: r.get(1)?,
        status: slug_of(r, 2)?,
        outside: r.get(3)?,
        extra_resources: r.get(4)?,
        place: r.get(5)?,
        tags: words(r.get(6)?),
        created_at: from_ms(r.get(7)?),
    })
}
