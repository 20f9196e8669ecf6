//! A record's history with names: [`doc::history`](crate::doc::history)
//! read from the record's document, staff ids mapped to staff members'
//! names. Needs no record key: the history names fields, never values.

use std::collections::HashMap;

use serde::Serialize;

use super::{chunk_log, Result, Store};
use crate::doc::history::{history, HistoryEntry};
use crate::model::{RecordId, RecordKind, StaffMember};

/// A record's changes, newest first.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct RecordHistory {
    pub id: RecordId,
    pub kind: RecordKind,
    pub entries: Vec<HistoryLine>,
}

/// One change, with the names a person reads.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct HistoryLine {
    #[serde(flatten)]
    pub entry: HistoryEntry,
    /// The staff member's name; `None` when the change names no staff member
    /// or one this replica does not know (yet).
    pub staff_name: Option<String>,
    /// The change was made on this device.
    pub this_device: bool,
}

impl Store {
    /// Who changed what and when in a record. An erased record has no
    /// history left: that is [`StoreError::Erased`](super::StoreError::Erased).
    pub fn history(&self, id: RecordId) -> Result<RecordHistory> {
        let (rowid, kind) = chunk_log::find(self.conn(), id)?;
        let doc = chunk_log::load(self.conn(), rowid, &self.actor)?;
        let me = self.device_id().to_string();
        let mut names: HashMap<RecordId, Option<String>> = HashMap::new();
        let entries = history(&doc)
            .into_iter()
            .map(|entry| {
                let staff_name = entry.staff.and_then(|s| {
                    names.entry(s).or_insert_with(|| self.get::<StaffMember>(s).ok().map(|m| m.record.name)).clone()
                });
                HistoryLine { this_device: entry.device == me, staff_name, entry }
            })
            .collect();
        Ok(RecordHistory { id, kind, entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::HistoryAction;
    use crate::model::*;
    use crate::store::StoreError;
    use crate::sync::sync_local;

    fn tablet(staff: &str) -> (tempfile::TempDir, Store) {
        crate::testing::temp_store(staff, "Vadsø")
    }

    #[test]
    fn two_colleagues_edits_show_with_their_names_and_devices() {
        let (_a, mut ingrid) = tablet("Ingrid Haugen");
        let (_b, mut nils) = tablet("Nils Áilo Labba");
        let ws = ingrid.workspace_id().unwrap();
        nils.set_workspace(ws, "Finnmark").unwrap();
        let mut p = Partner::new("Vadsø husflidslag", PartnerKind::Association, Level::Network);
        p.phone = Some("915 00 001".into());
        let id = ingrid.create(&p).unwrap();
        sync_local(&mut nils, &mut ingrid).unwrap();

        // Offline, each on their own tablet.
        ingrid.update::<Partner>(id, |p| p.phone = Some("+47 789 55 999".into())).unwrap();
        nils.update::<Partner>(id, |p| p.place = "Vadsø".into()).unwrap();
        sync_local(&mut nils, &mut ingrid).unwrap();

        for store in [&ingrid, &nils] {
            let h = store.history(id).unwrap();
            assert_eq!(h.kind, RecordKind::Partner);
            assert_eq!(h.entries.len(), 3);
            let created = h.entries.last().unwrap();
            assert_eq!(created.entry.action, HistoryAction::Created);
            assert_eq!(created.staff_name.as_deref(), Some("Ingrid Haugen"));
            let by = |name: &str| {
                h.entries
                    .iter()
                    .find(|l| l.staff_name.as_deref() == Some(name) && l.entry.action == HistoryAction::Edited)
                    .unwrap()
            };
            assert_eq!(by("Ingrid Haugen").entry.fields, ["phone"]);
            assert_eq!(by("Ingrid Haugen").entry.device, ingrid.device_id().to_string());
            assert_eq!(by("Nils Áilo Labba").entry.fields, ["place"]);
            assert_eq!(by("Nils Áilo Labba").entry.device, nils.device_id().to_string());
            assert_eq!(by("Nils Áilo Labba").this_device, std::ptr::eq(store, &nils));
            let json = serde_json::to_string(&h).unwrap();
            assert!(!json.contains("789 55") && !json.contains("915 00"), "{json}");
        }
    }

    #[test]
    fn a_change_without_staff_has_no_name_and_an_erased_record_no_history() {
        let (_a, mut store) = tablet("Ingrid Haugen");
        let id = store.create(&Encounter::new(Perspective::Service, CounterpartKind::Citizen)).unwrap();
        let h = store.history(id).unwrap();
        assert_eq!(h.entries[0].staff_name.as_deref(), Some("Ingrid Haugen"));
        assert!(h.entries[0].this_device);

        // A hub's replica has no staff member: its changes name nobody.
        let dir = tempfile::tempdir().unwrap();
        let mut hub = Store::init_replica(dir.path(), store.workspace_id().unwrap(), "Finnmark").unwrap();
        let e = hub.create(&Encounter::new(Perspective::Service, CounterpartKind::Citizen)).unwrap();
        let line = &hub.history(e).unwrap().entries[0];
        assert_eq!((line.entry.staff, line.staff_name.as_deref()), (None, None));
        assert_eq!(line.entry.device, hub.device_id().to_string());

        let p = store.create(&Partner::new("Máret Ánte Sara", PartnerKind::Citizen, Level::Network)).unwrap();
        store.erase(p).unwrap();
        let err = store.history(p).unwrap_err();
        assert!(matches!(err, StoreError::Erased(_)), "{err}");
        assert!(matches!(store.history(RecordId::new()), Err(StoreError::NotFound(_))));
    }

    #[test]
    fn history_outlives_compaction() {
        let (_a, mut store) = tablet("Ingrid Haugen");
        let id = store.create(&Encounter::new(Perspective::Service, CounterpartKind::Citizen)).unwrap();
        let edits = crate::store::chunk_log::COMPACT_AFTER as usize + 8;
        for i in 0..edits {
            store.update::<Encounter>(id, |e| e.note = format!("Samtale nr. {i}")).unwrap();
        }
        let h = store.history(id).unwrap();
        assert_eq!(h.entries.len(), edits + 1);
        assert!(h.entries[..edits].iter().all(|l| l.entry.fields == ["note"]));
        assert_eq!(h.entries[edits].entry.action, HistoryAction::Created);
    }
}
