//! Partners on the tablet: merging two partners that turned out to be the
//! same, with colleagues editing, merging and erasing on other tablets at
//! the same time, and erasing one contact person everywhere. Each story
//! ends with every replica showing the same partners, links and fields.

use std::path::Path;

use samskap::model::*;
use samskap::store::{PartnerQuery, ReportScope, Store};
use samskap::sync;

use crate::util::Tablet;

struct Office {
    dirs: Vec<tempfile::TempDir>,
    hub: Store,
}

impl Office {
    fn new() -> Office {
        let mut dirs = vec![];
        let hub = open(&mut dirs, "hub");
        Office { dirs, hub }
    }

    fn tablet(&mut self, staff: &str) -> Store {
        let mut s = open(&mut self.dirs, staff);
        s.set_workspace(self.hub.workspace_id().unwrap(), "Finnmark").unwrap();
        s
    }

    /// Everyone meets the hub until nothing moves (twice round is enough).
    fn sync_all(&mut self, tablets: &mut [&mut Store]) {
        for _ in 0..2 {
            for t in tablets.iter_mut() {
                sync::sync_local(t, &mut self.hub).unwrap();
            }
        }
    }
}

fn open(dirs: &mut Vec<tempfile::TempDir>, staff: &str) -> Store {
    let (d, s) = samskap::testing::temp_store(staff, "Vadsø");
    dirs.push(d);
    s
}

fn partner(s: &mut Store, name: &str) -> RecordId {
    s.create(&Partner::new(name, PartnerKind::Association, Level::Network)).unwrap()
}

fn encounter(s: &mut Store, partners: &[RecordId]) -> RecordId {
    let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Association);
    e.partners = partners.to_vec();
    s.create(&e).unwrap()
}

fn agreement(title: &str) -> Agreement {
    Agreement {
        id: item_id(),
        title: title.into(),
        expectations: "Lokale annenhver lørdag".into(),
        roles: String::new(),
        resources: String::new(),
        results: String::new(),
        library_gets: String::new(),
        partner_gets: String::new(),
        agreed_on: None,
        review_on: None,
    }
}

fn contact(name: &str, phone: &str) -> Contact {
    Contact {
        id: item_id(),
        name: name.into(),
        role: "leder".into(),
        phone: Some(phone.into()),
        email: None,
        basis: Some(ConsentBasis::Consent),
    }
}

/// Name, phone, note, tags, contact names and how many encounters the page lists.
type PartnerView = (String, Option<String>, String, Vec<String>, Vec<String>, usize);

/// What a person sees of the partners: the list, each partner's fields
/// and which encounters its page lists.
fn view(s: &Store) -> Vec<PartnerView> {
    let rows = s.list_partners(&PartnerQuery { limit: Some(500), ..Default::default() }).unwrap();
    rows.iter()
        .map(|r| {
            let p = s.get::<Partner>(r.id).unwrap().record;
            let q = samskap::store::EncounterQuery { partner: Some(r.id), limit: Some(500), ..Default::default() };
            let mut titles: Vec<String> = p.agreements.iter().map(|a| a.title.clone()).collect();
            titles.sort();
            (p.name, p.phone, p.place, p.tags, titles, s.list_encounters(&q).unwrap().len())
        })
        .collect()
}

#[test]
fn a_merge_and_concurrent_edits_of_both_partners_on_another_tablet_converge() {
    let mut office = Office::new();
    let mut ingrid = office.tablet("Ingrid Haugen");
    let mut ole = office.tablet("Ole Olsen");
    let kept = partner(&mut ingrid, "Vadsø husflidslag");
    let dup = partner(&mut ingrid, "Husflidslaget i Vadsø");
    ingrid.update::<Partner>(dup, |p| p.agreements.push(agreement("Strikkekafé"))).unwrap();
    encounter(&mut ingrid, &[kept]);
    encounter(&mut ingrid, &[dup]);
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    // Offline: Ingrid merges the duplicate into the kept partner; Ole, on
    // his tablet, edits both and logs a new encounter with the duplicate.
    let plan = ingrid.plan_merge(kept, dup).unwrap();
    assert_eq!((plan.encounters, plan.agreements), (1, 1), "the confirmation says what moves");
    ingrid.merge_partners(kept, dup).unwrap();
    ole.update::<Partner>(kept, |p| p.place = "Vadsø sentrum".into()).unwrap();
    ole.update::<Partner>(dup, |p| p.phone = Some("+47 78 95 00 00".into())).unwrap();
    encounter(&mut ole, &[dup]);
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    let seen = view(&ingrid);
    assert_eq!(seen, view(&ole), "both tablets show the same partners");
    assert_eq!(seen.len(), 1, "the duplicate is hidden: {seen:?}");
    let (name, _, place, _, agreements, met) = &seen[0];
    assert_eq!((name.as_str(), place.as_str()), ("Vadsø husflidslag", "Vadsø sentrum"));
    assert_eq!(agreements, &["Strikkekafé"]);
    assert_eq!(*met, 3, "all three encounters, Ole's new one included, are the kept partner's");
    for s in [&ingrid, &ole] {
        let o = s.partner_overview(kept).unwrap();
        assert_eq!(o.merged.len(), 1);
        assert_eq!(o.merged[0].name, "Husflidslaget i Vadsø");
        assert!(o.last_met.is_some());
        assert_eq!(s.partner_overview(dup).unwrap().survivor, Some(kept), "an old link leads to the survivor");
        assert_eq!(s.counts().unwrap().partners, 1);
        assert!(s.search("Husflidslaget", 10).unwrap().is_empty(), "the merged partner is not offered in search");
        let scope = ReportScope { to_ms: i64::MAX, ..Default::default() };
        let kinds = samskap::store::report_cells::kind_cells(s.reader(), &scope).unwrap();
        assert_eq!(kinds.iter().map(|k| k.partners).sum::<u64>(), 1, "reports count one partner");
    }
}

#[test]
fn two_tablets_merging_the_same_pair_end_with_one_partner_and_one_copy_of_each_agreement() {
    let mut office = Office::new();
    let mut ingrid = office.tablet("Ingrid Haugen");
    let mut ole = office.tablet("Ole Olsen");
    let kept = partner(&mut ingrid, "Alta frivilligsentral");
    let dup = partner(&mut ingrid, "Frivilligsentralen Alta");
    ingrid
        .update::<Partner>(dup, |p| {
            p.agreements.push(agreement("Leksehjelp"));
            p.tags.push("frivillig".into());
        })
        .unwrap();
    encounter(&mut ingrid, &[dup]);
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    ingrid.merge_partners(kept, dup).unwrap();
    ole.merge_partners(kept, dup).unwrap();
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    for s in [&ingrid, &ole] {
        let p = s.get::<Partner>(kept).unwrap();
        assert_eq!(p.record.agreements.len(), 1, "one copy of the agreement");
        assert_eq!(p.record.tags, vec!["frivillig"]);
        assert!(s.get::<Partner>(dup).unwrap().conflicts.is_empty(), "the same merge twice is no conflict");
    }
    assert_eq!(view(&ingrid), view(&ole));
    assert_eq!(view(&ingrid).len(), 1);
    assert_eq!(view(&ingrid)[0].5, 1);
}

#[test]
fn opposite_merges_on_two_tablets_settle_on_the_same_survivor_everywhere() {
    let mut office = Office::new();
    let mut ingrid = office.tablet("Ingrid Haugen");
    let mut ole = office.tablet("Ole Olsen");
    let a = partner(&mut ingrid, "Deatnu skole");
    let b = partner(&mut ingrid, "Tana skole");
    encounter(&mut ingrid, &[a]);
    encounter(&mut ingrid, &[b]);
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    ingrid.merge_partners(a, b).unwrap();
    ole.merge_partners(b, a).unwrap();
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    let survivor = a.min(b);
    for s in [&ingrid, &ole] {
        let rows = s.list_partners(&PartnerQuery::default()).unwrap();
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![survivor], "the smallest id survives");
        let q = samskap::store::EncounterQuery { partner: Some(survivor), ..Default::default() };
        assert_eq!(s.list_encounters(&q).unwrap().len(), 2);
    }
    assert_eq!(view(&ingrid), view(&ole));
}

#[test]
fn erasing_the_duplicate_while_it_is_merged_leaves_nothing_readable() {
    let mut office = Office::new();
    let mut ingrid = office.tablet("Ingrid Haugen");
    let mut ole = office.tablet("Ole Olsen");
    let kept = partner(&mut ingrid, "Vadsø husflidslag");
    let dup = partner(&mut ingrid, "Áslat Somby (privat)");
    ingrid
        .update::<Partner>(dup, |p| {
            p.contacts.push(contact("Áslat Mikkelsen Somby", "+47 915 37 204"));
            p.phone = Some("+47 915 37 204".into());
            p.agreements.push(agreement("Strikkekafé"));
        })
        .unwrap();
    encounter(&mut ingrid, &[dup]);
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    // Ingrid merges; at the same time Ole receives an erasure request and erases the duplicate.
    ingrid.merge_partners(kept, dup).unwrap();
    ole.erase(dup).unwrap();
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    for s in [&ingrid, &ole] {
        assert!(s.get::<Partner>(dup).is_err(), "the erased partner is gone");
        assert!(s.search("Somby", 10).unwrap().is_empty());
        assert!(s.search("915", 10).unwrap().is_empty());
        let o = s.partner_overview(kept).unwrap();
        assert!(o.merged.is_empty(), "nothing of the erased partner shows on the kept one");
        let p = s.get::<Partner>(kept).unwrap().record;
        assert!(p.contacts.is_empty() && p.phone.is_none(), "personal data was never copied");
        let q = samskap::store::EncounterQuery { partner: Some(kept), ..Default::default() };
        assert_eq!(s.list_encounters(&q).unwrap().len(), 1, "the encounter link survives the erasure");
        let all = format!(
            "{:?}",
            samskap::store::export_rows::partners(s.reader(), &ReportScope { to_ms: i64::MAX, ..Default::default() })
                .unwrap()
        );
        assert!(!all.contains("Somby") && !all.contains("915 37 204"), "{all}");
    }
    assert_eq!(view(&ingrid), view(&ole));
}

#[test]
fn erasing_a_contact_person_racing_a_merge_leaves_nothing_readable() {
    let mut office = Office::new();
    let mut ingrid = office.tablet("Ingrid Haugen");
    let mut ole = office.tablet("Ole Olsen");
    let kept = partner(&mut ingrid, "Vadsø husflidslag");
    let dup = partner(&mut ingrid, "Husflidslaget");
    let gone = contact("Áslat Mikkelsen Somby", "+47 915 37 204");
    let stays = contact("Máret Eira", "+47 900 11 222");
    let gone_id = gone.id.clone();
    ingrid.update::<Partner>(dup, |p| p.contacts.extend([gone, stays])).unwrap();
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    ingrid.merge_partners(kept, dup).unwrap();
    let erased = ole.erase_contact(dup, &gone_id).unwrap();
    assert_eq!(erased.name, "Áslat Mikkelsen Somby");
    assert!(ole.erase_contact(dup, &gone_id).is_err(), "erasing twice says there is no such contact");
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    for s in [&ingrid, &ole] {
        let o = s.partner_overview(kept).unwrap();
        let names: Vec<&str> = o.merged[0].contacts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Máret Eira"], "the other contact stays readable, from the merged partner");
        assert!(s.search("Somby", 10).unwrap().is_empty());
    }
    // Nothing on disk either, on any replica (the hub's included).
    let mut found = vec![];
    for s in [&ingrid, &ole, &office.hub] {
        s.checkpoint().unwrap();
        found.extend(traces(s.dir(), &["Áslat Mikkelsen Somby", "Somby", "915 37 204"]));
    }
    assert!(found.is_empty(), "readable traces: {found:?}");
}

#[test]
fn a_partner_edit_writes_only_what_changed_and_merges_with_a_colleagues_edit() {
    let mut office = Office::new();
    let mut ingrid = office.tablet("Ingrid Haugen");
    let mut ole = office.tablet("Ole Olsen");
    let id = partner(&mut ingrid, "Vadsø husflidslag");
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    let p = ingrid.get::<Partner>(id).unwrap().record;
    let mut edit = samskap::forms::PartnerEdit::of(&p);
    edit.phone = "+47 78 95 00 00".into();
    ingrid.update::<Partner>(id, |p| edit.apply(p)).unwrap();
    // Ole, from the same starting point, changes the place and kind.
    let mut theirs = samskap::forms::PartnerEdit::of(&p);
    theirs.place = "Vadsø".into();
    theirs.kind = PartnerKind::VolunteerGroup;
    ole.update::<Partner>(id, |p| theirs.apply(p)).unwrap();
    office.sync_all(&mut [&mut ingrid, &mut ole]);

    for s in [&ingrid, &ole] {
        let p = s.get::<Partner>(id).unwrap();
        assert!(p.conflicts.is_empty(), "different fields never conflict: {:?}", p.conflicts);
        assert_eq!(p.record.phone.as_deref(), Some("+47 78 95 00 00"));
        assert_eq!((p.record.place.as_str(), p.record.kind), ("Vadsø", PartnerKind::VolunteerGroup));
    }
}

#[test]
fn the_command_line_merges_partners_and_erases_one_contact_person() {
    let t = Tablet::new("Ingrid Haugen", "Vadsø");
    let kept = t.add(&["partner", "add", "--name", "Vadsø husflidslag", "--kind", "association"]);
    let dup = t.add(&[
        "partner",
        "add",
        "--name",
        "Husflidslaget",
        "--kind",
        "association",
        "--contact",
        "Áslat Somby;leder;+47 915 37 204",
    ]);
    t.add(&["encounter", "add", "--perspective", "co-creative", "--counterpart", "association", "--partner", &dup]);
    let contact = t.json(&["partner", "show", &dup])["contacts"][0]["id"].as_str().unwrap().to_string();
    assert!(t.fails(&["erase", &dup, "--contact", &contact]).contains("--yes"), "erasure asks for confirmation");
    t.ok(&["erase", &dup, "--contact", &contact, "--yes"]);
    assert_eq!(t.json(&["partner", "show", &dup])["contacts"], serde_json::json!([]));
    assert!(t.fails(&["partner", "merge", &kept, &kept]).contains("itself"));
    let out = t.ok(&["partner", "merge", &kept, &dup]);
    assert!(out.contains("1 encounters"), "{out}");
    let rows = t.json(&["partner", "list"]);
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["id"], kept.as_str());
    assert!(rows[0]["last_met"].is_string(), "{rows}");
}

/// Files under `dir` holding any of `needles` as written or lower-cased.
fn traces(dir: &Path, needles: &[&str]) -> Vec<String> {
    let mut found = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).unwrap_or_default();
            for n in needles.iter().flat_map(|n| [n.to_string(), n.to_lowercase()]) {
                if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                    found.push(format!("{} holds {n:?}", p.display()));
                }
            }
        }
    }
    found
}
