use thiserror::Error;

use crate::i18n::{Language, Localize};
use crate::store::StoreError;
use crate::tr;

#[derive(Debug, Error)]
pub enum SyncError {
    #[error("message too short to be a Samskap sync message ({0} bytes)")]
    TooShort(usize),
    #[error("not a Samskap sync message (bad magic)")]
    BadMagic,
    #[error(
        "sync message version {0} is not supported by this Samskap (it speaks version {1}); update the older device"
    )]
    UnsupportedVersion(u8, u8),
    #[error("unknown sync message kind {0}")]
    UnknownKind(u8),
    #[error("sync message is truncated or padded: header says {declared} bytes, got {actual}")]
    LengthMismatch { declared: usize, actual: usize },
    #[error("sync message too large ({len} bytes; at most {max})")]
    TooLarge { len: usize, max: usize },
    #[error("sync message is corrupt (checksum mismatch)")]
    Checksum,
    #[error("sync message is malformed: {0}")]
    Malformed(String),
    #[error("this message was already received (replayed request {got}, last was {last})")]
    Replayed { got: u64, last: u64 },
    #[error("unexpected answer: for request {got}, but request {expected} is outstanding")]
    Unexpected { got: u64, expected: u64 },
    #[error("expected a {expected}, got a {got}")]
    WrongMessage { expected: &'static str, got: &'static str },
    #[error("this device belongs to another workspace than the peer; join the peer's workspace first")]
    WrongWorkspace,
    #[error("bundle: {0}")]
    Bundle(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> Self {
        SyncError::Store(e.into())
    }
}

impl SyncError {
    /// A stable machine-readable code (HTTP adapters and the app use it).
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::TooShort(_)
            | SyncError::BadMagic
            | SyncError::UnknownKind(_)
            | SyncError::LengthMismatch { .. }
            | SyncError::Checksum
            | SyncError::Malformed(_) => "malformed",
            SyncError::UnsupportedVersion(..) => "unsupported_version",
            SyncError::TooLarge { .. } => "too_large",
            SyncError::Replayed { .. } => "replayed",
            SyncError::Unexpected { .. } | SyncError::WrongMessage { .. } => "unexpected",
            SyncError::WrongWorkspace => "wrong_workspace",
            SyncError::Bundle(_) => "bad_bundle",
            SyncError::Store(e) => e.code(),
            SyncError::Io(_) => "io",
        }
    }
}

impl Localize for SyncError {
    fn localize(&self, lang: Language) -> String {
        // A damaged message means the same to a person whatever the detail:
        // the transfer broke, so try again; the detail stays for support.
        let damaged = |detail: String| {
            tr!(lang,
                nb: "Synkroniseringsmeldingen kom fram skadet ({detail}); prøv å synkronisere på nytt",
                da: "Synkroniseringsbeskeden kom frem beskadiget ({detail}); prøv at synkronisere igen",
                en: "the sync message arrived damaged ({detail}); try to sync again")
        };
        match self {
            SyncError::TooShort(n) => damaged(tr!(lang, nb: "bare {n} byte", da: "kun {n} byte", en: "only {n} bytes")),
            SyncError::BadMagic => tr!(lang,
                nb: "Dette er ikke en synkroniseringsmelding fra Samskap; sjekk at adressen går til en Samskap-hub",
                da: "Dette er ikke en synkroniseringsbesked fra Samskap; tjek, at adressen går til en Samskap-hub",
                en: "not a Samskap sync message (bad magic); check that the address leads to a Samskap hub"),
            SyncError::UnsupportedVersion(theirs, ours) => tr!(lang,
                nb: "Den andre enheten bruker synkroniseringsversjon {theirs}, denne Samskap bruker {ours}; oppdater den eldste enheten",
                da: "Den anden enhed bruger synkroniseringsversion {theirs}, denne Samskap bruger {ours}; opdatér den ældste enhed",
                en: "sync message version {theirs} is not supported by this Samskap (it speaks version {ours}); update the older device"),
            SyncError::UnknownKind(k) => damaged(
                tr!(lang, nb: "ukjent meldingstype {k}", da: "ukendt beskedtype {k}", en: "unknown message kind {k}"),
            ),
            SyncError::LengthMismatch { declared, actual } => damaged(tr!(lang,
                nb: "{declared} byte varslet, {actual} mottatt",
                da: "{declared} byte varslet, {actual} modtaget",
                en: "{declared} bytes announced, {actual} received")),
            SyncError::TooLarge { len, max } => tr!(lang,
                nb: "Synkroniseringsmeldingen er for stor ({len} byte; høyst {max}); synkroniser oftere, eller bruk en fil (bundle)",
                da: "Synkroniseringsbeskeden er for stor ({len} byte; højst {max}); synkronisér oftere, eller brug en fil (bundle)",
                en: "sync message too large ({len} bytes; at most {max}); sync more often, or use a bundle file"),
            SyncError::Checksum => {
                damaged(tr!(lang, nb: "feil kontrollsum", da: "forkert kontrolsum", en: "checksum mismatch"))
            }
            SyncError::Malformed(why) => damaged(why.clone()),
            SyncError::Replayed { got, last } => tr!(lang,
                nb: "Denne meldingen er mottatt før (forespørsel {got}, siste var {last}); start synkroniseringen på nytt",
                da: "Denne besked er modtaget før (forespørgsel {got}, den seneste var {last}); start synkroniseringen igen",
                en: "this message was already received (replayed request {got}, last was {last}); start the sync again"),
            SyncError::Unexpected { got, expected } => tr!(lang,
                nb: "Uventet svar på forespørsel {got} mens {expected} venter; start synkroniseringen på nytt",
                da: "Uventet svar på forespørgsel {got}, mens {expected} venter; start synkroniseringen igen",
                en: "unexpected answer: for request {got}, but request {expected} is outstanding; start the sync again"),
            SyncError::WrongMessage { expected, got } => tr!(lang,
                nb: "Ventet en {expected}-melding, men fikk {got}; start synkroniseringen på nytt",
                da: "Ventede en {expected}-besked, men fik {got}; start synkroniseringen igen",
                en: "expected a {expected}, got a {got}; start the sync again"),
            SyncError::WrongWorkspace => tr!(lang,
                nb: "Denne enheten hører til et annet arbeidsområde enn den andre; bli med i det samme arbeidsområdet først",
                da: "Denne enhed hører til et andet arbejdsområde end den anden; tilslut dig det samme arbejdsområde først",
                en: "this device belongs to another workspace than the peer; join the peer's workspace first"),
            SyncError::Bundle(why) => tr!(lang,
                nb: "Synkroniseringsfilen kan ikke brukes ({why}); lag en ny fil på den andre enheten",
                da: "Synkroniseringsfilen kan ikke bruges ({why}); lav en ny fil på den anden enhed",
                en: "bundle: {why}; make a new bundle on the other device"),
            SyncError::Store(e) => e.localize(lang),
            SyncError::Io(e) => tr!(lang,
                nb: "Filen kunne ikke leses eller skrives: {e}",
                da: "Filen kunne ikke læses eller skrives: {e}",
                en: "file: {e}"),
        }
    }
}
