//! True erasure on PostgreSQL. Deleting a row leaves its bytes in the
//! table's file (a dead tuple, then free space that a later page
//! compaction need not overwrite) and in the write-ahead log (the insert,
//! and full-page images of the page). Personal fields reach the hub only
//! sealed, so what must go is each erased record's key (32 bytes), and the
//! hub's own step after applying erasures destroys it:
//!
//! 1. `VACUUM FULL record_keys`: the table is written anew with only live
//!    rows; the old file is emptied at commit and unlinked at the next
//!    checkpoint. (Keys are small and few; the rewrite takes milliseconds
//!    per thousand records and briefly blocks reading keys.)
//! 2. `CHECKPOINT`, `pg_switch_wal()`, `CHECKPOINT`: every WAL segment that
//!    could hold the key (its insert, any full-page image of its page) now
//!    lies before the last checkpoint, so PostgreSQL removes it — deletes
//!    it when `wal_recycle = off`, which the hub's database must have
//!    (with recycling on, old segments are renamed for reuse and keep their
//!    bytes until overwritten; the hub warns when it finds it on).
//!
//! What this cannot reach: a base backup or a WAL archive taken before the
//! erasure still holds the key (and the sealed record); replicas streaming
//! from this database erase it when they replay the same steps, but a
//! replication slot or `wal_keep_size` that holds old segments keeps them
//! until released. Freed disk blocks are not overwritten (use an encrypted
//! file system, as for the SQLite hub).
//!
//! The role the hub connects as needs `VACUUM` on its own table (it owns
//! it), and `pg_checkpoint` plus `EXECUTE` on `pg_switch_wal()`:
//! `GRANT pg_checkpoint TO samskap_hub; GRANT EXECUTE ON FUNCTION pg_switch_wal() TO samskap_hub;`

use r2d2_postgres::postgres::Client;

use crate::store::StoreError;

/// Destroys erased keys in the database's files (see the module's text).
pub fn destroy_erased(conn: &mut Client) -> Result<(), StoreError> {
    let recycle: String = conn.query_one("SHOW wal_recycle", &[])?.get(0);
    if recycle != "off" {
        tracing::warn!(
            "wal_recycle is on: erased record keys may stay in recycled WAL segments until reused; set wal_recycle = off"
        );
    }
    conn.batch_execute("VACUUM FULL record_keys")?;
    conn.batch_execute("CHECKPOINT")?;
    conn.query_one("SELECT pg_switch_wal()", &[])?;
    conn.batch_execute("CHECKPOINT")?;
    Ok(())
}
