//! The app's integration tests: the real command handler and capability on
//! Tauri's mock runtime, over a real temporary store; and the generated
//! TypeScript bindings.

mod bindings;
mod commands;
mod util;
