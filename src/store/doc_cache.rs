//! The few documents this store wrote last, kept in memory as committed.
//!
//! Writing a change needs the record's whole Automerge document, and loading
//! one replays its history: a partner note edited 10,000 times takes about
//! 100 ms to load, so every edit of it cost that much. Someone editing a
//! record usually edits it again, and a tablet syncing a record edited
//! elsewhere writes it next; so the last few documents stay here.
//!
//! An entry is trusted only while the record's log ends at the same seq as
//! when the entry was kept: every change appends a chunk with a higher seq
//! (AUTOINCREMENT never reuses a committed one), an erasure deletes the
//! chunks, and a compaction keeps the seq of the newest chunk it replaces
//! with the same state. Entries are kept only after their transaction
//! committed, so a rolled-back change never reaches them.

use std::collections::VecDeque;

use automerge::{ActorId, Automerge};
use rusqlite::{Connection, OptionalExtension};

use super::{chunk_log, Result};

/// How many documents stay: a few records being worked on at once.
const KEEP: usize = 4;

#[derive(Default)]
pub struct DocCache {
    entries: VecDeque<Entry>,
}

struct Entry {
    rowid: i64,
    last_seq: i64,
    doc: Automerge,
}

/// Documents a transaction leaves behind, to keep once it has committed.
#[derive(Default)]
pub struct Written(Vec<(i64, Automerge)>);

impl Written {
    pub fn push(&mut self, rowid: i64, doc: Automerge) {
        self.0.retain(|(r, _)| *r != rowid);
        if self.0.len() == KEEP {
            self.0.remove(0);
        }
        self.0.push((rowid, doc));
    }
}

impl DocCache {
    /// The record's document as its log now holds it: taken from memory
    /// when the entry is current, else loaded from the chunks.
    pub fn load(&mut self, conn: &Connection, rowid: i64, actor: &ActorId) -> Result<Automerge> {
        if let Some(at) = self.entries.iter().position(|e| e.rowid == rowid) {
            let e = self.entries.remove(at).expect("position is in range");
            if Some(e.last_seq) == last_seq(conn, rowid)? {
                return Ok(e.doc);
            }
        }
        chunk_log::load(conn, rowid, actor)
    }

    /// Keeps a document whose transaction has committed, as the newest.
    pub fn keep(&mut self, conn: &Connection, rowid: i64, doc: Automerge) -> Result<()> {
        self.entries.retain(|e| e.rowid != rowid);
        let Some(last_seq) = last_seq(conn, rowid)? else { return Ok(()) };
        if self.entries.len() == KEEP {
            self.entries.pop_front();
        }
        self.entries.push_back(Entry { rowid, last_seq, doc });
        Ok(())
    }

    /// Keeps what a committed transaction wrote, in the order it wrote them.
    pub fn keep_all(&mut self, conn: &Connection, written: Written) -> Result<()> {
        written.0.into_iter().try_for_each(|(rowid, doc)| self.keep(conn, rowid, doc))
    }

    /// Forgets everything (an erasure: nothing of the record stays in memory).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

fn last_seq(conn: &Connection, rowid: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT max(seq) FROM chunks WHERE doc = ?1")?
        .query_row([rowid], |r| r.get(0))
        .optional()?
        .flatten())
}
