//! Samskap core: records, their Automerge documents, the SQLite store,
//! sync and reports. Knows nothing of Tauri, HTTP frameworks or terminals.

pub mod conflicts;
pub mod demo;
pub mod doc;
pub mod draft;
pub mod export;
pub mod forms;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod i18n;
pub mod import;
pub mod keystore;
pub mod model;
pub mod net;
pub mod report;
pub mod settings;
pub mod store;
pub mod sync;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

/// The allocator the binaries install (`#[global_allocator]`): jemalloc,
/// whose threads free without contending for one lock (a busy hub).
pub use tikv_jemallocator::Jemalloc as Allocator;
#[cfg(feature = "ts")]
pub mod ts;
