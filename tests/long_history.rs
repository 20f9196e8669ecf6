//! A partner note edited for years on three tablets. Each tablet compacts
//! the note's change log by itself (every `COMPACT_AFTER` chunks, whether
//! the changes were its own or arrived by sync), and a fourth tablet that
//! was away the whole time — holding only the old changes and some of its
//! own — comes back, syncs and ends with the same note as everyone.

use samskap::model::*;
use samskap::store::{Durability, Store, COMPACT_AFTER};
use samskap::sync;

fn tablet(dir: &std::path::Path, staff: &str) -> Store {
    let s = samskap::testing::store_in(dir, staff, "Vadsø");
    s.set_durability(Durability::Normal).unwrap();
    s
}

fn chunks_of(s: &Store, id: RecordId) -> i64 {
    s.record_storage(id).unwrap().chunks as i64
}

fn note(s: &Store, id: RecordId) -> String {
    s.get::<Partner>(id).unwrap().record.note
}

#[test]
fn a_note_edited_for_years_compacts_by_itself_and_a_tablet_away_through_it_converges() {
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut t: Vec<Store> =
        ["Hub", "Siv", "Mikkel", "Aslak"].iter().zip(&dirs).map(|(staff, d)| tablet(d.path(), staff)).collect();
    let workspace = t[0].workspace_id().unwrap();
    for s in &mut t[1..] {
        s.set_workspace(workspace, "Finnmark").unwrap();
    }
    let (hub, tablets) = t.split_first_mut().unwrap();

    let id = tablets[0].create(&Partner::new("Vadsø husflidslag", PartnerKind::Association, Level::Network)).unwrap();
    for s in tablets.iter_mut() {
        sync::sync_local(s, hub).unwrap();
    }
    // Aslak writes a few lines of his own, then leaves for the season.
    for i in 0..3 {
        tablets[2].update::<Partner>(id, |p| p.note.push_str(&format!("Aslak {i}. "))).unwrap();
    }
    let away_before = chunks_of(&tablets[2], id);

    // Siv and Mikkel edit the note in turns for years, syncing through the hub.
    let rounds = 6 * COMPACT_AFTER as usize;
    for i in 0..rounds {
        let who = i % 2;
        tablets[who].update::<Partner>(id, |p| p.note.push_str(&format!("{who}:{i} "))).unwrap();
        if i % 5 == 4 {
            sync::sync_local(&mut tablets[who], hub).unwrap();
        }
    }
    for s in tablets[..2].iter_mut() {
        sync::sync_local(s, hub).unwrap();
    }
    sync::sync_local(&mut tablets[0], hub).unwrap();
    // Everyone who stayed compacted on their own: the hub from what arrived by sync.
    // A tablet's compacted note reaches the hub as a whole saved document;
    // the hub keeps only the changes it did not have, so no copy holds
    // much more than the note saved compacted.
    for s in [&*hub, &tablets[0], &tablets[1]] {
        let n = chunks_of(s, id);
        assert!(n <= COMPACT_AFTER, "{n} chunks kept after {rounds} edits");
        let kept = s.record_storage(id).unwrap();
        assert!(kept.stored_bytes <= 2 * kept.compacted_bytes, "{kept:?}");
    }
    assert_eq!(note(hub, id), note(&tablets[0], id));
    assert_eq!(note(hub, id), note(&tablets[1], id));
    // A sync with nothing new does not send the compacted note again.
    let idle = sync::sync_local(&mut tablets[1], hub).unwrap();
    assert_eq!((idle.chunks_sent, idle.chunks_received), (0, 0));
    assert_eq!(chunks_of(&tablets[2], id), away_before, "Aslak's tablet was away");

    // Aslak comes back with his old changes and meets the compacted hub.
    let back = sync::sync_local(&mut tablets[2], hub).unwrap();
    assert!(back.chunks_sent > 0 && back.chunks_received > 0);
    for s in tablets[..2].iter_mut() {
        sync::sync_local(s, hub).unwrap();
    }
    let n = note(hub, id);
    for i in 0..3 {
        assert!(n.contains(&format!("Aslak {i}. ")), "Aslak's line {i} is kept: {n}");
    }
    for i in 0..rounds {
        assert!(n.contains(&format!("{}:{i} ", i % 2)), "edit {i} is kept");
    }
    for s in tablets.iter() {
        assert_eq!(note(s, id), n, "every tablet shows the same note");
        assert_eq!(s.record_storage(id).unwrap().heads, hub.record_storage(id).unwrap().heads, "and the same history");
    }
}
