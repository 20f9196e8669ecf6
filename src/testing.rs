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
