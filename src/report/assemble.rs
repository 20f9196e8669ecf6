//! Adds the index's grouped cells up into the report's figures.

use std::collections::{BTreeMap, BTreeSet};

use super::figures::*;
use super::{ReportError, ReportFilter};
use crate::model::*;
use crate::store::report_cells as cells;
use crate::store::{EncounterCell, EncounterSums, Reader, ReportScope, Store};

/// Where the encounter figures come from: the rollups (the report), or
/// counted from scratch (the reference the rollups are tested against).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Rollups,
    FromScratch,
}

/// What the report reads through the rollups.
struct Counted {
    cells: Vec<EncounterCell>,
    sums: EncounterSums,
    kinds: Vec<cells::KindCell>,
    levels: Vec<cells::LevelCell>,
    moves: Vec<cells::MoveCell>,
}

fn counted(db: Reader<'_>, scope: &ReportScope, source: Source) -> crate::store::Result<Counted> {
    use cells::from_scratch as slow;
    Ok(match source {
        Source::Rollups => Counted {
            cells: cells::encounter_cells(db, scope)?,
            sums: cells::encounter_sums(db, scope)?,
            kinds: cells::kind_cells(db, scope)?,
            levels: cells::level_cells(db, scope)?,
            moves: cells::move_cells(db, scope)?,
        },
        Source::FromScratch => Counted {
            cells: slow::encounter_cells(db, scope)?,
            sums: slow::encounter_sums(db, scope)?,
            kinds: slow::kind_cells(db, scope)?,
            levels: slow::level_cells(db, scope)?,
            moves: slow::move_cells(db, scope)?,
        },
    })
}

pub fn report(store: &Store, filter: &ReportFilter, source: Source) -> Result<Report, ReportError> {
    let period = filter.period()?;
    let months = period.months();
    let mut checkpoints = vec![(String::from("start"), period.from_ms())];
    checkpoints.extend(months.iter().cloned());
    let scope = ReportScope {
        from_ms: period.from_ms(),
        to_ms: period.to_ms(),
        branch: filter.branch.clone().filter(|b| !b.trim().is_empty()),
        staff: filter.staff,
        partner_kind: filter.partner_kind,
        checkpoints,
    };
    let labels: Vec<String> = months.into_iter().map(|(m, _)| m).collect();
    let c = counted(store.reader(), &scope, source)?;
    let (personal, institutional) = people(&c.cells, &c.sums, &labels, cells::team_size(store.reader(), &scope)?);
    let relevance = relevance(store, &scope, &c.sums, &labels)?;
    let visibility = visibility(&c, &labels);
    Ok(Report { period, filter: filter.clone(), months: labels, personal, institutional, relevance, visibility })
}

fn people(
    cells: &[EncounterCell],
    sums: &EncounterSums,
    months: &[String],
    team_size: u64,
) -> (Personal, Institutional) {
    let mut total = PerspectiveCounts::default();
    let mut per_month: BTreeMap<&str, PerspectiveCounts> = BTreeMap::new();
    let mut per_staff: BTreeMap<Option<RecordId>, StaffFigures> = BTreeMap::new();
    let mut logging: BTreeMap<&str, BTreeSet<Option<RecordId>>> = BTreeMap::new();
    let mut co_creating: BTreeMap<&str, BTreeSet<Option<RecordId>>> = BTreeMap::new();
    let mut branches: BTreeMap<&str, (PerspectiveCounts, BTreeSet<Option<RecordId>>)> = BTreeMap::new();
    for c in cells {
        total.add(c.perspective, c.count);
        per_month.entry(&c.month).or_default().add(c.perspective, c.count);
        let s = per_staff.entry(c.staff).or_insert_with(|| StaffFigures {
            staff: c.staff,
            name: c.staff_name.clone().unwrap_or_default(),
            branch: c.branch.clone(),
            ..Default::default()
        });
        s.by_perspective.add(c.perspective, c.count);
        logging.entry(&c.month).or_default().insert(c.staff);
        let b = branches.entry(&c.branch).or_default();
        b.0.add(c.perspective, c.count);
        if c.perspective == Perspective::CoCreative {
            co_creating.entry(&c.month).or_default().insert(c.staff);
            b.1.insert(c.staff);
        }
    }
    let initiative = InitiativeCounts {
        citizen: sums.initiative_citizen,
        library: sums.initiative_library,
        unknown: sums.encounters - sums.initiative_citizen - sums.initiative_library,
    };
    let role = RoleCounts {
        active: sums.co_active,
        facilitating: sums.co_facilitating,
        unknown: sums.co_creative - sums.co_active - sums.co_facilitating,
    };
    let mut staff: Vec<StaffFigures> = per_staff
        .into_values()
        .map(|mut s| {
            s.encounters = s.by_perspective.total();
            s.co_creative_share = s.by_perspective.co_creative_share();
            s
        })
        .collect();
    staff.sort_by(|a, b| b.encounters.cmp(&a.encounters).then_with(|| a.name.cmp(&b.name)));
    let distinct = |m: &BTreeMap<&str, BTreeSet<Option<RecordId>>>| -> u64 {
        m.values().flatten().collect::<BTreeSet<_>>().len() as u64
    };
    let personal = Personal {
        encounters: total.total(),
        by_perspective: total,
        co_creative_share: total.co_creative_share(),
        initiative,
        role,
        per_staff: staff,
        per_month: months
            .iter()
            .map(|m| {
                let p = per_month.get(m.as_str()).copied().unwrap_or_default();
                MonthPerspectives {
                    month: m.clone(),
                    by_perspective: p,
                    encounters: p.total(),
                    co_creative_share: p.co_creative_share(),
                }
            })
            .collect(),
    };
    let institutional = Institutional {
        team_size,
        staff_logging: distinct(&logging),
        staff_co_creative: distinct(&co_creating),
        per_month: months
            .iter()
            .map(|m| MonthStaff {
                month: m.clone(),
                staff_logging: logging.get(m.as_str()).map_or(0, |s| s.len() as u64),
                staff_co_creative: co_creating.get(m.as_str()).map_or(0, |s| s.len() as u64),
            })
            .collect(),
        branches: branches
            .into_iter()
            .map(|(b, (p, staff))| BranchFigures {
                branch: b.to_string(),
                encounters: p.total(),
                co_creative: p.co_creative,
                co_creative_share: p.co_creative_share(),
                staff_co_creative: staff.len() as u64,
            })
            .collect(),
    };
    (personal, institutional)
}

fn relevance(
    store: &Store,
    scope: &ReportScope,
    sums: &EncounterSums,
    months: &[String],
) -> Result<Relevance, ReportError> {
    let mut r = Relevance::default();
    let mut per_month: BTreeMap<String, MonthActivities> = BTreeMap::new();
    for c in cells::activity_cells(store.reader(), scope)? {
        r.new_activities += c.count;
        r.by_status.add(c.status, c.count);
        let m = per_month.entry(c.month.clone()).or_default();
        if c.outside {
            r.outside += c.count;
            m.outside += c.count;
        } else {
            r.inside += c.count;
            m.inside += c.count;
        }
        *match c.extra_resources {
            Some(false) => &mut r.without_extra_resources,
            Some(true) => &mut r.with_extra_resources,
            None => &mut r.resources_unknown,
        } += c.count;
    }
    r.per_month = months
        .iter()
        .map(|m| MonthActivities { month: m.clone(), ..per_month.get(m).cloned().unwrap_or_default() })
        .collect();
    r.encounters_marked_new_activity = sums.new_activity;
    r.encounters_outside = sums.outside;
    r.encounters_origin_of_activity = sums.origin;
    Ok(r)
}

fn visibility(c: &Counted, months: &[String]) -> Visibility {
    let (sums, kinds) = (&c.sums, &c.kinds);
    let mut v = Visibility::default();
    let mut at: BTreeMap<String, LevelCounts> = BTreeMap::new();
    for l in &c.levels {
        at.entry(l.checkpoint.clone()).or_default().add(l.level, l.count);
    }
    v.levels_at_start = at.get("start").copied().unwrap_or_default();
    v.levels_per_month = months
        .iter()
        .map(|m| MonthLevels { month: m.clone(), levels: at.get(m).copied().unwrap_or_default() })
        .collect();
    v.levels_at_end = v.levels_per_month.last().map(|m| m.levels).unwrap_or(v.levels_at_start);
    for c in &c.moves {
        match c.from {
            None => v.new_partners += c.count,
            Some(from) => {
                if c.to > from {
                    v.moves_up += c.count;
                } else if c.to < from {
                    v.moves_down += c.count;
                }
                v.moves.push(MoveCount { from, to: c.to, count: c.count });
            }
        }
    }
    v.moves.sort_by_key(|m| (m.from, m.to));
    v.kinds =
        kinds.iter().map(|k| KindFigures { kind: k.kind, partners: k.partners, new: k.new, met: k.met }).collect();
    let d = &mut v.departments;
    d.encounters = sums.municipal;
    d.from_departments = sums.municipal_citizen;
    d.to_departments = sums.municipal_library;
    d.invitations = sums.invitations;
    v
}
