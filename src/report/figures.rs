//! The figures of a report, as plain data (serialized as the JSON of
//! `samskap report --json` and sent to the app).

use serde::Serialize;

use super::{Period, ReportFilter};
use crate::model::*;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    pub period: Period,
    pub filter: ReportFilter,
    /// The calendar months of the period ("YYYY-MM"); every per-month list follows them.
    pub months: Vec<String>,
    pub personal: Personal,
    pub institutional: Institutional,
    pub relevance: Relevance,
    pub visibility: Visibility,
}

impl Default for Period {
    fn default() -> Self {
        let d = chrono::NaiveDate::default();
        Period { from: d, to: d }
    }
}

/// Encounters per perspective (seed 002, docs/domain.md).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PerspectiveCounts {
    pub co_creative: u64,
    pub professional: u64,
    pub authority: u64,
    pub service: u64,
}

impl PerspectiveCounts {
    pub fn add(&mut self, p: Perspective, n: u64) {
        *match p {
            Perspective::CoCreative => &mut self.co_creative,
            Perspective::Professional => &mut self.professional,
            Perspective::Authority => &mut self.authority,
            Perspective::Service => &mut self.service,
        } += n;
    }

    pub fn get(&self, p: Perspective) -> u64 {
        match p {
            Perspective::CoCreative => self.co_creative,
            Perspective::Professional => self.professional,
            Perspective::Authority => self.authority,
            Perspective::Service => self.service,
        }
    }

    pub fn total(&self) -> u64 {
        self.co_creative + self.professional + self.authority + self.service
    }

    /// The share met with the co-creative perspective (0 when there were none).
    pub fn co_creative_share(&self) -> f64 {
        share(self.co_creative, self.total())
    }
}

/// `part / whole`, 0 for an empty whole; rounded to four decimals.
pub fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0
    }
}

/// Level 1: how staff meet people.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Personal {
    pub encounters: u64,
    pub by_perspective: PerspectiveCounts,
    /// Share of encounters met with the co-creative perspective (0–1).
    pub co_creative_share: f64,
    /// Who took the initiative, over all encounters.
    pub initiative: InitiativeCounts,
    /// The library's role in co-creative encounters.
    pub role: RoleCounts,
    pub per_staff: Vec<StaffFigures>,
    pub per_month: Vec<MonthPerspectives>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct InitiativeCounts {
    /// The citizen or partner came to the library ("tilkoblingsduelig").
    pub citizen: u64,
    /// The library reached out ("opsøgende").
    pub library: u64,
    pub unknown: u64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RoleCounts {
    pub active: u64,
    pub facilitating: u64,
    pub unknown: u64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StaffFigures {
    /// `None` for encounters logged without a staff member.
    pub staff: Option<RecordId>,
    pub name: String,
    pub branch: String,
    pub by_perspective: PerspectiveCounts,
    pub encounters: u64,
    pub co_creative_share: f64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MonthPerspectives {
    pub month: String,
    pub by_perspective: PerspectiveCounts,
    pub encounters: u64,
    pub co_creative_share: f64,
}

/// Level 2: how co-creation spreads through the team.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Institutional {
    /// Staff profiles in the workspace (of the branch, when filtered).
    pub team_size: u64,
    /// Staff who logged any encounter in the period.
    pub staff_logging: u64,
    /// Staff who logged at least one co-creative encounter in the period.
    pub staff_co_creative: u64,
    pub per_month: Vec<MonthStaff>,
    pub branches: Vec<BranchFigures>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MonthStaff {
    pub month: String,
    pub staff_logging: u64,
    pub staff_co_creative: u64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BranchFigures {
    /// Empty for encounters logged without a branch.
    pub branch: String,
    pub encounters: u64,
    pub co_creative: u64,
    pub co_creative_share: f64,
    pub staff_co_creative: u64,
}

/// Level 3: what citizens get out of it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Relevance {
    /// Activities created in the period.
    pub new_activities: u64,
    /// Their status now.
    pub by_status: StatusCounts,
    pub inside: u64,
    pub outside: u64,
    pub without_extra_resources: u64,
    pub with_extra_resources: u64,
    pub resources_unknown: u64,
    pub per_month: Vec<MonthActivities>,
    /// Encounters in the period marked as having led to a new activity.
    pub encounters_marked_new_activity: u64,
    /// Encounters in the period that an activity names as its origin.
    pub encounters_origin_of_activity: u64,
    /// Encounters in the period outside the library room.
    pub encounters_outside: u64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    pub idea: u64,
    pub planned: u64,
    pub running: u64,
    pub ended: u64,
    pub dropped: u64,
}

impl StatusCounts {
    pub fn add(&mut self, s: ActivityStatus, n: u64) {
        *match s {
            ActivityStatus::Idea => &mut self.idea,
            ActivityStatus::Planned => &mut self.planned,
            ActivityStatus::Running => &mut self.running,
            ActivityStatus::Ended => &mut self.ended,
            ActivityStatus::Dropped => &mut self.dropped,
        } += n;
    }

    pub fn get(&self, s: ActivityStatus) -> u64 {
        match s {
            ActivityStatus::Idea => self.idea,
            ActivityStatus::Planned => self.planned,
            ActivityStatus::Running => self.running,
            ActivityStatus::Ended => self.ended,
            ActivityStatus::Dropped => self.dropped,
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MonthActivities {
    pub month: String,
    pub inside: u64,
    pub outside: u64,
}

/// Level 4: how the library's network grows.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Visibility {
    /// Partners per network-circle level when the period starts …
    pub levels_at_start: LevelCounts,
    /// … and when it ends.
    pub levels_at_end: LevelCounts,
    /// At the end of each month (the last month: at the period's end).
    pub levels_per_month: Vec<MonthLevels>,
    /// Partners who joined the circle in the period.
    pub new_partners: u64,
    pub moves_up: u64,
    pub moves_down: u64,
    pub moves: Vec<MoveCount>,
    pub kinds: Vec<KindFigures>,
    pub departments: DepartmentFigures,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LevelCounts {
    pub network: u64,
    pub collaboration: u64,
    pub partnership: u64,
}

impl LevelCounts {
    pub fn add(&mut self, l: Level, n: u64) {
        *match l {
            Level::Network => &mut self.network,
            Level::Collaboration => &mut self.collaboration,
            Level::Partnership => &mut self.partnership,
        } += n;
    }

    pub fn get(&self, l: Level) -> u64 {
        match l {
            Level::Network => self.network,
            Level::Collaboration => self.collaboration,
            Level::Partnership => self.partnership,
        }
    }

    pub fn total(&self) -> u64 {
        self.network + self.collaboration + self.partnership
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MonthLevels {
    pub month: String,
    pub levels: LevelCounts,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MoveCount {
    pub from: Level,
    pub to: Level,
    pub count: u64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KindFigures {
    pub kind: PartnerKind,
    /// Partners of this kind at the period's end.
    pub partners: u64,
    /// … of which joined in the period.
    pub new: u64,
    /// … met in an encounter in the period.
    pub met: u64,
}

/// Encounters with other municipal departments (the counterpart kind).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DepartmentFigures {
    pub encounters: u64,
    /// The department took the initiative: it came to, or invited, the library.
    pub from_departments: u64,
    /// The library took the initiative: it invited, or reached out to, the department.
    pub to_departments: u64,
    /// Of these encounters, those marked with the outcome "invitation".
    pub invitations: u64,
}
