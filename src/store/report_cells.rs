//! The SQL behind the effect reports (`crate::report`): aggregates over the
//! index tables, never a document. Each query returns small grouped cells
//! that `report` adds up into figures. Functions over a read-only
//! [`Reader`], so the report can never write.
//!
//! Filters: encounters by period, branch, staff member and partner kind (an
//! encounter counts for a kind when one of its linked partners is of that
//! kind). Activities by creation date; branch and staff through their origin
//! encounters, partner kind through their partners. Partners by kind; branch
//! and staff through the encounters that linked them.

use rusqlite::types::Value as Sql;
use rusqlite::{Row, Statement};

use super::codes::month_of;
use super::codes::LinkKind;
use super::rollup::{self, Split};
use super::{Reader, Result};
use crate::model::*;

/// What a report counts. Times are UTC milliseconds; `to_ms` is exclusive.
#[derive(Clone, Debug, Default)]
pub struct ReportScope {
    pub from_ms: i64,
    pub to_ms: i64,
    pub branch: Option<String>,
    pub staff: Option<RecordId>,
    pub partner_kind: Option<PartnerKind>,
    /// Points in time to count partners per network-circle level at:
    /// (label, exclusive end in ms), e.g. each month's end.
    pub checkpoints: Vec<(String, i64)>,
}

/// Encounters grouped by month ("YYYY-MM", UTC), staff member, branch and perspective.
#[derive(Clone, Debug, PartialEq)]
pub struct EncounterCell {
    pub month: String,
    pub staff: Option<RecordId>,
    pub staff_name: Option<String>,
    pub branch: String,
    pub perspective: Perspective,
    pub count: u64,
}

/// Encounters grouped by everything else the report asks about.
#[derive(Clone, Debug, PartialEq)]
pub struct EncounterTraits {
    pub perspective: Perspective,
    pub initiative: Option<Initiative>,
    pub role: Option<Role>,
    pub counterpart: CounterpartKind,
    pub outside: bool,
    /// Bit set of `1 << Outcome::code()`.
    pub outcomes: i64,
    pub count: u64,
}

impl EncounterTraits {
    pub fn has(&self, o: Outcome) -> bool {
        self.outcomes & (1 << o.code()) != 0
    }
}

/// The encounter counts the report needs beyond [`EncounterCell`], over
/// every encounter in scope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EncounterSums {
    pub encounters: u64,
    pub co_creative: u64,
    pub initiative_citizen: u64,
    pub initiative_library: u64,
    /// Co-creative encounters in which the library was active / facilitating.
    pub co_active: u64,
    pub co_facilitating: u64,
    pub new_activity: u64,
    pub outside: u64,
    /// Encounters with a municipal department: all, by who took the
    /// initiative, and those that brought an invitation.
    pub municipal: u64,
    pub municipal_citizen: u64,
    pub municipal_library: u64,
    pub invitations: u64,
    /// Encounters some activity names as its origin.
    pub origin: u64,
}

impl EncounterSums {
    /// Adds a group of encounters with the same traits (how the sums are
    /// counted from scratch, `from_scratch::encounter_sums`).
    pub fn add(&mut self, t: &EncounterTraits) {
        let n = t.count;
        let muni = t.counterpart == CounterpartKind::MunicipalDepartment;
        let co = t.perspective == Perspective::CoCreative;
        self.encounters += n;
        self.co_creative += n * co as u64;
        self.initiative_citizen += n * (t.initiative == Some(Initiative::Citizen)) as u64;
        self.initiative_library += n * (t.initiative == Some(Initiative::Library)) as u64;
        self.co_active += n * (co && t.role == Some(Role::Active)) as u64;
        self.co_facilitating += n * (co && t.role == Some(Role::Facilitating)) as u64;
        self.new_activity += n * t.has(Outcome::NewActivity) as u64;
        self.outside += n * t.outside as u64;
        self.municipal += n * muni as u64;
        self.municipal_citizen += n * (muni && t.initiative == Some(Initiative::Citizen)) as u64;
        self.municipal_library += n * (muni && t.initiative == Some(Initiative::Library)) as u64;
        self.invitations += n * (muni && t.has(Outcome::Invitation)) as u64;
    }
}

/// Activities created in the period, grouped.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityCell {
    pub month: String,
    pub status: ActivityStatus,
    pub outside: bool,
    pub extra_resources: Option<bool>,
    pub count: u64,
}

/// Partners at a level at a checkpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelCell {
    pub checkpoint: String,
    pub level: Level,
    pub count: u64,
}

/// Moves on the network circle in the period; `from: None` is a partner joining it.
#[derive(Clone, Debug, PartialEq)]
pub struct MoveCell {
    pub from: Option<Level>,
    pub to: Level,
    pub count: u64,
}

/// Partners of one kind: existing at the period's end, new in it, met in it.
#[derive(Clone, Debug, PartialEq)]
pub struct KindCell {
    pub kind: PartnerKind,
    pub partners: u64,
    pub new: u64,
    pub met: u64,
}

macro_rules! encounter_scope {
    () => {
        "e.when_ms >= :from AND e.when_ms < :to
    AND (:branch IS NULL OR e.branch = :branch)
    AND (:staff IS NULL OR e.staff = (SELECT n FROM refs WHERE id = :staff))"
    };
}

/// Encounters in the period, branch and staff member (alias `e`).
const ENCOUNTER_SCOPE: &str = encounter_scope!();

/// Encounters in scope (alias `e`): in [`ENCOUNTER_SCOPE`] and linked to a
/// partner of the kind. The rollups (`rollup.rs`) keep this meaning.
pub(super) const ENCOUNTER_FILTER: &str = concat!(
    encounter_scope!(),
    "
    AND (:kind IS NULL OR e.rowid IN (
        SELECT ep.encounter FROM partners p CROSS JOIN docs d ON d.rowid = p.rowid JOIN refs r ON r.id = d.id
        JOIN encounter_partners ep ON ep.partner = r.n WHERE p.kind = :kind))"
);

/// Rollup rows (`rollup_months`, `rollup_days`) of the branch and staff member.
const ROLLUP_SCOPE: &str = "(:branch IS NULL OR branch = :branch)
    AND (:staff IS NULL OR staff = (SELECT n FROM refs WHERE id = :staff))";

/// Partners in scope (alias `p`), whenever they were created: of the
/// kind, and with branch or staff filters, named by an encounter of that
/// branch or staff member, read from `partner_reach` (rollup.rs), which
/// counts each partner's links per staff member and branch.
pub(super) const PARTNER_FILTER: &str = "p.merged = 0 AND (:kind IS NULL OR p.kind = :kind)
    AND ((:branch IS NULL AND :staff IS NULL) OR EXISTS (
        SELECT 1 FROM docs pd JOIN refs r ON r.id = pd.id JOIN partner_reach pr ON pr.partner = r.n
        WHERE pd.rowid = p.rowid AND (:branch IS NULL OR pr.branch = :branch)
          AND (:staff IS NULL OR pr.staff = (SELECT n FROM refs WHERE id = :staff))))";

/// The same, asked of every link and its encounter (`from_scratch`).
const PARTNER_FILTER_SCAN: &str = "p.merged = 0 AND (:kind IS NULL OR p.kind = :kind)
    AND ((:branch IS NULL AND :staff IS NULL) OR EXISTS (
        SELECT 1 FROM docs pd JOIN refs r ON r.id = pd.id
        JOIN encounter_partners ep ON ep.partner = r.n JOIN encounters e ON e.rowid = ep.encounter
        WHERE pd.rowid = p.rowid
          AND (:branch IS NULL OR e.branch = :branch)
          AND (:staff IS NULL OR e.staff = (SELECT n FROM refs WHERE id = :staff))))";

/// Activities created in the period (alias `a`).
pub(super) const ACTIVITY_FILTER: &str = "a.created_ms >= :from AND a.created_ms < :to
    AND ((:branch IS NULL AND :staff IS NULL) OR EXISTS (
        SELECT 1 FROM activity_links l JOIN refs r ON r.n = l.target
        JOIN docs d ON d.id = r.id JOIN encounters e ON e.rowid = d.rowid
        WHERE l.activity = a.rowid AND l.kind = :origin_link
          AND (:branch IS NULL OR e.branch = :branch)
          AND (:staff IS NULL OR e.staff = (SELECT n FROM refs WHERE id = :staff))))
    AND (:kind IS NULL OR EXISTS (
        SELECT 1 FROM activity_links l JOIN refs r ON r.n = l.target
        JOIN docs d ON d.id = r.id JOIN partners p ON p.rowid = d.rowid
        WHERE l.activity = a.rowid AND l.kind = :partner_link AND p.kind = :kind))";

const MONTH: &str = "strftime('%Y-%m', {} / 1000, 'unixepoch')";

fn month_sql(col: &str) -> String {
    MONTH.replace("{}", col)
}

impl ReportScope {
    fn values(&self) -> Vec<(&'static str, Sql)> {
        let checkpoints: Vec<serde_json::Value> =
            self.checkpoints.iter().map(|(label, end)| serde_json::json!([label, end])).collect();
        let mut out = vec![
            (":from", Sql::Integer(self.from_ms)),
            (":to", Sql::Integer(self.to_ms)),
            (":branch", self.branch.clone().map_or(Sql::Null, Sql::Text)),
            (":staff", self.staff.map_or(Sql::Null, |s| Sql::Blob(s.as_bytes().to_vec()))),
            (":kind", self.partner_kind.map_or(Sql::Null, |k| Sql::Integer(k.code()))),
            (":partner_link", Sql::Integer(LinkKind::Partner as i64)),
            (":origin_link", Sql::Integer(LinkKind::OriginEncounter as i64)),
            (":checkpoints", Sql::Text(serde_json::Value::Array(checkpoints).to_string())),
            // Month bounds (YYYYMM) so the month index is searched, not scanned whole.
            (":m_from", Sql::Integer(if self.from_ms == i64::MIN { 0 } else { month_of(self.from_ms) })),
            (":m_to", Sql::Integer(if self.to_ms == i64::MAX { 999_999 } else { month_of(self.to_ms - 1) })),
        ];
        // What the rollups answer (rollup.rs): the partner kind (0: every
        // encounter), full months, whole days and leftover milliseconds.
        let split = Split::of(self.from_ms, self.to_ms);
        out.push((":k", Sql::Integer(self.partner_kind.map_or(0, |k| k.code()))));
        out.push((":m_lo", Sql::Integer(split.months.0)));
        out.push((":m_hi", Sql::Integer(split.months.1)));
        for (names, ranges) in [(DAY_PARAMS, split.days), (MS_PARAMS, split.ms)] {
            for (pair, (lo, hi)) in names.iter().zip(ranges) {
                out.push((pair.0, Sql::Integer(lo)));
                out.push((pair.1, Sql::Integer(hi)));
            }
        }
        out
    }

    /// Binds the parameters the statement uses, runs it and maps each row.
    pub(super) fn query<T>(
        &self,
        stmt: &mut Statement<'_>,
        f: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        self.query_into(stmt, vec![], f)
    }

    /// The same, appending to `out` (which may come with room reserved).
    pub(super) fn query_into<T>(
        &self,
        stmt: &mut Statement<'_>,
        mut out: Vec<T>,
        f: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        for (name, value) in self.values() {
            if let Some(i) = stmt.parameter_index(name)? {
                stmt.raw_bind_parameter(i, value)?;
            }
        }
        let mut rows = stmt.raw_query();
        while let Some(r) = rows.next()? {
            out.push(f(r)?);
        }
        Ok(out)
    }
}

fn code<T: Slug>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let c: i64 = r.get(i)?;
    T::from_code(c).ok_or(rusqlite::Error::IntegralValueOutOfRange(i, c))
}

fn opt_code<T: Slug>(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<T>> {
    Ok(r.get::<_, Option<i64>>(i)?.and_then(T::from_code))
}

fn count(r: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, Option<i64>>(i)?.unwrap_or(0).max(0) as u64)
}

const DAY_PARAMS: [(&str, &str); 2] = [(":d_lo0", ":d_hi0"), (":d_lo1", ":d_hi1")];
const MS_PARAMS: [(&str, &str); 2] = [(":ms_lo0", ":ms_hi0"), (":ms_lo1", ":ms_hi1")];

/// Every rollup row and leftover encounter in scope, as rows of (month,
/// staff (-1: none), branch, perspective, the measures of `rollup.rs`).
fn rollup_rows() -> String {
    let m = rollup::measures();
    let cols: Vec<&str> = m.iter().map(|(c, _)| *c).collect();
    let cols = cols.join(", ");
    let mut arms = vec![format!(
        "SELECT month, staff, branch, perspective, {cols} FROM rollup_months
         WHERE kind = :k AND bucket BETWEEN :m_lo AND :m_hi AND {ROLLUP_SCOPE}"
    )];
    for (lo, hi) in DAY_PARAMS {
        arms.push(format!(
            "SELECT month, staff, branch, perspective, {cols} FROM rollup_days
             WHERE kind = :k AND bucket >= {lo} AND bucket < {hi} AND {ROLLUP_SCOPE}"
        ));
    }
    // Periods that do not end on day boundaries count their ends from the
    // encounters themselves (the report's periods never do).
    let exprs: Vec<String> = m.iter().map(|(_, e)| format!("({})", e.replace('$', "e"))).collect();
    for (lo, hi) in MS_PARAMS {
        arms.push(format!(
            "SELECT e.month, coalesce(e.staff, -1), e.branch, e.perspective, {} FROM encounters e
             WHERE e.when_ms >= {lo} AND e.when_ms < {hi} AND {ENCOUNTER_FILTER}",
            exprs.join(", ")
        ));
    }
    arms.join("\n UNION ALL ")
}

fn cell(r: &Row<'_>) -> rusqlite::Result<EncounterCell> {
    let m: i64 = r.get(0)?;
    Ok(EncounterCell {
        month: format!("{:04}-{:02}", m / 100, m % 100),
        staff: r.get::<_, Option<Vec<u8>>>(1)?.and_then(|b| RecordId::from_slice(&b)),
        staff_name: r.get(2)?,
        branch: r.get(3)?,
        perspective: code(r, 4)?,
        count: count(r, 5)?,
    })
}

/// Encounters per month, staff member, branch and perspective, ordered by
/// month and perspective (then staff and branch), from the rollups.
pub fn encounter_cells(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<EncounterCell>> {
    scope.query(&mut *db.conn().prepare_cached(&cells_sql())?, cell)
}

pub(super) fn cells_sql() -> String {
    format!(
        "SELECT g.month, r.id, s.name, g.branch, g.perspective, g.n FROM (
            SELECT month, staff, branch, perspective, sum(n) AS n FROM ({}) GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0) g
         LEFT JOIN refs r ON r.n = g.staff LEFT JOIN docs sd ON sd.id = r.id
         LEFT JOIN staff s ON s.rowid = sd.rowid
         ORDER BY g.month, g.perspective, g.staff, g.branch",
        rollup_rows()
    )
}

pub(super) fn sums_sql() -> String {
    let sums: Vec<String> = rollup::measures().iter().map(|(c, _)| format!("sum({c})")).collect();
    format!("SELECT {} FROM ({})", sums.join(", "), rollup_rows())
}

/// The report's other encounter counts, from the rollups.
pub fn encounter_sums(db: Reader<'_>, scope: &ReportScope) -> Result<EncounterSums> {
    let rows = scope.query(&mut *db.conn().prepare_cached(&sums_sql())?, |r| {
        let v = |i: usize| count(r, i);
        Ok(EncounterSums {
            encounters: v(0)?,
            co_creative: v(1)?,
            initiative_citizen: v(2)?,
            initiative_library: v(3)?,
            co_active: v(4)?,
            co_facilitating: v(5)?,
            new_activity: v(6)?,
            outside: v(7)?,
            municipal: v(8)?,
            municipal_citizen: v(9)?,
            municipal_library: v(10)?,
            invitations: v(11)?,
            origin: v(12)?,
        })
    })?;
    Ok(rows.into_iter().next().unwrap_or_default())
}

pub fn activity_cells(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<ActivityCell>> {
    let sql = format!(
        "SELECT {} , a.status, a.outside, a.extra_resources, count(*)
         FROM activities a WHERE {ACTIVITY_FILTER} GROUP BY 1, 2, 3, 4 ORDER BY 1",
        month_sql("a.created_ms")
    );
    scope.query(&mut *db.conn().prepare_cached(&sql)?, |r| {
        Ok(ActivityCell {
            month: r.get(0)?,
            status: code(r, 1)?,
            outside: r.get(2)?,
            extra_resources: r.get(3)?,
            count: count(r, 4)?,
        })
    })
}

/// Partners per level at each checkpoint, from the level history: the
/// move in force at a time is the last one before it.
pub fn level_cells(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<LevelCell>> {
    levels(db, scope, PARTNER_FILTER)
}

fn levels(db: Reader<'_>, scope: &ReportScope, partners: &str) -> Result<Vec<LevelCell>> {
    let sql = format!(
        "WITH m AS MATERIALIZED (SELECT value ->> 0 AS label, value ->> 1 AS end_ms, key AS i FROM json_each(:checkpoints)),
         mv AS MATERIALIZED (SELECT pm.at_ms, pm.to_level,
                   lead(pm.at_ms) OVER (PARTITION BY pm.partner ORDER BY pm.at_ms, pm.rowid) AS next_ms
                FROM partner_moves pm JOIN partners p ON p.rowid = pm.partner WHERE {partners})
         SELECT m.label, mv.to_level, count(*) FROM mv
         JOIN m ON mv.at_ms < m.end_ms AND (mv.next_ms IS NULL OR mv.next_ms >= m.end_ms)
         GROUP BY m.i, mv.to_level ORDER BY m.i, mv.to_level"
    );
    scope.query(&mut *db.conn().prepare_cached(&sql)?, |r| {
        Ok(LevelCell { checkpoint: r.get(0)?, level: code(r, 1)?, count: count(r, 2)? })
    })
}

pub fn move_cells(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<MoveCell>> {
    moves(db, scope, PARTNER_FILTER)
}

fn moves(db: Reader<'_>, scope: &ReportScope, partners: &str) -> Result<Vec<MoveCell>> {
    let sql = format!(
        "SELECT pm.from_level, pm.to_level, count(*) FROM partner_moves pm JOIN partners p ON p.rowid = pm.partner
         WHERE pm.at_ms >= :from AND pm.at_ms < :to AND {partners} GROUP BY 1, 2"
    );
    scope.query(&mut *db.conn().prepare_cached(&sql)?, |r| {
        Ok(MoveCell { from: opt_code(r, 0)?, to: code(r, 1)?, count: count(r, 2)? })
    })
}

pub fn kind_cells(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<KindCell>> {
    // "Met" asks for an encounter linked to the partner itself; with a kind
    // filter the partner is of that kind, so the encounter is linked to a
    // partner of the kind: ENCOUNTER_FILTER's kind clause holds and is left
    // out (it built the set of every such encounter for each query: 2.9 s
    // at a million encounters).
    kinds(db, scope, ENCOUNTER_SCOPE, PARTNER_FILTER)
}

fn kinds(db: Reader<'_>, scope: &ReportScope, encounters: &str, partners: &str) -> Result<Vec<KindCell>> {
    let sql = format!(
        "SELECT p.kind, count(*), sum(p.created_ms >= :from),
                sum(EXISTS (SELECT 1 FROM encounter_partners met JOIN encounters e ON e.rowid = met.encounter
                            WHERE met.partner = r.n AND {encounters}))
         FROM partners p CROSS JOIN docs d ON d.rowid = p.rowid LEFT JOIN refs r ON r.id = d.id
         WHERE p.created_ms < :to AND {partners} GROUP BY 1 ORDER BY 1"
    );
    scope.query(&mut *db.conn().prepare_cached(&sql)?, |r| {
        Ok(KindCell { kind: code(r, 0)?, partners: count(r, 1)?, new: count(r, 2)?, met: count(r, 3)? })
    })
}

/// Staff profiles (of the branch, when the scope names one): the team's size.
pub fn team_size(db: Reader<'_>, scope: &ReportScope) -> Result<u64> {
    let mut stmt =
        db.conn().prepare_cached("SELECT count(*) FROM staff WHERE (:branch IS NULL OR branch = :branch)")?;
    Ok(scope.query(&mut stmt, |r| count(r, 0))?.into_iter().sum())
}

/// The report's encounter figures counted from scratch over the index
/// tables, as before the rollups: the reference the rollups are tested
/// against (`tests/report.rs`), never used by the report itself.
#[doc(hidden)]
pub mod from_scratch {
    use super::*;

    pub fn encounter_cells(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<EncounterCell>> {
        let sql = format!(
            "SELECT g.month, r.id, s.name, g.branch, g.perspective, g.n FROM (
                SELECT e.month AS month, e.staff, e.branch, e.perspective, count(*) AS n
                FROM encounters e
                WHERE e.month BETWEEN :m_from AND :m_to AND {ENCOUNTER_FILTER} GROUP BY 1, 2, 3, 4) g
             LEFT JOIN refs r ON r.n = g.staff LEFT JOIN docs sd ON sd.id = r.id
             LEFT JOIN staff s ON s.rowid = sd.rowid
             ORDER BY 1, 5, g.staff, g.branch"
        );
        scope.query(&mut *db.conn().prepare_cached(&sql)?, cell)
    }

    pub fn encounter_traits(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<EncounterTraits>> {
        let sql = format!(
            "SELECT e.perspective, e.initiative, e.role, e.counterpart, e.outside, e.outcomes, count(*)
             FROM encounters e WHERE {ENCOUNTER_FILTER} GROUP BY 1, 2, 3, 4, 5, 6"
        );
        scope.query(&mut *db.conn().prepare_cached(&sql)?, |r| {
            Ok(EncounterTraits {
                perspective: code(r, 0)?,
                initiative: opt_code(r, 1)?,
                role: opt_code(r, 2)?,
                counterpart: code(r, 3)?,
                outside: r.get(4)?,
                outcomes: r.get(5)?,
                count: count(r, 6)?,
            })
        })
    }

    /// Encounters in scope that some activity names as its origin.
    pub fn origin_encounters(db: Reader<'_>, scope: &ReportScope) -> Result<u64> {
        let sql = format!(
            "SELECT count(*) FROM encounters e WHERE {ENCOUNTER_FILTER} AND e.rowid IN (
                SELECT d.rowid FROM activity_links l JOIN refs r ON r.n = l.target JOIN docs d ON d.id = r.id
                WHERE l.kind = :origin_link)"
        );
        Ok(scope.query(&mut *db.conn().prepare_cached(&sql)?, |r| count(r, 0))?.into_iter().sum())
    }

    pub fn encounter_sums(db: Reader<'_>, scope: &ReportScope) -> Result<EncounterSums> {
        let mut sums = EncounterSums::default();
        for t in encounter_traits(db, scope)? {
            sums.add(&t);
        }
        sums.origin = origin_encounters(db, scope)?;
        Ok(sums)
    }

    /// Partners per kind with "met" asked through the whole encounter filter.
    pub fn kind_cells(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<KindCell>> {
        kinds(db, scope, ENCOUNTER_FILTER, PARTNER_FILTER_SCAN)
    }

    pub fn level_cells(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<LevelCell>> {
        levels(db, scope, PARTNER_FILTER_SCAN)
    }

    pub fn move_cells(db: Reader<'_>, scope: &ReportScope) -> Result<Vec<MoveCell>> {
        moves(db, scope, PARTNER_FILTER_SCAN)
    }
}
