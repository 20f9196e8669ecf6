//! One fixture for the tests (unit, integration, fuzz): a staff member's
//! store in a folder of the test's own, instead of a helper per test file.

use std::path::Path;

use crate::store::{InitOptions, Store};

/// The workspace every test store starts in (joining moves it).
pub const WORKSPACE: &str = "Finnmark";

/// What a test store is made with: its user and their branch.
pub fn profile(staff: &str, branch: &str) -> InitOptions {
    InitOptions { staff: staff.into(), branch: branch.into(), workspace_name: WORKSPACE.into() }
}

/// A new store for `staff` at `branch` in `dir`.
pub fn store_in(dir: &Path, staff: &str, branch: &str) -> Store {
    Store::init(dir, &profile(staff, branch)).expect("a new store in a test folder")
}

/// A new store in a new temporary folder, which the caller keeps (and
/// drops after the store).
pub fn temp_store(staff: &str, branch: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = store_in(dir.path(), staff, branch);
    (dir, store)
}

/// SQL that takes a store file back to layout 7, before the report's
/// rollups (`store/rollup.rs`): tests that fake an older file run it first.
pub const BEFORE_ROLLUPS: &str = "
    DROP INDEX encounter_partners_when; ALTER TABLE encounter_partners DROP COLUMN when_ms;
    DROP TRIGGER rollup_encounter_insert; DROP TRIGGER rollup_encounter_delete;
    DROP TRIGGER rollup_encounter_update; DROP TRIGGER rollup_link_insert; DROP TRIGGER rollup_link_delete;
    DROP TRIGGER rollup_partner_insert; DROP TRIGGER rollup_partner_delete; DROP TRIGGER rollup_partner_kind;
    DROP TRIGGER rollup_origin_insert; DROP TRIGGER rollup_origin_delete;
    DROP TRIGGER rollup_encounter_reach;
    DROP TABLE rollup_months; DROP TABLE rollup_days; DROP TABLE rollup_kinds; DROP TABLE partner_reach;
    ALTER TABLE encounters DROP COLUMN kinds; ALTER TABLE encounters DROP COLUMN origin;
    ALTER TABLE docs DROP COLUMN snapshot;
    ALTER TABLE docs ADD COLUMN updated_ms INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE encounters ADD COLUMN preview TEXT NOT NULL DEFAULT '';
    PRAGMA user_version = 7;";
