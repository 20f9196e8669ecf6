//! Property: five replicas, random edits and random sync topologies (hub,
//! LAN pairs, bundles, partitions) always end identical once everyone has
//! met the hub, with every acknowledged edit present — except in records
//! erased meanwhile, which are gone everywhere (erasure wins over any edit).
//! `PROPTEST_CASES` sets the number of cases (CI runs 1000).

use proptest::prelude::*;
use samskap::model::*;
use samskap::store::{Durability, InitOptions, Store};
use samskap::sync;

const REPLICAS: usize = 5;

#[derive(Clone, Debug)]
enum Op {
    AddPartner { at: usize },
    AddEncounter { at: usize, partner: usize },
    EditPhone { at: usize, partner: usize, n: u16 },
    AppendNote { at: usize, partner: usize, word: u16 },
    AddTag { at: usize, partner: usize, tag: u8 },
    Move { at: usize, partner: usize, level: u8 },
    Delete { at: usize, partner: usize },
    Erase { at: usize, partner: usize },
    Merge { at: usize, keep: usize, drop: usize },
    SyncHub { at: usize },
    Lan { a: usize, b: usize },
    Bundle { from: usize, to: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let r = 0..REPLICAS;
    prop_oneof![
        2 => r.clone().prop_map(|at| Op::AddPartner { at }),
        2 => (r.clone(), 0..8usize).prop_map(|(at, partner)| Op::AddEncounter { at, partner }),
        2 => (r.clone(), 0..8usize, any::<u16>()).prop_map(|(at, partner, n)| Op::EditPhone { at, partner, n }),
        2 => (r.clone(), 0..8usize, any::<u16>()).prop_map(|(at, partner, word)| Op::AppendNote { at, partner, word }),
        1 => (r.clone(), 0..8usize, 0..4u8).prop_map(|(at, partner, tag)| Op::AddTag { at, partner, tag }),
        1 => (r.clone(), 0..8usize, 0..3u8).prop_map(|(at, partner, level)| Op::Move { at, partner, level }),
        1 => (r.clone(), 0..8usize).prop_map(|(at, partner)| Op::Delete { at, partner }),
        1 => (r.clone(), 0..8usize).prop_map(|(at, partner)| Op::Erase { at, partner }),
        1 => (r.clone(), 0..8usize, 0..8usize).prop_map(|(at, keep, drop)| Op::Merge { at, keep, drop }),
        2 => r.clone().prop_map(|at| Op::SyncHub { at }),
        2 => (r.clone(), r.clone()).prop_map(|(a, b)| Op::Lan { a, b }),
        1 => (r.clone(), r).prop_map(|(from, to)| Op::Bundle { from, to }),
    ]
}

struct World {
    _dirs: Vec<tempfile::TempDir>,
    hub: Store,
    tablets: Vec<Store>,
    partners: Vec<RecordId>,
    /// Note words and tags each replica wrote (acknowledged edits).
    words: Vec<(RecordId, String)>,
    tags: Vec<(RecordId, String)>,
    erased: Vec<RecordId>,
}

fn store(dirs: &mut Vec<tempfile::TempDir>, name: &str) -> Store {
    let d = tempfile::tempdir().unwrap();
    let s = Store::init(
        d.path(),
        &InitOptions { staff: name.into(), branch: "Alta".into(), workspace_name: "Finnmark".into() },
    )
    .unwrap();
    s.set_durability(Durability::Normal).unwrap();
    dirs.push(d);
    s
}

fn run_sync(client: &mut Store, server: &mut Store) {
    sync::sync_local(client, server).unwrap();
}

fn pair(v: &mut [Store], a: usize, b: usize) -> (&mut Store, &mut Store) {
    assert_ne!(a, b);
    if a < b {
        let (x, y) = v.split_at_mut(b);
        (&mut x[a], &mut y[0])
    } else {
        let (x, y) = v.split_at_mut(a);
        (&mut y[0], &mut x[b])
    }
}

impl World {
    fn new() -> World {
        let mut dirs = vec![];
        let hub = store(&mut dirs, "hub");
        let ws = hub.workspace_id().unwrap();
        let tablets = (0..REPLICAS)
            .map(|i| {
                let mut s = store(&mut dirs, &format!("tablet {i}"));
                s.set_workspace(ws, "Finnmark").unwrap();
                s
            })
            .collect();
        World { _dirs: dirs, hub, tablets, partners: vec![], words: vec![], tags: vec![], erased: vec![] }
    }

    /// A partner this replica already has, if any.
    fn known(&self, at: usize, i: usize) -> Option<RecordId> {
        if self.partners.is_empty() {
            return None;
        }
        let id = self.partners[i % self.partners.len()];
        self.tablets[at].get::<Partner>(id).ok().map(|_| id)
    }

    fn apply(&mut self, op: Op, bundles: &std::path::Path) {
        match op {
            Op::AddPartner { at } => {
                let p =
                    Partner::new(format!("Partner {}", self.partners.len()), PartnerKind::Association, Level::Network);
                self.tablets[at].create(&p).unwrap();
                self.partners.push(p.id);
            }
            Op::AddEncounter { at, partner } => {
                let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Association);
                e.partners = self.known(at, partner).into_iter().collect();
                self.tablets[at].create(&e).unwrap();
            }
            Op::EditPhone { at, partner, n } => {
                if let Some(id) = self.known(at, partner) {
                    self.tablets[at].update::<Partner>(id, |p| p.phone = Some(format!("{n:05}"))).unwrap();
                }
            }
            Op::AppendNote { at, partner, word } => {
                if let Some(id) = self.known(at, partner) {
                    let w = format!("w{at}x{word}");
                    self.tablets[at].update::<Partner>(id, |p| p.note = format!("{} {w}", p.note)).unwrap();
                    self.words.push((id, w));
                }
            }
            Op::AddTag { at, partner, tag } => {
                if let Some(id) = self.known(at, partner) {
                    let t = format!("t{tag}");
                    self.tablets[at]
                        .update::<Partner>(id, |p| {
                            if !p.tags.contains(&t) {
                                p.tags.push(t.clone())
                            }
                        })
                        .unwrap();
                    self.tags.push((id, t));
                }
            }
            Op::Move { at, partner, level } => {
                if let Some(id) = self.known(at, partner) {
                    let l = Level::ALL[level as usize];
                    self.tablets[at]
                        .update::<Partner>(id, |p| {
                            p.move_to(l, None, now());
                        })
                        .unwrap();
                }
            }
            Op::Delete { at, partner } => {
                if let Some(id) = self.known(at, partner) {
                    self.tablets[at].delete(id).unwrap();
                }
            }
            Op::Erase { at, partner } => {
                if let Some(id) = self.known(at, partner) {
                    self.tablets[at].erase(id).unwrap();
                    self.erased.push(id);
                }
            }
            Op::Merge { at, keep, drop } => {
                if let (Some(k), Some(d)) = (self.known(at, keep), self.known(at, drop)) {
                    // The same partner, or one merged already here: refused, nothing written.
                    match self.tablets[at].merge_partners(k, d) {
                        Ok(_) | Err(samskap::store::StoreError::Merge(_)) => {}
                        Err(e) => panic!("merge failed: {e}"),
                    }
                }
            }
            Op::SyncHub { at } => run_sync(&mut self.tablets[at], &mut self.hub),
            Op::Lan { a, b } if a != b => {
                let (x, y) = pair(&mut self.tablets, a, b);
                run_sync(x, y);
            }
            Op::Bundle { from, to } if from != to => {
                let f = bundles.join(format!("{from}-{to}.samskap"));
                sync::export_bundle(&self.tablets[from], &f).unwrap();
                sync::import_bundle(&mut self.tablets[to], &f).unwrap();
            }
            Op::Lan { .. } | Op::Bundle { .. } => {}
        }
    }

    /// Everyone meets the hub (twice, so the first ones hear the last ones).
    fn meet(&mut self) {
        for _ in 0..2 {
            for t in &mut self.tablets {
                run_sync(t, &mut self.hub);
            }
        }
    }
}

fn snapshot(s: &Store, ids: &[RecordId]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            let p = match s.get::<Partner>(*id) {
                Err(samskap::store::StoreError::Erased(_)) => return "erased".to_string(),
                other => other.unwrap(),
            };
            let mut conflicts: Vec<String> = p
                .conflicts
                .iter()
                .map(|c| {
                    let mut v = c.values.clone();
                    v.sort();
                    format!("{}={v:?}", c.field)
                })
                .collect();
            conflicts.sort();
            let mut r = p.record.clone();
            r.level_history.sort_by_key(|m| (m.at, m.to));
            format!("{r:?} {conflicts:?}")
        })
        .collect()
}

/// The partner list (merged partners hidden) with each partner's encounters.
fn partner_links(s: &Store) -> Vec<(RecordId, Vec<RecordId>)> {
    let q = samskap::store::PartnerQuery { limit: Some(500), ..Default::default() };
    s.list_partners(&q)
        .unwrap()
        .into_iter()
        .map(|p| {
            let q = samskap::store::EncounterQuery { partner: Some(p.id), limit: Some(500), ..Default::default() };
            let mut e: Vec<RecordId> = s.list_encounters(&q).unwrap().into_iter().map(|e| e.id).collect();
            e.sort();
            (p.id, e)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64), ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_and_keep_every_edit(ops in proptest::collection::vec(op(), 1..40)) {
        let bundles = tempfile::tempdir().unwrap();
        let mut w = World::new();
        for op in ops {
            w.apply(op, bundles.path());
        }
        w.meet();
        let first = snapshot(&w.hub, &w.partners);
        let listed = partner_links(&w.hub);
        for t in &w.tablets {
            prop_assert_eq!(&snapshot(t, &w.partners), &first);
            prop_assert_eq!(t.counts().unwrap(), w.hub.counts().unwrap());
            // Merges resolve alike everywhere: the same partners listed, each with the same encounters.
            prop_assert_eq!(&partner_links(t), &listed);
        }
        for id in &w.erased {
            prop_assert!(matches!(w.hub.get::<Partner>(*id), Err(samskap::store::StoreError::Erased(_))));
        }
        for (id, word) in w.words.iter().filter(|(id, _)| !w.erased.contains(id)) {
            let note = w.hub.get::<Partner>(*id).unwrap().record.note;
            prop_assert!(note.contains(word.as_str()), "note lost {}: {}", word, note);
        }
        for (id, tag) in w.tags.iter().filter(|(id, _)| !w.erased.contains(id)) {
            prop_assert!(w.hub.get::<Partner>(*id).unwrap().record.tags.contains(tag), "tag lost {}", tag);
        }
    }
}
