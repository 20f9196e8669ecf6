//! Settings' privacy section: the workspace's devices (revoke a lost one)
//! and the retention period for contact people.

use samskap::store::Device;
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn list_devices(state: State<'_, AppState>) -> ApiResult<Vec<Device>> {
    state.with(|s| s.devices())
}

/// Revokes a lost device; returns the updated list.
#[tauri::command(async)]
pub fn revoke_device(state: State<'_, AppState>, device: uuid::Uuid) -> ApiResult<Vec<Device>> {
    state.with(|s| {
        s.revoke_device(device)?;
        s.devices()
    })
}

#[tauri::command(async)]
pub fn retention_months(state: State<'_, AppState>) -> ApiResult<u32> {
    state.with(|s| s.retention_months())
}

#[tauri::command(async)]
pub fn set_retention_months(state: State<'_, AppState>, months: u32) -> ApiResult<u32> {
    state.with(|s| {
        s.set_retention_months(months)?;
        s.retention_months()
    })
}
