//! JSON: a table as an array of objects keyed by column.
//!
//! Rows are serialized as they are walked, not first built into a tree of
//! `serde_json::Value`s (100,000 objects of 14 keys). Keys come in the
//! order a `serde_json::Map` keeps them (sorted), as they always have.

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::Value;

use super::table::{Cell, Table};
use super::ExportError;
use crate::report::Report;

struct Json<'a>(&'a Cell);

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Empty => s.serialize_unit(),
            Cell::Text(t) => s.serialize_str(t),
            Cell::Int(n) => s.serialize_i64(*n),
            // JSON has no NaN or infinity: null, as `Value::from` writes them.
            Cell::Num(x) if x.is_finite() => s.serialize_f64(*x),
            Cell::Num(_) => s.serialize_unit(),
            Cell::Bool(b) => s.serialize_bool(*b),
            Cell::Date(d) => s.collect_str(&d.format("%Y-%m-%d")),
            Cell::Time(t) => s.serialize_str(&t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        }
    }
}

struct Object<'a> {
    columns: &'a [&'static str],
    /// Column indexes in key order.
    order: &'a [usize],
    cells: &'a [Cell],
}

impl Serialize for Object<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let keys = self.order.iter().filter(|&&i| i < self.cells.len());
        let mut m = s.serialize_map(Some(keys.clone().count()))?;
        for &i in keys {
            m.serialize_entry(self.columns[i], &Json(&self.cells[i]))?;
        }
        m.end()
    }
}

struct Objects<'a>(&'a Table);

impl Serialize for Objects<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut order: Vec<usize> = (0..t.columns.len()).collect();
        order.sort_by_key(|&i| t.columns[i]);
        let mut seq = s.serialize_seq(Some(t.rows.len()))?;
        for cells in &t.rows {
            seq.serialize_element(&Object { columns: &t.columns, order: &order, cells })?;
        }
        seq.end()
    }
}

pub fn table(t: &Table) -> Result<Vec<u8>, ExportError> {
    Ok(serde_json::to_vec_pretty(&Objects(t))?)
}

/// A table or the report, under its name.
enum Part<'a> {
    Table(&'a Table),
    Report(Value),
}

impl Serialize for Part<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Part::Table(t) => Objects(t).serialize(s),
            Part::Report(v) => v.serialize(s),
        }
    }
}

pub fn all(tables: &[Table], report: &Report) -> Result<Vec<u8>, ExportError> {
    // Sorted by name, like the keys of a `serde_json::Map`.
    let mut m = BTreeMap::new();
    for t in tables {
        m.insert(t.name, Part::Table(t));
    }
    m.insert("report", Part::Report(serde_json::to_value(report)?));
    Ok(serde_json::to_vec_pretty(&m)?)
}
