use samskap::model::RecordId;
use samskap::store::RecordHistory;
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

/// Who changed what and when in a record of any kind, newest first.
#[tauri::command(async)]
pub fn record_history(state: State<'_, AppState>, id: RecordId) -> ApiResult<RecordHistory> {
    state.with(|s| s.history(id))
}
