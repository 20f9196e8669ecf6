//! A read-only handle on a store's index, for queries that only read and
//! aggregate: the report's cells, the export's rows and the log read whole. They take a
//! [`Reader`] rather than living on [`Store`], so they cannot write, and
//! the store keeps to opening, transactions and records.

use std::path::Path;

use rusqlite::Connection;

use super::Store;

#[derive(Clone, Copy)]
pub struct Reader<'a> {
    conn: &'a Connection,
    dir: &'a Path,
}

impl<'a> Reader<'a> {
    pub(super) fn conn(&self) -> &'a Connection {
        self.conn
    }
    pub(super) fn dir(&self) -> &'a Path {
        self.dir
    }
}

impl Store {
    /// Reads the index without writing (see [`Reader`]).
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: self.conn(), dir: &self.dir }
    }
}
