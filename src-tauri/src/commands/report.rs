//! The Effects screen's report and exports. Files are chosen in the system
//! dialog, opened from Rust (the web view has no file-system permission);
//! messages come from the core in the app's language.

use samskap::export::{self, ExportError, ExportOptions, Format, Written};
use samskap::i18n::Localize;
use samskap::report::{self, Report, ReportFilter};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[tauri::command(async)]
pub fn report(state: State<'_, AppState>, filter: ReportFilter) -> ApiResult<Report> {
    state.with(|s| report::build(s, &filter))
}

/// The export's options with the app's language.
fn in_app_language(state: &AppState, mut options: ExportOptions) -> ExportOptions {
    options.language = state.settings().language;
    options
}

fn export_error(state: &AppState, e: ExportError) -> ApiError {
    ApiError::new(e.code(), e.localize(state.settings().language))
}

/// Writes an export to `path`, or into the store folder's `exports/` when none is given.
#[tauri::command(async)]
pub fn export(state: State<'_, AppState>, options: ExportOptions, path: Option<String>) -> ApiResult<Written> {
    let options = in_app_language(&state, options);
    state.with(|s| -> Result<Written, ApiError> {
        let path = match path.filter(|p| !p.trim().is_empty()) {
            Some(p) => p.into(),
            None => export::default_path(s, &options).map_err(|e| export_error(&state, e))?,
        };
        export::write_file(s, &options, &path).map_err(|e| export_error(&state, e))
    })
}

/// Writes an export where the person chooses in the system dialog; `None` when cancelled.
#[tauri::command(async)]
pub fn save_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    options: ExportOptions,
) -> ApiResult<Option<Written>> {
    // No dialog without a store to export from.
    state.shared()?;
    let options = in_app_language(&state, options);
    let ext = options.format.to_string();
    let (label, what) = match options.format {
        Format::Csv => ("CSV", options.what.map_or("effects".to_string(), |w| w.to_string())),
        Format::Xlsx => ("Excel", options.what.map_or("effects".to_string(), |w| w.to_string())),
        Format::Json => ("JSON", options.what.map_or("effects".to_string(), |w| w.to_string())),
        Format::Html => ("HTML", "report".to_string()),
    };
    let name = format!("samskap-{what}-{}.{ext}", chrono::Local::now().format("%Y-%m-%d"));
    let Some(path) = app.dialog().file().add_filter(label, &[ext.as_str()]).set_file_name(name).blocking_save_file()
    else {
        return Ok(None);
    };
    let path = path.into_path().map_err(|e| ApiError::new("io", e.to_string()))?;
    state.with(|s| export::write_file(s, &options, &path).map(Some).map_err(|e| export_error(&state, e)))
}
