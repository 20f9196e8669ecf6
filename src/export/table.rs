//! A table of typed cells: what every export format writes.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    /// Borrowed for fixed words (slugs), so 100,000 rows do not copy them.
    Text(Cow<'static, str>),
    Int(i64),
    /// A fraction or other decimal number.
    Num(f64),
    Bool(bool),
    Date(NaiveDate),
    /// A time of day in UTC.
    Time(NaiveDateTime),
}

impl Cell {
    /// A fixed word, not copied.
    pub fn word(s: &'static str) -> Cell {
        Cell::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(Cow::Owned(s))
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(Cow::Owned(s.to_string()))
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Self {
        Cell::Int(n as i64)
    }
}

impl From<bool> for Cell {
    fn from(b: bool) -> Self {
        Cell::Bool(b)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// One sheet of a workbook, one CSV file, one JSON array.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The sheet's name ("encounters").
    pub name: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// Text with several values in one cell ("tags", "partners").
pub fn list(v: impl IntoIterator<Item = impl AsRef<str>>) -> Cell {
    let mut out = String::new();
    let mut any = false;
    for s in v {
        if any {
            out.push_str(", ");
        }
        out.push_str(s.as_ref());
        any = true;
    }
    if any {
        out.into()
    } else {
        Cell::Empty
    }
}
