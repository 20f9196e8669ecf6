use samskap::doc::Loaded;
use samskap::forms::{EncounterEdit, QuickLog};
use samskap::model::{Encounter, RecordId, RecordKind};
use samskap::store::{EncounterQuery, EncounterRow, Logged, StaffRow};
use tauri::State;

use crate::error::ApiResult;
use crate::ipc::TimelineFilter;
use crate::state::AppState;

/// Saves a quick-log form as a new encounter (with the partners typed into
/// its picker) and says what it made, for undo.
#[tauri::command(async)]
pub fn log_encounter(state: State<'_, AppState>, form: QuickLog) -> ApiResult<Logged> {
    state.with(|s| s.log_quick(&form))
}

#[tauri::command(async)]
pub fn list_encounters(state: State<'_, AppState>, filter: TimelineFilter) -> ApiResult<Vec<EncounterRow>> {
    state.with(|s| s.list_encounters(&EncounterQuery::from(&filter)))
}

#[tauri::command(async)]
pub fn get_encounter(state: State<'_, AppState>, id: RecordId) -> ApiResult<Loaded<Encounter>> {
    state.with(|s| s.get::<Encounter>(id))
}

#[tauri::command(async)]
pub fn list_staff(state: State<'_, AppState>) -> ApiResult<Vec<StaffRow>> {
    state.with(|s| s.list_staff())
}

/// Saves the encounter details screen's edits.
#[tauri::command(async)]
pub fn update_encounter(state: State<'_, AppState>, id: RecordId, edit: EncounterEdit) -> ApiResult<Loaded<Encounter>> {
    state.with(|s| s.update::<Encounter>(id, |e| edit.apply(e)))
}

/// Deletes a record of any kind; `restore_record` undoes it.
#[tauri::command(async)]
pub fn delete_record(state: State<'_, AppState>, id: RecordId) -> ApiResult<RecordKind> {
    state.with(|s| s.delete(id))
}

#[tauri::command(async)]
pub fn restore_record(state: State<'_, AppState>, id: RecordId) -> ApiResult<RecordKind> {
    state.with(|s| s.restore(id))
}
