//! Effect reports: the four levels of seed 002 (see docs/domain.md,
//! "What people want to see"), computed for a period from the SQLite index
//! (`store::report_cells` holds the SQL; this module adds the cells up).
//!
//! Periods are whole days in UTC, both ends inclusive; months are calendar
//! months in UTC.

mod assemble;
mod error;
mod figures;
mod period;

pub use error::ReportError;
pub use figures::*;
pub use period::{parse_date, Period, ReportFilter};

use crate::store::Store;

/// Every figure of the four levels for the filter's period.
pub fn build(store: &Store, filter: &ReportFilter) -> Result<Report, ReportError> {
    assemble::report(store, filter, assemble::Source::Rollups)
}

/// The same report with its encounter figures counted from scratch over
/// the index instead of read from the rollups: what tests hold the
/// rollups to. Its cost grows with the number of encounters.
#[doc(hidden)]
pub fn build_from_scratch(store: &Store, filter: &ReportFilter) -> Result<Report, ReportError> {
    assemble::report(store, filter, assemble::Source::FromScratch)
}
