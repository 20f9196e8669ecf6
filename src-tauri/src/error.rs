//! The one error type that crosses IPC: `{code, message}`. The UI matches
//! on `code` (stable, from the core's error enums) and shows `message`,
//! which the core rendered in the app's language (`Settings.language`).

use std::sync::Arc;

use samskap::conflicts::ConflictError;
use samskap::i18n::{Language, Localize};
use samskap::net::NetError;
use samskap::settings::SettingsError;
use samskap::store::StoreError;
use samskap::sync::SyncError;
use samskap::tr;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error, ts_rs::TS)]
#[error("{message}")]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// The error the message came from, kept so that [`ApiError::in_language`]
    /// can say it again in the app's language once that is known.
    #[serde(skip)]
    #[ts(skip)]
    words: Option<Words>,
}

/// A core error kept for its words (compared and printed by its message only).
#[derive(Clone)]
struct Words(Arc<dyn Localize + Send + Sync>);

impl PartialEq for Words {
    fn eq(&self, _: &Words) -> bool {
        true
    }
}

impl Eq for Words {}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.localize(Language::En))
    }
}

/// The app's own refusals that have words in every language.
enum AppWords {
    NoStore,
}

impl Localize for AppWords {
    fn localize(&self, lang: Language) -> String {
        match self {
            AppWords::NoStore => tr!(lang,
                nb: "Det finnes ikke noe lager her ennå; opprett det først",
                da: "Der er endnu intet lager her; opret det først",
                en: "there is no store yet; create one first"),
        }
    }
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError { code: code.to_string(), message: message.into(), words: None }
    }

    /// A core error with its message in `lang`.
    pub fn localized<E: Localize + Send + Sync + 'static>(code: &str, e: E, lang: Language) -> Self {
        ApiError { code: code.to_string(), message: e.localize(lang), words: Some(Words(Arc::new(e))) }
    }

    /// The same error in `lang` (unchanged if it has no words of its own).
    pub fn in_language(mut self, lang: Language) -> Self {
        if let Some(w) = &self.words {
            self.message = w.0.localize(lang);
        }
        self
    }

    /// Commands that need a store before the user has created one.
    pub fn no_store() -> Self {
        ApiError::localized("no_store", AppWords::NoStore, Language::En)
    }
}

/// Every core error has a stable `code()` and words in every language; it
/// crosses IPC with its message, in English until `in_language` is applied
/// (`AppState::with` does it with the app's language).
macro_rules! from_core_errors {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for ApiError {
            fn from(e: $t) -> Self {
                let code = e.code().to_string();
                ApiError::localized(&code, e, Language::En)
            }
        }
    )*};
}

from_core_errors!(
    StoreError,
    SettingsError,
    ConflictError,
    NetError,
    SyncError,
    samskap::report::ReportError,
    samskap::export::ExportError,
    samskap::import::ImportError,
    samskap::draft::DraftError,
);

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_core_error_is_said_again_in_the_apps_language() {
        let e = ApiError::from(StoreError::DiskFull);
        assert_eq!(e.code, "disk_full");
        assert_eq!(e.message, "the disk is full; nothing was written");
        let da = e.clone().in_language(Language::Da);
        assert_eq!(da.message, StoreError::DiskFull.localize(Language::Da));
        assert_eq!(da.code, "disk_full");
        assert_eq!(ApiError::new("io", "x").in_language(Language::Nb).message, "x");
        let json = serde_json::to_value(ApiError::no_store().in_language(Language::Nb)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "no_store", "message": "Det finnes ikke noe lager her ennå; opprett det først"})
        );
    }
}
