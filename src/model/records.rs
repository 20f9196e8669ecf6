//! The records people log. Plain data: no storage, no Automerge here.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::enums::*;
use super::RecordId;

/// One everyday meeting in which co-creation did or could happen.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Encounter {
    pub id: RecordId,
    pub when: DateTime<Utc>,
    pub place: String,
    /// Outside the library room (pop-up, market, school …).
    pub outside: bool,
    /// The staff member who logged it.
    pub staff: Option<RecordId>,
    /// The branch the staff member logged it for (reports filter by branch).
    pub branch: String,
    pub colleagues: Vec<RecordId>,
    pub counterpart: CounterpartKind,
    pub partners: Vec<RecordId>,
    pub perspective: Perspective,
    pub initiative: Option<Initiative>,
    pub role: Option<Role>,
    /// The idea or initiative raised.
    pub idea: String,
    pub note: String,
    pub tags: Vec<String>,
    pub follow_ups: Vec<FollowUp>,
    pub outcomes: Vec<Outcome>,
    /// Path or content hash of an optional photo.
    pub photo: Option<String>,
    pub deleted: bool,
}

/// A task that came out of an encounter.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: String,
    pub text: String,
    pub due: Option<NaiveDate>,
    pub owner: Option<RecordId>,
    pub done: bool,
}

/// An organisation or person the library relates to.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Partner {
    pub id: RecordId,
    /// Personal (a partner may be a private citizen): sealed in the document.
    pub name: String,
    pub kind: PartnerKind,
    pub level: Level,
    /// Every move on the network circle, oldest first.
    pub level_history: Vec<LevelMove>,
    pub contacts: Vec<Contact>,
    /// Personal: sealed.
    pub phone: Option<String>,
    /// Personal: sealed.
    pub email: Option<String>,
    pub place: String,
    pub tags: Vec<String>,
    /// Shared notes about the organisation; merges character by character.
    pub note: String,
    /// Free text about private persons; sealed.
    pub personal_note: String,
    pub agreements: Vec<Agreement>,
    pub evaluations: Vec<Evaluation>,
    pub created_at: DateTime<Utc>,
    /// Set when this partner was merged into another (the survivor); a
    /// merged partner is hidden and every reference to it means the survivor.
    pub merged_into: Option<RecordId>,
    pub deleted: bool,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelMove {
    pub at: DateTime<Utc>,
    pub from: Option<Level>,
    pub to: Level,
    pub by: Option<RecordId>,
}

/// A contact person at a partner. Name, phone and e-mail are sealed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub role: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Why we may store this person's data (GDPR).
    pub basis: Option<ConsentBasis>,
}

/// An agreement in a partnership: expectations, roles, resources, results,
/// and what each side gets out of it. Long texts merge character by character.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: String,
    pub title: String,
    pub expectations: String,
    pub roles: String,
    pub resources: String,
    pub results: String,
    pub library_gets: String,
    pub partner_gets: String,
    pub agreed_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
}

/// A periodic evaluation of a partnership, on the seeds' five-step scale.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub id: String,
    pub on: NaiveDate,
    pub by: Option<RecordId>,
    pub rating: Degree,
    pub note: String,
}

/// Something created together.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: RecordId,
    pub title: String,
    pub status: ActivityStatus,
    pub outside: bool,
    pub place: String,
    pub partners: Vec<RecordId>,
    pub from_encounters: Vec<RecordId>,
    /// Did it need extra resources? `None` when nobody said.
    pub extra_resources: Option<bool>,
    pub note: String,
    pub tags: Vec<String>,
    pub starts_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub deleted: bool,
}

/// A staff member's profile.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: RecordId,
    pub name: String,
    pub branch: String,
    pub deleted: bool,
}

impl Encounter {
    /// A new encounter now, with the two fields every encounter needs.
    pub fn new(perspective: Perspective, counterpart: CounterpartKind) -> Self {
        Encounter {
            id: RecordId::new(),
            when: now(),
            place: String::new(),
            outside: false,
            staff: None,
            branch: String::new(),
            colleagues: vec![],
            counterpart,
            partners: vec![],
            perspective,
            initiative: None,
            role: None,
            idea: String::new(),
            note: String::new(),
            tags: vec![],
            follow_ups: vec![],
            outcomes: vec![],
            photo: None,
            deleted: false,
        }
    }
}

impl Partner {
    pub fn new(name: impl Into<String>, kind: PartnerKind, level: Level) -> Self {
        let now = now();
        Partner {
            id: RecordId::new(),
            name: name.into(),
            kind,
            level,
            level_history: vec![LevelMove { at: now, from: None, to: level, by: None }],
            contacts: vec![],
            phone: None,
            email: None,
            place: String::new(),
            tags: vec![],
            note: String::new(),
            personal_note: String::new(),
            agreements: vec![],
            evaluations: vec![],
            created_at: now,
            merged_into: None,
            deleted: false,
        }
    }

    /// Moves the partner on the network circle, keeping the history of moves.
    /// Returns false when the partner already is at that level.
    pub fn move_to(&mut self, level: Level, by: Option<RecordId>, at: DateTime<Utc>) -> bool {
        if self.level == level {
            return false;
        }
        self.level_history.push(LevelMove { at, from: Some(self.level), to: level, by });
        self.level = level;
        true
    }
}

impl Activity {
    pub fn new(title: impl Into<String>, status: ActivityStatus) -> Self {
        Activity {
            id: RecordId::new(),
            title: title.into(),
            status,
            outside: false,
            place: String::new(),
            partners: vec![],
            from_encounters: vec![],
            extra_resources: None,
            note: String::new(),
            tags: vec![],
            starts_on: None,
            created_at: now(),
            deleted: false,
        }
    }
}

/// An id for items inside a record (contacts, follow-ups …).
/// Time-ordered, so items sort in the order they were added.
pub fn item_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// The current time at the precision records keep (milliseconds), so a
/// record reads back exactly as it was written.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}
