//! Imports from the spreadsheets libraries already keep. `sheet` reads CSV
//! (`,` or `;`, with or without BOM, UTF-8, UTF-16 or Windows-1252), XLSX,
//! ODS and XLS into rows of text with their line numbers, and finds the
//! sheet and row of the header; `columns` matches headers and `vocab` kinds
//! and levels in bokmål, nynorsk, Danish, Swedish or English; `partners`
//! turns rows into a plan (what would be created, what is skipped and why,
//! every bad row, in the reader's language) and applies it in one
//! transaction.

mod columns;
mod error;
pub mod partners;
mod sheet;
pub mod vocab;

pub use columns::Field;
pub use error::ImportError;
pub use sheet::{pick, read_book, read_csv, read_file, read_xlsx, Book, Grid, Sheet, SheetRow, HEADER_ROWS};
