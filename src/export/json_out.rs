//! JSON: a table as an array of objects keyed by column.

use serde_json::{Map, Value};

use super::table::{Cell, Table};
use super::ExportError;
use crate::report::Report;

fn value(c: &Cell) -> Value {
    match c {
        Cell::Empty => Value::Null,
        Cell::Text(s) => Value::String(s.clone()),
        Cell::Int(n) => Value::from(*n),
        Cell::Num(x) => Value::from(*x),
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Date(d) => Value::String(d.format("%Y-%m-%d").to_string()),
        Cell::Time(t) => Value::String(t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
    }
}

fn objects(t: &Table) -> Value {
    Value::Array(
        t.rows
            .iter()
            .map(|r| {
                let m: Map<String, Value> = t.columns.iter().zip(r).map(|(k, c)| (k.to_string(), value(c))).collect();
                Value::Object(m)
            })
            .collect(),
    )
}

pub fn table(t: &Table) -> Result<Vec<u8>, ExportError> {
    Ok(serde_json::to_vec_pretty(&objects(t))?)
}

pub fn all(tables: &[Table], report: &Report) -> Result<Vec<u8>, ExportError> {
    let mut m = Map::new();
    for t in tables {
        m.insert(t.name.to_string(), objects(t));
    }
    m.insert("report".into(), serde_json::to_value(report)?);
    Ok(serde_json::to_vec_pretty(&Value::Object(m))?)
}
