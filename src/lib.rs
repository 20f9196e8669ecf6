//! Samskap core: records, their Automerge documents, the SQLite store,
//! sync and reports. Knows nothing of Tauri, HTTP frameworks or terminals.

pub mod bench;
pub mod conflicts;
pub mod demo;
pub mod doc;
pub mod draft;
pub mod export;
pub mod forms;
#[doc(hidden)]
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

/// The allocator the binaries install (`#[global_allocator]`). A first sync
/// frees on the writer's thread what the reader threads allocated, which
/// glibc's malloc serialises on its arena locks (a tenth of the writer's
/// time went to futex waits). mimalloc removed that but made a hub serving
/// 200 devices five times slower at p99; jemalloc does well at both
/// (`samskap bench sync`).
pub use tikv_jemallocator::Jemalloc as Allocator;
#[cfg(feature = "ts")]
pub mod ts;
