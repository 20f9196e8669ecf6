//! Imports from the spreadsheets libraries already keep. `sheet` reads CSV
//! (`,` or `;`, with or without BOM, UTF-8, UTF-16 or Windows-1252) and
//! XLSX into rows of text with their line numbers; `columns` matches
//! headers by name in Norwegian, Danish or English; `partners` turns rows
//! into a plan (what would be created, what is skipped and why, every bad
//! row) and applies it in one transaction.

mod columns;
mod error;
pub mod partners;
mod sheet;

pub use columns::Field;
pub use error::ImportError;
pub use sheet::{read_csv, read_file, read_xlsx, Sheet, SheetRow};
