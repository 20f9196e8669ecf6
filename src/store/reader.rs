//! A read-only handle on a store's index, for queries that only read and
//! aggregate: the report's cells and the export's rows. They take a
//! [`Reader`] rather than living on [`Store`], so they cannot write, and
//! the store keeps to opening, transactions and records.

use rusqlite::Connection;

use super::Store;

#[derive(Clone, Copy)]
pub struct Reader<'a> {
    conn: &'a Connection,
}

impl<'a> Reader<'a> {
    pub(super) fn conn(&self) -> &'a Connection {
        self.conn
    }
}

impl Store {
    /// Reads the index without writing (see [`Reader`]).
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: self.conn() }
    }
}
