//! "My follow-ups": listed from the index by due date, marked done as an
//! edit that syncs and converges, and rebuilt for stores made before
//! follow-ups were indexed.

use chrono::NaiveDate;
use samskap::model::*;
use samskap::store::{Durability, FollowUpQuery, Store};
use samskap::sync;

fn tablet(dir: &std::path::Path, staff: &str) -> Store {
    let s = samskap::testing::store_in(dir, staff, "Vadsø");
    s.set_durability(Durability::Normal).unwrap();
    s
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An encounter with follow-ups `(text, due, owner)`; returns its id and the items' ids.
fn log_with(
    s: &mut Store,
    place: &str,
    items: &[(&str, Option<NaiveDate>, Option<RecordId>)],
) -> (RecordId, Vec<String>) {
    let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Association);
    e.place = place.into();
    for (text, due, owner) in items {
        e.follow_ups.push(FollowUp { id: item_id(), text: (*text).into(), due: *due, owner: *owner, done: false });
    }
    let ids = e.follow_ups.iter().map(|f| f.id.clone()).collect();
    (s.create(&e).unwrap(), ids)
}

fn query(owner: Option<RecordId>, today: NaiveDate) -> FollowUpQuery {
    FollowUpQuery { owner, include_done: false, today, limit: 100 }
}

#[test]
fn open_follow_ups_come_by_due_date_with_overdue_ones_marked() {
    let d = tempfile::tempdir().unwrap();
    let mut s = tablet(d.path(), "Máret");
    let me = s.me();
    let colleague = s
        .create(&StaffMember { id: RecordId::new(), name: "Ánde".into(), branch: "Alta".into(), deleted: false })
        .unwrap();
    log_with(
        &mut s,
        "Kárášjohka torg",
        &[("Ring leder om nøkler", Some(day(2026, 11, 20)), me), ("Bestill bøker", None, me)],
    );
    log_with(&mut s, "Vadsø skole", &[("Send plakat", Some(day(2026, 12, 3)), me)]);
    log_with(&mut s, "Alta", &[("Ándes oppgave", Some(day(2026, 11, 1)), Some(colleague))]);

    let today = day(2026, 12, 1);
    let mine = s.list_follow_ups(&query(me, today)).unwrap();
    let texts: Vec<&str> = mine.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["Ring leder om nøkler", "Send plakat", "Bestill bøker"], "by due date, undated last");
    assert_eq!(mine.iter().map(|r| r.overdue).collect::<Vec<_>>(), [true, false, false]);
    assert_eq!(mine[0].place, "Kárášjohka torg");
    assert_eq!(mine[0].owner_name.as_deref(), Some("Máret"));

    let all = s.list_follow_ups(&query(None, today)).unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[0].text, "Ándes oppgave", "the colleague's overdue one comes first in everyone's list");
    assert_eq!(s.overdue_follow_ups(me, today).unwrap(), 1);
    assert_eq!(s.overdue_follow_ups(None, today).unwrap(), 2);
    assert_eq!(s.overdue_follow_ups(me, day(2026, 11, 20)).unwrap(), 0, "due today is not overdue");
}

#[test]
fn marking_done_removes_it_from_the_open_list_and_a_deleted_encounter_takes_its_follow_ups() {
    let d = tempfile::tempdir().unwrap();
    let mut s = tablet(d.path(), "Máret");
    let me = s.me();
    let (e, items) =
        log_with(&mut s, "Deatnu", &[("Sjekk nøkler", Some(day(2026, 11, 2)), me), ("Ring skolen", None, me)]);
    let today = day(2026, 12, 1);

    let after = s.set_follow_up_done(e, &items[0], true).unwrap().record;
    assert!(after.follow_ups.iter().find(|f| f.id == items[0]).unwrap().done);
    let open = s.list_follow_ups(&query(me, today)).unwrap();
    assert_eq!(open.iter().map(|r| r.text.as_str()).collect::<Vec<_>>(), ["Ring skolen"]);
    assert_eq!(s.overdue_follow_ups(me, today).unwrap(), 0);
    let with_done = s.list_follow_ups(&FollowUpQuery { include_done: true, ..query(me, today) }).unwrap();
    assert_eq!(with_done.len(), 2);
    assert!(with_done[1].done && !with_done[1].overdue, "done ones last, never overdue");

    // An unknown item is refused and changes nothing.
    let err = s.set_follow_up_done(e, "no-such-item", true).unwrap_err();
    assert_eq!(err.code(), "no_follow_up");
    assert_eq!(s.get::<Encounter>(e).unwrap().record, after);

    s.delete(e).unwrap();
    assert!(s.list_follow_ups(&query(None, today)).unwrap().is_empty());
    s.restore(e).unwrap();
    assert_eq!(s.list_follow_ups(&query(None, today)).unwrap().len(), 1);
}

#[test]
fn done_on_one_tablet_and_an_edit_on_another_converge() {
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut a = tablet(da.path(), "Máret");
    let mut b = tablet(db.path(), "Ánde");
    b.set_workspace(a.workspace_id().unwrap(), "Finnmark").unwrap();
    let me = a.me();
    let (e, items) = log_with(&mut a, "Hammerfest", &[("Følg opp strikkekafé", Some(day(2026, 11, 5)), me)]);
    sync::sync_local(&mut b, &mut a).unwrap();
    let today = day(2026, 12, 1);
    assert_eq!(b.overdue_follow_ups(None, today).unwrap(), 1);

    // Concurrently: A marks it done, B edits the encounter's note.
    a.set_follow_up_done(e, &items[0], true).unwrap();
    b.update::<Encounter>(e, |x| x.note = "Avtalt ny dato".into()).unwrap();
    sync::sync_local(&mut b, &mut a).unwrap();
    sync::sync_local(&mut b, &mut a).unwrap();

    for s in [&a, &b] {
        let rec = s.get::<Encounter>(e).unwrap();
        assert!(rec.conflicts.is_empty(), "different fields do not conflict");
        assert!(rec.record.follow_ups[0].done);
        assert_eq!(rec.record.note, "Avtalt ny dato");
        assert_eq!(s.overdue_follow_ups(None, today).unwrap(), 0);
        assert!(s.list_follow_ups(&query(None, today)).unwrap().is_empty());
    }
}

#[test]
fn a_store_made_before_follow_ups_were_indexed_lists_them_after_opening() {
    let d = tempfile::tempdir().unwrap();
    let me;
    {
        let mut s = tablet(d.path(), "Máret");
        me = s.me();
        log_with(&mut s, "Vardø", &[("Hent nøkkel", Some(day(2026, 10, 1)), me)]);
        // What layout 5 had: no follow-up rows.
        let db = rusqlite::Connection::open(d.path().join(samskap::store::DB_FILE)).unwrap();
        db.execute_batch(samskap::testing::BEFORE_ROLLUPS).unwrap();
        db.execute_batch(
            "DROP TABLE follow_ups; DROP INDEX chunks_local;
             DROP TABLE partner_merges; DROP TABLE partner_canon; ALTER TABLE partners DROP COLUMN merged;
             PRAGMA user_version = 5;",
        )
        .unwrap();
    }
    let s = Store::open(d.path()).unwrap();
    let rows = s.list_follow_ups(&query(me, day(2026, 12, 1))).unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].overdue);
    assert_eq!(s.counts().unwrap().encounters, 1, "encounters are indexed again");
}
