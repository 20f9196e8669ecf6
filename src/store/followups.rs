//! "My follow-ups": open follow-ups by due date, from their index rows
//! (never by loading documents), and marking one done as an edit of its
//! encounter, which syncs like any other.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value as Sql;
use serde::Serialize;

use super::query::id_of;
use super::{Result, Store, StoreError};
use crate::doc::{from_ms, Loaded};
use crate::model::{Encounter, RecordId};

/// Which follow-ups to list. `today` decides what is overdue (passed in,
/// so tests and the app agree on the day).
#[derive(Clone, Debug)]
pub struct FollowUpQuery {
    /// Only this staff member's: those they own, and unowned ones on
    /// encounters they logged. `None`: everyone's.
    pub owner: Option<RecordId>,
    pub include_done: bool,
    pub today: NaiveDate,
    pub limit: usize,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FollowUpRow {
    pub encounter: RecordId,
    /// The follow-up's item id within its encounter.
    pub item: String,
    pub text: String,
    pub due: Option<NaiveDate>,
    /// Open and due before today.
    pub overdue: bool,
    pub done: bool,
    pub owner: Option<RecordId>,
    pub owner_name: Option<String>,
    /// When the encounter happened, and where.
    pub when: DateTime<Utc>,
    pub place: String,
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The `WHERE` clause both queries share, and its arguments.
fn filter(q: &FollowUpQuery) -> (String, Vec<Sql>) {
    let mut sql = String::from(" WHERE 1");
    let mut args = vec![];
    if !q.include_done {
        sql.push_str(" AND f.done = 0");
    }
    if let Some(me) = q.owner {
        args.push(Sql::Blob(me.as_bytes().to_vec()));
        sql.push_str(&format!(
            " AND (f.owner = (SELECT n FROM refs WHERE id = ?{n})
                   OR (f.owner IS NULL AND e.staff = (SELECT n FROM refs WHERE id = ?{n})))",
            n = args.len()
        ));
    }
    (sql, args)
}

impl Store {
    /// Follow-ups by due date (undated last), then by when their encounter happened.
    pub fn list_follow_ups(&self, q: &FollowUpQuery) -> Result<Vec<FollowUpRow>> {
        let (clause, mut args) = filter(q);
        args.push(Sql::Text(day(q.today)));
        let today = args.len();
        let sql = format!(
            "SELECT d.id, f.item, f.text, f.due, f.done, r.id, s.name, e.when_ms, e.place,
                    f.done = 0 AND f.due < ?{today}
             FROM follow_ups f JOIN encounters e ON e.rowid = f.encounter JOIN docs d ON d.rowid = f.encounter
             LEFT JOIN refs r ON r.n = f.owner LEFT JOIN docs sd ON sd.id = r.id LEFT JOIN staff s ON s.rowid = sd.rowid
             {clause}
             ORDER BY f.done, f.due IS NULL, f.due, e.when_ms LIMIT {}",
            q.limit
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            let due: Option<String> = r.get(3)?;
            Ok(FollowUpRow {
                encounter: id_of(r, 0)?,
                item: r.get(1)?,
                text: r.get(2)?,
                due: due.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                done: r.get(4)?,
                owner: r.get::<_, Option<Vec<u8>>>(5)?.and_then(|b| RecordId::from_slice(&b)),
                owner_name: r.get(6)?,
                when: from_ms(r.get(7)?),
                place: r.get(8)?,
                overdue: r.get::<_, Option<bool>>(9)?.unwrap_or(false),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many open follow-ups are overdue (the home screen's banner).
    pub fn overdue_follow_ups(&self, owner: Option<RecordId>, today: NaiveDate) -> Result<u64> {
        let q = FollowUpQuery { owner, include_done: false, today, limit: 0 };
        let (clause, mut args) = filter(&q);
        args.push(Sql::Text(day(today)));
        let sql = format!(
            "SELECT count(*) FROM follow_ups f JOIN encounters e ON e.rowid = f.encounter {clause} AND f.due < ?{}",
            args.len()
        );
        Ok(self.conn().query_row(&sql, rusqlite::params_from_iter(args), |r| r.get::<_, i64>(0))? as u64)
    }

    /// Marks one follow-up done (or open again): an edit of its encounter
    /// that writes only that item's `done`, so it syncs and merges like any
    /// other edit. A follow-up that is not there (removed elsewhere, or a
    /// stale screen) is an error and changes nothing.
    pub fn set_follow_up_done(&mut self, encounter: RecordId, item: &str, done: bool) -> Result<Loaded<Encounter>> {
        let current = self.get::<Encounter>(encounter)?.record;
        if !current.follow_ups.iter().any(|f| f.id == item) {
            return Err(StoreError::NoFollowUp { encounter, item: item.to_string() });
        }
        self.update::<Encounter>(encounter, |e| {
            crate::forms::set_follow_up_done(e, item, done);
        })
    }
}
