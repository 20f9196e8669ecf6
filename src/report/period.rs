//! Report periods: whole UTC days, both ends inclusive, and their months.

use chrono::{Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ReportError;
use crate::model::{PartnerKind, RecordId};

/// Months a report may span (a guard against a typo like year 20026).
const MAX_MONTHS: usize = 1200;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What a report covers: a period and optional filters.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportFilter {
    /// First day (inclusive); default: the first day of the month eleven months before `to`.
    pub from: Option<NaiveDate>,
    /// Last day (inclusive); default: today (UTC).
    pub to: Option<NaiveDate>,
    pub branch: Option<String>,
    pub staff: Option<RecordId>,
    pub partner_kind: Option<PartnerKind>,
}

/// Parses a day as typed: `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, ReportError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| ReportError::BadDate(s.to_string()))
}

impl ReportFilter {
    /// The period, with defaults filled in: twelve calendar months up to today.
    pub fn period(&self) -> Result<Period, ReportError> {
        let to = self.to.unwrap_or_else(|| Utc::now().date_naive());
        let from = self.from.unwrap_or_else(|| {
            let first = to.with_day(1).unwrap_or(to);
            first.checked_sub_months(Months::new(11)).unwrap_or(first)
        });
        let p = Period { from, to };
        if from > to {
            return Err(ReportError::EmptyPeriod { from, to });
        }
        if p.months().len() > MAX_MONTHS {
            return Err(ReportError::TooLong(p.months().len()));
        }
        Ok(p)
    }
}

impl Period {
    /// Start of the first day, in UTC milliseconds.
    pub fn from_ms(&self) -> i64 {
        day_ms(self.from)
    }

    /// Start of the day after the last day (exclusive end), in UTC milliseconds.
    pub fn to_ms(&self) -> i64 {
        day_ms(self.to.succ_opt().unwrap_or(self.to))
    }

    /// The calendar months the period touches, as "YYYY-MM", with the
    /// exclusive end of each month inside the period (the last one ends with the period).
    pub fn months(&self) -> Vec<(String, i64)> {
        let mut out = vec![];
        let mut m = self.from.with_day(1).unwrap_or(self.from);
        while m <= self.to && out.len() <= MAX_MONTHS {
            let next = m.checked_add_months(Months::new(1)).unwrap_or(m);
            let end = day_ms(next).min(self.to_ms());
            out.push((format!("{:04}-{:02}", m.year(), m.month()), end));
            if next == m {
                break;
            }
            m = next;
        }
        out
    }
}

fn day_ms(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn months_cover_the_period_and_end_with_it() {
        let p = Period { from: d("2025-11-15"), to: d("2026-01-10") };
        let m = p.months();
        assert_eq!(m.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), ["2025-11", "2025-12", "2026-01"]);
        assert_eq!(m[0].1, day_ms(d("2025-12-01")));
        assert_eq!(m[2].1, day_ms(d("2026-01-11")), "the last month ends with the period");
        assert_eq!(p.to_ms() - p.from_ms(), 57 * 86_400_000);
    }

    #[test]
    fn single_day_and_defaults() {
        let p = Period { from: d("2026-03-31"), to: d("2026-03-31") };
        assert_eq!(p.months().len(), 1);
        assert_eq!(p.to_ms() - p.from_ms(), 86_400_000);
        let f = ReportFilter { to: Some(d("2026-05-20")), ..Default::default() };
        assert_eq!(f.period().unwrap(), Period { from: d("2025-06-01"), to: d("2026-05-20") });
        assert_eq!(f.period().unwrap().months().len(), 12);
    }

    #[test]
    fn bad_periods_are_refused() {
        let f = ReportFilter { from: Some(d("2026-02-01")), to: Some(d("2026-01-01")), ..Default::default() };
        assert_eq!(f.period().unwrap_err().code(), "bad_period");
        assert!(parse_date("1.2.2026").unwrap_err().to_string().contains("YYYY-MM-DD"));
        let f = ReportFilter { from: Some(d("0100-01-01")), to: Some(d("2026-01-01")), ..Default::default() };
        assert!(matches!(f.period().unwrap_err(), ReportError::TooLong(_)));
    }
}
