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
use std::sync::Mutex;

use r2d2_postgres::postgres::GenericClient;

use super::db::Db;
use super::log::{read_chunks, read_control, ControlRow, Cut, Entry, PAGE};
use crate::model::WorkspaceId;
use crate::store::{ControlKind, StoreError};

/// The copy stops growing at about this many bytes of chunks and drops
/// its oldest entries.
const MAX_BYTES: usize = 32 << 20;

/// How far behind the copy may be and still be brought up to date; a
/// reader further back (a first sync) reads the database.
const MAX_CATCH_UP: u64 = 20_000;

/// The log's entries after `from` up to `upto`, all of them.
pub struct Tail {
    inner: Mutex<Copy>,
}

#[derive(Default)]
struct Copy {
    /// Seqs after this are held (and none at or below it).
    from: u64,
    /// Seqs up to this are held; `None` until the first reader sets it.
    upto: Option<u64>,
    chunks: VecDeque<Entry>,
    control: VecDeque<ControlRow>,
    bytes: usize,
}

impl Default for Tail {
    fn default() -> Self {
        Tail { inner: Mutex::new(Copy::default()) }
    }
}

impl Tail {
    /// The seq after which the copy holds every entry, once it holds any.
    pub fn reaches_back_to(&self) -> Option<u64> {
        let copy = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        copy.upto.map(|_| copy.from)
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
        let mut copy = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        copy.catch_up(db, ws, head)?;
        let Some(upto) = copy.upto else { return Ok(None) };
        if after < copy.from || head > upto {
            return Ok(None);
        }
        let start = copy.chunks.partition_point(|e| e.seq <= after);
        for e in copy.chunks.range(start..).take_while(|e| e.seq <= head) {
            if !cut.take(e) {
                break;
            }
        }
        let start = copy.control.partition_point(|(seq, _, _)| *seq <= after);
        Ok(Some(copy.control.range(start..).take_while(|(seq, _, _)| *seq <= head).cloned().collect()))
    }
}

impl Copy {
    /// Reads in what was appended up to `head`, or starts over at `head`
    /// when that is too much or when an erasure or a retired key came in.
    fn catch_up(&mut self, db: &mut Db<'_, impl GenericClient>, ws: &WorkspaceId, head: u64) -> Result<(), StoreError> {
        let upto = match self.upto {
            Some(upto) if upto >= head => return Ok(()),
            Some(upto) if head - upto <= MAX_CATCH_UP => upto,
            _ => {
                self.start_over(head);
                return Ok(());
            }
        };
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
        let control = read_control(db, ws, upto, head)?;
        if control.iter().any(|(_, _, e)| matches!(e.kind, ControlKind::Erased | ControlKind::KeyRetired)) {
            self.start_over(head);
            return Ok(());
        }
        for e in chunks {
            self.bytes += e.bytes.len();
            self.chunks.push_back(e);
        }
        self.control.extend(control);
        self.upto = Some(head);
        while self.bytes > MAX_BYTES {
            let Some(old) = self.chunks.pop_front() else { break };
            self.bytes -= old.bytes.len();
            self.from = old.seq;
        }
        while self.control.front().is_some_and(|(seq, _, _)| *seq <= self.from) {
            self.control.pop_front();
        }
        Ok(())
    }

    fn start_over(&mut self, head: u64) {
        *self = Copy { from: head, upto: Some(head), ..Copy::default() };
    }
}
