//! Transports around the sans-IO sync core: the hub (axum), the client
//! (reqwest), LAN sessions. Small adapters: they move bytes and check
//! credentials; the protocol lives in `sync`.

pub mod auth;
pub mod bundle_file;
pub mod client;
pub mod conn_limit;
pub mod device;
pub mod discovery;
pub mod group;
pub mod hub;
pub mod lan;
pub mod pg;
pub mod server;

use thiserror::Error;

use crate::i18n::{Language, Localize};
use crate::store::StoreError;
use crate::sync::SyncError;
use crate::tr;

#[derive(Debug, Error)]
pub enum NetError {
    #[error("not allowed: {0}")]
    Unauthorized(&'static str),
    #[error("this device was revoked by the workspace; ask a colleague to invite it again")]
    Revoked,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("refusing to send the workspace over plain http to {0}; use https (plain http is only for this machine and the local network)")]
    InsecureUrl(String),
    #[error("{0} is not a hub address (expected http://HOST:PORT or https://HOST)")]
    BadUrl(String),
    #[error("this device has not joined a workspace yet; run `samskap join --hub URL --invite CODE`")]
    NotJoined,
    #[error("could not reach {url}: {why}")]
    Unreachable { url: String, why: String },
    #[error("the peer answered {status}: {message}")]
    Peer { status: u16, code: String, message: String },
    #[error("too many requests from this device; try again in a moment")]
    RateLimited,
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    #[error("TLS: {0}")]
    Tls(String),
}

impl From<rusqlite::Error> for NetError {
    fn from(e: rusqlite::Error) -> Self {
        NetError::Store(e.into())
    }
}

impl NetError {
    /// Stable code sent over HTTP as `{code, message}`.
    pub fn code(&self) -> &str {
        match self {
            NetError::Unauthorized(_) => "unauthorized",
            NetError::Revoked => "revoked",
            NetError::BadRequest(_) => "bad_request",
            NetError::InsecureUrl(_) => "insecure_url",
            NetError::BadUrl(_) => "bad_url",
            NetError::NotJoined => "not_joined",
            NetError::Unreachable { .. } => "unreachable",
            NetError::Peer { code, .. } => code,
            NetError::RateLimited => "rate_limited",
            NetError::Sync(e) => e.code(),
            NetError::Store(e) => e.code(),
            NetError::Io(_) => "io",
            NetError::Tls(_) => "tls",
        }
    }

    /// The HTTP status a server answers this error with.
    pub fn status(&self) -> u16 {
        match self {
            NetError::Unauthorized(_) => 401,
            NetError::Revoked => 403,
            NetError::RateLimited => 429,
            NetError::BadRequest(_) => 400,
            NetError::Sync(SyncError::Replayed { .. }) => 409,
            NetError::Sync(SyncError::TooLarge { .. }) => 413,
            NetError::Sync(SyncError::WrongWorkspace) => 403,
            NetError::Sync(SyncError::Store(_)) | NetError::Store(_) | NetError::Io(_) => 500,
            NetError::Sync(_) => 400,
            _ => 500,
        }
    }
}

/// Why a peer said no, in the person's language. The reasons are the fixed
/// texts of [`NetError::Unauthorized`]; an unknown one is shown as it is.
fn unauthorized_reason(reason: &str, lang: Language) -> String {
    let (nb, da) = match reason {
        "that invite code is not this session's" => {
            ("den invitasjonskoden hører ikke til denne økta", "den invitationskode hører ikke til denne session")
        }
        "join the session first with its invite code" => {
            ("bli med i økta først, med invitasjonskoden", "tilslut dig sessionen først med invitationskoden")
        }
        "that invite code is not valid here" => {
            ("den invitasjonskoden gjelder ikke her", "den invitationskode gælder ikke her")
        }
        "that invite code has expired; ask for a new one" => {
            ("invitasjonskoden er utløpt; be om en ny", "invitationskoden er udløbet; bed om en ny")
        }
        "this hub needs a device credential; join the workspace first" => (
            "denne huben krever at enheten er med i arbeidsområdet; bli med først",
            "denne hub kræver, at enheden er med i arbejdsområdet; tilslut dig først",
        ),
        "unknown device credential; join the workspace again" => (
            "huben kjenner ikke denne enheten; bli med i arbeidsområdet på nytt",
            "hubben kender ikke denne enhed; tilslut dig arbejdsområdet igen",
        ),
        "this device is not a member of the session's workspace, or holds an old workspace key (sync with the hub to get the new one)" => (
            "denne enheten er ikke med i øktas arbeidsområde, eller har en gammel nøkkel (synkroniser med huben for å få den nye)",
            "denne enhed er ikke med i sessionens arbejdsområde eller har en gammel nøgle (synkronisér med hubben for at få den nye)",
        ),
        _ => (reason, reason),
    };
    match lang {
        Language::Nb => nb.to_string(),
        Language::Da => da.to_string(),
        Language::En => reason.to_string(),
    }
}

impl Localize for NetError {
    fn localize(&self, lang: Language) -> String {
        match self {
            NetError::Unauthorized(reason) => {
                let reason = unauthorized_reason(reason, lang);
                tr!(lang, nb: "Ikke tillatt: {reason}", da: "Ikke tilladt: {reason}", en: "not allowed: {reason}")
            }
            NetError::Revoked => tr!(lang,
                nb: "Denne enheten er fjernet fra arbeidsområdet; be en kollega om å invitere den på nytt",
                da: "Denne enhed er fjernet fra arbejdsområdet; bed en kollega om at invitere den igen",
                en: "this device was revoked by the workspace; ask a colleague to invite it again"),
            NetError::BadRequest(why) => tr!(lang,
                nb: "Forespørselen ble avvist: {why}",
                da: "Forespørgslen blev afvist: {why}",
                en: "bad request: {why}"),
            NetError::InsecureUrl(url) => tr!(lang,
                nb: "Arbeidsområdet sendes ikke over ukryptert http til {url}; bruk https (http er bare for denne maskinen og det lokale nettet)",
                da: "Arbejdsområdet sendes ikke over ukrypteret http til {url}; brug https (http er kun til denne computer og det lokale netværk)",
                en: "refusing to send the workspace over plain http to {url}; use https (plain http is only for this machine and the local network)"),
            NetError::BadUrl(url) => tr!(lang,
                nb: "«{url}» er ikke en hub-adresse; skriv den som http://VERT:PORT eller https://VERT",
                da: "»{url}« er ikke en hub-adresse; skriv den som http://VÆRT:PORT eller https://VÆRT",
                en: "{url} is not a hub address (expected http://HOST:PORT or https://HOST)"),
            NetError::NotJoined => tr!(lang,
                nb: "Denne enheten er ikke med i noe arbeidsområde ennå; kjør `samskap join --hub URL --invite KODE`",
                da: "Denne enhed er ikke med i et arbejdsområde endnu; kør `samskap join --hub URL --invite KODE`",
                en: "this device has not joined a workspace yet; run `samskap join --hub URL --invite CODE`"),
            NetError::Unreachable { url, why } => tr!(lang,
                nb: "Fikk ikke kontakt med {url} ({why}); sjekk nettet og adressen, og prøv igjen",
                da: "Kunne ikke få forbindelse til {url} ({why}); tjek netværket og adressen, og prøv igen",
                en: "could not reach {url}: {why}"),
            // The peer's message is English; where its code is one we know,
            // say it in the person's language instead.
            NetError::Peer { status, code, message } => match code.as_str() {
                "revoked" => NetError::Revoked.localize(lang),
                "rate_limited" => NetError::RateLimited.localize(lang),
                "not_joined" => NetError::NotJoined.localize(lang),
                "wrong_workspace" => SyncError::WrongWorkspace.localize(lang),
                _ => tr!(lang,
                    nb: "Den andre enheten svarte {status}: {message}",
                    da: "Den anden enhed svarede {status}: {message}",
                    en: "the peer answered {status}: {message}"),
            },
            NetError::RateLimited => tr!(lang,
                nb: "For mange forespørsler fra denne enheten; vent litt og prøv igjen",
                da: "For mange forespørgsler fra denne enhed; vent et øjeblik, og prøv igen",
                en: "too many requests from this device; try again in a moment"),
            NetError::Sync(e) => e.localize(lang),
            NetError::Store(e) => e.localize(lang),
            NetError::Io(e) => tr!(lang,
                nb: "Filsystemet svarte med en feil: {e}",
                da: "Filsystemet svarede med en fejl: {e}",
                en: "file system: {e}"),
            NetError::Tls(why) => tr!(lang,
                nb: "Den sikre forbindelsen (TLS) kunne ikke settes opp: {why}",
                da: "Den sikre forbindelse (TLS) kunne ikke oprettes: {why}",
                en: "TLS: {why}"),
        }
    }
}
