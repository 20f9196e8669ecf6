//! The quick log's half-filled form, kept in the store folder
//! (`quicklog-draft.json`) so it survives leaving the screen, a crash and a
//! restart. It belongs to this device, like the settings, and never syncs.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::forms::NewPartner;
use crate::model::*;

/// The draft's file name inside the store folder.
pub const FILE: &str = "quicklog-draft.json";
/// An unreadable draft is moved here rather than overwritten, so nothing typed is lost.
pub const UNREADABLE: &str = "quicklog-draft.unreadable.json";

/// A partner already in the directory, with the name its chip shows.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftPartner {
    pub id: RecordId,
    pub name: String,
}

/// Every field of the quick log as the person left it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuickLogDraft {
    pub perspective: Option<Perspective>,
    pub counterpart: Option<CounterpartKind>,
    pub partners: Vec<DraftPartner>,
    pub new_partners: Vec<NewPartner>,
    pub place: String,
    pub outside: bool,
    pub note: String,
    pub tags: String,
    pub initiative: Option<Initiative>,
    pub role: Option<Role>,
    pub follow_up_text: String,
    pub follow_up_due: Option<NaiveDate>,
    /// When it happened, if not "now".
    pub when: Option<DateTime<Utc>>,
}

#[derive(Debug, Error)]
pub enum DraftError {
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
}

impl DraftError {
    pub fn code(&self) -> &'static str {
        match self {
            DraftError::Io(_) => "io",
        }
    }
}

impl crate::i18n::Localize for DraftError {
    fn localize(&self, lang: crate::i18n::Language) -> String {
        match self {
            DraftError::Io(e) => crate::tr!(lang,
                nb: "Utkastet til hurtigloggen kunne ikke lagres eller leses ({e})",
                da: "Kladden til hurtigloggen kunne ikke gemmes eller læses ({e})",
                en: "the quick log's draft could not be saved or read ({e})"),
        }
    }
}

impl QuickLogDraft {
    /// The draft in `dir`, if any. A file that cannot be read as a draft is
    /// moved aside to [`UNREADABLE`] and the form starts empty.
    pub fn load(dir: &Path) -> Result<Option<QuickLogDraft>, DraftError> {
        let path = dir.join(FILE);
        match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(d) => Ok(Some(d)),
                Err(_) => {
                    std::fs::rename(&path, dir.join(UNREADABLE))?;
                    Ok(None)
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes the draft atomically (temporary file, then rename); `None` removes it.
    pub fn store(dir: &Path, draft: Option<&QuickLogDraft>) -> Result<(), DraftError> {
        let path = dir.join(FILE);
        let Some(d) = draft.filter(|d| **d != QuickLogDraft::default()) else {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
                _ => Ok(()),
            };
        };
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(&mut tmp, d).map_err(std::io::Error::other)?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> QuickLogDraft {
        QuickLogDraft {
            perspective: Some(Perspective::CoCreative),
            partners: vec![DraftPartner { id: RecordId::new(), name: "Kárášjoga searvi".into() }],
            new_partners: vec![NewPartner {
                name: "Sjakkvennene".into(),
                kind: PartnerKind::VolunteerGroup,
                place: "".into(),
            }],
            place: "Deatnu skole".into(),
            note: "Vil låne rommet til språkkafé".into(),
            follow_up_due: NaiveDate::from_ymd_opt(2026, 6, 1),
            ..Default::default()
        }
    }

    #[test]
    fn a_saved_draft_reads_back_and_an_empty_one_removes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(QuickLogDraft::load(dir.path()).unwrap(), None);
        let d = draft();
        QuickLogDraft::store(dir.path(), Some(&d)).unwrap();
        assert_eq!(QuickLogDraft::load(dir.path()).unwrap(), Some(d));
        QuickLogDraft::store(dir.path(), Some(&QuickLogDraft::default())).unwrap();
        assert!(!dir.path().join(FILE).exists());
        QuickLogDraft::store(dir.path(), None).unwrap();
        assert_eq!(QuickLogDraft::load(dir.path()).unwrap(), None);
    }

    #[test]
    fn an_unreadable_draft_is_kept_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), b"{ \"note\": \"halv").unwrap();
        assert_eq!(QuickLogDraft::load(dir.path()).unwrap(), None);
        assert_eq!(std::fs::read(dir.path().join(UNREADABLE)).unwrap(), b"{ \"note\": \"halv");
        assert!(!dir.path().join(FILE).exists());
    }
}
