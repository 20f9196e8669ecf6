//! The command line's words in the user's language: its language (from
//! `--lang`, else `SAMSKAP_LANG`/`LC_ALL`/`LC_MESSAGES`/`LANG`, else Bokmål),
//! its own errors, core errors through [`Localize`], and clap's messages,
//! which clap can only write in English.

use std::ffi::OsString;
use std::sync::OnceLock;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use samskap::i18n::{Language, Localize};
use samskap::model::{RecordId, RecordKind, Slug, ValidationError};
use samskap::tr;

/// Set once at start, before anything is printed; a process speaks one
/// language, and every line it prints reads it from here.
static LANG: OnceLock<Language> = OnceLock::new();

pub fn lang() -> Language {
    LANG.get().copied().unwrap_or_default()
}

/// Picks the language: `--lang X` or `--lang=X` anywhere on the line wins
/// (read before clap parses, so clap's own errors speak it too).
pub fn choose(args: &[OsString]) -> Language {
    let lang = lang_in_args(args).unwrap_or_else(Language::from_env);
    LANG.get_or_init(|| lang);
    lang
}

fn lang_in_args(args: &[OsString]) -> Option<Language> {
    let args: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    args.iter().enumerate().find_map(|(i, a)| match a.strip_prefix("--lang") {
        Some("") => args.get(i + 1)?.parse().ok(),
        Some(v) => v.strip_prefix('=')?.parse().ok(),
        None => None,
    })
}

/// A kind of record in its definite form, for lines such as "Deleted the
/// encounter …": "møtet", "mødet", "encounter".
pub fn the(kind: RecordKind) -> &'static str {
    match (kind, lang()) {
        (RecordKind::Encounter, Language::Nb) => "møtet",
        (RecordKind::Encounter, Language::Da) => "mødet",
        (RecordKind::Partner, Language::Nb | Language::Da) => "partneren",
        (RecordKind::Activity, Language::Nb | Language::Da) => "aktiviteten",
        (RecordKind::Staff, Language::Nb) => "den ansatte",
        (RecordKind::Staff, Language::Da) => "medarbejderen",
        (kind, Language::En) => kind.slug(),
    }
}

/// The command line's own refusals.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("no home folder to keep the store in; pass --data DIR")]
    NoHome,
    #[error("erasing {0} cannot be undone; run again with --yes to erase it on every replica")]
    EraseNeedsYes(RecordId),
    #[error("record {0} was erased, and its history with it: nothing about it is kept here")]
    HistoryErased(RecordId),
    #[error("opening the hub in {0}")]
    OpeningHub(String),
    #[error("`samskap bench` runs {0}, which is not there; build it with `cargo build --release -p samskap-bench`")]
    NoBench(String),
    #[error("the benchmark stopped with exit code {}", .0.map_or("-".into(), |c| c.to_string()))]
    BenchFailed(Option<i32>),
}

impl Localize for CliError {
    fn localize(&self, lang: Language) -> String {
        match self {
            CliError::NoHome => tr!(lang,
                nb: "Fant ingen hjemmemappe å ha lageret i; oppgi en mappe med --data MAPPE",
                da: "Fandt ingen hjemmemappe at have lageret i; angiv en mappe med --data MAPPE",
                en: "no home folder to keep the store in; pass --data DIR"),
            CliError::EraseNeedsYes(id) => tr!(lang,
                nb: "Sletting for godt av {id} kan ikke angres; kjør kommandoen igjen med --yes for å slette posten på alle enheter",
                da: "Sletning for altid af {id} kan ikke fortrydes; kør kommandoen igen med --yes for at slette posten på alle enheder",
                en: "erasing {id} cannot be undone; run again with --yes to erase it on every replica"),
            CliError::HistoryErased(id) => tr!(lang,
                nb: "Posten {id} er slettet for godt, og historikken med den: ingenting om den er tatt vare på her",
                da: "Posten {id} er slettet for altid og historikken med den: intet om den er gemt her",
                en: "record {id} was erased, and its history with it: nothing about it is kept here"),
            CliError::OpeningHub(dir) => tr!(lang,
                nb: "Huben i {dir} kunne ikke åpnes",
                da: "Hubben i {dir} kunne ikke åbnes",
                en: "opening the hub in {dir}"),
            CliError::NoBench(exe) => tr!(lang,
                nb: "`samskap bench` kjører {exe}, som ikke finnes; bygg den med `cargo build --release -p samskap-bench`",
                da: "`samskap bench` kører {exe}, som ikke findes; byg den med `cargo build --release -p samskap-bench`",
                en: "`samskap bench` runs {exe}, which is not there; build it with `cargo build --release -p samskap-bench`"),
            CliError::BenchFailed(code) => {
                let code = code.map_or("-".into(), |c| c.to_string());
                tr!(lang,
                    nb: "Målingen stoppet med avslutningskode {code}",
                    da: "Målingen stoppede med afslutningskode {code}",
                    en: "the benchmark stopped with exit code {code}")
            }
        }
    }
}

/// The first error in the chain that has words of its own, in `lang`.
fn localized(e: &(dyn std::error::Error + 'static), lang: Language) -> Option<String> {
    macro_rules! try_each {
        ($($t:ty),* $(,)?) => {$(
            if let Some(e) = e.downcast_ref::<$t>() {
                return Some(e.localize(lang));
            }
        )*};
    }
    try_each!(
        CliError,
        samskap::store::StoreError,
        samskap::net::NetError,
        samskap::net::pg::migrate::MigrateError,
        samskap::sync::SyncError,
        samskap::report::ReportError,
        samskap::conflicts::ConflictError,
        samskap::settings::SettingsError,
        ValidationError,
    );
    None
}

/// An error for the person at the terminal: each context line, then the
/// first error that can speak their language (it names its own causes).
pub fn error_line(e: &anyhow::Error, lang: Language) -> String {
    let mut parts = vec![];
    let mut links = e.chain();
    // A context of ours is not found by downcasting its chain link, only
    // through anyhow's own downcast.
    if let Some(ours) = e.downcast_ref::<CliError>() {
        parts.push(ours.localize(lang));
        links.next();
    }
    for link in links {
        match localized(link, lang) {
            Some(words) => {
                parts.push(words);
                break;
            }
            None => parts.push(link.to_string()),
        }
    }
    let label = tr!(lang, nb: "feil", da: "fejl", en: "error");
    format!("{label}: {}", parts.join(": "))
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    Some(match e.get(kind)? {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join(", "),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
        ContextValue::Number(n) => n.to_string(),
        // Bool, None, and kinds clap adds later carry no words to show.
        _ => return None,
    })
}

/// Clap's refusal in `lang`, from the error's kind and context; `None` for
/// help and version, which clap prints itself.
pub fn clap_message(e: &clap::Error, lang: Language) -> Option<String> {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let main = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return None
        }
        ErrorKind::InvalidValue => {
            let valid = context(e, ContextKind::ValidValue).unwrap_or_default();
            if value.is_empty() {
                tr!(lang,
                    nb: "{arg} trenger en verdi; velg en av: {valid}",
                    da: "{arg} skal have en værdi; vælg en af: {valid}",
                    en: "{arg} needs a value; one of: {valid}")
            } else {
                tr!(lang,
                    nb: "«{value}» er ikke en gyldig verdi for {arg}; velg en av: {valid}",
                    da: "»{value}« er ikke en gyldig værdi for {arg}; vælg en af: {valid}",
                    en: "'{value}' is not a valid value for {arg}; one of: {valid}")
            }
        }
        ErrorKind::ValueValidation => {
            // Our value types refuse with a ValidationError, which names the
            // value and the valid ones already.
            let source = std::error::Error::source(e);
            match source.and_then(|s| s.downcast_ref::<ValidationError>()) {
                Some(v) => format!("{arg}: {}", v.localize(lang)),
                None => {
                    let why = source.map(|s| s.to_string()).unwrap_or_default();
                    tr!(lang,
                        nb: "«{value}» kan ikke brukes for {arg}: {why}",
                        da: "»{value}« kan ikke bruges til {arg}: {why}",
                        en: "invalid value '{value}' for {arg}: {why}")
                }
            }
        }
        ErrorKind::UnknownArgument => tr!(lang,
            nb: "Kjenner ikke til argumentet «{arg}»",
            da: "Kender ikke argumentet »{arg}«",
            en: "unexpected argument '{arg}'"),
        ErrorKind::InvalidSubcommand => {
            let cmd = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            tr!(lang,
                nb: "Kjenner ikke til kommandoen «{cmd}»",
                da: "Kender ikke kommandoen »{cmd}«",
                en: "unrecognized subcommand '{cmd}'")
        }
        ErrorKind::MissingRequiredArgument => tr!(lang,
            nb: "Dette må være med: {arg}",
            da: "Dette skal være med: {arg}",
            en: "these arguments are required: {arg}"),
        ErrorKind::MissingSubcommand => {
            let cmd = context(e, ContextKind::InvalidSubcommand).unwrap_or_else(|| "samskap".into());
            tr!(lang,
                nb: "«{cmd}» trenger en underkommando",
                da: "»{cmd}« skal have en underkommando",
                en: "'{cmd}' requires a subcommand")
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(e, ContextKind::PriorArg).unwrap_or_default();
            tr!(lang,
                nb: "{arg} kan ikke brukes sammen med {prior}",
                da: "{arg} kan ikke bruges sammen med {prior}",
                en: "{arg} cannot be used with {prior}")
        }
        ErrorKind::NoEquals => tr!(lang,
            nb: "{arg} må få verdien sin med = (for eksempel {arg}=VERDI)",
            da: "{arg} skal have sin værdi med = (for eksempel {arg}=VÆRDI)",
            en: "equal sign is needed when assigning values to '{arg}'"),
        ErrorKind::TooManyValues => tr!(lang,
            nb: "For mange verdier for {arg}: «{value}» er én for mye",
            da: "For mange værdier til {arg}: »{value}« er én for meget",
            en: "unexpected value '{value}' for '{arg}' found; no more were expected"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let want = context(e, ContextKind::ExpectedNumValues)
                .or_else(|| context(e, ContextKind::MinValues))
                .unwrap_or_default();
            let got = context(e, ContextKind::ActualNumValues).unwrap_or_default();
            tr!(lang,
                nb: "{arg} skal ha {want} verdier, men fikk {got}",
                da: "{arg} skal have {want} værdier, men fik {got}",
                en: "{arg} takes {want} values but {got} were given")
        }
        ErrorKind::InvalidUtf8 => tr!(lang,
            nb: "Et argument inneholder tegn som ikke er gyldig UTF-8",
            da: "Et argument indeholder tegn, der ikke er gyldig UTF-8",
            en: "invalid UTF-8 was detected in one or more arguments"),
        // Io, Format and kinds added later: clap's own words, with our label.
        _ => e.render().to_string().trim_start_matches("error: ").trim().to_string(),
    };
    let mut out = format!("{}: {main}", tr!(lang, nb: "feil", da: "fejl", en: "error"));
    if let Some(suggested) = context(e, ContextKind::SuggestedArg)
        .or_else(|| context(e, ContextKind::SuggestedSubcommand))
        .or_else(|| context(e, ContextKind::SuggestedValue))
    {
        out += &tr!(lang, nb: "\n\n  tips: mente du «{suggested}»?", da: "\n\n  tip: mente du »{suggested}«?", en: "\n\n  tip: did you mean '{suggested}'?");
    }
    if let Some(usage) = context(e, ContextKind::Usage) {
        let usage = usage.trim_start_matches("Usage: ");
        out += &tr!(lang, nb: "\n\nBruk: {usage}", da: "\n\nBrug: {usage}", en: "\n\nUsage: {usage}");
    }
    out += &tr!(lang,
        nb: "\n\nSkriv --help for å se hva kommandoen tar imot.",
        da: "\n\nSkriv --help for at se, hvad kommandoen tager imod.",
        en: "\n\nFor more information, try '--help'.");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn lang_flag_wins_in_either_spelling() {
        assert_eq!(lang_in_args(&args(&["samskap", "--lang", "da", "status"])), Some(Language::Da));
        assert_eq!(lang_in_args(&args(&["samskap", "status", "--lang=en"])), Some(Language::En));
        assert_eq!(lang_in_args(&args(&["samskap", "status"])), None);
        assert_eq!(lang_in_args(&args(&["samskap", "--lang", "sv"])), None);
    }
}
