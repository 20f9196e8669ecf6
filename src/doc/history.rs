//! A record's history, read from its Automerge document: who changed which
//! fields, when, on which device.
//!
//! Every local edit is one change (see [`super::write`]) whose time is the
//! editor's clock, whose message is the staff member's id and whose actor is
//! the device. What a change did is the diff between the document as its
//! author saw it (its parents, `deps`) and the document just after it
//! (`[hash]`). That diff holds only the change's own operations, also when
//! colleagues changed the record concurrently on other devices.
//!
//! Paths are reduced to stable field slugs, the model's field names: `place`,
//! `note`, `tags` (a set member added or removed), `contacts` (a contact
//! person added or removed), `contacts.phone` (a field of an existing
//! contact person), `level` (a move on the network circle). Values are never
//! read, so a personal (sealed) field shows only that it changed.

use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};

use automerge::{Automerge, ChangeHash, PatchAction, Prop, ScalarValue, Value};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::RecordId;

/// What a change did to the record as a whole.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HistoryAction {
    /// The record's first change.
    Created,
    Edited,
    /// Moved to the bin (a tombstone that can be undone).
    Deleted,
    /// Brought back from the bin.
    Restored,
}

/// One change of a record.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// The change's hash (hex): a stable key for it on every replica.
    pub change: String,
    /// When, by the clock of the device that made the change.
    pub at: DateTime<Utc>,
    /// The device (Automerge actor) that made it, as its device id.
    pub device: String,
    /// The staff member signed in on that device, when there was one.
    pub staff: Option<RecordId>,
    pub action: HistoryAction,
    /// Field slugs the change wrote, sorted; empty for `created`.
    pub fields: Vec<String>,
}

/// Every slug [`HistoryEntry::fields`] can hold, over all record kinds,
/// sorted. A test checks it against fully filled records of every kind;
/// the app has a label for each (its own test checks that).
pub const FIELDS: &[&str] = &[
    "agreements",
    "agreements.agreed_on",
    "agreements.expectations",
    "agreements.library_gets",
    "agreements.partner_gets",
    "agreements.resources",
    "agreements.results",
    "agreements.review_on",
    "agreements.roles",
    "agreements.title",
    "branch",
    "colleagues",
    "contacts",
    "contacts.basis",
    "contacts.email",
    "contacts.name",
    "contacts.phone",
    "contacts.role",
    "counterpart",
    "created_at",
    "email",
    "evaluations",
    "evaluations.by",
    "evaluations.note",
    "evaluations.on",
    "evaluations.rating",
    "extra_resources",
    "follow_ups",
    "follow_ups.done",
    "follow_ups.due",
    "follow_ups.owner",
    "follow_ups.text",
    "from_encounters",
    "idea",
    "initiative",
    "kind",
    "level",
    "merged_into",
    "name",
    "note",
    "outcomes",
    "outside",
    "partners",
    "personal_note",
    "perspective",
    "phone",
    "photo",
    "place",
    "role",
    "staff",
    "starts_on",
    "status",
    "tags",
    "title",
    "when",
];

/// Sub-paths folded into another field: a move on the network circle
/// appends to `level_history` and sets `level`; people see one change.
const ALIASES: &[(&str, &str)] = &[("level_history", "level")];
/// The document's header, not fields of the record.
const HEADER: &[&str] = &["type", "v"];

/// The document's changes, newest first: each change comes before the
/// changes it was made on (so an edit never sorts below the record's
/// creation, whatever a device's clock said), otherwise by time.
pub fn history(doc: &Automerge) -> Vec<HistoryEntry> {
    let metas = doc.get_changes_meta(&[]);
    let index: HashMap<ChangeHash, usize> = metas.iter().enumerate().map(|(i, m)| (m.hash, i)).collect();
    let mut children = vec![0usize; metas.len()];
    for m in &metas {
        for d in &m.deps {
            if let Some(&i) = index.get(d) {
                children[i] += 1;
            }
        }
    }
    // Newest first: a change is ready once every change made on it is out.
    let mut ready: BinaryHeap<(i64, usize)> =
        (0..metas.len()).filter(|&i| children[i] == 0).map(|i| (metas[i].timestamp, i)).collect();
    let mut out = Vec::with_capacity(metas.len());
    while let Some((_, i)) = ready.pop() {
        let m = &metas[i];
        out.push(entry(doc, m.hash, &m.deps, m.timestamp, m.actor.to_bytes(), m.message.as_deref()));
        for d in &m.deps {
            if let Some(&j) = index.get(d) {
                children[j] -= 1;
                if children[j] == 0 {
                    ready.push((metas[j].timestamp, j));
                }
            }
        }
    }
    out
}

fn entry(
    doc: &Automerge,
    hash: ChangeHash,
    deps: &[ChangeHash],
    time_ms: i64,
    actor: &[u8],
    message: Option<&str>,
) -> HistoryEntry {
    let (action, fields) = if deps.is_empty() { (HistoryAction::Created, vec![]) } else { changed(doc, hash, deps) };
    HistoryEntry {
        change: hash.to_string(),
        at: super::from_ms(time_ms),
        device: device_name(actor),
        staff: message.and_then(|m| m.parse().ok()),
        action,
        fields,
    }
}

/// A device id as the store shows it (a UUID), or hex for a foreign actor.
fn device_name(actor: &[u8]) -> String {
    match uuid::Uuid::from_slice(actor) {
        Ok(u) => u.to_string(),
        Err(_) => actor.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

/// The fields one change wrote, from the diff its own operations make.
fn changed(doc: &Automerge, hash: ChangeHash, deps: &[ChangeHash]) -> (HistoryAction, Vec<String>) {
    let mut fields = BTreeSet::new();
    let mut deleted = None;
    // Items (contacts, follow-ups …) added or replaced by this change: their
    // fields are part of "added", not edits of their own.
    let mut new_items: HashSet<(String, String)> = HashSet::new();
    let mut item_fields: Vec<(String, String, String)> = vec![];
    for patch in doc.diff(deps, &[hash]) {
        let mut path: Vec<Prop> = patch.path.into_iter().map(|(_, p)| p).collect();
        let mut new_object = false;
        match &patch.action {
            PatchAction::PutMap { key, value, .. } => {
                path.push(Prop::Map(key.clone()));
                if path.len() == 1 && key == "deleted" {
                    if let (Value::Scalar(s), _) = value {
                        if let ScalarValue::Boolean(b) = s.as_ref() {
                            deleted = Some(*b);
                        }
                    }
                }
                new_object = matches!(value.0, Value::Object(_));
            }
            PatchAction::DeleteMap { key } => path.push(Prop::Map(key.clone())),
            PatchAction::PutSeq { index, .. }
            | PatchAction::Insert { index, .. }
            | PatchAction::DeleteSeq { index, .. } => path.push(Prop::Seq(*index)),
            PatchAction::Increment { prop, .. } | PatchAction::Conflict { prop } => path.push(prop.clone()),
            PatchAction::SpliceText { .. } | PatchAction::Mark { .. } => {}
        }
        let Some(Prop::Map(field)) = path.first() else { continue };
        let field = ALIASES.iter().find(|(from, _)| from == field).map_or(field.as_str(), |(_, to)| to).to_string();
        if HEADER.contains(&field.as_str()) || (path.len() == 1 && field == "deleted") {
            continue;
        }
        match (path.get(1), path.get(2)) {
            // A field of an item: `contacts.<id>.phone` is `contacts.phone`.
            (Some(Prop::Map(item)), Some(Prop::Map(sub))) => item_fields.push((field, item.clone(), sub.clone())),
            // An item added or removed, a set member added or removed.
            (Some(Prop::Map(item)), None) => {
                if new_object {
                    new_items.insert((field.clone(), item.clone()));
                }
                fields.insert(field);
            }
            // A scalar, a text, a list (the level history).
            _ => {
                fields.insert(field);
            }
        }
    }
    for (field, item, sub) in item_fields {
        if !new_items.contains(&(field.clone(), item)) {
            fields.insert(format!("{field}.{sub}"));
        }
    }
    let action = match deleted {
        Some(true) => HistoryAction::Deleted,
        Some(false) => HistoryAction::Restored,
        None => HistoryAction::Edited,
    };
    (action, fields.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use automerge::{ActorId, Automerge};

    use super::*;
    use crate::doc::{from_ms, new_doc, read, write, ChangeMeta, Record, RecordKey, Sealer};
    use crate::model::*;

    const T0: i64 = 1_778_000_000_000;

    fn device(n: u8) -> ActorId {
        ActorId::from([n; 16])
    }

    fn meta(staff: RecordId, at: i64) -> ChangeMeta {
        ChangeMeta { staff: Some(staff), time_ms: at }
    }

    fn edit<R: Record>(
        doc: &mut Automerge,
        id: RecordId,
        sealer: Option<&Sealer>,
        meta: &ChangeMeta,
        f: impl FnOnce(&mut R),
    ) {
        let mut rec: R = read(doc, id, sealer).unwrap().record;
        f(&mut rec);
        write(doc, &rec, sealer, meta, false).unwrap().expect("the edit changes something");
    }

    fn fields(e: &HistoryEntry) -> Vec<&str> {
        e.fields.iter().map(String::as_str).collect()
    }

    /// The slugs a document's fields map to, found by walking it: a map of
    /// maps is an item collection (`contacts.phone`), anything else one field.
    fn slugs_in(doc: &Automerge) -> BTreeSet<String> {
        use automerge::{ObjType, ReadDoc, ROOT};
        let mut out = BTreeSet::new();
        for key in doc.keys(&ROOT) {
            let field = ALIASES.iter().find(|(from, _)| *from == key).map_or(key.as_str(), |(_, to)| to).to_string();
            if HEADER.contains(&field.as_str()) || field == "deleted" {
                continue;
            }
            if let Some((Value::Object(ObjType::Map), map)) = doc.get(&ROOT, key.as_str()).unwrap() {
                for item in doc.keys(&map) {
                    if let Some((Value::Object(ObjType::Map), obj)) = doc.get(&map, item.as_str()).unwrap() {
                        out.extend(doc.keys(&obj).map(|sub| format!("{field}.{sub}")));
                    }
                }
            }
            out.insert(field);
        }
        out
    }

    #[test]
    fn fields_lists_every_slug_of_every_record_kind() {
        let someone = Some(RecordId::new());
        let date = chrono::NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
        let day = Some(date);
        let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Association);
        e.staff = someone;
        e.colleagues = vec![RecordId::new()];
        e.partners = vec![RecordId::new()];
        e.initiative = Some(Initiative::Citizen);
        e.role = Some(Role::Active);
        e.tags = vec!["strikking".into()];
        e.outcomes = vec![Outcome::NewActivity];
        e.photo = Some("bilde.jpg".into());
        e.follow_ups.push(FollowUp { id: item_id(), text: "Ring".into(), due: day, owner: someone, done: false });
        let mut p = Partner::new("Vadsø husflidslag", PartnerKind::Association, Level::Network);
        p.phone = Some("1".into());
        p.email = Some("a@example.no".into());
        p.personal_note = "x".into();
        p.merged_into = someone;
        p.contacts.push(Contact {
            id: item_id(),
            name: "Máret".into(),
            role: "leder".into(),
            phone: Some("2".into()),
            email: Some("b@example.no".into()),
            basis: Some(ConsentBasis::Consent),
        });
        p.agreements.push(Agreement {
            id: item_id(),
            title: "Strikkekafé".into(),
            expectations: String::new(),
            roles: String::new(),
            resources: String::new(),
            results: String::new(),
            library_gets: String::new(),
            partner_gets: String::new(),
            agreed_on: day,
            review_on: day,
        });
        p.evaluations.push(Evaluation {
            id: item_id(),
            on: date,
            by: someone,
            rating: Degree::High,
            note: String::new(),
        });
        let mut a = Activity::new("Strikkekafé", ActivityStatus::Idea);
        a.partners = vec![RecordId::new()];
        a.from_encounters = vec![RecordId::new()];
        a.extra_resources = Some(false);
        a.starts_on = day;
        let s = StaffMember { id: RecordId::new(), name: "Ingrid".into(), branch: "Vadsø".into(), deleted: false };

        fn slugs_of<R: Record>(rec: &R, sealer: Option<&Sealer>) -> BTreeSet<String> {
            let mut doc = new_doc(&device(1));
            write(&mut doc, rec, sealer, &meta(RecordId::new(), T0), false).unwrap();
            slugs_in(&doc)
        }
        let mut found = slugs_of(&e, None);
        found.extend(slugs_of(&p, Some(&Sealer::new(&RecordKey::generate(), p.id))));
        found.extend(slugs_of(&a, None));
        found.extend(slugs_of(&s, None));

        let listed: BTreeSet<String> = FIELDS.iter().map(|f| f.to_string()).collect();
        assert_eq!(found, listed, "FIELDS must name every field the documents hold (and the app label each)");
        assert!(FIELDS.windows(2).all(|w| w[0] < w[1]), "FIELDS is sorted");
    }

    #[test]
    fn creation_shows_as_created_by_its_author() {
        let ingrid = RecordId::new();
        let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Citizen);
        e.place = "Vadsø torg".into();
        let mut doc = new_doc(&device(1));
        write(&mut doc, &e, None, &meta(ingrid, T0), false).unwrap();

        let h = history(&doc);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].action, HistoryAction::Created);
        assert!(h[0].fields.is_empty());
        assert_eq!(h[0].staff, Some(ingrid));
        assert_eq!(h[0].at.timestamp_millis(), T0);
        assert_eq!(h[0].device, uuid::Uuid::from_bytes([1; 16]).to_string());
    }

    #[test]
    fn concurrent_edits_on_two_devices_both_show_with_their_staff_and_fields() {
        let (ingrid, nils) = (RecordId::new(), RecordId::new());
        let mut e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
        e.place = "Biblioteket".into();
        e.tags = vec!["lesing".into()];
        let id = e.id;
        let mut a = new_doc(&device(1));
        write(&mut a, &e, None, &meta(ingrid, T0), false).unwrap();
        let mut b = a.fork().with_actor(device(2));

        // Offline on both tablets: Ingrid changes the place and the note;
        // Nils, a minute earlier by his clock, the perspective and the tags.
        edit::<Encounter>(&mut a, id, None, &meta(ingrid, T0 + 120_000), |e| {
            e.place = "Vadsø torg".into();
            e.note = "Vil starte strikkekafé".into();
        });
        edit::<Encounter>(&mut b, id, None, &meta(nils, T0 + 60_000), |e| {
            e.perspective = Perspective::CoCreative;
            e.tags.push("strikking".into());
        });
        a.merge(&mut b).unwrap();
        b.merge(&mut a).unwrap();

        let h = history(&a);
        assert_eq!(h, history(&b), "every replica tells the same history");
        assert_eq!(h.len(), 3);
        assert_eq!(
            (h[0].staff, h[0].action, fields(&h[0])),
            (Some(ingrid), HistoryAction::Edited, vec!["note", "place"])
        );
        assert_eq!(h[0].device, uuid::Uuid::from_bytes([1; 16]).to_string());
        assert_eq!((h[1].staff, fields(&h[1])), (Some(nils), vec!["perspective", "tags"]));
        assert_eq!(h[1].device, uuid::Uuid::from_bytes([2; 16]).to_string());
        assert_eq!(h[2].action, HistoryAction::Created);

        // The same place written on both tablets: a conflict, and each
        // change still names only what its own author wrote.
        let mut c = a.fork().with_actor(device(3));
        edit::<Encounter>(&mut a, id, None, &meta(ingrid, T0 + 180_000), |e| e.place = "Vardø".into());
        edit::<Encounter>(&mut c, id, None, &meta(nils, T0 + 181_000), |e| e.idea = "Bokbytte".into());
        a.merge(&mut c).unwrap();
        let h = history(&a);
        assert_eq!(fields(&h[0]), vec!["idea"]);
        assert_eq!(fields(&h[1]), vec!["place"]);
    }

    #[test]
    fn a_wrong_clock_never_puts_an_edit_before_what_it_was_made_on() {
        let ingrid = RecordId::new();
        let e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
        let mut doc = new_doc(&device(1));
        write(&mut doc, &e, None, &meta(ingrid, T0), false).unwrap();
        let mut late = doc.fork().with_actor(device(2));
        // A tablet whose clock is a year behind.
        edit::<Encounter>(&mut late, e.id, None, &meta(ingrid, T0 - 365 * 86_400_000), |e| e.place = "Alta".into());
        doc.merge(&mut late).unwrap();
        let h = history(&doc);
        assert_eq!(h.iter().map(|e| e.action).collect::<Vec<_>>(), [HistoryAction::Edited, HistoryAction::Created]);
    }

    #[test]
    fn sealed_fields_show_as_changed_without_their_values() {
        let ingrid = RecordId::new();
        let mut p = Partner::new("Máret Ánte Sara", PartnerKind::Citizen, Level::Network);
        p.phone = Some("915 00 001".into());
        let key = RecordKey::generate();
        let sealer = Sealer::new(&key, p.id);
        let mut doc = new_doc(&device(1));
        write(&mut doc, &p, Some(&sealer), &meta(ingrid, T0), false).unwrap();
        edit::<Partner>(&mut doc, p.id, Some(&sealer), &meta(ingrid, T0 + 1), |p| {
            p.phone = Some("+47 789 55 999".into());
            p.personal_note = "Ønsker ikke å bli fotografert".into();
        });
        edit::<Partner>(&mut doc, p.id, Some(&sealer), &meta(ingrid, T0 + 2), |p| {
            p.contacts.push(Contact {
                id: item_id(),
                name: "Áile Somby".into(),
                role: "leder".into(),
                phone: Some("915 00 002".into()),
                email: None,
                basis: Some(ConsentBasis::Consent),
            });
        });
        edit::<Partner>(&mut doc, p.id, Some(&sealer), &meta(ingrid, T0 + 3), |p| {
            p.contacts[0].phone = Some("915 00 003".into());
            p.contacts[0].role = "kasserer".into();
        });

        let h = history(&doc);
        assert_eq!(fields(&h[0]), vec!["contacts.phone", "contacts.role"]);
        assert_eq!(fields(&h[1]), vec!["contacts"], "a new contact person is one change, not each of its fields");
        assert_eq!(fields(&h[2]), vec!["personal_note", "phone"]);
        let json = serde_json::to_string(&h).unwrap();
        for secret in ["915 00", "789 55", "fotografert", "Áile", "Máret"] {
            assert!(!json.contains(secret), "{secret} leaked into {json}");
        }
    }

    #[test]
    fn moves_items_sets_and_the_bin_have_their_own_words() {
        let ingrid = RecordId::new();
        let p = Partner::new("Vadsø husflidslag", PartnerKind::Association, Level::Network);
        let key = RecordKey::generate();
        let sealer = Sealer::new(&key, p.id);
        let s = Some(&sealer);
        let mut doc = new_doc(&device(1));
        write(&mut doc, &p, s, &meta(ingrid, T0), false).unwrap();
        edit::<Partner>(&mut doc, p.id, s, &meta(ingrid, T0 + 1), |p| {
            p.move_to(Level::Collaboration, Some(ingrid), from_ms(T0 + 1));
        });
        edit::<Partner>(&mut doc, p.id, s, &meta(ingrid, T0 + 2), |p| p.tags.push("håndverk".into()));
        edit::<Partner>(&mut doc, p.id, s, &meta(ingrid, T0 + 3), |p| p.note = "Møtes på tirsdager".into());
        edit::<Partner>(&mut doc, p.id, s, &meta(ingrid, T0 + 4), |p| p.note = "Møtes på onsdager".into());
        edit::<Partner>(&mut doc, p.id, s, &meta(ingrid, T0 + 5), |p| p.deleted = true);
        edit::<Partner>(&mut doc, p.id, s, &meta(ingrid, T0 + 6), |p| p.deleted = false);

        let h = history(&doc);
        let got: Vec<(HistoryAction, Vec<&str>)> = h.iter().map(|e| (e.action, fields(e))).collect();
        use HistoryAction::*;
        assert_eq!(
            got,
            vec![
                (Restored, vec![]),
                (Deleted, vec![]),
                (Edited, vec!["note"]),
                (Edited, vec!["note"]),
                (Edited, vec!["tags"]),
                (Edited, vec!["level"]),
                (Created, vec![]),
            ]
        );
    }

    #[test]
    fn changes_without_staff_and_items_removed_are_kept() {
        let mut e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
        e.follow_ups.push(FollowUp::parse_line("Ring tilbake;2026-06-01").unwrap());
        let mut doc = new_doc(&device(4));
        write(&mut doc, &e, None, &ChangeMeta { staff: None, time_ms: T0 }, false).unwrap();
        edit::<Encounter>(&mut doc, e.id, None, &ChangeMeta { staff: None, time_ms: T0 + 1 }, |e| {
            e.follow_ups[0].done = true
        });
        edit::<Encounter>(&mut doc, e.id, None, &ChangeMeta { staff: None, time_ms: T0 + 2 }, |e| e.follow_ups.clear());
        let h = history(&doc);
        assert_eq!(fields(&h[0]), vec!["follow_ups"]);
        assert_eq!(fields(&h[1]), vec!["follow_ups.done"]);
        assert!(h.iter().all(|e| e.staff.is_none()));
    }
}
