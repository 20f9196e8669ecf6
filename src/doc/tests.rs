//! Merge behaviour of record documents: what two colleagues editing the
//! same record offline see when their copies meet.

use automerge::{ActorId, Automerge};

use super::*;
use crate::model::*;

fn actor(n: u8) -> ActorId {
    ActorId::from([n; 16])
}

fn create<R: Record>(rec: &R, key: Option<&RecordKey>) -> Automerge {
    let mut doc = new_doc(&actor(1));
    let sealer = key.map(|k| Sealer::new(k, rec.id()));
    write(&mut doc, rec, sealer.as_ref(), &ChangeMeta::now(None), false).unwrap().expect("first write is a change");
    doc
}

fn fork(doc: &Automerge, n: u8) -> Automerge {
    doc.fork().with_actor(actor(n))
}

fn edit<R: Record>(doc: &mut Automerge, id: RecordId, key: Option<&RecordKey>, f: impl FnOnce(&mut R)) {
    let sealer = key.map(|k| Sealer::new(k, id));
    let mut rec: R = read(doc, id, sealer.as_ref()).unwrap().record;
    f(&mut rec);
    write(doc, &rec, sealer.as_ref(), &ChangeMeta::now(None), false).unwrap();
}

fn partner() -> (Partner, RecordKey) {
    let mut p = Partner::new("Guovdageainnu searvi", PartnerKind::Association, Level::Network);
    p.phone = Some("+47 915 55 555".into());
    p.email = Some("máret@example.no".into());
    p.note = "Møtes hver tirsdag i Čáhcesuolu.".into();
    p.contacts.push(Contact {
        id: item_id(),
        name: "Máret Ánte Sara".into(),
        role: "leder".into(),
        phone: Some("915 00 001".into()),
        email: None,
        basis: Some(ConsentBasis::Consent),
    });
    (p, RecordKey::generate())
}

#[test]
fn any_script_round_trips() {
    let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Association);
    e.place = "Kárášjohka, Sámi allaskuvla 🦌".into();
    e.note = "Ærlig talt: «bøker rundt bålet» i Deatnu – đ ŋ š ŧ ž č á 👍".into();
    e.tags = vec!["bål".into(), "sápmi".into()];
    let doc = create(&e, None);
    let back: Loaded<Encounter> = read(&doc, e.id, None).unwrap();
    assert_eq!(back.record, e);
    assert!(back.conflicts.is_empty());
}

#[test]
fn personal_fields_are_sealed_in_the_document() {
    let (p, key) = partner();
    let mut doc = create(&p, Some(&key));
    let bytes = doc.save();
    for secret in ["915 55 555", "Máret", "example.no", "Guovdageainnu"] {
        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "{secret} leaked");
    }
    let back: Loaded<Partner> = read(&doc, p.id, Some(&Sealer::new(&key, p.id))).unwrap();
    assert_eq!(back.record, p);
    // Without the key (erased) the record still reads, with personal fields gone.
    let erased: Loaded<Partner> = read(&doc, p.id, None).unwrap();
    assert!(erased.redacted);
    assert_eq!(erased.record.phone, None);
    assert_eq!(erased.record.contacts[0].name, "");
    assert_eq!(erased.record.level, Level::Network);
    let _ = &mut doc;
}

#[test]
fn concurrent_edits_of_different_fields_both_survive() {
    let (p, key) = partner();
    let mut a = create(&p, Some(&key));
    let mut b = fork(&a, 2);
    edit::<Partner>(&mut a, p.id, Some(&key), |p| p.phone = Some("+47 400 00 000".into()));
    edit::<Partner>(&mut b, p.id, Some(&key), |p| p.email = Some("post@searvi.no".into()));
    a.merge(&mut b).unwrap();
    let r: Loaded<Partner> = read(&a, p.id, Some(&Sealer::new(&key, p.id))).unwrap();
    assert_eq!(r.record.phone.as_deref(), Some("+47 400 00 000"));
    assert_eq!(r.record.email.as_deref(), Some("post@searvi.no"));
    assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
}

#[test]
fn concurrent_values_of_one_field_are_kept_as_a_conflict_and_can_be_resolved() {
    let (p, key) = partner();
    let sealer = Sealer::new(&key, p.id);
    let mut a = create(&p, Some(&key));
    let mut b = fork(&a, 2);
    edit::<Partner>(&mut a, p.id, Some(&key), |p| p.phone = Some("111 11 111".into()));
    edit::<Partner>(&mut b, p.id, Some(&key), |p| p.phone = Some("222 22 222".into()));
    a.merge(&mut b).unwrap();
    let r: Loaded<Partner> = read(&a, p.id, Some(&sealer)).unwrap();
    assert_eq!(r.conflicts.len(), 1);
    assert_eq!(r.conflicts[0].field, "phone");
    let mut vals = r.conflicts[0].values.clone();
    vals.sort();
    assert_eq!(vals, vec!["111 11 111", "222 22 222"]);
    // Resolving writes the chosen value over both.
    let mut chosen = r.record.clone();
    chosen.phone = Some("222 22 222".into());
    write(&mut a, &chosen, Some(&sealer), &ChangeMeta::now(None), true).unwrap();
    let r: Loaded<Partner> = read(&a, p.id, Some(&sealer)).unwrap();
    assert!(r.conflicts.is_empty());
    assert_eq!(r.record.phone.as_deref(), Some("222 22 222"));
}

#[test]
fn shared_notes_merge_character_by_character() {
    let (p, key) = partner();
    let mut a = create(&p, Some(&key));
    let mut b = fork(&a, 2);
    edit::<Partner>(&mut a, p.id, Some(&key), |p| p.note = format!("Leder: Máret. {}", p.note));
    edit::<Partner>(&mut b, p.id, Some(&key), |p| p.note = format!("{} Ta med kaffe.", p.note));
    a.merge(&mut b).unwrap();
    let r: Loaded<Partner> = read(&a, p.id, Some(&Sealer::new(&key, p.id))).unwrap();
    assert_eq!(r.record.note, "Leder: Máret. Møtes hver tirsdag i Čáhcesuolu. Ta med kaffe.");
}

#[test]
fn concurrent_level_moves_keep_both_in_the_history() {
    let (p, key) = partner();
    let mut a = create(&p, Some(&key));
    let mut b = fork(&a, 2);
    let now = crate::model::now();
    edit::<Partner>(&mut a, p.id, Some(&key), |p| {
        p.move_to(Level::Collaboration, None, now);
    });
    edit::<Partner>(&mut b, p.id, Some(&key), |p| {
        p.move_to(Level::Partnership, None, now);
    });
    a.merge(&mut b).unwrap();
    let r: Loaded<Partner> = read(&a, p.id, Some(&Sealer::new(&key, p.id))).unwrap();
    assert_eq!(r.record.level_history.len(), 3);
    assert_eq!(r.conflicts.iter().filter(|c| c.field == "level").count(), 1);
}

#[test]
fn a_delete_racing_an_edit_resolves_the_same_everywhere() {
    let e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
    let mut a = create(&e, None);
    let mut b = fork(&a, 2);
    edit::<Encounter>(&mut a, e.id, None, |e| e.deleted = true);
    edit::<Encounter>(&mut b, e.id, None, |e| e.note = "Ville låne symaskin".into());
    let mut a2 = a.fork();
    a.merge(&mut b).unwrap();
    b.merge(&mut a2).unwrap();
    let ra: Loaded<Encounter> = read(&a, e.id, None).unwrap();
    let rb: Loaded<Encounter> = read(&b, e.id, None).unwrap();
    assert!(ra.record.deleted && rb.record.deleted);
    assert_eq!(ra.record.note, "Ville låne symaskin", "the edit is kept under the tombstone, so undo restores it");
    assert_eq!(ra.record, rb.record);
}

#[test]
fn unchanged_write_makes_no_change() {
    let e = Encounter::new(Perspective::Professional, CounterpartKind::School);
    let mut doc = create(&e, None);
    assert!(write(&mut doc, &e, None, &ChangeMeta::now(None), false).unwrap().is_none());
}

#[test]
fn reading_the_wrong_kind_is_an_error() {
    let e = Encounter::new(Perspective::Professional, CounterpartKind::School);
    let doc = create(&e, None);
    let err = read::<Partner, _>(&doc, e.id, None).unwrap_err();
    assert!(err.to_string().contains("holds an encounter, not a partner"), "{err}");
}
