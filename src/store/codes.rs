//! Numbers the index stores for what it keys on, shared by the layout
//! (`schema`), the writers (`index`, `merge`), the rollups' triggers
//! (`rollup`) and the report's queries (`report_cells`); kept apart so
//! none of those has to reach into another for them.

/// What an `activity_links` row links an activity to (its `kind` column).
/// Queries bind these as `:partner_link` and `:origin_link`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LinkKind {
    /// A partner the activity is made with.
    Partner = 1,
    /// An encounter the activity grew out of.
    OriginEncounter = 2,
}

/// The calendar month (UTC) of a time, as the number YYYYMM.
pub fn month_of(ms: i64) -> i64 {
    use chrono::Datelike;
    let t = crate::doc::from_ms(ms);
    t.year() as i64 * 100 + t.month() as i64
}
