//! One process per store: the app, a CLI command or a LAN session.
//! SQLite alone would let two writers interleave; an OS file lock makes
//! the second one fail fast (after half a second) with a clear message instead.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::time::Duration;

use super::{Result, StoreError};

/// How long a second process waits for the lock before it says the store is busy.
const PATIENCE: Duration = Duration::from_millis(500);
const STEP: Duration = Duration::from_millis(10);

pub struct StoreLock {
    _file: File,
}

impl StoreLock {
    pub fn acquire(dir: &Path) -> Result<StoreLock> {
        let path = dir.join("samskap.lock");
        let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
        // A lock can be held for an instant by a process that is going
        // away, or by a child forked while the last holder closed it (the
        // child drops it when it runs its program): wait that out, briefly.
        let mut waited = Duration::ZERO;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if waited < PATIENCE => {
                    std::thread::sleep(STEP);
                    waited += STEP;
                }
                Err(TryLockError::WouldBlock) => {
                    let mut s = String::new();
                    let _ = file.read_to_string(&mut s);
                    return Err(StoreError::Busy { dir: dir.to_path_buf(), pid: s.trim().parse().ok() });
                }
                Err(TryLockError::Error(e)) => return Err(e.into()),
            }
        }
        file.set_len(0)?;
        file.rewind()?;
        write!(file, "{}", std::process::id())?;
        Ok(StoreLock { _file: file })
    }
}
