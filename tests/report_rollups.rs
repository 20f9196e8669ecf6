//! Property: the effect report read from the rollups (`store/rollup.rs`,
//! kept by triggers) is the report counted from scratch over the index,
//! whatever happened before: creates, edits of every field the report
//! groups by (date, branch, staff, perspective, partner links, a partner's
//! kind), deletes and restores, erasures, partner merges, activities naming
//! an encounter as their origin, and syncs between three replicas (which
//! bring all of these in from elsewhere). Checked on the replica touched
//! after every step, for the whole period, partial months, one day, a
//! branch, a staff member and each partner kind. `SAMSKAP_ROLLUP_CASES` sets the
//! number of cases (default 64: about twenty seconds in a debug build).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use samskap::model::*;
use samskap::report::{self, ReportFilter};
use samskap::store::{Durability, Store};
use samskap::sync;

const STORES: usize = 3;
const KINDS: [PartnerKind; 3] = [PartnerKind::Association, PartnerKind::School, PartnerKind::MunicipalDepartment];
const BRANCHES: [&str; 2] = ["Alta", "Vardø"];
/// Partners, encounters and activities an op may name (by creation order).
const SLOTS: usize = 8;

/// An encounter's fields as drawn.
#[derive(Clone, Debug)]
struct Spec {
    day: i64,
    hour: u32,
    perspective: usize,
    counterpart: usize,
    initiative: u8,
    role: u8,
    outcomes: u8,
    outside: bool,
    branch: usize,
    /// 0: no staff member; i: the staff member of replica i - 1.
    staff: usize,
    partners: Vec<usize>,
}

#[derive(Clone, Copy, Debug)]
enum Target {
    Encounter(usize),
    Partner(usize),
    Activity(usize),
}

#[derive(Clone, Debug)]
enum Op {
    AddPartner { at: usize, kind: usize },
    AddEncounter { at: usize, spec: Spec },
    EditEncounter { at: usize, e: usize, spec: Spec },
    SetKind { at: usize, p: usize, kind: usize },
    AddActivity { at: usize, e: usize, p: usize },
    Delete { at: usize, what: Target },
    Restore { at: usize, what: Target },
    Erase { at: usize, what: Target },
    Merge { at: usize, keep: usize, drop: usize },
    Sync { a: usize, b: usize },
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (0..150i64, 0..24u32, 0..4usize, 0..7usize, 0..3u8, 0..3u8),
        (0..32u8, any::<bool>(), 0..2usize, 0..=STORES, proptest::collection::vec(0..SLOTS, 0..3)),
    )
        .prop_map(
            |(
                (day, hour, perspective, counterpart, initiative, role),
                (outcomes, outside, branch, staff, partners),
            )| {
                Spec {
                    day,
                    hour,
                    perspective,
                    counterpart,
                    initiative,
                    role,
                    outcomes,
                    outside,
                    branch,
                    staff,
                    partners,
                }
            },
        )
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        3 => (0..SLOTS).prop_map(Target::Encounter),
        2 => (0..SLOTS).prop_map(Target::Partner),
        1 => (0..SLOTS).prop_map(Target::Activity),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let r = 0..STORES;
    prop_oneof![
        2 => (r.clone(), 0..KINDS.len()).prop_map(|(at, kind)| Op::AddPartner { at, kind }),
        4 => (r.clone(), spec()).prop_map(|(at, spec)| Op::AddEncounter { at, spec }),
        3 => (r.clone(), 0..SLOTS, spec()).prop_map(|(at, e, spec)| Op::EditEncounter { at, e, spec }),
        2 => (r.clone(), 0..SLOTS, 0..KINDS.len()).prop_map(|(at, p, kind)| Op::SetKind { at, p, kind }),
        1 => (r.clone(), 0..SLOTS, 0..SLOTS).prop_map(|(at, e, p)| Op::AddActivity { at, e, p }),
        1 => (r.clone(), target()).prop_map(|(at, what)| Op::Delete { at, what }),
        1 => (r.clone(), target()).prop_map(|(at, what)| Op::Restore { at, what }),
        1 => (r.clone(), target()).prop_map(|(at, what)| Op::Erase { at, what }),
        1 => (r.clone(), 0..SLOTS, 0..SLOTS).prop_map(|(at, keep, drop)| Op::Merge { at, keep, drop }),
        3 => (r.clone(), r).prop_map(|(a, b)| Op::Sync { a, b }),
    ]
}

/// Day 0 is the 20th of January: the days drawn cross six month ends.
fn when(spec: &Spec) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 20, spec.hour, 0, 0).unwrap() + Duration::days(spec.day)
}

struct World {
    _dirs: Vec<tempfile::TempDir>,
    stores: Vec<Store>,
    staff: Vec<RecordId>,
    partners: Vec<RecordId>,
    encounters: Vec<RecordId>,
    activities: Vec<RecordId>,
}

/// Memory (`/dev/shm`) where there is some: the property is about counts, not disks.
fn scratch() -> std::path::PathBuf {
    let shm = std::path::PathBuf::from("/dev/shm");
    if tempfile::tempdir_in(&shm).is_ok() {
        shm
    } else {
        std::env::temp_dir()
    }
}

impl World {
    fn new() -> World {
        let mut dirs = vec![];
        let mut stores: Vec<Store> = vec![];
        for i in 0..STORES {
            let d = tempfile::tempdir_in(scratch()).unwrap();
            let mut s = samskap::testing::store_in(d.path(), &format!("Staff {i}"), BRANCHES[i % 2]);
            s.set_durability(Durability::Normal).unwrap();
            if let Some(first) = stores.first() {
                s.set_workspace(first.workspace_id().unwrap(), "Finnmark").unwrap();
            }
            dirs.push(d);
            stores.push(s);
        }
        let staff = stores.iter().map(|s| s.me().unwrap()).collect();
        World { _dirs: dirs, stores, staff, partners: vec![], encounters: vec![], activities: vec![] }
    }

    fn pick(v: &[RecordId], i: usize) -> Option<RecordId> {
        (!v.is_empty()).then(|| v[i % v.len()])
    }

    fn fill(&self, e: &mut Encounter, spec: &Spec) {
        e.when = when(spec);
        e.perspective = Perspective::ALL[spec.perspective % Perspective::ALL.len()];
        e.counterpart = CounterpartKind::ALL[spec.counterpart % CounterpartKind::ALL.len()];
        e.initiative = [None, Some(Initiative::Citizen), Some(Initiative::Library)][spec.initiative as usize % 3];
        e.role = [None, Some(Role::Active), Some(Role::Facilitating)][spec.role as usize % 3];
        e.outcomes = Outcome::ALL.iter().copied().filter(|o| spec.outcomes & (1 << (o.code() - 1)) != 0).collect();
        e.outside = spec.outside;
        e.branch = BRANCHES[spec.branch].into();
        e.staff = spec.staff.checked_sub(1).map(|i| self.staff[i]);
        e.partners = vec![];
        for p in &spec.partners {
            if let Some(id) = Self::pick(&self.partners, *p) {
                if !e.partners.contains(&id) {
                    e.partners.push(id);
                }
            }
        }
    }

    fn id(&self, t: Target) -> Option<RecordId> {
        match t {
            Target::Encounter(i) => Self::pick(&self.encounters, i),
            Target::Partner(i) => Self::pick(&self.partners, i),
            Target::Activity(i) => Self::pick(&self.activities, i),
        }
    }

    /// Applies one op; ops on records a replica lacks (not synced yet,
    /// erased, merged) fail as they would for a person, and change nothing.
    fn apply(&mut self, op: &Op) -> usize {
        match op {
            Op::AddPartner { at, kind } => {
                let p = Partner::new(format!("Partner {}", self.partners.len()), KINDS[*kind], Level::Network);
                if let Ok(id) = self.stores[*at].create(&p) {
                    self.partners.push(id);
                }
                *at
            }
            Op::AddEncounter { at, spec } => {
                let mut e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
                self.fill(&mut e, spec);
                e.place = "Biblioteket".into();
                if let Ok(id) = self.stores[*at].create(&e) {
                    self.encounters.push(id);
                }
                *at
            }
            Op::EditEncounter { at, e, spec } => {
                if let Some(id) = Self::pick(&self.encounters, *e) {
                    let mut fresh = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
                    self.fill(&mut fresh, spec);
                    let _ = self.stores[*at].update::<Encounter>(id, |e| {
                        // Some fields at a time, as people edit.
                        match spec.hour % 4 {
                            0 => (e.when, e.branch) = (fresh.when, fresh.branch),
                            1 => {
                                (e.perspective, e.role, e.initiative) =
                                    (fresh.perspective, fresh.role, fresh.initiative)
                            }
                            2 => e.partners = fresh.partners,
                            _ => {
                                let keep = (e.id, e.place.clone(), e.deleted);
                                *e = Encounter { id: keep.0, place: keep.1, deleted: keep.2, ..fresh };
                            }
                        }
                    });
                }
                *at
            }
            Op::SetKind { at, p, kind } => {
                if let Some(id) = Self::pick(&self.partners, *p) {
                    let _ = self.stores[*at].update::<Partner>(id, |p| p.kind = KINDS[*kind]);
                }
                *at
            }
            Op::AddActivity { at, e, p } => {
                let mut a = Activity::new(format!("Aktivitet {}", self.activities.len()), ActivityStatus::Idea);
                a.from_encounters.extend(Self::pick(&self.encounters, *e));
                a.partners.extend(Self::pick(&self.partners, *p));
                if let Ok(id) = self.stores[*at].create(&a) {
                    self.activities.push(id);
                }
                *at
            }
            Op::Delete { at, what } => {
                if let Some(id) = self.id(*what) {
                    let _ = self.stores[*at].delete(id);
                }
                *at
            }
            Op::Restore { at, what } => {
                if let Some(id) = self.id(*what) {
                    let _ = self.stores[*at].restore(id);
                }
                *at
            }
            Op::Erase { at, what } => {
                if let Some(id) = self.id(*what) {
                    let _ = self.stores[*at].erase(id);
                }
                *at
            }
            Op::Merge { at, keep, drop } => {
                if let (Some(k), Some(d)) = (Self::pick(&self.partners, *keep), Self::pick(&self.partners, *drop)) {
                    let _ = self.stores[*at].merge_partners(k, d);
                }
                *at
            }
            Op::Sync { a, b } => {
                if a != b {
                    let (x, y) = pair(&mut self.stores, *a, *b);
                    sync::sync_local(x, y).unwrap();
                }
                *b
            }
        }
    }

    /// The report filters checked: the whole period, partial months, one
    /// day, a branch, a staff member, each partner kind, and two together.
    fn filters(&self) -> Vec<ReportFilter> {
        let d = |s: &str| Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        let whole = ReportFilter { from: d("2024-12-01"), to: d("2025-07-31"), ..Default::default() };
        let mut out = vec![
            whole.clone(),
            ReportFilter { from: d("2025-02-10"), to: d("2025-05-03"), ..Default::default() },
            ReportFilter { from: d("2025-03-14"), to: d("2025-03-14"), ..Default::default() },
            ReportFilter { branch: Some(BRANCHES[1].into()), ..whole.clone() },
            ReportFilter { staff: Some(self.staff[0]), ..whole.clone() },
            ReportFilter {
                from: d("2025-01-31"),
                to: d("2025-04-01"),
                branch: Some(BRANCHES[0].into()),
                partner_kind: Some(KINDS[0]),
                ..Default::default()
            },
        ];
        out.extend(KINDS.iter().map(|k| ReportFilter { partner_kind: Some(*k), ..whole.clone() }));
        out
    }
}

fn pair(v: &mut [Store], a: usize, b: usize) -> (&mut Store, &mut Store) {
    if a < b {
        let (x, y) = v.split_at_mut(b);
        (&mut x[a], &mut y[0])
    } else {
        let (x, y) = v.split_at_mut(a);
        (&mut y[0], &mut x[b])
    }
}

fn check(w: &World, at: usize) -> Result<(), TestCaseError> {
    let s = &w.stores[at];
    for f in w.filters() {
        let fast = report::build(s, &f).unwrap();
        let slow = report::build_from_scratch(s, &f).unwrap();
        prop_assert_eq!(fast, slow, "replica {}, filter {:?}", at, f);
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("SAMSKAP_ROLLUP_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn the_report_from_rollups_is_the_report_from_scratch(ops in proptest::collection::vec(op(), 1..40)) {
        let mut w = World::new();
        for op in &ops {
            let at = w.apply(op);
            check(&w, at)?;
        }
        for at in 0..STORES {
            check(&w, at)?;
        }
    }
}

/// Replica 0 with two partners, five encounters over four months and an
/// activity naming one of them as its origin.
fn seeded() -> World {
    let mut w = World::new();
    w.apply(&Op::AddPartner { at: 0, kind: 2 });
    w.apply(&Op::AddPartner { at: 0, kind: 0 });
    for day in [0, 12, 40, 41, 90] {
        let spec = Spec {
            day,
            hour: 9,
            perspective: day as usize % 4,
            counterpart: 4,
            initiative: 1,
            role: 2,
            outcomes: 9,
            outside: day % 2 == 0,
            branch: day as usize % 2,
            staff: 1,
            partners: vec![day as usize % 2, 1],
        };
        w.apply(&Op::AddEncounter { at: 0, spec });
    }
    w.apply(&Op::AddActivity { at: 0, e: 2, p: 0 });
    w
}

/// `partner_reach` holds, per partner, staff member and branch, exactly the
/// number of links of indexed encounters (a report only asks whether there
/// are any, so an overcount shows only once encounters are deleted).
fn assert_reach_is_counted_from_the_links(w: &World, at: usize) {
    let db = rusqlite::Connection::open(w._dirs[at].path().join(samskap::store::DB_FILE)).unwrap();
    let rows = |sql: &str| -> Vec<(i64, i64, String, i64)> {
        let mut stmt = db.prepare(sql).unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(Result::unwrap).collect()
    };
    let kept = rows("SELECT partner, staff, branch, n FROM partner_reach ORDER BY 1, 2, 3");
    let counted = rows(
        "SELECT ep.partner, coalesce(e.staff, -1), e.branch, count(*) FROM encounter_partners ep
         JOIN encounters e ON e.rowid = ep.encounter GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    );
    assert!(!kept.is_empty());
    assert_eq!(kept, counted, "replica {at}");
}

/// A store from before the rollups gets them filled when it is opened.
#[test]
fn a_store_from_before_the_rollups_gets_them_on_open() {
    let w = seeded();
    let dir = w._dirs[0].path().to_path_buf();
    let before: Vec<_> = w.filters().iter().map(|f| report::build(&w.stores[0], f).unwrap()).collect();
    let World { stores, _dirs, .. } = w;
    drop(stores);
    let db = rusqlite::Connection::open(dir.join(samskap::store::DB_FILE)).unwrap();
    db.execute_batch(samskap::testing::BEFORE_ROLLUPS).unwrap();
    drop(db);
    let s = Store::open(&dir).unwrap();
    let staff = s.me().unwrap();
    let w =
        World { _dirs, stores: vec![s], staff: vec![staff], partners: vec![], encounters: vec![], activities: vec![] };
    let after: Vec<_> = w.filters().iter().map(|f| report::build(&w.stores[0], f).unwrap()).collect();
    assert_eq!(before, after);
    assert_eq!(before[0].personal.encounters, 5);
    assert_eq!(before[0].relevance.encounters_origin_of_activity, 1);
    check(&w, 0).unwrap();
}

/// A first sync into an empty store (and a demo fill) computes the rollups
/// once at the end instead of row by row (`Store::defer_query_indexes`);
/// a load cut off before the end gets them when the store is next opened.
/// Either way the report is the report counted from scratch — here with a
/// partner whose kind changed after its encounters were logged, so the
/// encounters' partner kinds arrive before the kind they must count under.
/// Then the encounters are deleted one by one: the counts the load left
/// (links per partner and branch too, not only whether there are any) must
/// come down to nothing exactly.
#[test]
fn rollups_computed_once_after_a_bulk_load_are_the_report_from_scratch() {
    let mut w = seeded();
    w.apply(&Op::SetKind { at: 0, p: 0, kind: 1 });
    check(&w, 0).unwrap();

    let (from, to) = pair(&mut w.stores, 0, 1);
    assert!(to.defer_query_indexes().unwrap(), "an empty store defers");
    sync::sync_local(to, from).unwrap();
    to.restore_query_indexes().unwrap();
    check(&w, 1).unwrap();

    let (from, to) = pair(&mut w.stores, 0, 2);
    assert!(to.defer_query_indexes().unwrap());
    sync::sync_local(to, from).unwrap();
    let dir = w._dirs[2].path().to_path_buf();
    drop(w.stores.pop());
    w.stores.push(Store::open(&dir).unwrap());
    check(&w, 2).unwrap();
    let fast = report::build(&w.stores[2], &w.filters()[0]).unwrap();
    assert_eq!(fast.personal.encounters, 5);

    for at in [1, 2] {
        assert_reach_is_counted_from_the_links(&w, at);
        for e in 0..w.encounters.len() {
            w.apply(&Op::Delete { at, what: Target::Encounter(e) });
            check(&w, at).unwrap();
        }
        assert_eq!(report::build(&w.stores[at], &w.filters()[0]).unwrap().personal.encounters, 0);
    }
}
