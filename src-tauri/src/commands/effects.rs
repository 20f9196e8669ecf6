//! The Effects screen: the report, exports, and importing partners.

use samskap::export::{self, ExportOptions, Written};
use samskap::import::partners::{self, ImportPlan, Imported};
use samskap::report::{self, Report, ReportFilter};
use tauri::State;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[tauri::command(async)]
pub fn effects_report(state: State<'_, AppState>, filter: ReportFilter) -> ApiResult<Report> {
    state.with(|s| report::build(s, &filter))
}

/// Writes an export to `path`, or into the store folder's `exports/` when none is given.
#[tauri::command(async)]
pub fn export_effects(state: State<'_, AppState>, options: ExportOptions, path: Option<String>) -> ApiResult<Written> {
    state.with(|s| -> Result<Written, ApiError> {
        let path = match path.filter(|p| !p.trim().is_empty()) {
            Some(p) => p.into(),
            None => export::default_path(s, &options)?,
        };
        Ok(export::write_file(s, &options, &path)?)
    })
}

/// What importing the file would create, skip and refuse; changes nothing.
#[tauri::command(async)]
pub fn preview_partner_import(state: State<'_, AppState>, path: String) -> ApiResult<ImportPlan> {
    state.with(|s| partners::plan_file(s, path.as_ref()))
}

/// Reads the file again and creates its good rows in one transaction.
#[tauri::command(async)]
pub fn import_partners(state: State<'_, AppState>, path: String) -> ApiResult<Imported> {
    state.with(|s| -> Result<Imported, ApiError> {
        let plan = partners::plan_file(s, path.as_ref())?;
        Ok(partners::apply(s, &plan)?)
    })
}
