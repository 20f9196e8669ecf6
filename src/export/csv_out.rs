//! CSV that Excel opens correctly: UTF-8 with a byte-order mark, dates as
//! ISO dates (`2026-05-04`, `2026-05-04 08:30:00`), which Excel reads as
//! dates in every locale, and, with the `;` separator Norwegian and Danish
//! Excel expect, decimal commas. Text that Excel would take for a formula
//! (starting with `=`, `+`, `-`, `@`) gets a leading `'`.

use std::borrow::Cow;

use chrono::{Datelike, Timelike};

use super::table::{Cell, Table};
use super::words;
use super::ExportError;
use crate::i18n::Language;

pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// With `lang`, headers and yes/no are words in that language; without, keys and `yes`/`no`.
pub fn write(t: &Table, separator: u8, lang: Option<Language>) -> Result<Vec<u8>, ExportError> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new().delimiter(separator).from_writer(&mut out);
        match lang {
            Some(l) => w.write_record(t.columns.iter().map(|c| words::header(c, l)))?,
            None => w.write_record(&t.columns)?,
        }
        let comma = separator == b';';
        for row in &t.rows {
            for c in row {
                match (c, lang) {
                    (Cell::Bool(b), Some(l)) => w.write_field(words::yes_no(*b, l))?,
                    _ => w.write_field(text(c, comma).as_bytes())?,
                }
            }
            w.write_record(None::<&[u8]>)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A cell as CSV text; `decimal_comma` for locales that write 0,25.
pub fn text(c: &Cell, decimal_comma: bool) -> Cow<'_, str> {
    match c {
        Cell::Empty => "".into(),
        Cell::Text(s) => defuse(s),
        Cell::Int(n) => n.to_string().into(),
        Cell::Num(x) => {
            let s = format!("{x}");
            if decimal_comma {
                s.replace('.', ",").into()
            } else {
                s.into()
            }
        }
        Cell::Bool(b) => (if *b { "yes" } else { "no" }).into(),
        Cell::Date(d) => iso_date(*d).into(),
        Cell::Time(t) => {
            let (h, m, s) = (t.hour(), t.minute(), t.second());
            format!("{} {h:02}:{m:02}:{s:02}", iso_date(t.date())).into()
        }
    }
}

fn iso_date(d: chrono::NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Keeps Excel from running typed text as a formula.
fn defuse(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}
