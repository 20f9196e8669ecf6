//! A hub process's copy of the newest part of a workspace's log. Devices
//! that sync often all ask for the same recent entries: a thousand tablets
//! each reading the last second's thousand chunks from PostgreSQL is a
//! million rows a second; from this copy it is a thousand, read once per
//! process. Entries other processes append are read in when a reader needs
//! them (up to the head it read, so everything copied is committed).
//!
//! What the copy must never do is hand out what the database no longer
//! holds. Chunks only vanish by erasure (of a record) or when a key is
//! retired, and both are logged as control entries with seqs of their
//! own: when the copy reads one in, it starts over from the database.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use r2d2_postgres::postgres::GenericClient;

use super::db::Db;
use super::log_read::{read_chunks, read_control, ControlRow, Cut, Entry, PAGE};
use crate::model::WorkspaceId;
use crate::store::{ControlKind, StoreError};

/// The copy of one workspace stops growing at about this many bytes of
/// chunks, and drops entries older than [`MAX_AGE`] (devices that sync
/// often are seconds behind): a hub of many workspaces holds little for the
/// quiet ones, at most this much for the busiest.
const MAX_BYTES: usize = 8 << 20;
const MAX_AGE: Duration = Duration::from_secs(120);

/// How far behind the copy may be and still be brought up to date; a
/// reader further back (a first sync) reads the database.
const MAX_CATCH_UP: u64 = 20_000;

/// The log's entries after `from` up to `upto`, all of them. Readers hold
/// `inner` only to look (entries are shared, not copied, under it); one
/// reader at a time brings the copy up to date from the database, holding
/// `fetching` while it reads, so the others neither wait on its round
/// trips to look nor read the same rows again.
pub struct Tail {
    inner: Mutex<Copy>,
    fetching: Mutex<()>,
}

#[derive(Default)]
struct Copy {
    /// Seqs after this are held (and none at or below it).
    from: u64,
    /// Seqs up to this are held; `None` until the first reader sets it.
    upto: Option<u64>,
    /// Each with when it was read in.
    chunks: VecDeque<(Instant, Arc<Entry>)>,
    control: VecDeque<ControlRow>,
    bytes: usize,
}

impl Default for Tail {
    fn default() -> Self {
        Tail { inner: Mutex::new(Copy::default()), fetching: Mutex::new(()) }
    }
}

/// What a reader takes from the copy: the entries it needs, shared.
type Taken = (Vec<Arc<Entry>>, Vec<ControlRow>);

impl Tail {
    /// The seq after which the copy holds every entry, once it holds any.
    pub fn reaches_back_to(&self) -> Option<u64> {
        let copy = self.copy();
        copy.upto.map(|_| copy.from)
    }

    fn copy(&self) -> std::sync::MutexGuard<'_, Copy> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Cuts the entries after `after` up to `head` into `cut` from the
    /// copy, bringing it up to `head` first; returns the control entries
    /// the slice needs, or `None` when the copy does not reach back to
    /// `after` (then nothing was cut: read the database).
    pub(super) fn read(
        &self,
        db: &mut Db<'_, impl GenericClient>,
        ws: &WorkspaceId,
        after: u64,
        head: u64,
        cut: &mut Cut,
    ) -> Result<Option<Vec<ControlRow>>, StoreError> {
        if self.copy().upto.is_none_or(|upto| upto < head) {
            let _one = self.fetching.lock().unwrap_or_else(|e| e.into_inner());
            // Another reader may have brought it up while this one waited.
            let upto = self.copy().upto;
            match upto {
                Some(upto) if upto >= head => {}
                Some(upto) if head - upto <= MAX_CATCH_UP => {
                    let (chunks, control) = fetch(db, ws, upto, head)?;
                    self.copy().append(upto, head, chunks, control);
                }
                _ => self.copy().start_over(head),
            }
        }
        let Some((entries, control)) = self.copy().take(after, head) else { return Ok(None) };
        for e in &entries {
            if !cut.take(e) {
                break;
            }
        }
        Ok(Some(control))
    }
}

/// The chunks and control entries after `upto` up to `head`.
fn fetch(
    db: &mut Db<'_, impl GenericClient>,
    ws: &WorkspaceId,
    upto: u64,
    head: u64,
) -> Result<(Vec<Entry>, Vec<ControlRow>), StoreError> {
    let mut chunks = vec![];
    let mut from = upto;
    loop {
        let page = read_chunks(db, ws, from, head)?;
        let full = page.len() as i64 == PAGE;
        if let Some(last) = page.last() {
            from = last.seq;
        }
        chunks.extend(page);
        if !full {
            break;
        }
    }
    Ok((chunks, read_control(db, ws, upto, head)?))
}

impl Copy {
    /// The entries after `after` up to `head`, if the copy holds them all.
    fn take(&self, after: u64, head: u64) -> Option<Taken> {
        if after < self.from || head > self.upto? {
            return None;
        }
        let start = self.chunks.partition_point(|(_, e)| e.seq <= after);
        let entries = self.chunks.range(start..).take_while(|(_, e)| e.seq <= head).map(|(_, e)| e.clone()).collect();
        let start = self.control.partition_point(|(seq, _, _)| *seq <= after);
        let control = self.control.range(start..).take_while(|(seq, _, _)| *seq <= head).cloned().collect();
        Some((entries, control))
    }

    /// Adds what was read after `upto` up to `head`, or starts over at
    /// `head` when an erasure or a retired key came in (or the copy moved
    /// meanwhile); drops the oldest entries past [`MAX_BYTES`] or [`MAX_AGE`].
    fn append(&mut self, upto: u64, head: u64, chunks: Vec<Entry>, control: Vec<ControlRow>) {
        let drops = control.iter().any(|(_, _, e)| matches!(e.kind, ControlKind::Erased | ControlKind::KeyRetired));
        if drops || self.upto != Some(upto) {
            self.start_over(head);
            return;
        }
        let now = Instant::now();
        for e in chunks {
            self.bytes += e.bytes.len();
            self.chunks.push_back((now, Arc::new(e)));
        }
        self.control.extend(control);
        self.upto = Some(head);
        while self.bytes > MAX_BYTES || self.chunks.front().is_some_and(|(at, _)| now.duration_since(*at) > MAX_AGE) {
            let Some((_, old)) = self.chunks.pop_front() else { break };
            self.bytes -= old.bytes.len();
            self.from = old.seq;
        }
        while self.control.front().is_some_and(|(seq, _, _)| *seq <= self.from) {
            self.control.pop_front();
        }
    }

    fn start_over(&mut self, head: u64) {
        *self = Copy { from: head, upto: Some(head), ..Copy::default() };
    }
}
