use std::path::PathBuf;

use thiserror::Error;

use super::columns::Field;
use crate::i18n::{Language, Localize};
use crate::store::StoreError;
use crate::tr;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{0} is not a spreadsheet Samskap reads (it should end in .csv, .txt, .xlsx, .ods or .xls)")]
    UnknownType(PathBuf),
    #[error("the spreadsheet cannot be read: {0}")]
    Xlsx(String),
    #[error("the CSV file cannot be read: {0}")]
    Csv(String),
    #[error("the file has no header row")]
    NoHeader,
    #[error("the file has no sheet named '{wanted}'; its sheets are: {}", .sheets.join(", "))]
    NoSuchSheet { wanted: String, sheets: Vec<String> },
    /// No row near the top names a name column.
    #[error(
        "the header row must have a name column; {} — Samskap looks for the header in the first {looked} filled rows of every sheet; nothing was imported",
        first_row_en(.first_row)
    )]
    NoNameColumn { sheet: String, first_row: Option<(u64, String)>, looked: usize },
    #[error("the file has no {} column (found: {found}); name it one of: {accepted}; nothing was imported", .missing.label())]
    MissingColumn { missing: Field, found: String, accepted: String },
    #[error("two columns mean {}: '{first}' and '{second}'; rename or remove one; nothing was imported", .field.label())]
    DuplicateColumn { field: Field, first: String, second: String },
    #[error("'{0}' is not a mapping; write the term, '=' and a kind or level, e.g. --map \"museum=public-body\"")]
    BadMap(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn first_row_en(first: &Option<(u64, String)>) -> String {
    match first {
        Some((line, text)) => format!("row {line} holds «{text}»"),
        None => "the sheet is empty".into(),
    }
}

impl ImportError {
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Read { .. } => "io",
            ImportError::UnknownType(_) => "unknown_file_type",
            ImportError::Xlsx(_) | ImportError::Csv(_) => "unreadable_file",
            ImportError::NoHeader => "no_header",
            ImportError::NoSuchSheet { .. } => "no_such_sheet",
            ImportError::NoNameColumn { .. } | ImportError::MissingColumn { .. } => "missing_column",
            ImportError::DuplicateColumn { .. } => "duplicate_column",
            ImportError::BadMap(_) => "bad_option",
            ImportError::Store(e) => e.code(),
        }
    }
}

impl Localize for Field {
    fn localize(&self, lang: Language) -> String {
        let (nb, da, en) = match self {
            Field::Id => ("id", "id", "id"),
            Field::Name => ("navn", "navn", "name"),
            Field::Kind => ("type", "type", "kind"),
            Field::Level => ("nivå", "niveau", "level"),
            Field::Phone => ("telefon", "telefon", "phone"),
            Field::Mobile => ("mobil", "mobil", "mobile"),
            Field::Email => ("e-post", "e-mail", "e-mail"),
            Field::Place => ("sted", "sted", "place"),
            Field::Contact => ("kontaktperson", "kontaktperson", "contact person"),
            Field::ContactRole => ("rolle", "rolle", "contact role"),
            Field::Tags => ("stikkord", "emneord", "tags"),
            Field::Note => ("notat", "note", "note"),
            Field::PersonalNote => ("personlig notat", "personlig note", "personal note"),
        };
        match lang {
            Language::Nb => nb,
            Language::Da => da,
            Language::En => en,
        }
        .to_string()
    }
}

impl Localize for ImportError {
    fn localize(&self, lang: Language) -> String {
        match self {
            ImportError::Read { path, source } => {
                let path = path.display();
                tr!(lang, nb: "kan ikke lese {path}: {source}", da: "kan ikke læse {path}: {source}", en: "cannot read {path}: {source}")
            }
            ImportError::UnknownType(path) => {
                let path = path.display();
                tr!(lang,
                    nb: "{path} er ikke et regneark Samskap kan lese (filnavnet skal slutte på .csv, .txt, .xlsx, .ods eller .xls)",
                    da: "{path} er ikke et regneark, Samskap kan læse (filnavnet skal ende på .csv, .txt, .xlsx, .ods eller .xls)",
                    en: "{path} is not a spreadsheet Samskap reads (it should end in .csv, .txt, .xlsx, .ods or .xls)")
            }
            ImportError::Xlsx(e) => tr!(lang,
                nb: "regnearket kan ikke leses: {e}. Åpne det i Excel eller LibreOffice og lagre det på nytt",
                da: "regnearket kan ikke læses: {e}. Åbn det i Excel eller LibreOffice, og gem det igen",
                en: "the spreadsheet cannot be read: {e}. Open it in Excel or LibreOffice and save it again"),
            ImportError::Csv(e) => tr!(lang,
                nb: "CSV-filen kan ikke leses: {e}",
                da: "CSV-filen kan ikke læses: {e}",
                en: "the CSV file cannot be read: {e}"),
            ImportError::NoHeader => tr!(lang,
                nb: "filen er tom: den har ingen overskriftsrad",
                da: "filen er tom: den har ingen overskriftsrække",
                en: "the file is empty: it has no header row"),
            ImportError::NoSuchSheet { wanted, sheets } => {
                let sheets = sheets.join(", ");
                tr!(lang,
                    nb: "filen har ikke noe ark som heter «{wanted}»; arkene er: {sheets}",
                    da: "filen har intet ark, der hedder »{wanted}«; arkene er: {sheets}",
                    en: "the file has no sheet named «{wanted}»; its sheets are: {sheets}")
            }
            ImportError::NoNameColumn { sheet, first_row, looked } => {
                let first = match first_row {
                    Some((line, text)) => tr!(lang,
                        nb: "rad {line} i arket «{sheet}» inneholder «{text}»",
                        da: "række {line} i arket »{sheet}« indeholder »{text}«",
                        en: "row {line} of the sheet «{sheet}» holds «{text}»"),
                    None => tr!(lang, nb: "arket er tomt", da: "arket er tomt", en: "the sheet is empty"),
                };
                tr!(lang,
                    nb: "overskriftsraden må ha en kolonne for navn (f.eks. «Navn»); {first}. Samskap leter etter overskriftene i de {looked} første utfylte radene i hvert ark. Ingenting ble importert",
                    da: "overskriftsrækken skal have en kolonne med navn (f.eks. »Navn«); {first}. Samskap leder efter overskrifterne i de første {looked} udfyldte rækker i hvert ark. Intet blev importeret",
                    en: "the header row must have a name column (e.g. «Name»); {first}. Samskap looks for the header in the first {looked} filled rows of every sheet. Nothing was imported")
            }
            ImportError::MissingColumn { missing, found, accepted } => {
                let m = missing.localize(lang);
                tr!(lang,
                    nb: "filen har ingen kolonne for {m} (fant: {found}); kall den en av: {accepted}. Ingenting ble importert",
                    da: "filen har ingen kolonne med {m} (fandt: {found}); kald den en af: {accepted}. Intet blev importeret",
                    en: "the file has no {m} column (found: {found}); name it one of: {accepted}. Nothing was imported")
            }
            ImportError::DuplicateColumn { field, first, second } => {
                let f = field.localize(lang);
                tr!(lang,
                    nb: "to kolonner betyr {f}: «{first}» og «{second}»; gi en av dem nytt navn eller fjern den. Ingenting ble importert",
                    da: "to kolonner betyder {f}: »{first}« og »{second}«; omdøb eller fjern den ene. Intet blev importeret",
                    en: "two columns mean {f}: «{first}» and «{second}»; rename or remove one. Nothing was imported")
            }
            ImportError::BadMap(given) => tr!(lang,
                nb: "«{given}» er ikke en oversettelse; skriv ordet, «=» og en type eller et nivå, f.eks. --map \"museum=public-body\"",
                da: "»{given}« er ikke en oversættelse; skriv ordet, »=« og en type eller et niveau, f.eks. --map \"museum=public-body\"",
                en: "«{given}» is not a mapping; write the term, «=» and a kind or level, e.g. --map \"museum=public-body\""),
            ImportError::Store(e) => e.to_string(),
        }
    }
}
