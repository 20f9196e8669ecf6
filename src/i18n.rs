//! The words a person reads, in their language: Norsk bokmål (the default),
//! Dansk or English. Errors and import messages implement [`Localize`];
//! their `Display` (thiserror) stays English, for logs and developers.
//!
//! Every message is written with [`tr!`], which takes all three languages
//! at once, so a message cannot exist in one language and be missing in
//! another.

#[cfg(test)]
mod coverage;
mod nouns;

pub use nouns::{noun, record_with_article, with_article};

crate::slug_enum!(
    /// The interface language: Norwegian Bokmål (the default), Danish, English.
    #[derive(Default)]
    Language, "language" {
        #[default]
        Nb = (1, "nb"),
        Da = (2, "da"),
        En = (3, "en"),
    }
);

/// Text for a person, in their language.
pub trait Localize {
    fn localize(&self, lang: Language) -> String;
}

/// One message in the three languages, with `format!` arguments:
/// `tr!(lang, nb: "Fant ikke {id}", da: "Fandt ikke {id}", en: "No {id}")`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, nb: $nb:literal, da: $da:literal, en: $en:literal $(, $($arg:tt)*)?) => {
        match $lang {
            $crate::i18n::Language::Nb => format!($nb $(, $($arg)*)?),
            $crate::i18n::Language::Da => format!($da $(, $($arg)*)?),
            $crate::i18n::Language::En => format!($en $(, $($arg)*)?),
        }
    };
}

impl Language {
    /// The language a POSIX locale name asks for (`nb_NO.UTF-8`, `da_DK`,
    /// `en_GB.UTF-8` …); Nynorsk and plain Norwegian read Bokmål.
    pub fn from_locale(locale: &str) -> Option<Language> {
        let tag = locale.split(['.', '@']).next()?.to_ascii_lowercase();
        let primary = tag.split(['_', '-']).next()?;
        match primary {
            "nb" | "nn" | "no" => Some(Language::Nb),
            "da" => Some(Language::Da),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// The command line's language: `SAMSKAP_LANG`, else the first of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG` that names one of ours, else Bokmål.
    pub fn from_env() -> Language {
        ["SAMSKAP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find_map(|v| Language::from_locale(&v))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names_pick_the_language() {
        assert_eq!(Language::from_locale("nb_NO.UTF-8"), Some(Language::Nb));
        assert_eq!(Language::from_locale("nn_NO"), Some(Language::Nb));
        assert_eq!(Language::from_locale("da_DK.UTF-8"), Some(Language::Da));
        assert_eq!(Language::from_locale("en_GB.UTF-8@euro"), Some(Language::En));
        assert_eq!(Language::from_locale("C.UTF-8"), None);
        assert_eq!(Language::from_locale("sv_SE"), None);
    }

    #[test]
    fn tr_picks_one_of_three() {
        let n = 3;
        assert_eq!(tr!(Language::Nb, nb: "{n} møter", da: "{n} møder", en: "{n} encounters"), "3 møter");
        assert_eq!(tr!(Language::Da, nb: "{n} møter", da: "{n} møder", en: "{n} encounters"), "3 møder");
        assert_eq!(tr!(Language::En, nb: "{} møter", da: "{} møder", en: "{} encounters", n), "3 encounters");
    }
}
