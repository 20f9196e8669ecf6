//! Samskap core: records, their Automerge documents, the SQLite store,
//! sync and reports. Knows nothing of Tauri, HTTP frameworks or terminals.

pub mod bench;
pub mod demo;
pub mod doc;
pub mod model;
pub mod store;
