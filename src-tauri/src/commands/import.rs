//! Importing partners from the spreadsheets offices keep: a preview that
//! changes nothing, then the import. The file is picked in the system dialog.

use samskap::i18n::Localize;
use samskap::import::partners::{self, ImportOptions, ImportPlan, Imported};
use samskap::import::ImportError;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{ApiError, ApiResult};
use crate::ipc::ChosenImport;
use crate::state::AppState;

fn import_error(state: &AppState, e: ImportError) -> ApiError {
    ApiError::new(e.code(), e.localize(state.settings().language))
}

/// The options with the app's language.
fn import_options(state: &AppState, options: Option<ImportOptions>) -> ImportOptions {
    let mut o = options.unwrap_or_default();
    o.language = state.settings().language;
    o
}

/// Lets the person pick a spreadsheet in the system dialog and plans its import; `None` when cancelled.
#[tauri::command(async)]
pub fn choose_partner_import<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    options: Option<ImportOptions>,
) -> ApiResult<Option<ChosenImport>> {
    // No dialog without a store to import into.
    state.shared()?;
    let options = import_options(&state, options);
    let Some(path) = app
        .dialog()
        .file()
        .add_filter("CSV, Excel, LibreOffice", &["csv", "txt", "xlsx", "xlsm", "ods", "xls"])
        .blocking_pick_file()
    else {
        return Ok(None);
    };
    let path = path.into_path().map_err(|e| ApiError::new("io", e.to_string()))?;
    let plan = state.with(|s| partners::plan_path(s, &path, &options).map_err(|e| import_error(&state, e)))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Some(ChosenImport { path: path.to_string_lossy().into_owned(), name, plan }))
}

/// What importing the file would create, skip and refuse; changes nothing.
#[tauri::command(async)]
pub fn preview_partner_import(
    state: State<'_, AppState>,
    path: String,
    options: Option<ImportOptions>,
) -> ApiResult<ImportPlan> {
    let options = import_options(&state, options);
    state.with(|s| partners::plan_path(s, path.as_ref(), &options).map_err(|e| import_error(&state, e)))
}

/// Reads the file again and creates its good rows in one transaction.
#[tauri::command(async)]
pub fn import_partners(
    state: State<'_, AppState>,
    path: String,
    options: Option<ImportOptions>,
) -> ApiResult<Imported> {
    let options = import_options(&state, options);
    state.with(|s| -> Result<Imported, ApiError> {
        let plan = partners::plan_path(s, path.as_ref(), &options).map_err(|e| import_error(&state, e))?;
        partners::apply(s, &plan).map_err(|e| import_error(&state, e))
    })
}
