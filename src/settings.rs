//! Device settings kept beside the store (`settings.json` in the store
//! folder): the interface language, the hub address, and the pop-up
//! session in progress. Not part of the synced records: they belong to
//! this device, and survive restarts.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::i18n::Localize;
use crate::model::{CounterpartKind, Perspective, ValidationError};
use crate::tr;

/// The settings file's name inside the store folder.
pub const FILE: &str = "settings.json";

pub use crate::i18n::Language;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub language: Language,
    /// Where this device syncs; `None` until someone sets it.
    pub hub_url: Option<String>,
    /// A pop-up session remembers the place and "outside the library" for a run of encounters.
    pub popup: Option<PopupSession>,
    /// The outdoor theme: high contrast for sunlight.
    pub outdoor: bool,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopupSession {
    pub place: String,
    pub outside: bool,
    pub started_at: DateTime<Utc>,
    /// Choices the person asked the session to keep from one encounter to the next.
    #[serde(default)]
    pub perspective: Option<Perspective>,
    #[serde(default)]
    pub counterpart: Option<CounterpartKind>,
}

#[derive(Debug, Error)]
pub enum SettingsError {
    #[error("the settings file {0} cannot be read: {1}")]
    Corrupt(String, String),
    #[error("'{0}' is not a hub address; use https://…, or http:// only on this machine or the local network")]
    BadHubUrl(String),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
}

impl SettingsError {
    /// A stable machine-readable code for the app's IPC errors.
    pub fn code(&self) -> &'static str {
        match self {
            SettingsError::Corrupt(..) => "settings_corrupt",
            SettingsError::BadHubUrl(_) => "bad_hub_url",
            SettingsError::Invalid(_) => "invalid",
            SettingsError::Io(_) => "io",
        }
    }
}

impl Localize for SettingsError {
    fn localize(&self, lang: Language) -> String {
        match self {
            SettingsError::Corrupt(path, why) => tr!(lang,
                nb: "Innstillingsfilen {path} kan ikke leses ({why}); slett den for å starte med standardinnstillingene",
                da: "Indstillingsfilen {path} kan ikke læses ({why}); slet den for at starte med standardindstillingerne",
                en: "the settings file {path} cannot be read: {why}; delete it to start from the defaults"),
            SettingsError::BadHubUrl(url) => tr!(lang,
                nb: "«{url}» er ikke en hub-adresse; bruk https://…, eller http:// bare på denne maskinen eller det lokale nettet",
                da: "»{url}« er ikke en hub-adresse; brug https://…, eller http:// kun på denne computer eller det lokale netværk",
                en: "'{url}' is not a hub address; use https://…, or http:// only on this machine or the local network"),
            SettingsError::Invalid(v) => v.localize(lang),
            SettingsError::Io(e) => tr!(lang,
                nb: "Innstillingene kunne ikke lagres eller leses: {e}",
                da: "Indstillingerne kunne ikke gemmes eller læses: {e}",
                en: "file system: {e}"),
        }
    }
}

impl Settings {
    /// Reads the settings in `dir`; a missing file gives the defaults.
    pub fn load(dir: &Path) -> Result<Settings, SettingsError> {
        let path = dir.join(FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| SettingsError::Corrupt(path.display().to_string(), e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(e.into()),
        }
    }

    /// Validates and writes the settings atomically (write a temporary file, then rename).
    pub fn save(&self, dir: &Path) -> Result<(), SettingsError> {
        self.validate()?;
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer_pretty(&mut tmp, self).map_err(std::io::Error::other)?;
        tmp.as_file().sync_all()?;
        tmp.persist(dir.join(FILE)).map_err(|e| e.error)?;
        Ok(())
    }

    pub fn validate(&self) -> Result<(), SettingsError> {
        if let Some(url) = &self.hub_url {
            check_hub_url(url)?;
        }
        if let Some(p) = &self.popup {
            if p.place.trim().is_empty() {
                return Err(ValidationError::Empty { field: "place" }.into());
            }
            let len = p.place.chars().count();
            if len > 300 {
                return Err(ValidationError::TooLong { field: "place", len, max: 300 }.into());
            }
        }
        Ok(())
    }
}

/// A hub address must be https, or plain http on loopback or a private LAN address.
pub fn check_hub_url(url: &str) -> Result<(), SettingsError> {
    let bad = || SettingsError::BadHubUrl(url.to_string());
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    if host.is_empty() || host.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if is_local(host) => Ok(()),
        _ => Err(bad()),
    }
}

fn is_local(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".local") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback() || ip.is_private() || ip.is_link_local(),
        Ok(std::net::IpAddr::V6(ip)) => ip.is_loopback() || (ip.segments()[0] & 0xfe00) == 0xfc00,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_defaults_and_saved_settings_read_back() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap(), Settings::default());
        assert_eq!(Settings::default().language, Language::Nb);
        let s = Settings {
            language: Language::Da,
            hub_url: Some("https://hub.example.no".into()),
            popup: Some(PopupSession {
                place: "Kárášjohka torg".into(),
                outside: true,
                started_at: Utc::now(),
                perspective: Some(Perspective::Service),
                counterpart: None,
            }),
            outdoor: true,
        };
        s.save(dir.path()).unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap(), s);
    }

    #[test]
    fn settings_from_before_the_outdoor_theme_and_kept_choices_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let old = r#"{"language":"da","hub_url":null,"popup":{"place":"Torvet","outside":true,"started_at":"2026-05-17T10:00:00Z"}}"#;
        std::fs::write(dir.path().join(FILE), old).unwrap();
        let s = Settings::load(dir.path()).unwrap();
        assert!(!s.outdoor);
        assert_eq!(s.popup.unwrap().perspective, None);
    }

    #[test]
    fn corrupt_file_is_reported_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), b"{ not json").unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap_err().code(), "settings_corrupt");
        assert_eq!(std::fs::read(dir.path().join(FILE)).unwrap(), b"{ not json");
    }

    #[test]
    fn hub_urls_must_be_https_except_on_the_local_network() {
        for ok in
            ["https://hub.example.no", "https://hub.example.no:8443/x", "http://127.0.0.1:8080", "http://[::1]:80"]
        {
            assert!(check_hub_url(ok).is_ok(), "{ok}");
        }
        for ok in ["http://192.168.1.20:8080", "http://bib-pc.local"] {
            assert!(check_hub_url(ok).is_ok(), "{ok}");
        }
        for bad in ["http://hub.example.no", "ftp://x", "hub.example.no", "https://", "https:// x"] {
            assert_eq!(check_hub_url(bad).unwrap_err().code(), "bad_hub_url", "{bad}");
        }
        let s = Settings { hub_url: Some("http://8.8.8.8".into()), ..Default::default() };
        assert!(s.save(tempfile::tempdir().unwrap().path()).is_err());
    }

    #[test]
    fn a_popup_session_needs_a_place() {
        let s = Settings {
            popup: Some(PopupSession {
                place: " ".into(),
                outside: true,
                started_at: Utc::now(),
                perspective: None,
                counterpart: None,
            }),
            ..Default::default()
        };
        assert_eq!(s.validate().unwrap_err().code(), "invalid");
    }
}
