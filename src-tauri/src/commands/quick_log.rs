//! The quick log's own commands: undo a save, the one-tap choices, and the
//! draft kept in the store folder.

use chrono::{DateTime, Utc};
use samskap::draft::QuickLogDraft;
use samskap::store::{Logged, PopupTally, QuickPicks};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

/// Deletes what one quick-log save made (the encounter and partners typed for it).
#[tauri::command(async)]
pub fn undo_log(state: State<'_, AppState>, logged: Logged) -> ApiResult<()> {
    state.with(|s| s.undo_log(&logged))
}

/// Recent and frequent partners and places of this staff member, for chips.
#[tauri::command(async)]
pub fn quick_picks(state: State<'_, AppState>) -> ApiResult<QuickPicks> {
    state.with(|s| s.quick_picks(8))
}

/// Pop-up mode's counter and summary: what I logged since the session began.
#[tauri::command(async)]
pub fn popup_tally(state: State<'_, AppState>, since: DateTime<Utc>) -> ApiResult<PopupTally> {
    state.with(|s| s.popup_tally(since, Utc::now()))
}

#[tauri::command(async)]
pub fn load_draft(state: State<'_, AppState>) -> ApiResult<Option<QuickLogDraft>> {
    Ok(QuickLogDraft::load(&state.dir)?)
}

/// Saves the half-filled form; `null` (or an empty form) removes it.
#[tauri::command(async)]
pub fn save_draft(state: State<'_, AppState>, draft: Option<QuickLogDraft>) -> ApiResult<()> {
    Ok(QuickLogDraft::store(&state.dir, draft.as_ref())?)
}
