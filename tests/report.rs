//! Effect reports checked against a hand-counted scenario: two staff at two
//! branches, three partners (one moved up twice, one up and down again),
//! seven encounters around a first quarter, three activities.

use chrono::{DateTime, NaiveDate, Utc};
use samskap::model::*;
use samskap::report::{self, LevelCounts, PerspectiveCounts, Report, ReportFilter, StatusCounts};
use samskap::store::Store;

use crate::util::Tablet;

pub struct Scenario {
    pub dir: tempfile::TempDir,
    pub ingrid: RecordId,
    pub ole: RecordId,
    pub p1: RecordId,
    pub p2: RecordId,
    pub p3: RecordId,
    pub encounters: Vec<RecordId>,
}

pub fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn partner(name: &str, kind: PartnerKind, moves: &[(&str, Level)]) -> Partner {
    let mut p = Partner::new(name, kind, moves[0].1);
    p.created_at = t(moves[0].0);
    p.level_history[0].at = p.created_at;
    for (at, level) in &moves[1..] {
        assert!(p.move_to(*level, None, t(at)));
    }
    p
}

#[allow(clippy::too_many_arguments)]
fn encounter(
    when: &str,
    staff: RecordId,
    branch: &str,
    perspective: Perspective,
    counterpart: CounterpartKind,
    partners: &[RecordId],
    initiative: Option<Initiative>,
    role: Option<Role>,
) -> Encounter {
    let mut e = Encounter::new(perspective, counterpart);
    e.when = t(when);
    e.staff = Some(staff);
    e.branch = branch.into();
    e.partners = partners.to_vec();
    e.initiative = initiative;
    e.role = role;
    e.place = format!("{branch} bibliotek");
    e
}

/// The scenario of this module's docs, in a real store on disk.
pub fn scenario() -> Scenario {
    use CounterpartKind as C;
    use Perspective::*;
    let (dir, mut s) = samskap::testing::temp_store("Ingrid Haugen", "Vadsø");
    let ingrid = s.me().unwrap();
    let ole = StaffMember { id: RecordId::new(), name: "Ole Somby".into(), branch: "Alta".into(), deleted: false };
    s.create(&ole).unwrap();
    let ole = ole.id;

    // P1 moved twice (up, up); P2 up and down again; P3 joined in March.
    let p1 = partner(
        "Vadsø husflidslag",
        PartnerKind::Association,
        &[
            ("2025-12-15T09:00:00Z", Level::Network),
            ("2026-01-10T12:00:00Z", Level::Collaboration),
            ("2026-02-20T12:00:00Z", Level::Partnership),
        ],
    );
    let p2 = partner(
        "Kulturskolen i Alta",
        PartnerKind::MunicipalDepartment,
        &[
            ("2026-01-05T09:00:00Z", Level::Network),
            ("2026-02-01T10:00:00Z", Level::Collaboration),
            ("2026-03-10T10:00:00Z", Level::Network),
        ],
    );
    let p3 = partner("Coop Extra Vadsø", PartnerKind::Business, &[("2026-03-01T08:00:00Z", Level::Network)]);
    let (p1, p2, p3) = (s.create(&p1).unwrap(), s.create(&p2).unwrap(), s.create(&p3).unwrap());

    let mut e1 = encounter(
        "2026-01-10T10:00:00Z",
        ingrid,
        "Vadsø",
        CoCreative,
        C::Association,
        &[p1],
        Some(Initiative::Citizen),
        Some(Role::Facilitating),
    );
    e1.outside = true;
    e1.outcomes = vec![Outcome::NewActivity];
    let e2 =
        encounter("2026-01-20T11:00:00Z", ingrid, "Vadsø", Service, C::Citizen, &[], Some(Initiative::Library), None);
    let mut e3 = encounter(
        "2026-02-03T09:00:00Z",
        ole,
        "Alta",
        CoCreative,
        C::MunicipalDepartment,
        &[p2],
        Some(Initiative::Library),
        Some(Role::Active),
    );
    e3.outcomes = vec![Outcome::Invitation];
    let e4 = encounter(
        "2026-02-15T09:00:00Z",
        ole,
        "Alta",
        Professional,
        C::MunicipalDepartment,
        &[p2],
        Some(Initiative::Citizen),
        None,
    );
    let e5 = encounter("2026-03-31T23:30:00Z", ingrid, "Vadsø", CoCreative, C::Business, &[p3], None, None);
    let e6 = encounter("2025-12-31T23:59:00Z", ingrid, "Vadsø", CoCreative, C::Citizen, &[p1], None, None);
    let e7 = encounter("2026-04-01T00:00:00Z", ole, "Alta", Authority, C::PublicBody, &[], None, None);
    let encounters = vec![e1.id, e2.id, e3.id, e4.id, e5.id, e6.id, e7.id];
    s.create_many(vec![e1.clone(), e2, e3.clone(), e4, e5, e6, e7]).unwrap();

    let mut a1 = Activity::new("Strikkekafé", ActivityStatus::Running);
    a1.created_at = t("2026-01-15T12:00:00Z");
    a1.extra_resources = Some(false);
    a1.partners = vec![p1];
    a1.from_encounters = vec![e1.id];
    let mut a2 = Activity::new("Språkkafé på torget", ActivityStatus::Idea);
    a2.created_at = t("2026-02-10T12:00:00Z");
    a2.outside = true;
    a2.extra_resources = Some(true);
    a2.partners = vec![p2];
    a2.from_encounters = vec![e3.id];
    let mut a3 = Activity::new("Gammel lesesirkel", ActivityStatus::Ended);
    a3.created_at = t("2025-11-01T12:00:00Z");
    s.create_many(vec![a1, a2, a3]).unwrap();
    Scenario { dir, ingrid, ole, p1, p2, p3, encounters }
}

/// Opens a store in this process. Other tests spawn the CLI meanwhile, and a
/// child between fork and exec briefly holds copies of our file locks, so a
/// store just closed may read as busy for a moment: wait for it.
pub fn open(dir: &std::path::Path) -> Store {
    for _ in 0..100 {
        match Store::open(dir) {
            Err(samskap::store::StoreError::Busy { .. }) => std::thread::sleep(std::time::Duration::from_millis(20)),
            other => return other.unwrap(),
        }
    }
    panic!("the store in {} stayed busy", dir.display())
}

fn run(s: &Scenario, f: ReportFilter) -> Report {
    let store = open(s.dir.path());
    report::build(&store, &f).unwrap()
}

fn quarter() -> ReportFilter {
    ReportFilter { from: Some(d("2026-01-01")), to: Some(d("2026-03-31")), ..Default::default() }
}

fn levels(network: u64, collaboration: u64, partnership: u64) -> LevelCounts {
    LevelCounts { network, collaboration, partnership }
}

#[test]
fn the_first_quarter_by_hand() {
    let s = scenario();
    let r = run(&s, quarter());
    assert_eq!(r.months, ["2026-01", "2026-02", "2026-03"]);

    // 1 Personal: E1–E5 (E6 is the evening before, E7 the morning after).
    let p = &r.personal;
    assert_eq!(p.encounters, 5);
    assert_eq!(p.by_perspective, PerspectiveCounts { co_creative: 3, professional: 1, authority: 0, service: 1 });
    assert_eq!(p.co_creative_share, 0.6);
    assert_eq!((p.initiative.citizen, p.initiative.library, p.initiative.unknown), (2, 2, 1));
    assert_eq!((p.role.active, p.role.facilitating, p.role.unknown), (1, 1, 1));
    let staff: Vec<(&str, u64, u64)> =
        p.per_staff.iter().map(|s| (s.name.as_str(), s.encounters, s.by_perspective.co_creative)).collect();
    assert_eq!(staff, [("Ingrid Haugen", 3, 2), ("Ole Somby", 2, 1)]);
    assert_eq!(p.per_staff[0].staff, Some(s.ingrid));
    assert_eq!(p.per_staff[1].staff, Some(s.ole));
    let months: Vec<(u64, u64)> = p.per_month.iter().map(|m| (m.encounters, m.by_perspective.co_creative)).collect();
    assert_eq!(months, [(2, 1), (2, 1), (1, 1)]);

    // 2 Institutional
    let n = &r.institutional;
    assert_eq!((n.team_size, n.staff_logging, n.staff_co_creative), (2, 2, 2));
    let per: Vec<(u64, u64)> = n.per_month.iter().map(|m| (m.staff_logging, m.staff_co_creative)).collect();
    assert_eq!(per, [(1, 1), (1, 1), (1, 1)]);
    let branches: Vec<(&str, u64, u64, u64)> =
        n.branches.iter().map(|b| (b.branch.as_str(), b.encounters, b.co_creative, b.staff_co_creative)).collect();
    assert_eq!(branches, [("Alta", 2, 1, 1), ("Vadsø", 3, 2, 1)]);

    // 3 Relevance: A1 and A2 are new; A3 is older.
    let v = &r.relevance;
    assert_eq!(v.new_activities, 2);
    assert_eq!(v.by_status, StatusCounts { idea: 1, running: 1, ..Default::default() });
    assert_eq!((v.inside, v.outside), (1, 1));
    assert_eq!((v.without_extra_resources, v.with_extra_resources, v.resources_unknown), (1, 1, 0));
    let per: Vec<(u64, u64)> = v.per_month.iter().map(|m| (m.inside, m.outside)).collect();
    assert_eq!(per, [(1, 0), (0, 1), (0, 0)]);
    assert_eq!(v.encounters_marked_new_activity, 1);
    assert_eq!(v.encounters_origin_of_activity, 2);
    assert_eq!(v.encounters_outside, 1);

    // 4 Visibility: P1 N→C (Jan 10) → P (Feb 20); P2 N (Jan 5) → C (Feb 1) → N (Mar 10); P3 N (Mar 1).
    let w = &r.visibility;
    assert_eq!(w.levels_at_start, levels(1, 0, 0));
    let per: Vec<LevelCounts> = w.levels_per_month.iter().map(|m| m.levels).collect();
    assert_eq!(per, [levels(1, 1, 0), levels(0, 1, 1), levels(2, 0, 1)]);
    assert_eq!(w.levels_at_end, levels(2, 0, 1));
    assert_eq!((w.new_partners, w.moves_up, w.moves_down), (2, 3, 1));
    let kinds: Vec<(PartnerKind, u64, u64, u64)> = w.kinds.iter().map(|k| (k.kind, k.partners, k.new, k.met)).collect();
    assert_eq!(
        kinds,
        [
            (PartnerKind::Association, 1, 0, 1),
            (PartnerKind::Business, 1, 1, 1),
            (PartnerKind::MunicipalDepartment, 1, 1, 1)
        ]
    );
    let dep = w.departments;
    assert_eq!((dep.encounters, dep.from_departments, dep.to_departments, dep.invitations), (2, 1, 1, 1));
}

#[test]
fn an_empty_period_counts_nothing_but_the_standing_circle() {
    let s = scenario();
    let r = run(&s, ReportFilter { from: Some(d("2027-01-01")), to: Some(d("2027-01-31")), ..Default::default() });
    assert_eq!(r.months, ["2027-01"]);
    assert_eq!(r.personal.encounters, 0);
    assert_eq!(r.personal.co_creative_share, 0.0);
    assert!(r.personal.per_staff.is_empty());
    assert_eq!(r.institutional.staff_logging, 0);
    assert_eq!(r.relevance.new_activities, 0);
    assert_eq!((r.visibility.new_partners, r.visibility.moves_up, r.visibility.moves_down), (0, 0, 0));
    // The partners are still there, at the levels their last moves left them.
    assert_eq!(r.visibility.levels_at_start, levels(2, 0, 1));
    assert_eq!(r.visibility.levels_at_end, levels(2, 0, 1));
    assert!(r.visibility.kinds.iter().all(|k| k.new == 0 && k.met == 0));
}

#[test]
fn a_single_day_holds_only_that_day() {
    let s = scenario();
    let day = |x: &str| run(&s, ReportFilter { from: Some(d(x)), to: Some(d(x)), ..Default::default() });
    // 23:30 on the last day of March counts; midnight on 1 April does not.
    let r = day("2026-03-31");
    assert_eq!(r.personal.encounters, 1);
    assert_eq!(r.personal.by_perspective.co_creative, 1);
    assert_eq!(r.months, ["2026-03"]);
    // The day P1 moved up: one encounter, one move up, no new partner.
    let r = day("2026-01-10");
    assert_eq!(r.personal.encounters, 1);
    assert_eq!((r.visibility.moves_up, r.visibility.new_partners), (1, 0));
    // P1 (network since December) and P2 (since 5 January); P1 moves up at noon.
    assert_eq!(r.visibility.levels_at_start, levels(2, 0, 0));
    assert_eq!(r.visibility.levels_at_end, levels(1, 1, 0));
    let r = day("2026-04-01");
    assert_eq!(r.personal.by_perspective.authority, 1);
}

#[test]
fn the_partner_that_moved_twice() {
    let s = scenario();
    let r = run(&s, ReportFilter { partner_kind: Some(PartnerKind::Association), ..quarter() });
    // Only P1 and what touches it: E1, A1.
    let per: Vec<LevelCounts> = r.visibility.levels_per_month.iter().map(|m| m.levels).collect();
    assert_eq!(per, [levels(0, 1, 0), levels(0, 0, 1), levels(0, 0, 1)]);
    assert_eq!((r.visibility.moves_up, r.visibility.moves_down, r.visibility.new_partners), (2, 0, 0));
    assert_eq!(r.visibility.moves.len(), 2);
    assert_eq!(r.personal.encounters, 1);
    assert_eq!(r.relevance.new_activities, 1);
    assert_eq!(r.relevance.by_status.running, 1);
}

#[test]
fn branch_and_staff_filters() {
    let s = scenario();
    let alta = run(&s, ReportFilter { branch: Some("Alta".into()), ..quarter() });
    assert_eq!(alta.personal.encounters, 2);
    assert_eq!(alta.institutional.team_size, 1);
    assert_eq!(alta.relevance.new_activities, 1, "A2 came from Ole's encounter in Alta");
    assert_eq!(alta.visibility.levels_at_end, levels(1, 0, 0), "only P2 was met from Alta");
    assert_eq!(alta.visibility.departments.encounters, 2);
    let ingrid = run(&s, ReportFilter { staff: Some(s.ingrid), ..quarter() });
    assert_eq!(ingrid.personal.encounters, 3);
    assert_eq!(ingrid.personal.per_staff.len(), 1);
    assert_eq!(ingrid.relevance.new_activities, 1);
    assert_eq!(ingrid.visibility.levels_at_end, levels(1, 0, 1), "P1 and P3");
}

#[test]
fn deleted_records_leave_the_figures() {
    let s = scenario();
    {
        let mut store = open(s.dir.path());
        store.delete(s.encounters[0]).unwrap();
        store.delete(s.p3).unwrap();
    }
    let r = run(&s, quarter());
    assert_eq!(r.personal.encounters, 4);
    assert_eq!(r.relevance.encounters_marked_new_activity, 0);
    assert_eq!(r.visibility.levels_at_end, levels(1, 0, 1));
    let _ = (s.p1, s.p2);
}

#[test]
fn the_command_line_prints_the_same_figures() {
    let s = scenario();
    let t = Tablet { dir: s.dir };
    let j = t.json(&["report", "--from", "2026-01-01", "--to", "2026-03-31"]);
    assert_eq!(j["personal"]["encounters"], 5);
    assert_eq!(j["personal"]["by_perspective"]["co_creative"], 3);
    assert_eq!(j["visibility"]["levels_at_end"]["network"], 2);
    assert_eq!(j["visibility"]["moves_down"], 1);
    assert_eq!(j["relevance"]["encounters_origin_of_activity"], 2);
    let text = t.ok(&["report", "--from", "2026-01-01", "--to", "2026-03-31", "--branch", "Alta"]);
    for heading in ["1 Personal", "2 Institutional", "3 Relevance", "4 Visibility", "branch Alta"] {
        assert!(text.contains(heading), "{heading} missing in:\n{text}");
    }
    let j = t.json(&["report", "--from", "2026-01-01", "--to", "2026-03-31", "--partner-kind", "business"]);
    assert_eq!(j["personal"]["encounters"], 1);
    let before = t.snapshot();
    let err = t.fails(&["report", "--from", "2026-03-01", "--to", "2026-02-01"]);
    assert!(err.contains("starts (2026-03-01) after it ends"), "{err}");
    let err = t.fails(&["report", "--from", "1.1.2026"]);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    assert_eq!(before, t.snapshot(), "a refused report writes nothing");
}

#[test]
fn a_store_from_before_the_outcomes_column_is_reindexed_on_open() {
    let s = scenario();
    let db = s.dir.path().join("samskap.db");
    {
        // Make the file look like layout 2: no outcomes or month columns.
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(samskap::testing::BEFORE_ROLLUPS).unwrap();
        c.execute_batch(
            "ALTER TABLE encounters DROP COLUMN outcomes; ALTER TABLE encounters DROP COLUMN month;
             DROP TABLE control_log; DROP INDEX record_keys_fp; ALTER TABLE record_keys DROP COLUMN fp;
             DROP TABLE follow_ups; DROP INDEX chunks_local;
             DROP TABLE partner_merges; DROP TABLE partner_canon; ALTER TABLE partners DROP COLUMN merged;
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let r = run(&s, quarter());
    assert_eq!(r.relevance.encounters_marked_new_activity, 1);
    assert_eq!(r.visibility.departments.invitations, 1);
    assert_eq!(r.personal.encounters, 5);
    let store = open(s.dir.path());
    assert_eq!(store.unindexed_count().unwrap(), 0);
    assert_eq!(store.counts().unwrap().encounters, 7);
    let hits = store.search("bibliotek", 50).unwrap();
    assert_eq!(hits.iter().filter(|h| h.kind == RecordKind::Encounter).count(), 7, "search rows rebuilt once each");
}
