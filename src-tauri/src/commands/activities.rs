use samskap::doc::Loaded;
use samskap::forms::{self, ActivityEdit, NewActivity};
use samskap::model::{Activity, ActivityStatus, Encounter, RecordId};
use samskap::store::{ActivityQuery, ActivityRow};
use tauri::State;

use crate::error::ApiResult;
use crate::ipc::ActivityFilter;
use crate::state::AppState;

#[tauri::command(async)]
pub fn list_activities(state: State<'_, AppState>, filter: ActivityFilter) -> ApiResult<Vec<ActivityRow>> {
    state.with(|s| s.list_activities(&ActivityQuery::from(&filter)))
}

#[tauri::command(async)]
pub fn create_activity(state: State<'_, AppState>, form: NewActivity) -> ApiResult<Loaded<Activity>> {
    state.with(|s| {
        let id = s.create(&form.to_activity())?;
        s.get::<Activity>(id)
    })
}

/// Moves a card on the board: idea → planned → running → ended (or dropped).
#[tauri::command(async)]
pub fn set_activity_status(
    state: State<'_, AppState>,
    id: RecordId,
    status: ActivityStatus,
) -> ApiResult<Loaded<Activity>> {
    state.with(|s| s.update::<Activity>(id, |a| a.status = status))
}

#[tauri::command(async)]
pub fn get_activity(state: State<'_, AppState>, id: RecordId) -> ApiResult<Loaded<Activity>> {
    state.with(|s| s.get::<Activity>(id))
}

/// Saves the activity page's edits (only changed fields are written).
#[tauri::command(async)]
pub fn update_activity(state: State<'_, AppState>, id: RecordId, edit: ActivityEdit) -> ApiResult<Loaded<Activity>> {
    state.with(|s| s.update::<Activity>(id, |a| edit.apply(a)))
}

/// "Make an activity of this encounter": a new idea with the encounter as
/// its origin and its partners; returns the new activity's id.
#[tauri::command(async)]
pub fn activity_from_encounter(state: State<'_, AppState>, id: RecordId) -> ApiResult<RecordId> {
    let lang = state.settings().language;
    state.with(|s| {
        let e = s.get::<Encounter>(id)?.record;
        s.create(&forms::activity_from_encounter(&e, lang))
    })
}
