//! XLSX: one sheet per table, dates as real date cells, a frozen,
//! filterable header row, columns wide enough for what they hold. In the
//! reader's language (sheet names, headers, Ja/Nei), every sheet starts
//! with the period it covers; with slugs (for machines) the header is the
//! first row and the period is in the printed page header. Written with `rust_xlsxwriter` in low-memory mode:
//! rows stream to a temporary file, and repeated words ("co-creative",
//! branch names) go to the shared-string table once, which keeps the XML
//! that must be compressed small.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

use super::table::{Cell, Table};
use super::words;
use super::ExportError;
use crate::i18n::Language;

/// Widths in characters: at least a date's, at most a readable paragraph's.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

/// How many characters a cell shows.
fn shown(c: &Cell) -> usize {
    match c {
        Cell::Empty => 0,
        Cell::Text(s) => s.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Cell::Int(n) => n.to_string().len(),
        Cell::Num(_) => 6,
        Cell::Bool(_) => 4,
        Cell::Date(_) => 10,
        Cell::Time(_) => 16,
    }
}

/// Takes the tables by value: their text moves into the workbook, not copied.
pub fn write(tables: Vec<Table>, lang: Option<Language>, period: &str) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let share = Format::new().set_num_format("0.0%");
    let wrap = Format::new().set_text_wrap();
    for t in tables {
        let ws: &mut Worksheet = wb.add_worksheet_with_low_memory();
        ws.set_name(lang.map_or(t.name, |l| words::sheet(t.name, l)))?;
        ws.set_header(format!("&L{}", period.replace('&', "&&")));
        // In words, the period comes first and the header two rows down.
        let top: u32 = if lang.is_some() { 2 } else { 0 };
        // Widths first: a sheet in low-memory mode streams its rows out as they are written.
        let mut widths: Vec<usize> = vec![MIN_WIDTH; t.columns.len()];
        for row in &t.rows {
            for (c, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(shown(cell) + 2);
                }
            }
        }
        for (c, key) in t.columns.iter().enumerate() {
            let name = lang.map_or(*key, |l| words::header(key, l));
            let w = widths[c].max(name.chars().count() + 2);
            ws.set_column_width(c as u16, w.min(MAX_WIDTH) as f64)?;
        }
        if lang.is_some() {
            ws.write_string_with_format(0, 0, period, &bold)?;
        }
        for (c, key) in t.columns.iter().enumerate() {
            ws.write_string_with_format(top, c as u16, lang.map_or(*key, |l| words::header(key, l)), &bold)?;
        }
        let last_row = top + t.rows.len() as u32;
        for (r, row) in t.rows.into_iter().enumerate() {
            let r = top + r as u32 + 1;
            for (c, cell) in row.into_iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) if s.contains('\n') => {
                        ws.write_string_with_format(r, c, s, &wrap)?;
                    }
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cell::Bool(b) if lang.is_some() => {
                        ws.write_string(r, c, words::yes_no(b, lang.unwrap_or_default()))?;
                    }
                    Cell::Int(n) => {
                        ws.write_number(r, c, n as f64)?;
                    }
                    Cell::Num(x) => {
                        ws.write_number_with_format(r, c, x, &share)?;
                    }
                    Cell::Bool(b) => {
                        ws.write_boolean(r, c, b)?;
                    }
                    Cell::Date(d) => {
                        let d =
                            ExcelDateTime::from_ymd(d.year_ce().1 as u16, d.month0() as u8 + 1, d.day0() as u8 + 1)?;
                        ws.write_datetime_with_format(r, c, &d, &date)?;
                    }
                    Cell::Time(t) => {
                        let d = ExcelDateTime::from_ymd(
                            t.date().year_ce().1 as u16,
                            t.date().month0() as u8 + 1,
                            t.date().day0() as u8 + 1,
                        )?
                        .and_hms_milli(
                            t.time().hour() as u16,
                            t.time().minute() as u8,
                            t.time().second() as u8,
                            (t.time().nanosecond() / 1_000_000) as u16,
                        )?;
                        ws.write_datetime_with_format(r, c, &d, &time)?;
                    }
                }
            }
        }
        if !t.columns.is_empty() {
            ws.set_freeze_panes(top + 1, 0)?;
            ws.autofilter(top, 0, last_row, t.columns.len() as u16 - 1)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

use chrono::{Datelike, Timelike};
