use std::path::PathBuf;
use thiserror::Error;

use crate::doc::DocError;
use crate::i18n::{noun, record_with_article, Language, Localize};
use crate::model::{RecordId, ValidationError};
use crate::tr;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no Samskap store in {0}; create one with `samskap init --staff NAME`")]
    NotInitialized(PathBuf),
    #[error("{0} already holds a Samskap store")]
    AlreadyInitialized(PathBuf),
    #[error("{0} is not a Samskap store; nothing was changed")]
    NotAStore(PathBuf),
    #[error("the store in {dir} is in use by another Samskap process{}; close it and try again", .pid.map(|p| format!(" (pid {p})")).unwrap_or_default())]
    Busy { dir: PathBuf, pid: Option<u32> },
    #[error("the store in {0} was written by a newer Samskap (layout {1}); update Samskap to open it")]
    TooNew(PathBuf, i64),
    #[error("the store in {0} is encrypted and its key is not here (not in this computer's key store, nor in SAMSKAP_DB_KEY); nothing was changed")]
    KeyNeeded(PathBuf),
    #[error("the key given for {0} does not open it; nothing was changed")]
    WrongKey(PathBuf),
    #[error("the computer's key store: {0}")]
    KeyStore(String),
    #[error("no record with id {0}")]
    NotFound(RecordId),
    #[error("record {id} is {}, not {}", crate::i18n::with_article(found), crate::i18n::with_article(expected))]
    WrongKind { id: RecordId, expected: &'static str, found: &'static str },
    #[error("there is no {} with id {id}", .kind)]
    MissingRef { id: RecordId, kind: &'static str },
    #[error("encounter {encounter} has no follow-up {item}; it may have been removed on another device")]
    NoFollowUp { encounter: RecordId, item: String },
    #[error("record {0} was erased and cannot be used again")]
    Erased(RecordId),
    #[error("a peer sent changes that cannot be used ({0}); nothing was changed")]
    BadBatch(String),
    #[error("the disk is full; nothing was written")]
    DiskFull,
    #[error("partner has no {what} with id {id}; it may have been removed on another device")]
    NoItem { what: &'static str, id: String },
    #[error("this device cannot revoke itself; revoke it from another device")]
    OwnDevice,
    #[error(transparent)]
    Merge(#[from] super::merge::MergeError),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("record document: {0}")]
    Doc(#[from] DocError),
    #[error("database: {0}")]
    Sqlite(rusqlite::Error),
    /// A hub's PostgreSQL database (`net::pg`): unreachable, or it refused.
    #[error("hub database: {0}")]
    HubDatabase(String),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
}

impl From<crate::keystore::KeyStoreError> for StoreError {
    fn from(e: crate::keystore::KeyStoreError) -> Self {
        match e {
            crate::keystore::KeyStoreError::Refused(why) => StoreError::KeyStore(why),
            crate::keystore::KeyStoreError::Io(e) => StoreError::Io(e),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<automerge::AutomergeError> for StoreError {
    fn from(e: automerge::AutomergeError) -> Self {
        StoreError::Doc(DocError::Automerge(e))
    }
}

impl StoreError {
    /// A stable machine-readable code, for the CLI's exit status and the app's IPC errors.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotInitialized(_) => "not_initialized",
            StoreError::AlreadyInitialized(_) => "already_initialized",
            StoreError::NotAStore(_) => "not_a_store",
            StoreError::Busy { .. } => "busy",
            StoreError::TooNew(..) => "too_new",
            StoreError::KeyNeeded(_) => "key_needed",
            StoreError::WrongKey(_) => "wrong_key",
            StoreError::KeyStore(_) => "key_store",
            StoreError::NotFound(_) => "not_found",
            StoreError::WrongKind { .. } => "wrong_kind",
            StoreError::Erased(_) => "erased",
            StoreError::NoFollowUp { .. } => "no_follow_up",
            StoreError::MissingRef { .. } => "missing_reference",
            StoreError::DiskFull => "disk_full",
            StoreError::BadBatch(_) => "bad_batch",
            StoreError::NoItem { .. } => "no_item",
            StoreError::OwnDevice => "own_device",
            StoreError::Merge(e) => e.code(),
            StoreError::Invalid(_) => "invalid",
            StoreError::Doc(_) => "document",
            StoreError::Sqlite(_) | StoreError::HubDatabase(_) => "database",
            StoreError::Io(_) => "io",
        }
    }
}

impl Localize for StoreError {
    fn localize(&self, lang: Language) -> String {
        match self {
            StoreError::NotInitialized(dir) => tr!(lang,
                nb: "Det finnes ikke noe Samskap-lager i {}; opprett det med `samskap init --staff NAVN`",
                da: "Der er intet Samskap-lager i {}; opret det med `samskap init --staff NAVN`",
                en: "no Samskap store in {}; create one with `samskap init --staff NAME`", dir.display()),
            StoreError::AlreadyInitialized(dir) => tr!(lang,
                nb: "Det finnes allerede et Samskap-lager i {}; bruk det, eller velg en annen mappe",
                da: "Der er allerede et Samskap-lager i {}; brug det, eller vælg en anden mappe",
                en: "{} already holds a Samskap store", dir.display()),
            StoreError::NotAStore(dir) => tr!(lang,
                nb: "{} er ikke et Samskap-lager; ingenting ble endret",
                da: "{} er ikke et Samskap-lager; intet blev ændret",
                en: "{} is not a Samskap store; nothing was changed", dir.display()),
            StoreError::Busy { dir, pid } => {
                let pid = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
                tr!(lang,
                    nb: "Lageret i {} er i bruk av et annet Samskap-program{pid}; lukk det og prøv igjen",
                    da: "Lageret i {} bruges af et andet Samskap-program{pid}; luk det, og prøv igen",
                    en: "the store in {} is in use by another Samskap process{pid}; close it and try again", dir.display())
            }
            StoreError::TooNew(dir, layout) => tr!(lang,
                nb: "Lageret i {} er skrevet av en nyere Samskap (utgave {layout}); oppdater Samskap for å åpne det",
                da: "Lageret i {} er skrevet af en nyere Samskap (version {layout}); opdatér Samskap for at åbne det",
                en: "the store in {} was written by a newer Samskap (layout {layout}); update Samskap to open it", dir.display()),
            StoreError::KeyNeeded(dir) => tr!(lang,
                nb: "Lageret i {} er kryptert, og nøkkelen finnes ikke her (verken i maskinens nøkkelring eller i SAMSKAP_DB_KEY); ingenting ble endret",
                da: "Lageret i {} er krypteret, og nøglen findes ikke her (hverken i computerens nøglering eller i SAMSKAP_DB_KEY); intet blev ændret",
                en: "the store in {} is encrypted and its key is not here (not in this computer's key store, nor in SAMSKAP_DB_KEY); nothing was changed", dir.display()),
            StoreError::WrongKey(dir) => tr!(lang,
                nb: "Nøkkelen som ble oppgitt, åpner ikke {}; ingenting ble endret",
                da: "Den angivne nøgle kan ikke åbne {}; intet blev ændret",
                en: "the key given for {} does not open it; nothing was changed", dir.display()),
            StoreError::KeyStore(why) => tr!(lang,
                nb: "Maskinens nøkkelring svarte med en feil: {why}",
                da: "Computerens nøglering svarede med en fejl: {why}",
                en: "the computer's key store: {why}"),
            StoreError::NotFound(id) => tr!(lang,
                nb: "Fant ingen post med ID {id}; den kan være slettet, eller ikke synkronisert hit ennå",
                da: "Fandt ingen post med id {id}; den kan være slettet eller endnu ikke synkroniseret hertil",
                en: "no record with id {id}"),
            StoreError::WrongKind { id, expected, found } => tr!(lang,
                nb: "Posten {id} er {}, ikke {}",
                da: "Posten {id} er {}, ikke {}",
                en: "record {id} is {}, not {}", record_with_article(found, lang), record_with_article(expected, lang)),
            StoreError::MissingRef { id, kind } => {
                let what = record_with_article(kind, lang);
                tr!(lang,
                    nb: "Fant ikke {what} med ID {id}; velg en som finnes",
                    da: "Fandt ikke {what} med id {id}; vælg en, der findes",
                    en: "there is no {kind} with id {id}")
            }
            StoreError::Erased(id) => tr!(lang,
                nb: "Posten {id} er slettet for godt og kan ikke brukes igjen",
                da: "Posten {id} er slettet for altid og kan ikke bruges igen",
                en: "record {id} was erased and cannot be used again"),
            StoreError::BadBatch(why) => tr!(lang,
                nb: "En annen enhet sendte endringer som ikke kan brukes ({why}); ingenting ble endret",
                da: "En anden enhed sendte ændringer, der ikke kan bruges ({why}); intet blev ændret",
                en: "a peer sent changes that cannot be used ({why}); nothing was changed"),
            StoreError::DiskFull => tr!(lang,
                nb: "Disken er full, så ingenting ble lagret; frigjør plass og prøv igjen",
                da: "Disken er fuld, så intet blev gemt; frigør plads, og prøv igen",
                en: "the disk is full; nothing was written"),
            StoreError::NoFollowUp { encounter, item } => tr!(lang,
                nb: "Møtet {encounter} har ingen oppfølging {item}; den kan være fjernet på en annen enhet",
                da: "Mødet {encounter} har ingen opfølgning {item}; den kan være fjernet på en anden enhed",
                en: "encounter {encounter} has no follow-up {item}; it may have been removed on another device"),
            StoreError::NoItem { what, id } => {
                let what = noun(what, lang);
                tr!(lang,
                    nb: "Partneren har ingen {what} med ID {id}; den kan være fjernet på en annen enhet",
                    da: "Partneren har ingen {what} med id {id}; den kan være fjernet på en anden enhed",
                    en: "partner has no {what} with id {id}; it may have been removed on another device")
            }
            StoreError::OwnDevice => tr!(lang,
                nb: "Denne enheten kan ikke tilbakekalle seg selv; gjør det fra en annen enhet",
                da: "Denne enhed kan ikke tilbagekalde sig selv; gør det fra en anden enhed",
                en: "this device cannot revoke itself; revoke it from another device"),
            StoreError::Merge(m) => m.localize(lang),
            StoreError::HubDatabase(why) => tr!(lang,
                nb: "Hubens database svarte ikke som den skulle: {why}",
                da: "Hubbens database svarede ikke som forventet: {why}",
                en: "hub database: {why}"),
            StoreError::Invalid(v) => v.localize(lang),
            StoreError::Doc(d) => d.localize(lang),
            StoreError::Sqlite(e) => tr!(lang,
                nb: "Databasen svarte med en feil: {e}",
                da: "Databasen svarede med en fejl: {e}",
                en: "database: {e}"),
            StoreError::Io(e) => tr!(lang,
                nb: "Filsystemet svarte med en feil: {e}",
                da: "Filsystemet svarede med en fejl: {e}",
                en: "file system: {e}"),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
