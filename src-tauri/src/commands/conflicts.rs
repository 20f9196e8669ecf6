use samskap::conflicts::{self, Choice, ConflictedRecord, Inbox};
use samskap::model::RecordId;
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

/// How many of the latest encounters the inbox checks.
const RECENT_ENCOUNTERS: usize = 200;

#[tauri::command(async)]
pub fn conflicts_inbox(state: State<'_, AppState>) -> ApiResult<Inbox> {
    state.with(|s| conflicts::inbox(s, RECENT_ENCOUNTERS))
}

/// Keeps the chosen value of each field; returns the record's remaining conflicts, if any.
#[tauri::command(async)]
pub fn resolve_conflicts(
    state: State<'_, AppState>,
    id: RecordId,
    choices: Vec<Choice>,
) -> ApiResult<Option<ConflictedRecord>> {
    state.with(|s| conflicts::resolve(s, id, &choices))
}
