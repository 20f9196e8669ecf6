//! Encounter counts rolled up for the effect report, kept exact by SQLite
//! triggers on the index tables.
//!
//! Why: the report's encounter figures were aggregates over every encounter
//! in the period, so a report over all years grew with the store (half a
//! second at a million encounters). The rollups hold, per calendar month
//! (`rollup_months`) and per UTC day (`rollup_days`, for the partial months
//! at a period's ends), one row per staff member × branch × perspective ×
//! partner kind, with the counts the report adds up as columns. A report
//! reads at most months × staff × branches × 4 rows, plus the days of its
//! two partial months, whatever the number of encounters.
//!
//! `partner_reach` counts each partner's links per staff member and branch,
//! so "partners named by an encounter of this branch" (the report's partner
//! filter) is a lookup per partner instead of a walk through its links.
//!
//! Why triggers: encounters reach the index from local edits, deletes,
//! erasures, merges (which relink encounters), records arriving by sync,
//! bundles and index rebuilds. Every one of them writes the same index
//! tables, so triggers on those tables keep the rollups exact without each
//! writer remembering to. The trigger bodies are generated here once, from
//! one list of measures, for `resume`, which installs them after the
//! migrations and after a bulk load.
//!
//! The partner-kind filter keeps its meaning: an encounter counts for a kind
//! when it links (directly, `encounter_partners`) to an indexed partner of
//! that kind, merged or not. `encounters.kinds` holds that as a bit set
//! (`1 << kind code`), recomputed by triggers when a link, a partner or a
//! partner's kind changes; `encounters.origin` whether some activity names
//! the encounter as its origin. A rollup row with `kind = 0` counts every
//! encounter; `kind = k` those whose bit set holds `k`.

use rusqlite::Connection;

use super::Result;
use crate::model::{CounterpartKind, Initiative, Outcome, Perspective, Role, Slug};

use super::codes::LinkKind;

/// Milliseconds in a day: day buckets are `floor(when_ms / DAY_MS)`.
pub(crate) const DAY_MS: i64 = 86_400_000;

/// The counts each rollup row holds: column name, and the 0/1 expression
/// an encounter row contributes (`$` stands for the row: `NEW`, `OLD`, `e`).
pub(crate) fn measures() -> Vec<(&'static str, String)> {
    let co = Perspective::CoCreative.code();
    let muni = CounterpartKind::MunicipalDepartment.code();
    let (citizen, library) = (Initiative::Citizen.code(), Initiative::Library.code());
    let (active, facilitating) = (Role::Active.code(), Role::Facilitating.code());
    let bit = |o: Outcome| 1i64 << o.code();
    vec![
        ("n", "1".into()),
        ("co_creative", format!("$.perspective = {co}")),
        ("init_citizen", format!("$.initiative IS {citizen}")),
        ("init_library", format!("$.initiative IS {library}")),
        ("co_active", format!("$.perspective = {co} AND $.role IS {active}")),
        ("co_facilitating", format!("$.perspective = {co} AND $.role IS {facilitating}")),
        ("new_activity", format!("($.outcomes & {}) != 0", bit(Outcome::NewActivity))),
        ("outside", "$.outside != 0".into()),
        ("municipal", format!("$.counterpart = {muni}")),
        ("municipal_citizen", format!("$.counterpart = {muni} AND $.initiative IS {citizen}")),
        ("municipal_library", format!("$.counterpart = {muni} AND $.initiative IS {library}")),
        ("invitations", format!("$.counterpart = {muni} AND ($.outcomes & {}) != 0", bit(Outcome::Invitation))),
        ("origin", "$.origin != 0".into()),
    ]
}

/// The partner kind codes a bit set may hold (`rollup_kinds` rows 1..=15;
/// row 0 is "every encounter"). A test checks every `PartnerKind` fits.
pub(crate) const MAX_KIND: i64 = 15;

/// The two rollup tables and how an encounter row (`$`) maps to a bucket.
fn tables() -> [(&'static str, String); 2] {
    [
        ("rollup_months", "$.month".into()),
        // floor division, also before 1970
        ("rollup_days", format!("(($.when_ms - ((($.when_ms % {DAY_MS}) + {DAY_MS}) % {DAY_MS})) / {DAY_MS})")),
    ]
}

/// An encounter's partner-kind bit set, from its links (`x`: its rowid).
pub(crate) fn kinds_of(x: &str) -> String {
    format!(
        "(SELECT coalesce(sum(DISTINCT 1 << p.kind), 0) FROM encounter_partners ep
          JOIN refs r ON r.n = ep.partner JOIN docs d ON d.id = r.id JOIN partners p ON p.rowid = d.rowid
          WHERE ep.encounter = {x})"
    )
}

/// Whether some activity names the encounter (`x`: its rowid) as its origin.
pub(crate) fn origin_of(x: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM docs d JOIN refs r ON r.id = d.id JOIN activity_links l ON l.target = r.n
                 WHERE d.rowid = {x} AND l.kind = {})",
        LinkKind::OriginEncounter as i64
    )
}

/// Adds (`sign` 1) or removes (-1) one encounter row (`row`: NEW or OLD)
/// in both rollups, and drops rows left empty.
fn delta(row: &str, sign: i64) -> String {
    let m = measures();
    let cols: Vec<&str> = m.iter().map(|(c, _)| *c).collect();
    let vals: Vec<String> = m.iter().map(|(_, e)| format!("{sign} * ({})", e.replace('$', row))).collect();
    let sets: Vec<String> = cols.iter().map(|c| format!("{c} = {c} + excluded.{c}")).collect();
    let mine = format!("k = 0 OR ({row}.kinds >> k) & 1");
    let mut sql = String::new();
    for (table, bucket) in tables() {
        let bucket = bucket.replace('$', row);
        sql.push_str(&format!(
            "INSERT INTO {table}(kind, bucket, month, staff, branch, perspective, {cols})
             SELECT k, {bucket}, {row}.month, coalesce({row}.staff, -1), {row}.branch, {row}.perspective, {vals}
             FROM rollup_kinds WHERE {mine}
             ON CONFLICT DO UPDATE SET {sets};\n",
            cols = cols.join(", "),
            vals = vals.join(", "),
            sets = sets.join(", "),
        ));
        // Only a removal can leave a row at zero (counts are exact).
        if sign < 0 {
            sql.push_str(&format!(
                "DELETE FROM {table} WHERE kind IN (SELECT k FROM rollup_kinds WHERE {mine}) AND bucket = {bucket}
                   AND staff = coalesce({row}.staff, -1) AND branch = {row}.branch AND perspective = {row}.perspective
                   AND n = 0;\n"
            ));
        }
    }
    sql
}

/// Adds (`sign` 1) or removes (-1) the links of one encounter (`row`: NEW
/// or OLD) in `partner_reach`: links per partner, staff member and branch,
/// which say whether an encounter of a branch or staff member named a
/// partner (the report's partner filter) without reading every link.
/// `links`: a SELECT of the links' partners.
fn reach(row: &str, sign: i64, links: &str) -> String {
    let key = format!("coalesce({row}.staff, -1), {row}.branch");
    let mut sql = format!(
        "INSERT INTO partner_reach(partner, staff, branch, n) SELECT partner, {key}, {sign} FROM ({links}) WHERE 1
           ON CONFLICT DO UPDATE SET n = n + excluded.n;\n"
    );
    if sign < 0 {
        sql.push_str(&format!(
            "DELETE FROM partner_reach WHERE partner IN ({links}) AND staff = coalesce({row}.staff, -1)
               AND branch = {row}.branch AND n = 0;\n"
        ));
    }
    sql
}

/// Recomputes `kinds` of the encounters a statement selects (`which`: a
/// WHERE condition on `encounters`), writing only those that change.
fn refresh_kinds(which: &str) -> String {
    let k = kinds_of("encounters.rowid");
    format!("UPDATE encounters SET kinds = {k} WHERE ({which}) AND kinds != {k};")
}

fn refresh_origin(which: &str) -> String {
    let o = origin_of("encounters.rowid");
    format!("UPDATE encounters SET origin = {o} WHERE ({which}) AND origin != {o};")
}

/// The refs number of a partner by its rowid (`x`).
fn partner_n(x: &str) -> String {
    format!("(SELECT r.n FROM docs d JOIN refs r ON r.id = d.id WHERE d.rowid = {x})")
}

/// The rowid of an encounter by its refs number (`x`).
fn encounter_rowid(x: &str) -> String {
    format!("(SELECT d.rowid FROM refs r JOIN docs d ON d.id = r.id WHERE r.n = {x})")
}

/// Migration 8: the columns and tables. They are filled, and the triggers
/// installed, by [`resume`] when the migrations are done (`schema::migrate`),
/// as after a bulk load, so one fill serves new, old and bulk-loaded stores.
pub(crate) fn migration() -> String {
    let cols: String = measures().iter().map(|(c, _)| format!("{c} INTEGER NOT NULL, ")).collect();
    let mut sql = String::from(
        "ALTER TABLE encounters ADD COLUMN kinds INTEGER NOT NULL DEFAULT 0;
         ALTER TABLE encounters ADD COLUMN origin INTEGER NOT NULL DEFAULT 0;
         CREATE TABLE rollup_kinds (k INTEGER PRIMARY KEY);\n",
    );
    sql.push_str(&format!(
        "INSERT INTO rollup_kinds(k) SELECT value FROM json_each('[{}]');\n",
        (0..=MAX_KIND).map(|k| k.to_string()).collect::<Vec<_>>().join(",")
    ));
    for (table, _) in tables() {
        sql.push_str(&format!(
            "CREATE TABLE {table} (kind INTEGER NOT NULL, bucket INTEGER NOT NULL, month INTEGER NOT NULL,
               staff INTEGER NOT NULL, branch TEXT NOT NULL, perspective INTEGER NOT NULL, {cols}
               PRIMARY KEY (kind, bucket, staff, branch, perspective)) WITHOUT ROWID;\n"
        ));
    }
    sql.push_str(
        "CREATE TABLE partner_reach (partner INTEGER NOT NULL, staff INTEGER NOT NULL, branch TEXT NOT NULL,
           n INTEGER NOT NULL, PRIMARY KEY (partner, staff, branch)) WITHOUT ROWID;\n",
    );
    sql
}

// Computes `kinds` and `origin` of every encounter, then the three rollup
// tables, from the index. Why in Rust, in one pass in rowid order: as
// `INSERT … SELECT … GROUP BY`s joined to the sixteen partner kinds, SQLite
// sorted two and a half rows per encounter per table and looked each link's
// encounter up at random: 20 s of a first sync at a million encounters.
// Here the encounters and their links (in the links' key order) are read
// once, in step, and counted in hash maps (`plan`, which only reads, so
// a first sync runs it on a reader connection while the writer builds the
// query indexes), then written (`write`); `resume_planned` does both.

/// The links, in encounter order, read in step with the encounters.
struct Links<'s> {
    rows: rusqlite::Rows<'s>,
    next: Option<(i64, i64)>,
}

impl<'s> Links<'s> {
    fn new(stmt: &'s mut rusqlite::Statement<'_>) -> Result<Self> {
        let mut links = Links { rows: stmt.query([])?, next: None };
        links.advance()?;
        Ok(links)
    }

    fn advance(&mut self) -> Result<()> {
        self.next = match self.rows.next()? {
            Some(r) => Some((r.get(0)?, r.get(1)?)),
            None => None,
        };
        Ok(())
    }

    /// Calls `f` with the partner of each link of `encounter`; links of
    /// encounters before it (not indexed) are passed over.
    fn of(&mut self, encounter: i64, mut f: impl FnMut(i64)) -> Result<()> {
        while let Some((e, partner)) = self.next.filter(|&(e, _)| e <= encounter) {
            if e == encounter {
                f(partner);
            }
            self.advance()?;
        }
        Ok(())
    }
}

const LINKS_IN_ORDER: &str = "SELECT encounter, partner FROM encounter_partners ORDER BY encounter";

/// One group of encounters alike in everything the rollups count by: day,
/// staff, branch (interned), perspective, partner kinds, and which measures
/// they count in (bit `i`: measure `i`).
type Group = (i64, i64, u32, i64, i64, u32);

/// The rollup rows of one day or month: kind, staff, branch, perspective →
/// the measures' sums.
type Buckets = std::collections::BTreeMap<(i64, i64, u32, i64), Vec<i64>>;

/// What [`write`] writes, read from the index without writing.
pub(crate) struct Plan {
    /// Encounters whose `kinds` or `origin` the index writer left wrong
    /// (a partner, a link or an activity arrived after the encounter, or a
    /// bulk load left them 0): rowid, kinds, origin.
    changed: Vec<(i64, i64, i64)>,
    branches: Vec<String>,
    /// Each group with its month and how many encounters it holds.
    groups: foldhash::HashMap<Group, (i64, i64)>,
    /// Links per partner, staff member and branch.
    reach: foldhash::HashMap<(i64, i64, u32), i64>,
}

/// Reads the index once and counts what the rollups hold, with each
/// encounter's `kinds` and `origin` as they should be.
pub(crate) fn plan(conn: &Connection) -> Result<Plan> {
    let m = measures();
    let origin_bit = m.iter().position(|(c, _)| *c == "origin").expect("the origin measure") as u32;
    let [(_, month), (_, day)] = tables();
    let (day, month) = (day.replace('$', "e"), month.replace('$', "e"));
    // Every measure is 0 or 1 for an encounter (they count encounters). The
    // origin measure is set from the corrected origin below, not read.
    let mask: Vec<String> = m
        .iter()
        .enumerate()
        .filter(|&(i, _)| i as u32 != origin_bit)
        .map(|(i, (_, e))| format!("(({}) << {i})", e.replace('$', "e")))
        .collect();
    // A few thousand partners, and the encounters some activity came from.
    let kind_of: foldhash::HashMap<i64, i64> = conn
        .prepare("SELECT r.n, p.kind FROM refs r JOIN docs d ON d.id = r.id JOIN partners p ON p.rowid = d.rowid")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let origins: foldhash::HashSet<i64> = conn
        .prepare(&format!(
            "SELECT d.rowid FROM activity_links l JOIN refs r ON r.n = l.target JOIN docs d ON d.id = r.id
             WHERE l.kind = {}",
            LinkKind::OriginEncounter as i64
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut plan = Plan { changed: vec![], branches: vec![], groups: Default::default(), reach: Default::default() };
    let mut branch_n: foldhash::HashMap<String, u32> = Default::default();
    let mut link_stmt = conn.prepare(LINKS_IN_ORDER)?;
    let mut links = Links::new(&mut link_stmt)?;
    let mut read = conn.prepare(&format!(
        "SELECT e.rowid, e.kinds, e.origin, {day}, {month}, coalesce(e.staff, -1), e.branch, e.perspective, {mask}
         FROM encounters e ORDER BY e.rowid",
        mask = mask.join(" | ")
    ))?;
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let (rowid, kinds, origin): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let branch = r.get_ref(6)?.as_str().map_err(rusqlite::Error::from)?;
        let b = match branch_n.get(branch) {
            Some(&b) => b,
            None => {
                plan.branches.push(branch.to_string());
                branch_n.insert(branch.to_string(), plan.branches.len() as u32 - 1);
                plan.branches.len() as u32 - 1
            }
        };
        let staff: i64 = r.get(5)?;
        let mut now = 0;
        links.of(rowid, |p| {
            now |= kind_of.get(&p).map_or(0, |k| 1 << k);
            *plan.reach.entry((p, staff, b)).or_default() += 1;
        })?;
        let from = i64::from(origins.contains(&rowid));
        if (now, from) != (kinds, origin) {
            plan.changed.push((rowid, now, from));
        }
        let mask = r.get::<_, i64>(8)? as u32 | (from as u32) << origin_bit;
        let group = (r.get(3)?, staff, b, r.get(7)?, now, mask);
        plan.groups.entry(group).or_insert((r.get(4)?, 0)).1 += 1;
    }
    Ok(plan)
}

/// Writes what [`plan`] counted: the corrected `kinds` and `origin`, and
/// the three rollup tables (which must be empty).
pub(crate) fn write(conn: &Connection, plan: Plan) -> Result<()> {
    let Plan { changed, branches, groups, reach } = plan;
    let mut put = conn.prepare("UPDATE encounters SET kinds = ?2, origin = ?3 WHERE rowid = ?1")?;
    for (rowid, kinds, origin) in changed {
        put.execute([rowid, kinds, origin])?;
    }
    let mut put_reach = conn.prepare("INSERT INTO partner_reach(partner, staff, branch, n) VALUES (?1, ?2, ?3, ?4)")?;
    for ((partner, staff, b), n) in reach {
        put_reach.execute(rusqlite::params![partner, staff, branches[b as usize], n])?;
    }
    let m = measures();
    let names: Vec<&str> = m.iter().map(|(c, _)| *c).collect();
    let insert = |table: &str| {
        let marks: Vec<String> = (1..=6 + names.len()).map(|i| format!("?{i}")).collect();
        conn.prepare(&format!(
            "INSERT INTO {table}(kind, bucket, month, staff, branch, perspective, {}) VALUES ({})",
            names.join(", "),
            marks.join(", ")
        ))
    };
    let (mut days_out, mut months_out) = (insert("rollup_days")?, insert("rollup_months")?);
    let flush = |stmt: &mut rusqlite::Statement<'_>, bucket: i64, month: i64, rows: &mut Buckets| -> Result<()> {
        for ((k, staff, b, perspective), counts) in std::mem::take(rows) {
            let head = [k, bucket, month, staff].map(rusqlite::types::Value::from);
            let values = head.into_iter().chain([branches[b as usize].clone().into(), perspective.into()]);
            stmt.execute(rusqlite::params_from_iter(values.chain(counts.into_iter().map(Into::into))))?;
        }
        Ok(())
    };
    // By day, so each day's rows and each month's are complete when the next begins.
    let mut groups: Vec<(Group, (i64, i64))> = groups.into_iter().collect();
    groups.sort_unstable_by_key(|g| g.0);
    let (mut days, mut months) = (Buckets::new(), Buckets::new());
    let (mut at_day, mut at_month) = (None::<(i64, i64)>, None::<i64>);
    let end = [(None, None)];
    for (g, at) in groups.iter().map(|(g, (mo, n))| (Some((*g, *n)), Some((g.0, *mo)))).chain(end) {
        if let Some((d, mo)) = at_day.filter(|&now| Some(now) != at) {
            flush(&mut days_out, d, mo, &mut days)?;
        }
        if let Some(mo) = at_month.filter(|&now| Some(now) != at.map(|a| a.1)) {
            flush(&mut months_out, mo, mo, &mut months)?;
        }
        let (Some(((_, staff, b, perspective, kinds, mask), n)), Some((d, mo))) = (g, at) else { break };
        (at_day, at_month) = (Some((d, mo)), Some(mo));
        for k in (0..=MAX_KIND).filter(|&k| k == 0 || (kinds >> k) & 1 == 1) {
            for rollup in [&mut days, &mut months] {
                let sums = rollup.entry((k, staff, b, perspective)).or_insert_with(|| vec![0; names.len()]);
                for (i, s) in sums.iter_mut().enumerate() {
                    *s += n * i64::from((mask >> i) & 1);
                }
            }
        }
    }
    Ok(())
}

/// Stops keeping the rollups row by row, for a bulk load into a (nearly)
/// empty store: the triggers' work per encounter doubled the time of a
/// first sync or a demo fill. [`resume`] computes them whole at the end;
/// `Store::open` does it if the load was cut off.
pub(crate) fn suspend(conn: &Connection) -> Result<()> {
    conn.execute_batch(&drop_triggers())?;
    Ok(())
}

/// SQL that drops the rollups' triggers (for [`suspend`], and for a
/// migration that rebuilds a table they name).
pub(crate) fn drop_triggers() -> String {
    triggers().iter().map(|(name, _)| format!("DROP TRIGGER IF EXISTS {name};\n")).collect()
}

/// Whether [`suspend`] stopped the rollups (a bulk load is under way).
pub(crate) fn suspended(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'rollup_encounter_insert')",
        [],
        |r| r.get(0),
    )?)
}

/// Recomputes the rollups from the index and keeps them row by row again,
/// if [`suspend`] stopped them; otherwise does nothing.
pub(crate) fn resume(conn: &Connection) -> Result<()> {
    resume_planned(conn, None)
}

/// [`resume`], with the counts already taken of the same index by `planned`
/// (a [`plan`] on a reader connection), or taken here when none.
pub(crate) fn resume_planned(conn: &Connection, planned: Option<Plan>) -> Result<()> {
    let all = triggers();
    let present: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (SELECT value FROM json_each(?1))",
        [serde_json::to_string(&all.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>()).expect("names")],
        |r| r.get(0),
    )?;
    if present == all.len() as i64 {
        return Ok(());
    }
    // At open (a bulk load cut off, a store just migrated) this runs outside
    // a transaction: one, so the rows are not committed one by one.
    let tx = conn.is_autocommit().then(|| conn.unchecked_transaction()).transpose()?;
    conn.execute_batch("DELETE FROM rollup_months; DELETE FROM rollup_days; DELETE FROM partner_reach;")?;
    let plan = match planned {
        Some(plan) => plan,
        None => plan(conn)?,
    };
    write(conn, plan)?;
    for (name, trigger) in all {
        conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {name}; {trigger}"))?;
    }
    if let Some(tx) = tx {
        tx.commit()?;
    }
    Ok(())
}

/// The triggers that keep `kinds`, `origin` and the rollups exact.
fn triggers() -> Vec<(String, String)> {
    let origin_link = LinkKind::OriginEncounter as i64;
    let partner_links =
        |x: &str| format!("rowid IN (SELECT encounter FROM encounter_partners WHERE partner = {})", partner_n(x));
    [
        // Counted as written, then corrected should a writer not have set
        // kinds and origin (the index writes them, so this changes nothing).
        format!(
            "CREATE TRIGGER rollup_encounter_insert AFTER INSERT ON encounters BEGIN {} {} {} {} END;",
            delta("NEW", 1),
            reach("NEW", 1, "SELECT partner FROM encounter_partners WHERE encounter = NEW.rowid"),
            refresh_kinds("rowid = NEW.rowid"),
            refresh_origin("rowid = NEW.rowid")
        ),
        format!(
            "CREATE TRIGGER rollup_encounter_delete AFTER DELETE ON encounters BEGIN {} {} END;",
            delta("OLD", -1),
            reach("OLD", -1, "SELECT partner FROM encounter_partners WHERE encounter = OLD.rowid")
        ),
        format!(
            "CREATE TRIGGER rollup_encounter_reach AFTER UPDATE OF staff, branch ON encounters
             WHEN OLD.staff IS NOT NEW.staff OR OLD.branch IS NOT NEW.branch BEGIN {} {} END;",
            reach("OLD", -1, "SELECT partner FROM encounter_partners WHERE encounter = OLD.rowid"),
            reach("NEW", 1, "SELECT partner FROM encounter_partners WHERE encounter = NEW.rowid")
        ),
        format!(
            "CREATE TRIGGER rollup_encounter_update AFTER UPDATE ON encounters BEGIN {} {} END;",
            delta("OLD", -1),
            delta("NEW", 1)
        ),
        // A link counts in partner_reach while both it and its encounter
        // are indexed, whichever is written or removed first.
        format!(
            "CREATE TRIGGER rollup_link_insert AFTER INSERT ON encounter_partners BEGIN {} {} END;",
            refresh_kinds("rowid = NEW.encounter"),
            "INSERT INTO partner_reach(partner, staff, branch, n)
             SELECT NEW.partner, coalesce(e.staff, -1), e.branch, 1 FROM encounters e WHERE e.rowid = NEW.encounter
             ON CONFLICT DO UPDATE SET n = n + 1;"
        ),
        format!(
            "CREATE TRIGGER rollup_link_delete AFTER DELETE ON encounter_partners BEGIN {} {} END;",
            refresh_kinds("rowid = OLD.encounter"),
            "UPDATE partner_reach SET n = n - 1 WHERE partner = OLD.partner
               AND (staff, branch) IN (SELECT coalesce(e.staff, -1), e.branch FROM encounters e WHERE e.rowid = OLD.encounter);
             DELETE FROM partner_reach WHERE partner = OLD.partner AND n = 0;"
        ),
        format!(
            "CREATE TRIGGER rollup_partner_insert AFTER INSERT ON partners BEGIN {} END;",
            refresh_kinds(&partner_links("NEW.rowid"))
        ),
        format!(
            "CREATE TRIGGER rollup_partner_delete AFTER DELETE ON partners BEGIN {} END;",
            refresh_kinds(&partner_links("OLD.rowid"))
        ),
        format!(
            "CREATE TRIGGER rollup_partner_kind AFTER UPDATE OF kind ON partners WHEN OLD.kind IS NOT NEW.kind BEGIN {} {} END;",
            refresh_kinds(&partner_links("OLD.rowid")),
            refresh_kinds(&partner_links("NEW.rowid"))
        ),
        format!(
            "CREATE TRIGGER rollup_origin_insert AFTER INSERT ON activity_links WHEN NEW.kind = {origin_link} BEGIN {} END;",
            refresh_origin(&format!("rowid = {}", encounter_rowid("NEW.target")))
        ),
        format!(
            "CREATE TRIGGER rollup_origin_delete AFTER DELETE ON activity_links WHEN OLD.kind = {origin_link} BEGIN {} END;",
            refresh_origin(&format!("rowid = {}", encounter_rowid("OLD.target")))
        ),
    ]
    .into_iter()
    .map(|sql| {
        let name = sql["CREATE TRIGGER ".len()..].split_whitespace().next().expect("a trigger's name");
        (name.to_string(), sql)
    })
    .collect()
}

/// A report period split into what the rollups answer whole and what is
/// left over: full calendar months, whole UTC days at either end, and
/// milliseconds at either end (only for periods that do not start and end
/// on a day boundary; the report's never do).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Split {
    /// Full months, YYYYMM, inclusive (empty when `months.0 > months.1`).
    pub months: (i64, i64),
    /// Day buckets before and after the full months, each `[from, to)`.
    pub days: [(i64, i64); 2],
    /// Milliseconds before and after the whole days, each `[from, to)`.
    pub ms: [(i64, i64); 2],
}

const NONE: (i64, i64) = (0, 0);

fn floor_div(a: i64, b: i64) -> i64 {
    a.div_euclid(b)
}

fn ceil_div(a: i64, b: i64) -> i64 {
    -(-a).div_euclid(b)
}

/// The day bucket a YYYYMM month starts on, and the next month.
fn month_start(m: i64) -> (i64, i64) {
    let (y, mo) = ((m / 100) as i32, (m % 100) as u32);
    let day = chrono::NaiveDate::from_ymd_opt(y, mo, 1)
        .map(|d| floor_div(d.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp_millis(), DAY_MS))
        .unwrap_or(0);
    let next = if mo >= 12 { (y as i64 + 1) * 100 + 1 } else { m + 1 };
    (day, next)
}

/// The YYYYMM month a day bucket falls in.
fn month_of_day(day: i64) -> i64 {
    super::codes::month_of(day.saturating_mul(DAY_MS))
}

impl Split {
    pub(crate) fn of(from_ms: i64, to_ms: i64) -> Split {
        let mut s = Split { months: (1, 0), days: [NONE; 2], ms: [NONE; 2] };
        if from_ms >= to_ms {
            return s;
        }
        // Whole days; None: unbounded on that side.
        let lo = (from_ms != i64::MIN).then(|| ceil_div(from_ms, DAY_MS));
        let hi = (to_ms != i64::MAX).then(|| floor_div(to_ms, DAY_MS));
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if lo >= hi {
                s.ms[0] = (from_ms, to_ms);
                return s;
            }
        }
        if let Some(lo) = lo {
            s.ms[0] = (from_ms, lo * DAY_MS);
        }
        if let Some(hi) = hi {
            s.ms[1] = (hi * DAY_MS, to_ms);
        }
        // Full months: from the first month starting on or after `lo` to the
        // last one ending on or before `hi`.
        let (m_lo, m_lo_day) = match lo {
            None => (0, None),
            Some(lo) => {
                let m = month_of_day(lo);
                let (start, next) = month_start(m);
                if start == lo {
                    (m, Some(lo))
                } else {
                    (next, Some(month_start(next).0))
                }
            }
        };
        let (m_hi, m_hi_day) = match hi {
            None => (999_999, None),
            Some(hi) => {
                let m = month_of_day(hi);
                let start = month_start(m).0;
                // The month before m is the last full one.
                let prev = if m % 100 == 1 { (m / 100 - 1) * 100 + 12 } else { m - 1 };
                (prev, Some(start))
            }
        };
        match (m_lo_day, m_hi_day) {
            (Some(a), Some(b)) if a >= b => {
                s.days[0] = (lo.unwrap_or(a), hi.unwrap_or(b));
            }
            _ => {
                s.months = (m_lo, m_hi);
                if let (Some(lo), Some(a)) = (lo, m_lo_day) {
                    s.days[0] = (lo, a);
                }
                if let (Some(hi), Some(b)) = (hi, m_hi_day) {
                    s.days[1] = (b, hi);
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PartnerKind;

    fn day(s: &str) -> i64 {
        let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis()
    }

    #[test]
    fn every_partner_kind_fits_the_bit_set() {
        for k in PartnerKind::ALL {
            assert!((1..=MAX_KIND).contains(&k.code()), "{k:?}");
        }
    }

    #[test]
    fn a_period_splits_into_months_days_and_milliseconds() {
        let s = Split::of(day("2025-11-15"), day("2026-02-11"));
        assert_eq!(s.months, (202512, 202601));
        assert_eq!(
            s.days,
            [
                (day("2025-11-15") / DAY_MS, day("2025-12-01") / DAY_MS),
                (day("2026-02-01") / DAY_MS, day("2026-02-11") / DAY_MS)
            ]
        );
        assert_eq!(s.ms, [(day("2025-11-15"), day("2025-11-15")), (day("2026-02-11"), day("2026-02-11"))]);
        // Aligned months need no days.
        let s = Split::of(day("2025-01-01"), day("2026-01-01"));
        assert_eq!(s.months, (202501, 202512));
        assert_eq!(s.days[0].0, s.days[0].1);
        assert_eq!(s.days[1].0, s.days[1].1);
        // Within one month: days only.
        let s = Split::of(day("2025-03-03"), day("2025-03-09") + 5);
        assert!(s.months.0 > s.months.1);
        assert_eq!(s.days[0], (day("2025-03-03") / DAY_MS, day("2025-03-09") / DAY_MS));
        assert_eq!(s.ms[1], (day("2025-03-09"), day("2025-03-09") + 5));
        // Less than a day: milliseconds only.
        let s = Split::of(day("2025-03-03") + 1, day("2025-03-03") + 9);
        assert_eq!(s.ms[0], (day("2025-03-03") + 1, day("2025-03-03") + 9));
        assert!(s.months.0 > s.months.1);
        // Unbounded.
        let s = Split::of(i64::MIN, i64::MAX);
        assert_eq!(s.months, (0, 999_999));
        let s = Split::of(i64::MIN, day("2025-03-09"));
        assert_eq!((s.months, s.days[1]), ((0, 202502), (day("2025-03-01") / DAY_MS, day("2025-03-09") / DAY_MS)));
    }
}
