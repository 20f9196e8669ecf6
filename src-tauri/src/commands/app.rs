use samskap::forms::ProfileEdit;
use samskap::model::StaffMember;
use samskap::settings::Settings;
use samskap::store::{InitOptions, Store};
use tauri::State;

use crate::error::{ApiError, ApiResult};
use crate::ipc::{AppStatus, InitInput, Interactive};
use crate::state::AppState;

#[tauri::command(async)]
pub fn app_status(state: State<'_, AppState>) -> ApiResult<AppStatus> {
    Ok(status(&state))
}

pub fn status(state: &AppState) -> AppStatus {
    let shared = state.slot().clone();
    let guard = shared.as_ref().map(samskap::net::device::lock);
    let store = guard.as_deref();
    AppStatus {
        data_dir: state.dir.display().to_string(),
        ready: store.is_some(),
        profile: store.and_then(|s| s.my_profile().cloned()),
        workspace_name: store.and_then(|s| s.workspace_name().ok()).unwrap_or_default(),
        device_id: store.map(|s| s.device_id().to_string()),
        settings: state.settings().clone(),
        store_error: state.open_error.lock().unwrap_or_else(|p| p.into_inner()).clone(),
    }
}

#[tauri::command(async)]
pub fn init_store(state: State<'_, AppState>, input: InitInput) -> ApiResult<AppStatus> {
    {
        let mut slot = state.slot();
        if slot.is_some() {
            return Err(ApiError::new("already_initialized", "this device already has a store"));
        }
        let opts = InitOptions { staff: input.staff, branch: input.branch, workspace_name: input.workspace_name };
        *slot = Some(std::sync::Arc::new(std::sync::Mutex::new(Store::init_device(&state.dir, &opts)?)));
    }
    Ok(status(&state))
}

/// The UI calls this once its first screen can take input.
#[tauri::command(async)]
pub fn mark_interactive(state: State<'_, AppState>) -> ApiResult<Interactive> {
    Ok(Interactive { since_start_ms: state.started.elapsed().as_secs_f64() * 1000.0 })
}

#[tauri::command(async)]
pub fn save_settings(state: State<'_, AppState>, settings: Settings) -> ApiResult<Settings> {
    settings.save(&state.dir)?;
    *state.settings() = settings.clone();
    Ok(settings)
}

#[tauri::command(async)]
pub fn update_profile(state: State<'_, AppState>, edit: ProfileEdit) -> ApiResult<StaffMember> {
    state.with(|s| {
        let me = s.me().ok_or_else(ApiError::no_store)?;
        Ok::<_, ApiError>(s.update::<StaffMember>(me, |m| edit.apply(m))?.record)
    })
}
