use samskap::doc::Loaded;
use samskap::model::{Encounter, RecordId};
use samskap::store::FollowUpRow;
use tauri::State;

use crate::error::ApiResult;
use crate::ipc::FollowUpFilter;
use crate::state::AppState;

/// Today on this device's calendar: what "overdue" is measured against.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// "My follow-ups" (or everyone's), open ones by due date.
#[tauri::command(async)]
pub fn list_follow_ups(state: State<'_, AppState>, filter: FollowUpFilter) -> ApiResult<Vec<FollowUpRow>> {
    state.with(|s| s.list_follow_ups(&filter.query(s.me(), today())))
}

/// How many of my open follow-ups are overdue (the home screen's banner).
#[tauri::command(async)]
pub fn overdue_follow_ups(state: State<'_, AppState>) -> ApiResult<u64> {
    state.with(|s| s.overdue_follow_ups(s.me(), today()))
}

/// Marks a follow-up done (or open again): an edit of its encounter.
#[tauri::command(async)]
pub fn set_follow_up_done(
    state: State<'_, AppState>,
    encounter: RecordId,
    item: String,
    done: bool,
) -> ApiResult<Loaded<Encounter>> {
    state.with(|s| s.set_follow_up_done(encounter, &item, done))
}
