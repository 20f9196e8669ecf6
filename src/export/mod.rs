//! Exports: records and the effect report as CSV (Excel-friendly), XLSX,
//! JSON or a printable HTML report with charts.
//!
//! Everything comes from the index (`store::export`, `report`), so an
//! export of 100,000 encounters takes seconds. Personal data: partners who
//! are private persons (kind `citizen`) appear as "(private person)", and
//! contact details are left out, unless the caller asks for them
//! (`personal`); then the partners' documents are read for phone, e-mail
//! and contact persons. The file is written beside its destination and
//! moved into place only when complete, so a failed export leaves nothing.

mod csv_out;
mod error;
mod html;
mod json_out;
pub mod svg;
mod table;
mod tables;
pub mod words;
mod xlsx;

use std::path::Path;

use serde::Serialize;

pub use error::ExportError;
pub use table::{Cell, Table};
pub use tables::{records_scope, report_table, PRIVATE_PERSON};

use crate::i18n::Language;
use crate::report::{self, ReportFilter};
use crate::store::Store;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
    Json,
    Html,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum What {
    Encounters,
    Partners,
    Activities,
    Report,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Html => "html",
        })
    }
}

impl std::str::FromStr for Format {
    type Err = ExportError;
    fn from_str(s: &str) -> Result<Self, ExportError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            "json" => Ok(Format::Json),
            "html" => Ok(Format::Html),
            _ => Err(ExportError::UnknownFormat(s.to_string())),
        }
    }
}

impl std::fmt::Display for What {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            What::Encounters => "encounters",
            What::Partners => "partners",
            What::Activities => "activities",
            What::Report => "report",
        })
    }
}

impl std::str::FromStr for What {
    type Err = ExportError;
    fn from_str(s: &str) -> Result<Self, ExportError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "encounters" => Ok(What::Encounters),
            "partners" => Ok(What::Partners),
            "activities" => Ok(What::Activities),
            "report" => Ok(What::Report),
            _ => Err(ExportError::UnknownWhat(s.to_string())),
        }
    }
}

/// The CSV separator a person may choose.
pub fn separator(c: char) -> Result<u8, ExportError> {
    match c {
        ',' | ';' | '\t' => Ok(c as u8),
        _ => Err(ExportError::BadSeparator(c)),
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct ExportOptions {
    pub format: Format,
    /// What to write. XLSX, JSON and HTML hold everything when `None`; CSV needs one kind.
    pub what: Option<What>,
    /// CSV field separator (`,`, `;` or tab) as a byte.
    pub separator: u8,
    /// Include partners' personal data (see the module docs).
    pub personal: bool,
    /// Figures per named staff member in the report; left out unless asked
    /// for (a report to the municipality is not a staff appraisal).
    pub per_staff: bool,
    /// Slugs and English keys in CSV and XLSX, for machines; otherwise
    /// headers and values are words in `language` (JSON always has slugs).
    pub slugs: bool,
    /// The language of the report, and of CSV and XLSX headers and values.
    pub language: Language,
    /// The report's period and filters; records are filtered by the same.
    /// A single table's records (`what`) keep their whole history unless
    /// `from`/`to` are given; a whole workbook covers the report's period.
    pub filter: ReportFilter,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format: Format::Json,
            what: None,
            separator: b',',
            personal: false,
            per_staff: false,
            slugs: false,
            language: Language::default(),
            filter: ReportFilter::default(),
        }
    }
}

/// What an export wrote.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Written {
    pub format: Format,
    pub path: String,
    /// Data rows written, over all sheets or tables.
    pub rows: u64,
    pub bytes: u64,
}

/// Writes the export to `out`, replacing it only when complete.
pub fn write_file(store: &Store, opts: &ExportOptions, out: &Path) -> Result<Written, ExportError> {
    let bytes = render(store, opts)?;
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(ExportError::NoFolder(dir.to_path_buf()));
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, &bytes.data)?;
    tmp.as_file().sync_all()?;
    tmp.persist(out).map_err(|e| ExportError::Io(e.error))?;
    Ok(Written {
        format: opts.format,
        path: out.display().to_string(),
        rows: bytes.rows,
        bytes: bytes.data.len() as u64,
    })
}

/// Where the app saves an export when the person names no file:
/// `<store>/exports/samskap-<what>-<from>-<to>.<ext>` (the folder is made).
pub fn default_path(store: &Store, opts: &ExportOptions) -> Result<std::path::PathBuf, ExportError> {
    let p = opts.filter.period()?;
    let what = opts.what.map_or("effects".to_string(), |w| w.to_string());
    let dir = store.dir().join("exports");
    std::fs::create_dir_all(&dir)?;
    Ok(dir.join(format!("samskap-{what}-{}-{}.{}", p.from, p.to, opts.format)))
}

/// An export's bytes and how many data rows they hold.
pub struct Rendered {
    pub data: Vec<u8>,
    pub rows: u64,
}

/// Renders the export in memory.
pub fn render(store: &Store, opts: &ExportOptions) -> Result<Rendered, ExportError> {
    let tables = |what: &[What]| -> Result<Vec<Table>, ExportError> {
        what.iter().map(|w| tables::table(store, *w, opts)).collect()
    };
    let all = [What::Encounters, What::Partners, What::Activities, What::Report];
    match opts.format {
        Format::Csv => {
            let what = opts.what.ok_or(ExportError::CsvNeedsWhat)?;
            let t = tables::table(store, what, opts)?;
            let words = (!opts.slugs).then_some(opts.language);
            Ok(Rendered { rows: t.rows.len() as u64, data: csv_out::write(&t, opts.separator, words)? })
        }
        Format::Xlsx => {
            let ts = tables(opts.what.as_ref().map_or(&all[..], std::slice::from_ref))?;
            let rows = ts.iter().map(|t| t.rows.len() as u64).sum();
            let period = tables::period_words(opts, opts.language)?;
            Ok(Rendered { rows, data: xlsx::write(ts, (!opts.slugs).then_some(opts.language), &period)? })
        }
        Format::Json => match opts.what {
            Some(What::Report) | None => {
                let r = report::build(store, &opts.filter)?;
                if opts.what.is_some() {
                    return Ok(Rendered { rows: 1, data: serde_json::to_vec_pretty(&r)? });
                }
                let ts = tables(&all[..3])?;
                Ok(Rendered { rows: ts.iter().map(|t| t.rows.len() as u64).sum(), data: json_out::all(&ts, &r)? })
            }
            Some(w) => {
                let t = tables::table(store, w, opts)?;
                Ok(Rendered { rows: t.rows.len() as u64, data: json_out::table(&t)? })
            }
        },
        Format::Html => {
            let r = report::build(store, &opts.filter)?;
            let today = chrono::Local::now().date_naive();
            let html = html::report(&r, &store.workspace_name()?, opts.language, opts.per_staff, today);
            Ok(Rendered { rows: 1, data: html.into_bytes() })
        }
    }
}
