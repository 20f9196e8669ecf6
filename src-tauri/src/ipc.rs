//! Payloads that exist only at the IPC edge (the records, rows and forms
//! come from the core). TypeScript for all of them is generated into
//! `ui/src/generated/` by the `bindings` test.

use chrono::{DateTime, Utc};
use samskap::model::*;
use samskap::settings::Settings;
use samskap::store::{ActivityQuery, EncounterQuery, FollowUpQuery, PartnerQuery, DEFAULT_PAGE};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::ApiError;

/// What the UI needs to draw its first screen.
#[derive(Clone, Debug, Serialize, TS)]
pub struct AppStatus {
    /// The store folder.
    pub data_dir: String,
    /// A store is open; otherwise the welcome screen creates one.
    pub ready: bool,
    pub profile: Option<StaffMember>,
    pub workspace_name: String,
    pub device_id: Option<String>,
    pub settings: Settings,
    /// Why the store could not be opened (in use, too new, not a store …).
    pub store_error: Option<ApiError>,
}

/// The welcome screen: creates the store and the user's staff profile.
#[derive(Clone, Debug, Deserialize, TS)]
pub struct InitInput {
    pub staff: String,
    pub branch: String,
    pub workspace_name: String,
}

/// The timeline's filters. Periods are instants; the UI turns the
/// person's local dates into them.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
pub struct TimelineFilter {
    pub staff: Option<RecordId>,
    pub place: Option<String>,
    pub perspective: Option<Perspective>,
    pub partner: Option<RecordId>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub text: Option<String>,
    pub limit: Option<u32>,
    pub offset: u32,
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl From<&TimelineFilter> for EncounterQuery {
    fn from(f: &TimelineFilter) -> Self {
        EncounterQuery {
            since: f.since,
            until: f.until,
            perspective: f.perspective,
            partner: f.partner,
            staff: f.staff,
            branch: None,
            place: nonempty(&f.place),
            text: nonempty(&f.text),
            limit: Some(f.limit.map_or(DEFAULT_PAGE, |l| l.min(500) as usize)),
            offset: f.offset as usize,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
pub struct PartnerFilter {
    pub text: Option<String>,
    pub level: Option<Level>,
    pub kind: Option<PartnerKind>,
    pub limit: Option<u32>,
    pub offset: u32,
}

impl From<&PartnerFilter> for PartnerQuery {
    fn from(f: &PartnerFilter) -> Self {
        PartnerQuery {
            level: f.level,
            kind: f.kind,
            text: nonempty(&f.text),
            limit: Some(f.limit.map_or(DEFAULT_PAGE, |l| l.min(500) as usize)),
            offset: f.offset as usize,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
pub struct ActivityFilter {
    pub status: Option<ActivityStatus>,
    pub partner: Option<RecordId>,
    pub limit: Option<u32>,
}

impl From<&ActivityFilter> for ActivityQuery {
    fn from(f: &ActivityFilter) -> Self {
        ActivityQuery {
            status: f.status,
            partner: f.partner,
            limit: Some(f.limit.map_or(DEFAULT_PAGE, |l| l.min(500) as usize)),
            offset: 0,
        }
    }
}

/// The follow-ups screen's choices.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
pub struct FollowUpFilter {
    /// Everyone's, not only this staff member's.
    pub all: bool,
    pub include_done: bool,
}

impl FollowUpFilter {
    pub fn query(&self, me: Option<RecordId>, today: chrono::NaiveDate) -> FollowUpQuery {
        FollowUpQuery { owner: if self.all { None } else { me }, include_done: self.include_done, today, limit: 500 }
    }
}

/// Milliseconds from the process start to the UI's first interactive screen.
#[derive(Clone, Debug, Serialize, TS)]
pub struct Interactive {
    pub since_start_ms: f64,
}

/// A LAN session this device hosts: what colleagues type or scan.
#[derive(Clone, Debug, Serialize, TS)]
pub struct LanHosting {
    pub url: String,
    pub invite: String,
    /// What the QR code holds (`samskap:join?url=…&invite=…`).
    pub link: String,
    /// The QR code of `link`, as an SVG document.
    pub qr_svg: String,
}

impl LanHosting {
    pub fn of(s: &samskap::net::device::LanSession) -> LanHosting {
        let link = s.join_link();
        let qr_svg = qrcode::QrCode::new(link.as_bytes())
            .map(|q| q.render::<qrcode::render::svg::Color<'_>>().min_dimensions(220, 220).quiet_zone(true).build())
            .unwrap_or_default();
        LanHosting { url: s.url().to_string(), invite: s.invite().to_string(), link, qr_svg }
    }
}

/// How far a bundle import has come: arrived records indexed so far.
#[derive(Clone, Debug, Serialize, TS)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

/// A spreadsheet the person picked in the system dialog, and what importing it would do.
#[derive(Clone, Debug, Serialize, TS)]
pub struct ChosenImport {
    /// Where the file is, for planning again with mappings and for importing.
    pub path: String,
    /// The file's name, to show.
    pub name: String,
    pub plan: samskap::import::partners::ImportPlan,
}
