//! The hub's tables in PostgreSQL, and the migrations that make them.
//!
//! Migrations run in order, each in its own transaction, under an advisory
//! lock, so hub processes that start at once do not race; the applied
//! version is in `schema_version`. A database written by a newer Samskap is
//! refused, not changed.

use r2d2_postgres::postgres::Client;

use crate::store::StoreError;

/// Any constant: the advisory lock key migrations hold (ASCII "samskapm").
const MIGRATION_LOCK: i64 = 0x73616d736b61706d;

/// Migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: the hub's own tables and one log per workspace. Ids are 16 bytes.
    r#"
    CREATE TABLE workspaces (
        id bytea PRIMARY KEY,
        name text NOT NULL UNIQUE,
        -- Shared with members (they prove membership on LAN sessions with it).
        secret bytea NOT NULL,
        created_ms bigint NOT NULL,
        -- The id devices know this hub's replica of the workspace by.
        replica bytea NOT NULL,
        epoch bytea NOT NULL,
        -- The log's last seq. Appending transactions update it first, so
        -- appends to one workspace are serialized across processes and
        -- commit in seq order: a reader never sees seq 11 before 10.
        head bigint NOT NULL DEFAULT 0
    );
    CREATE TABLE invites (
        hash bytea PRIMARY KEY,
        workspace bytea NOT NULL REFERENCES workspaces(id),
        expires_ms bigint NOT NULL
    );
    CREATE TABLE devices (
        device bytea PRIMARY KEY,
        workspace bytea NOT NULL REFERENCES workspaces(id),
        token_hash bytea NOT NULL UNIQUE,
        name text NOT NULL,
        created_ms bigint NOT NULL,
        revoked_ms bigint,
        last_seen_ms bigint,
        revocation_logged boolean NOT NULL DEFAULT false
    );
    -- What the hub knows of each device as a sync peer; `origin` tags the
    -- log entries it sent (0: the hub itself).
    CREATE TABLE peers (
        origin bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        workspace bytea NOT NULL REFERENCES workspaces(id),
        id bytea NOT NULL,
        name text NOT NULL DEFAULT '',
        epoch bytea,
        recv_cursor bigint NOT NULL DEFAULT 0,
        sent_upto bigint NOT NULL DEFAULT 0,
        request_no bigint NOT NULL DEFAULT 0,
        seen_request_no bigint NOT NULL DEFAULT 0,
        last_seen_ms bigint,
        UNIQUE (workspace, id)
    );
    -- Each record's kind, fixed by its first chunk.
    CREATE TABLE docs (
        workspace bytea NOT NULL,
        id bytea NOT NULL,
        kind smallint NOT NULL,
        PRIMARY KEY (workspace, id)
    );
    -- The log: chunks packed as on devices (zstd with the chunk dictionary).
    CREATE TABLE chunks (
        workspace bytea NOT NULL,
        seq bigint NOT NULL,
        doc bytea NOT NULL,
        origin bigint NOT NULL,
        -- SHA-256 of the record's id and the raw chunk (16 bytes): a retried
        -- push is not stored twice.
        digest bytea NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (workspace, seq)
    );
    CREATE UNIQUE INDEX chunks_by_digest ON chunks (workspace, digest);
    CREATE INDEX chunks_by_doc ON chunks (workspace, doc);
    CREATE TABLE record_keys (
        workspace bytea NOT NULL,
        doc bytea NOT NULL,
        key bytea NOT NULL,
        fp bytea NOT NULL,
        PRIMARY KEY (workspace, doc)
    );
    -- Keys are never compressed or moved out of line: erasure rewrites this table.
    ALTER TABLE record_keys ALTER COLUMN key SET STORAGE PLAIN;
    CREATE INDEX record_keys_by_fp ON record_keys (workspace, fp);
    CREATE TABLE control_log (
        workspace bytea NOT NULL,
        seq bigint NOT NULL,
        kind smallint NOT NULL,
        subject bytea NOT NULL,
        device bytea NOT NULL,
        at_ms bigint NOT NULL,
        origin bigint NOT NULL,
        PRIMARY KEY (workspace, seq),
        UNIQUE (workspace, kind, subject, device)
    );
    CREATE TABLE erasures (
        workspace bytea NOT NULL,
        id bytea NOT NULL,
        erased_ms bigint NOT NULL,
        PRIMARY KEY (workspace, id)
    );
    "#,
];

/// The schema version this Samskap writes.
pub const VERSION: i32 = MIGRATIONS.len() as i32;

/// Brings the database to [`VERSION`].
pub fn migrate(conn: &mut Client) -> Result<(), StoreError> {
    loop {
        let mut tx = conn.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")?;
        let at: i32 = match tx.query_opt("SELECT version FROM schema_version", &[])? {
            Some(row) => row.get(0),
            None => {
                tx.execute("INSERT INTO schema_version(version) VALUES (0)", &[])?;
                0
            }
        };
        if at > VERSION {
            return Err(StoreError::HubDatabase(format!(
                "the hub database was written by a newer Samskap (schema {at}, this one knows {VERSION}); update Samskap"
            )));
        }
        if at == VERSION {
            return Ok(tx.commit()?);
        }
        tx.batch_execute(MIGRATIONS[at as usize])?;
        tx.execute("UPDATE schema_version SET version = $1", &[&(at + 1)])?;
        tx.commit()?;
    }
}
