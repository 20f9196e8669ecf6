//! XLSX: one sheet per table, dates as real date cells, a frozen,
//! filterable header row. Written with `rust_xlsxwriter` in low-memory mode:
//! rows stream to a temporary file, and repeated words ("co-creative",
//! branch names) go to the shared-string table once, which keeps the XML
//! that must be compressed small.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

use super::table::{Cell, Table};
use super::ExportError;

/// Takes the tables by value: their text moves into the workbook, not copied.
pub fn write(tables: Vec<Table>) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let share = Format::new().set_num_format("0.0%");
    for t in tables {
        let ws: &mut Worksheet = wb.add_worksheet_with_low_memory();
        ws.set_name(t.name)?;
        for (c, name) in t.columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *name, &bold)?;
        }
        let last_row = t.rows.len() as u32;
        for (r, row) in t.rows.into_iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.into_iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
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
            ws.set_freeze_panes(1, 0)?;
            ws.autofilter(0, 0, last_row, t.columns.len() as u16 - 1)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

use chrono::{Datelike, Timelike};
