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

/// The allocator the binaries install (`#[global_allocator]`): a first sync
/// frees on the writer's thread what reader threads allocated, which glibc's
/// malloc serialises on its arena locks; jemalloc does not, and keeps a busy
/// hub's p99 low (`samskap bench sync` measures both).
pub use tikv_jemallocator::Jemalloc as Allocator;
#[cfg(feature = "ts")]
pub mod ts;
