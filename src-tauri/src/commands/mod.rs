//! IPC commands: each takes the managed state, makes one call into the
//! core and maps the error. They run off the main thread (`async`), so a
//! slow disk never freezes the window.

pub mod activities;
pub mod app;
pub mod conflicts;
pub mod devices;
pub mod encounters;
pub mod followups;
pub mod history;
pub mod import;
pub mod partners;
pub mod quick_log;
pub mod report;
pub mod sync;
