use samskap::net::device::{self, BundleImported, LanSession, SyncProgress, SyncStatus};
use samskap::net::discovery::{self, Found};
use samskap::store::Sharing;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{ApiError, ApiResult};
use crate::ipc::{ImportProgress, LanHosting};
use crate::state::AppState;

/// Pending changes, the hub, and when each peer was last seen.
#[tauri::command(async)]
pub fn sync_status(state: State<'_, AppState>) -> ApiResult<SyncStatus> {
    let hosting = state.lan().is_some();
    state.with(|s| device::status_hosting(s, hosting).map_err(ApiError::from))
}

/// The navigation's sync state: online, records not yet shared, last sync.
#[tauri::command(async)]
pub fn sync_state(state: State<'_, AppState>) -> ApiResult<Sharing> {
    let hosting = state.lan().is_some();
    state.with(|s| device::sharing(s, hosting).map_err(ApiError::from))
}

/// Syncs with `url` (a LAN session) or the joined hub, reporting each round trip on `progress`.
#[tauri::command(async)]
pub fn sync_now(
    state: State<'_, AppState>,
    url: Option<String>,
    progress: Channel<SyncProgress>,
) -> ApiResult<SyncProgress> {
    state.with(|s| device::sync(s, url.as_deref(), |p| drop(progress.send(p.clone()))).map_err(ApiError::from))
}

/// Joins a hub or a LAN session with its address and invite code.
#[tauri::command(async)]
pub fn join_workspace(state: State<'_, AppState>, url: String, invite: String) -> ApiResult<SyncStatus> {
    state.with(|s| {
        device::join(s, &url, &invite)?;
        device::status(s).map_err(ApiError::from)
    })
}

/// Starts hosting a LAN session on this device's store (or shows the running one).
#[tauri::command(async)]
pub fn host_lan(state: State<'_, AppState>) -> ApiResult<LanHosting> {
    let mut lan = state.lan();
    if lan.is_none() {
        *lan = Some(LanSession::start(state.shared()?, crate::LAN_BIND)?);
    }
    Ok(LanHosting::of(lan.as_ref().expect("started above")))
}

/// The LAN session this device hosts, if any.
#[tauri::command(async)]
pub fn lan_hosting(state: State<'_, AppState>) -> ApiResult<Option<LanHosting>> {
    Ok(state.lan().as_ref().map(LanHosting::of))
}

#[tauri::command(async)]
pub fn stop_lan(state: State<'_, AppState>) -> ApiResult<()> {
    if let Some(session) = state.lan().take() {
        session.stop();
    }
    Ok(())
}

/// LAN sessions announced nearby (mDNS), listening for two seconds.
#[tauri::command(async)]
pub fn discover_lan() -> ApiResult<Vec<Found>> {
    Ok(discovery::discover(std::time::Duration::from_secs(2))?)
}

/// Writes a bundle where the person chooses in the system dialog; `None` when cancelled.
#[tauri::command(async)]
pub fn export_bundle<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> ApiResult<Option<u64>> {
    let store = state.shared()?;
    let name = format!("samskap-{}.samskap", chrono::Local::now().format("%Y-%m-%d"));
    let Some(path) = app.dialog().file().add_filter("Samskap", &["samskap"]).set_file_name(name).blocking_save_file()
    else {
        return Ok(None);
    };
    let path = path.into_path().map_err(|e| ApiError::new("io", e.to_string()))?;
    let bytes = device::export_bundle(&device::lock(&store), &path)?;
    Ok(Some(bytes))
}

/// Imports a bundle the person picks in the system dialog; `None` when cancelled.
#[tauri::command(async)]
pub fn import_bundle<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    progress: Channel<ImportProgress>,
) -> ApiResult<Option<BundleImported>> {
    let store = state.shared()?;
    let Some(path) = app.dialog().file().add_filter("Samskap", &["samskap"]).blocking_pick_file() else {
        return Ok(None);
    };
    let path = path.into_path().map_err(|e| ApiError::new("io", e.to_string()))?;
    let mut store = device::lock(&store);
    let got = device::import_bundle(&mut store, &path, |done, total| {
        let _ = progress.send(ImportProgress { done: done as u32, total: total as u32 });
    })?;
    Ok(Some(got))
}
