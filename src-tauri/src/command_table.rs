//! The app's commands, from the one list in `command_list.rs`: the names
//! (`COMMANDS`), the handler (`handler!`), and each command's arguments and
//! result as TypeScript ([`command_shapes`]), which the `bindings` test
//! writes to `ui/src/generated/commands.ts` so the UI's `call` is typed
//! from Rust. Adding a command is one line there and its function.

use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use samskap::conflicts::{Choice, ConflictedRecord, Inbox};
use samskap::doc::Loaded;
use samskap::draft::QuickLogDraft;
use samskap::export::{ExportOptions, Written};
use samskap::forms::*;
use samskap::import::partners::{ImportOptions, ImportPlan, Imported};
use samskap::model::*;
use samskap::net::device::{BundleImported, SyncProgress, SyncStatus};
use samskap::net::discovery::Found;
use samskap::report::{Report, ReportFilter};
use samskap::settings::Settings;
use samskap::store::{
    ActivityRow, Device, EncounterRow, ErasureStatus, FollowUpRow, Logged, MergePlan, PartnerOverview, PartnerRow,
    PopupTally, QuickPicks, RecordHistory, Sharing, StaffRow,
};
use ts_rs::{Config, TS};

use crate::ipc::*;

/// One command as the UI calls it: argument names as Rust spells them
/// (Tauri takes them in camelCase), TypeScript types from the Rust types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandShape {
    pub name: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub result: String,
}

/// Stands for `tauri::ipc::Channel<T>` in the table: the UI passes a
/// `Channel<T>` from `@tauri-apps/api/core`.
pub struct Channel<T>(PhantomData<T>);

impl<T: TS> TS for Channel<T> {
    type WithoutGenerics = Channel<ts_rs::Dummy>;
    type OptionInnerType = Self;
    fn name(cfg: &Config) -> String {
        format!("Channel<{}>", T::name(cfg))
    }
    fn inline(cfg: &Config) -> String {
        Self::name(cfg)
    }
}

macro_rules! commands {
    ($($module:ident :: $name:ident { $($arg:ident : $ty:ty),* } -> $result:ty),+ $(,)?) => {
        /// Every command's name, in the order of `command_list.rs`.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),+];

        /// Every command in `command_list.rs`, typed.
        pub fn command_shapes(cfg: &Config) -> Vec<CommandShape> {
            vec![$(CommandShape {
                name: stringify!($name),
                args: vec![$((stringify!($arg), <$ty as TS>::name(cfg))),*],
                result: <$result as TS>::name(cfg),
            }),+]
        }

        /// The Tauri handler for every command in the list.
        macro_rules! handler {
            () => {
                tauri::generate_handler![$(crate::commands::$module::$name),+]
            };
        }
    };
}

include!("command_list.rs");
