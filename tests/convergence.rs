//! Property: five replicas, random edits and random sync topologies (hub,
//! LAN pairs, bundles, partitions) always end identical once everyone has
//! met the hub, with every acknowledged edit present — except in records
//! erased meanwhile, which are gone everywhere (erasure wins over any edit).
//! A second topology puts the hub on PostgreSQL: two hub processes' storage
//! (two `PgHub`s, each with its own connection pool and group-commit queue,
//! as two processes have) on one database, and every sync with the hub goes
//! to one of them at random. `PROPTEST_CASES` sets the number of cases of
//! both (CI runs 1000; `SAMSKAP_PG_CASES` overrides it for the second,
//! which shares one throwaway cluster and gives each case a fresh workspace).

use std::sync::Arc;

use proptest::prelude::*;
use samskap::model::*;
use samskap::net::hub::{Credentials, HubAdmin, HubStorage};
use samskap::net::pg::PgHub;
use samskap::store::{Durability, Store};
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

/// Where the hub keeps the workspace. (One per test world: boxing the
/// store would buy nothing.)
#[allow(clippy::large_enum_variant)]
enum Hub {
    /// A full replica store (as the SQLite hub keeps one per workspace).
    Replica(Store),
    /// Two hub processes on one PostgreSQL database; each tablet's
    /// credential and the hub's replica id.
    Postgres { hubs: Arc<[PgHub; 2]>, joined: Vec<(String, ReplicaId)> },
}

struct World {
    _dirs: Vec<tempfile::TempDir>,
    hub: Hub,
    tablets: Vec<Store>,
    partners: Vec<RecordId>,
    /// Note words and tags each replica wrote (acknowledged edits).
    words: Vec<(RecordId, String)>,
    tags: Vec<(RecordId, String)>,
    erased: Vec<RecordId>,
}

/// Where the property's replicas and cluster keep their files: memory
/// (`/dev/shm`) where there is one. The property is about order and
/// convergence, not durability, and a thousand cases of six new stores
/// each would otherwise spend most of their time waiting for the disk.
fn scratch() -> std::path::PathBuf {
    let shm = std::path::PathBuf::from("/dev/shm");
    if tempfile::tempdir_in(&shm).is_ok() {
        shm
    } else {
        std::env::temp_dir()
    }
}

fn store(dirs: &mut Vec<tempfile::TempDir>, name: &str) -> Store {
    let d = tempfile::tempdir_in(scratch()).unwrap();
    let s = samskap::testing::store_in(d.path(), name, "Alta");
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

/// One sync of a tablet with a hub process, through `HubStorage` as the
/// HTTP layer calls it (every message still goes through its bytes).
fn sync_via(hub: &PgHub, client: &mut Store, token: &str, server: ReplicaId) {
    let who = hub.authenticate(&Credentials { bearer: Some(token.into()), member: None }).unwrap();
    let mut s = sync::ClientSession::new(client, Some(server)).unwrap();
    while let sync::Progress::Send(req) = s.next(client).unwrap() {
        let resp = hub.sync(who, &req).unwrap();
        s.receive(client, &resp).unwrap();
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
        World {
            _dirs: dirs,
            hub: Hub::Replica(hub),
            tablets,
            partners: vec![],
            words: vec![],
            tags: vec![],
            erased: vec![],
        }
    }

    /// Tablets of a fresh workspace on the two PostgreSQL hub processes.
    fn on_postgres(hubs: Arc<[PgHub; 2]>) -> World {
        let mut dirs = vec![];
        let invite = hubs[0].invite(&format!("Finnmark {}", uuid::Uuid::new_v4())).unwrap();
        let mut joined = vec![];
        let tablets = (0..REPLICAS)
            .map(|i| {
                let mut s = store(&mut dirs, &format!("tablet {i}"));
                let j = hubs[i % 2].join(&invite, s.device(), "nettbrett").unwrap();
                s.set_workspace(j.workspace.into(), &j.workspace_name).unwrap();
                joined.push((j.token, j.server.into()));
                s
            })
            .collect();
        let hub = Hub::Postgres { hubs, joined };
        World { _dirs: dirs, hub, tablets, partners: vec![], words: vec![], tags: vec![], erased: vec![] }
    }

    /// Tablet `at` syncs with the hub (on PostgreSQL: with process `via`).
    fn sync_hub(&mut self, at: usize, via: usize) {
        match &mut self.hub {
            Hub::Replica(hub) => run_sync(&mut self.tablets[at], hub),
            Hub::Postgres { hubs, joined } => {
                let (token, server) = &joined[at];
                sync_via(&hubs[via % 2], &mut self.tablets[at], token, *server)
            }
        }
    }

    /// What every replica must end up holding: the hub's replica, or (on
    /// PostgreSQL, where the hub keeps no records) the first tablet's.
    fn reference(&self) -> &Store {
        match &self.hub {
            Hub::Replica(hub) => hub,
            Hub::Postgres { .. } => &self.tablets[0],
        }
    }

    /// A partner this replica already has, if any.
    fn known(&self, at: usize, i: usize) -> Option<RecordId> {
        if self.partners.is_empty() {
            return None;
        }
        let id = self.partners[i % self.partners.len()];
        self.tablets[at].get::<Partner>(id).ok().map(|_| id)
    }

    fn apply(&mut self, op: Op, via: usize, bundles: &std::path::Path) {
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
            Op::SyncHub { at } => self.sync_hub(at, via),
            Op::Lan { a, b } if a != b => {
                let (x, y) = pair(&mut self.tablets, a, b);
                run_sync(x, y);
            }
            Op::Bundle { from, to } if from != to => {
                let f = bundles.join(format!("{from}-{to}.samskap"));
                samskap::net::bundle_file::save(&self.tablets[from], &f).unwrap();
                samskap::net::bundle_file::load(&mut self.tablets[to], &f, |_, _| {}).unwrap();
            }
            Op::Lan { .. } | Op::Bundle { .. } => {}
        }
    }

    /// Everyone meets the hub (twice, so the first ones hear the last ones).
    fn meet(&mut self) {
        for round in 0..2 {
            for at in 0..REPLICAS {
                self.sync_hub(at, at + round);
            }
        }
    }

    /// Every replica holds the same, every acknowledged edit is there, and
    /// erased records are gone.
    fn check(&self) -> Result<(), TestCaseError> {
        let hub = self.reference();
        let first = snapshot(hub, &self.partners);
        let listed = partner_links(hub);
        for t in &self.tablets {
            prop_assert_eq!(&snapshot(t, &self.partners), &first);
            prop_assert_eq!(t.counts().unwrap(), hub.counts().unwrap());
            // Merges resolve alike everywhere: the same partners listed, each with the same encounters.
            prop_assert_eq!(&partner_links(t), &listed);
        }
        for id in &self.erased {
            prop_assert!(matches!(hub.get::<Partner>(*id), Err(samskap::store::StoreError::Erased(_))));
        }
        for (id, word) in self.words.iter().filter(|(id, _)| !self.erased.contains(id)) {
            let note = hub.get::<Partner>(*id).unwrap().record.note;
            prop_assert!(note.contains(word.as_str()), "note lost {}: {}", word, note);
        }
        for (id, tag) in self.tags.iter().filter(|(id, _)| !self.erased.contains(id)) {
            prop_assert!(hub.get::<Partner>(*id).unwrap().record.tags.contains(tag), "tag lost {}", tag);
        }
        Ok(())
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

fn env_cases(name: &str) -> Option<u32> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Cases of the first topology: `PROPTEST_CASES` (CI's 1000), else 64.
fn cases() -> u32 {
    env_cases("PROPTEST_CASES").unwrap_or(64)
}

/// Cases of the PostgreSQL topology: `SAMSKAP_PG_CASES`, else as many as
/// the first. One cluster and two hub processes serve every case (a fresh
/// workspace each), and replicas and cluster live in memory: a case costs
/// about a tenth of a second in a debug build, mostly the hub's round trips.
fn pg_cases() -> u32 {
    env_cases("SAMSKAP_PG_CASES").unwrap_or_else(cases)
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
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_and_keep_every_edit(ops in proptest::collection::vec(op(), 1..40)) {
        let bundles = tempfile::tempdir().unwrap();
        let mut w = World::new();
        for op in ops {
            w.apply(op, 0, bundles.path());
        }
        w.meet();
        w.check()?;
    }
}

/// The same property with the hub on PostgreSQL, each hub sync going to
/// one of two hub processes at random. One cluster serves every case.
#[test]
fn replicas_converge_through_two_hub_processes_on_one_postgresql() {
    // Commits do not wait for their WAL flush here (fsync stays on): this
    // property is about order and convergence, and a thousand cases of a
    // hundred commits each would otherwise spend most of their time waiting
    // for the disk. The fault tests in hub_pg.rs run as deployed.
    let cluster = samskap::net::pg::cluster::Cluster::start_in(&scratch(), &[("synchronous_commit", "off")]).unwrap();
    let url = cluster.create_database("hub").unwrap();
    let hubs = Arc::new([PgHub::open(&url).unwrap(), PgHub::open(&url).unwrap()]);
    let mut runner =
        proptest::test_runner::TestRunner::new(ProptestConfig { cases: pg_cases(), ..ProptestConfig::default() });
    let ops = proptest::collection::vec((op(), 0..2usize), 1..40);
    runner
        .run(&ops, |ops| {
            let bundles = tempfile::tempdir().unwrap();
            let mut w = World::on_postgres(hubs.clone());
            for (op, via) in ops {
                w.apply(op, via, bundles.path());
            }
            w.meet();
            w.check()
        })
        .unwrap();
}
