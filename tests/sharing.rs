//! What has not been shared: the count of records no peer has acknowledged
//! (records, not Automerge changes) and the timeline's local-only marker.

use samskap::model::*;
use samskap::store::{Durability, EncounterQuery, Store};
use samskap::sync;

fn tablet(dir: &std::path::Path, staff: &str) -> Store {
    let s = samskap::testing::store_in(dir, staff, "Alta");
    s.set_durability(Durability::Normal).unwrap();
    s
}

fn encounter(place: &str) -> Encounter {
    let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Citizen);
    e.place = place.into();
    e
}

fn local_only(s: &Store) -> Vec<(String, bool)> {
    let mut rows: Vec<(String, bool)> =
        s.list_encounters(&EncounterQuery::default()).unwrap().into_iter().map(|r| (r.place, r.local_only)).collect();
    rows.sort();
    rows
}

#[test]
fn unshared_records_count_records_not_changes_and_reach_zero_after_a_sync() {
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut a = tablet(da.path(), "Máret");
    let mut b = tablet(db.path(), "Ánde");
    b.set_workspace(a.workspace_id().unwrap(), "Finnmark").unwrap();
    assert_eq!(a.unshared_records().unwrap(), 1, "the new profile is not shared yet");
    let e = a.create(&encounter("Alta torg")).unwrap();
    for word in ["en", "to", "tre", "fire"] {
        a.update::<Encounter>(e, |x| x.note.push_str(word)).unwrap();
    }
    assert_eq!(a.unshared_records().unwrap(), 2, "five changes to one encounter count once");
    assert_eq!(local_only(&a), [("Alta torg".to_string(), true)]);

    sync::sync_local(&mut a, &mut b).unwrap();
    assert_eq!(a.unshared_records().unwrap(), 0);
    assert_eq!(local_only(&a), [("Alta torg".to_string(), false)]);
    assert_eq!(local_only(&b), [("Alta torg".to_string(), false)], "what came from a peer is shared");
    assert!(a.sharing().unwrap().last_sync.is_some());

    // An edit of a shared record is unshared, but the record is not local-only.
    a.update::<Encounter>(e, |x| x.note = "endret".into()).unwrap();
    a.create(&encounter("Kautokeino")).unwrap();
    assert_eq!(a.unshared_records().unwrap(), 2);
    assert_eq!(local_only(&a), [("Alta torg".to_string(), false), ("Kautokeino".to_string(), true)]);
    sync::sync_local(&mut a, &mut b).unwrap();
    assert_eq!(a.unshared_records().unwrap(), 0);
    assert_eq!(local_only(&a), [("Alta torg".to_string(), false), ("Kautokeino".to_string(), false)]);
}

#[test]
fn a_sync_attempt_notes_whether_the_other_side_answered() {
    let d = tempfile::tempdir().unwrap();
    let s = tablet(d.path(), "Máret");
    assert_eq!(s.sharing().unwrap().last_attempt, None);
    let t = chrono::Utc::now();
    s.note_sync_attempt(t, false).unwrap();
    let st = s.sharing().unwrap();
    assert_eq!((st.last_attempt.map(|x| x.timestamp_millis()), st.online), (Some(t.timestamp_millis()), false));
    s.note_sync_attempt(t, true).unwrap();
    assert!(s.sharing().unwrap().online);
}

#[test]
fn a_store_that_never_shared_counts_up_to_ten_thousand_and_says_there_are_more() {
    use samskap::store::UNSHARED_COUNTED_UPTO;
    let d = tempfile::tempdir().unwrap();
    let mut s = tablet(d.path(), "Máret");
    let n = UNSHARED_COUNTED_UPTO as usize;
    let filled = samskap::demo::fill(&mut s, &samskap::demo::DemoOptions { encounters: n / 2, seed: 5 }).unwrap();
    let records = 1 + filled.encounters + filled.partners + filled.activities + filled.staff;
    let below = s.sharing().unwrap();
    assert_eq!((below.unshared_records, below.unshared_more), (records as u64, false), "exact below the cap");
    samskap::demo::fill(&mut s, &samskap::demo::DemoOptions { encounters: n / 2, seed: 6 }).unwrap();
    let over = s.sharing().unwrap();
    assert_eq!((over.unshared_records, over.unshared_more), (UNSHARED_COUNTED_UPTO, true));
}
