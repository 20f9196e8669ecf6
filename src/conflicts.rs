//! The conflicts inbox: records whose fields hold two or more concurrent
//! values (after a sync), and settling them by choosing one value per field.
//!
//! A [`Conflict`] names its field by a dotted path (`phone`,
//! `contacts.<item id>.email`) and lists the values as text. Choosing
//! writes the chosen values back with [`Store::resolve`], which rewrites
//! every field and so settles all of the record's conflicts at once; fields
//! the person did not choose keep the value shown first.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use crate::doc::{Conflict, Record};
use crate::i18n::{noun, Language, Localize};
use crate::model::*;
use crate::store::{ActivityQuery, EncounterQuery, Indexed, PartnerQuery, Store, StoreError};
use crate::tr;

/// A record with conflicts, as the inbox lists it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConflictedRecord {
    pub id: RecordId,
    pub kind: RecordKind,
    pub title: String,
    pub conflicts: Vec<Conflict>,
}

/// What the inbox looked at, and what it found.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub records: Vec<ConflictedRecord>,
    /// How many records were checked.
    pub checked: u32,
}

/// One decision: the value to keep for a field.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub field: String,
    pub value: String,
}

#[derive(Debug, Error)]
pub enum ConflictError {
    #[error("field {0} cannot be settled here")]
    Unsupported(String),
    #[error("'{value}' is not a valid value for {field}")]
    BadValue { field: String, value: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ConflictError {
    pub fn code(&self) -> &'static str {
        match self {
            ConflictError::Unsupported(_) => "unsupported_field",
            ConflictError::BadValue { .. } => "invalid",
            ConflictError::Store(e) => e.code(),
        }
    }
}

impl Localize for ConflictError {
    fn localize(&self, lang: Language) -> String {
        match self {
            ConflictError::Unsupported(field) => tr!(lang,
                nb: "Feltet {} kan ikke avgjøres her; åpne posten og rett det der",
                da: "Feltet {} kan ikke afgøres her; åbn posten, og ret det dér",
                en: "field {} cannot be settled here; open the record and edit it there", noun(field, lang)),
            ConflictError::BadValue { field, value } => tr!(lang,
                nb: "«{value}» er ikke en gyldig verdi for {}",
                da: "»{value}« er ikke en gyldig værdi for {}",
                en: "'{value}' is not a valid value for {}", noun(field, lang)),
            ConflictError::Store(e) => e.localize(lang),
        }
    }
}

const ALL: usize = usize::MAX >> 1;

/// Checks partners, activities, staff profiles and the latest `recent_encounters`
/// encounters for conflicts. (Until the sync layer reports which records a sync
/// touched, this is a scan; encounters are many and rarely edited twice.)
pub fn inbox(store: &Store, recent_encounters: usize) -> Result<Inbox, ConflictError> {
    let mut out = Inbox { records: vec![], checked: 0 };
    let mut check = |id: RecordId, kind: RecordKind| -> Result<(), ConflictError> {
        out.checked += 1;
        if let Some(r) = conflicted(store, id, kind)? {
            out.records.push(r);
        }
        Ok(())
    };
    for p in store.list_partners(&PartnerQuery { limit: Some(ALL), ..Default::default() })? {
        check(p.id, RecordKind::Partner)?;
    }
    for a in store.list_activities(&ActivityQuery { limit: Some(ALL), ..Default::default() })? {
        check(a.id, RecordKind::Activity)?;
    }
    for s in store.list_staff()? {
        check(s.id, RecordKind::Staff)?;
    }
    for e in store.list_encounters(&EncounterQuery { limit: Some(recent_encounters), ..Default::default() })? {
        check(e.id, RecordKind::Encounter)?;
    }
    Ok(out)
}

/// One record's conflicts, or `None` when it has none.
pub fn conflicted(store: &Store, id: RecordId, kind: RecordKind) -> Result<Option<ConflictedRecord>, ConflictError> {
    fn one<R: Record>(
        store: &Store,
        id: RecordId,
        title: impl Fn(&R) -> String,
    ) -> Result<Option<ConflictedRecord>, ConflictError> {
        let l = store.get::<R>(id)?;
        Ok((!l.conflicts.is_empty()).then(|| ConflictedRecord {
            id,
            kind: R::KIND,
            title: title(&l.record),
            conflicts: l.conflicts,
        }))
    }
    match kind {
        RecordKind::Partner => one::<Partner>(store, id, |p| p.name.clone()),
        RecordKind::Activity => one::<Activity>(store, id, |a| a.title.clone()),
        RecordKind::Staff => one::<StaffMember>(store, id, |s| s.name.clone()),
        RecordKind::Encounter => one::<Encounter>(store, id, |e| {
            format!("{} · {}", e.when.format("%Y-%m-%d"), e.place).trim_end_matches(" · ").to_string()
        }),
    }
}

/// Settles a record's conflicts with the chosen values; returns what is left (nothing, normally).
pub fn resolve(store: &mut Store, id: RecordId, choices: &[Choice]) -> Result<Option<ConflictedRecord>, ConflictError> {
    fn settle<R: Record + Indexed + DeserializeOwned>(
        store: &mut Store,
        id: RecordId,
        choices: &[Choice],
    ) -> Result<(), ConflictError> {
        let mut rec = store.get::<R>(id)?.record;
        apply(&mut rec, choices)?;
        store.resolve::<R>(id, move |r| *r = rec)?;
        Ok(())
    }
    let kind = store.kind_of(id)?;
    match kind {
        RecordKind::Partner => settle::<Partner>(store, id, choices)?,
        RecordKind::Activity => settle::<Activity>(store, id, choices)?,
        RecordKind::Staff => settle::<StaffMember>(store, id, choices)?,
        RecordKind::Encounter => settle::<Encounter>(store, id, choices)?,
    }
    conflicted(store, id, kind)
}

/// Sets each chosen field of `rec` from its text value, keeping its type.
pub fn apply<R: Serialize + DeserializeOwned>(rec: &mut R, choices: &[Choice]) -> Result<(), ConflictError> {
    let mut json = serde_json::to_value(&*rec).map_err(|_| ConflictError::Unsupported(String::new()))?;
    for c in choices {
        let unsupported = || ConflictError::Unsupported(c.field.clone());
        if c.value == "[sealed]" {
            return Err(unsupported());
        }
        let slot = find(&mut json, &c.field).ok_or_else(unsupported)?;
        *slot = typed(slot, &c.value)
            .ok_or_else(|| ConflictError::BadValue { field: c.field.clone(), value: c.value.clone() })?;
    }
    *rec = serde_json::from_value(json).map_err(|_| ConflictError::BadValue {
        field: choices.iter().map(|c| c.field.as_str()).collect::<Vec<_>>().join(", "),
        value: choices.iter().map(|c| c.value.as_str()).collect::<Vec<_>>().join(", "),
    })?;
    Ok(())
}

/// The scalar a dotted path names; list items are found by their `id`.
fn find<'a>(json: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut cur = json;
    for seg in path.split('.') {
        cur = match cur {
            Value::Object(m) => m.get_mut(seg)?,
            Value::Array(items) => items.iter_mut().find(|i| i.get("id").and_then(Value::as_str) == Some(seg))?,
            _ => return None,
        };
    }
    (!cur.is_object() && !cur.is_array()).then_some(cur)
}

/// The text of a conflict value, as the JSON type the field already has.
/// Times are kept in documents as milliseconds and in records as RFC 3339.
fn typed(current: &Value, text: &str) -> Option<Value> {
    match current {
        Value::Bool(_) => text.parse::<bool>().ok().map(Value::Bool),
        Value::Number(_) => text.parse::<i64>().ok().map(Value::from),
        Value::String(s) if chrono::DateTime::parse_from_rfc3339(s).is_ok() => {
            let ms = text.parse::<i64>().ok()?;
            let t = chrono::DateTime::from_timestamp_millis(ms)?;
            serde_json::to_value(t).ok()
        }
        Value::Null if text.is_empty() => Some(Value::Null),
        _ => Some(Value::String(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(field: &str, value: &str) -> Choice {
        Choice { field: field.into(), value: value.into() }
    }

    #[test]
    fn choices_set_fields_by_path_keeping_types() {
        let mut p = Partner::new("Vadsø husflidslag", PartnerKind::Association, Level::Network);
        p.contacts.push(Contact::parse_line("Máret;leder;915 00 001").unwrap());
        let cid = p.contacts[0].id.clone();
        apply(
            &mut p,
            &[
                choice("phone", "+47 789 55 123"),
                choice("level", "partnership"),
                choice(&format!("contacts.{cid}.phone"), "915 00 002"),
            ],
        )
        .unwrap();
        assert_eq!(p.phone.as_deref(), Some("+47 789 55 123"));
        assert_eq!(p.level, Level::Partnership);
        assert_eq!(p.contacts[0].phone.as_deref(), Some("915 00 002"));

        let mut e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
        apply(
            &mut e,
            &[choice("outside", "true"), choice("when", "1780000000000"), choice("perspective", "co-creative")],
        )
        .unwrap();
        assert!(e.outside);
        assert_eq!(e.when.timestamp_millis(), 1_780_000_000_000);
        assert_eq!(e.perspective, Perspective::CoCreative);
    }

    #[test]
    fn bad_choices_change_nothing() {
        let mut e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
        let before = e.clone();
        assert_eq!(apply(&mut e, &[choice("perspective", "friendly")]).unwrap_err().code(), "invalid");
        assert_eq!(apply(&mut e, &[choice("nope", "x")]).unwrap_err().code(), "unsupported_field");
        assert_eq!(apply(&mut e, &[choice("tags", "x")]).unwrap_err().code(), "unsupported_field");
        assert_eq!(apply(&mut e, &[choice("place", "[sealed]")]).unwrap_err().code(), "unsupported_field");
        assert_eq!(e, before);
    }

    #[test]
    fn a_store_without_sync_has_an_empty_inbox() {
        let (_dir, mut store) = crate::testing::temp_store("Ingrid", "Vadsø");
        store.create(&Partner::new("Lag", PartnerKind::Association, Level::Network)).unwrap();
        let inbox = inbox(&store, 10).unwrap();
        assert!(inbox.records.is_empty());
        assert_eq!(inbox.checked, 2);
    }
}
