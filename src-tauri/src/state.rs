//! Managed state: the store (once created), shared with the LAN session
//! the app may host, the device settings, and when the process started
//! (for the start-to-interactive figure).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use samskap::i18n::Language;
use samskap::net::device::{self, LanSession, SharedStore};
use samskap::settings::Settings;
use samskap::store::{Store, StoreError};

use crate::error::{ApiError, ApiResult};

pub struct AppState {
    pub dir: PathBuf,
    store: Mutex<Option<SharedStore>>,
    /// The LAN session this device hosts, if any.
    lan: Mutex<Option<LanSession>>,
    /// Why the store could not be opened, when it exists but failed.
    pub open_error: Mutex<Option<ApiError>>,
    pub settings: Mutex<Settings>,
    pub started: Instant,
}

/// How long to wait for a store that another process still holds (an
/// instance of the app that is closing while the new one starts).
const BUSY_WAIT: Duration = Duration::from_secs(5);

fn open_waiting(dir: &Path) -> Result<Store, StoreError> {
    let deadline = Instant::now() + BUSY_WAIT;
    loop {
        match Store::open(dir) {
            Err(StoreError::Busy { .. }) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            other => return other,
        }
    }
}

impl AppState {
    /// Opens the store in `dir` if there is one; a missing store is not an
    /// error (the app shows its welcome screen), a broken one is reported.
    pub fn open(dir: PathBuf, started: Instant) -> AppState {
        let (settings, settings_error) = match Settings::load(&dir) {
            Ok(s) => (s, None),
            Err(e) => (Settings::default(), Some(ApiError::from(e).in_language(Language::default()))),
        };
        let (store, open_error) = match open_waiting(&dir) {
            Ok(s) => (Some(s), None),
            Err(StoreError::NotInitialized(_)) => (None, None),
            Err(e) => (None, Some(ApiError::from(e).in_language(settings.language))),
        };
        AppState {
            dir,
            store: Mutex::new(store.map(|s| Arc::new(Mutex::new(s)))),
            lan: Mutex::new(None),
            open_error: Mutex::new(open_error.or(settings_error)),
            settings: Mutex::new(settings),
            started,
        }
    }

    pub fn slot(&self) -> MutexGuard<'_, Option<SharedStore>> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The open store, shared (for hosting and for long work that reports progress).
    pub fn shared(&self) -> ApiResult<SharedStore> {
        let shared = self.slot().clone();
        shared.ok_or_else(|| ApiError::no_store().in_language(self.language()))
    }

    /// Runs `f` with the open store; an error comes back in the app's language.
    pub fn with<T, E: Into<ApiError>>(&self, f: impl FnOnce(&mut Store) -> Result<T, E>) -> ApiResult<T> {
        let shared = self.shared()?;
        let mut store = device::lock(&shared);
        let result = f(&mut store);
        drop(store);
        result.map_err(|e| e.into().in_language(self.language()))
    }

    /// The language the person chose in the settings (Bokmål until they do).
    pub fn language(&self) -> Language {
        self.settings().language
    }

    pub fn lan(&self) -> MutexGuard<'_, Option<LanSession>> {
        self.lan.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stops hosting, then closes the store (checkpointing its log),
    /// releasing its lock; used when the app exits.
    pub fn close(&self) {
        if let Some(session) = self.lan().take() {
            session.stop();
        }
        if let Some(shared) = self.slot().take() {
            let _ = device::lock(&shared).checkpoint();
        }
    }

    pub fn settings(&self) -> MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(|p| p.into_inner())
    }
}
