use std::path::PathBuf;

use thiserror::Error;

use crate::i18n::{Language, Localize};
use crate::report::ReportError;
use crate::store::StoreError;
use crate::tr;

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("unknown export format '{0}'; valid: csv, xlsx, json, html")]
    UnknownFormat(String),
    #[error("unknown export content '{0}'; valid: encounters, partners, activities, report")]
    UnknownWhat(String),
    #[error("a CSV file holds one table: say which with --what encounters|partners|activities|report")]
    CsvNeedsWhat,
    #[error("the separator must be ',' or ';' or a tab, not '{0}'")]
    BadSeparator(char),
    #[error("there is no folder {0} to write the export into")]
    NoFolder(PathBuf),
    #[error("writing the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ExportError {
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::UnknownFormat(_) | ExportError::UnknownWhat(_) | ExportError::BadSeparator(_) => "bad_option",
            ExportError::CsvNeedsWhat => "bad_option",
            ExportError::NoFolder(_) => "no_folder",
            ExportError::Xlsx(_) | ExportError::Csv(_) | ExportError::Json(_) => "export",
            ExportError::Io(_) => "io",
            ExportError::Report(e) => e.code(),
            ExportError::Store(e) => e.code(),
        }
    }
}

impl Localize for ExportError {
    fn localize(&self, lang: Language) -> String {
        match self {
            ExportError::UnknownFormat(f) => tr!(lang,
                nb: "ukjent eksportformat «{f}»; velg csv, xlsx, json eller html",
                da: "ukendt eksportformat »{f}«; vælg csv, xlsx, json eller html",
                en: "unknown export format «{f}»; choose csv, xlsx, json or html"),
            ExportError::UnknownWhat(w) => tr!(lang,
                nb: "ukjent innhold «{w}»; velg encounters (møter), partners (partnere), activities (aktiviteter) eller report (rapport)",
                da: "ukendt indhold »{w}«; vælg encounters (møder), partners (partnere), activities (aktiviteter) eller report (rapport)",
                en: "unknown export content «{w}»; choose encounters, partners, activities or report"),
            ExportError::CsvNeedsWhat => tr!(lang,
                nb: "en CSV-fil rommer én tabell: velg hvilken med --what encounters|partners|activities|report",
                da: "en CSV-fil rummer én tabel: vælg hvilken med --what encounters|partners|activities|report",
                en: "a CSV file holds one table: say which with --what encounters|partners|activities|report"),
            ExportError::BadSeparator(c) => tr!(lang,
                nb: "skilletegnet må være «,» eller «;» eller tabulator, ikke «{c}»",
                da: "skilletegnet skal være »,« eller »;« eller tabulator, ikke »{c}«",
                en: "the separator must be «,» or «;» or a tab, not «{c}»"),
            ExportError::NoFolder(p) => {
                let p = p.display();
                tr!(lang,
                    nb: "mappen {p} finnes ikke; velg en annen plass å lagre eksporten",
                    da: "mappen {p} findes ikke; vælg et andet sted at gemme eksporten",
                    en: "there is no folder {p} to write the export into; choose another place")
            }
            ExportError::Xlsx(e) => tr!(lang,
                nb: "regnearket kunne ikke skrives: {e}",
                da: "regnearket kunne ikke skrives: {e}",
                en: "the spreadsheet could not be written: {e}"),
            ExportError::Csv(e) => tr!(lang,
                nb: "CSV-filen kunne ikke skrives: {e}",
                da: "CSV-filen kunne ikke skrives: {e}",
                en: "the CSV file could not be written: {e}"),
            ExportError::Json(e) => tr!(lang,
                nb: "JSON-filen kunne ikke skrives: {e}",
                da: "JSON-filen kunne ikke skrives: {e}",
                en: "the JSON file could not be written: {e}"),
            ExportError::Io(e) => tr!(lang,
                nb: "filen kunne ikke lagres: {e}. Sjekk at det er plass på disken og at du har lov å skrive der",
                da: "filen kunne ikke gemmes: {e}. Tjek, at der er plads på disken, og at du må skrive der",
                en: "the file could not be saved: {e}. Check that the disk has room and that you may write there"),
            ExportError::Report(e) => e.to_string(),
            ExportError::Store(e) => e.to_string(),
        }
    }
}
