use samskap::doc::Loaded;
use samskap::forms::NewActivity;
use samskap::model::{Activity, ActivityStatus, RecordId};
use samskap::store::{ActivityQuery, ActivityRow};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;
use crate::wire::ActivityFilter;

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
