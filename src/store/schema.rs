//! The SQLite layout, as migrations applied in order. `user_version` holds
//! how many have run; `application_id` marks the file as a Samskap store.

use rusqlite::Connection;

use super::{Result, StoreError};

/// "SMSK" — written into the SQLite header so other files are never mistaken for a store.
pub const APPLICATION_ID: i32 = 0x534D_534B;

/// A layout step: SQL as written, or built by a function (the rollups'
/// triggers are generated from one list of measures, `rollup.rs`).
enum Migration {
    Sql(&'static str),
    Built(fn() -> String),
}

use Migration::{Built, Sql};

const MIGRATIONS: &[Migration] = &[
    // 1: documents, their change log, keys, and the query index.
    Sql(r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;

    -- One row per record document.
    CREATE TABLE docs (
        rowid INTEGER PRIMARY KEY,
        id BLOB NOT NULL UNIQUE,
        kind INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        updated_ms INTEGER NOT NULL,
        chunks INTEGER NOT NULL DEFAULT 0
    );

    -- The documents' bytes as an append-only log of Automerge chunks.
    -- A document is the concatenation of its chunks in seq order; seq is
    -- also the cursor peers use to ask for "everything since".
    CREATE TABLE chunks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        doc INTEGER NOT NULL,
        origin INTEGER NOT NULL DEFAULT 0,
        bytes BLOB NOT NULL
    );
    CREATE INDEX chunks_doc ON chunks(doc, seq);

    -- Per-record keys for sealed personal fields; outside the CRDT so they can be destroyed.
    CREATE TABLE record_keys (doc INTEGER PRIMARY KEY, key BLOB NOT NULL);
    CREATE TABLE erasures (id BLOB PRIMARY KEY, erased_ms INTEGER NOT NULL) WITHOUT ROWID;

    -- The query index, materialized from the documents in the same transaction.
    -- Record ids that index rows point to, as small integers: a 16-byte id
    -- repeated in every row and every index would double the index's size.
    CREATE TABLE refs (n INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE);

    CREATE TABLE encounters (
        rowid INTEGER PRIMARY KEY,
        when_ms INTEGER NOT NULL,
        staff INTEGER,
        branch TEXT NOT NULL,
        place TEXT NOT NULL,
        outside INTEGER NOT NULL,
        perspective INTEGER NOT NULL,
        counterpart INTEGER NOT NULL,
        initiative INTEGER,
        role INTEGER,
        new_activity INTEGER NOT NULL,
        preview TEXT NOT NULL,
        tags TEXT NOT NULL
    );
    CREATE INDEX encounters_when ON encounters(when_ms);
    CREATE INDEX encounters_perspective ON encounters(perspective, when_ms);
    CREATE INDEX encounters_staff ON encounters(staff, when_ms);
    CREATE TABLE encounter_partners (
        partner INTEGER NOT NULL,
        encounter INTEGER NOT NULL,
        PRIMARY KEY (partner, encounter)
    ) WITHOUT ROWID;
    CREATE INDEX encounter_partners_e ON encounter_partners(encounter);

    CREATE TABLE partners (
        rowid INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind INTEGER NOT NULL,
        level INTEGER NOT NULL,
        place TEXT NOT NULL,
        tags TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    );
    CREATE INDEX partners_name ON partners(name COLLATE NOCASE);
    CREATE TABLE partner_moves (
        partner INTEGER NOT NULL,
        at_ms INTEGER NOT NULL,
        from_level INTEGER,
        to_level INTEGER NOT NULL
    );
    CREATE INDEX partner_moves_partner ON partner_moves(partner);

    CREATE TABLE activities (
        rowid INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        status INTEGER NOT NULL,
        outside INTEGER NOT NULL,
        extra_resources INTEGER,
        place TEXT NOT NULL,
        tags TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    );
    -- kind: what the activity links to (codes::LinkKind: 1 partner, 2 origin encounter)
    CREATE TABLE activity_links (
        target INTEGER NOT NULL,
        activity INTEGER NOT NULL,
        kind INTEGER NOT NULL,
        PRIMARY KEY (target, activity)
    ) WITHOUT ROWID;
    CREATE INDEX activity_links_a ON activity_links(activity);

    CREATE TABLE staff (rowid INTEGER PRIMARY KEY, name TEXT NOT NULL, branch TEXT NOT NULL);

    -- Full-text search over names, places, notes and tags. Contentless: the
    -- text lives in the documents, so it is not stored twice.
    CREATE VIRTUAL TABLE search USING fts5(
        body, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2"
    );
    "#),
    // 2: peers this replica syncs with, and what it knows of each.
    Sql(r#"
    CREATE TABLE peers (
        rowid INTEGER PRIMARY KEY,
        id BLOB NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        -- As a client of this peer: its log epoch, how far we have read it,
        -- how far it has acknowledged ours, and our last request number.
        epoch BLOB,
        recv_cursor INTEGER NOT NULL DEFAULT 0,
        sent_upto INTEGER NOT NULL DEFAULT 0,
        request_no INTEGER NOT NULL DEFAULT 0,
        -- As a server for this peer: the last request number it sent (replay guard).
        seen_request_no INTEGER NOT NULL DEFAULT 0,
        last_seen_ms INTEGER
    );
    -- Documents whose index rows wait to be built (1), or could not be (2):
    -- a first sync stores 100,000 records fast and indexes them right after.
    ALTER TABLE docs ADD COLUMN stale INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX docs_stale ON docs(stale) WHERE stale != 0;
    "#),
    // 3: for the effect reports: what each encounter led to (a bit set of
    // `1 << Outcome::code()`) and its calendar month (YYYYMM, UTC), with two
    // covering indexes ordered like the reports' GROUP BYs, so a report over
    // 100,000 encounters scans indexes instead of sorting rows. Existing
    // encounters lose their index rows and are marked stale; `Store::open`
    // rebuilds them right after migrating (as after a first sync).
    Sql(r#"
    ALTER TABLE encounters ADD COLUMN outcomes INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE encounters ADD COLUMN month INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX encounters_by_month ON encounters(month, staff, branch, perspective, when_ms);
    CREATE INDEX encounters_by_traits
        ON encounters(perspective, initiative, role, counterpart, outside, outcomes, when_ms, staff, branch);
    -- Encounters indexed before get their rows rebuilt from their documents.
    UPDATE docs SET stale = 1 WHERE stale = 0 AND rowid IN (SELECT rowid FROM encounters);
    DELETE FROM search WHERE rowid IN (SELECT rowid FROM encounters);
    DELETE FROM encounter_partners;
    DELETE FROM encounters;
    "#),
    // 4: the control log (control.rs): erasure markers and receipts, device
    // revocations. The search index removes deleted terms from its pages
    // rather than only marking them.
    Sql(r#"
    CREATE TABLE control_log (
        seq INTEGER PRIMARY KEY,
        kind INTEGER NOT NULL,
        subject BLOB NOT NULL,
        device BLOB NOT NULL,
        at_ms INTEGER NOT NULL,
        origin INTEGER NOT NULL DEFAULT 0,
        UNIQUE (kind, subject, device)
    );
    INSERT INTO search(search, rank) VALUES ('secure-delete', 1);
    "#),
    // 5: record keys are named by a fingerprint, so a retirement marker
    // (control kind 3) finds the key it destroys; filled in on open.
    Sql(r#"
    ALTER TABLE record_keys ADD COLUMN fp BLOB;
    CREATE INDEX record_keys_fp ON record_keys(fp);
    "#),
    // 6: follow-ups as index rows ("My follow-ups", overdue on the home
    // screen), and the log's own entries by seq, so "records not yet
    // shared" reads only what no peer has acknowledged (sharing.rs); chunks
    // that came from peers (a whole first sync) are not in it. Encounters
    // are reindexed as in layout 3.
    Sql(r#"
    CREATE TABLE follow_ups (
        encounter INTEGER NOT NULL,
        item TEXT NOT NULL,
        text TEXT NOT NULL,
        -- YYYY-MM-DD, so text order is date order; NULL: no due date.
        due TEXT,
        owner INTEGER,
        done INTEGER NOT NULL,
        PRIMARY KEY (encounter, item)
    ) WITHOUT ROWID;
    CREATE INDEX follow_ups_open ON follow_ups(done, due);
    CREATE INDEX chunks_local ON chunks(seq, doc) WHERE origin = 0;
    UPDATE docs SET stale = 1 WHERE stale = 0 AND rowid IN (SELECT rowid FROM encounters);
    DELETE FROM search WHERE rowid IN (SELECT rowid FROM encounters);
    DELETE FROM encounter_partners;
    DELETE FROM encounters;
    "#),
    // 7: merged partners (store/merge.rs). `partner_merges` holds each
    // merged partner's `merged_into` (as refs numbers); `partner_canon` what
    // every merged partner resolves to (chains followed, cycles settled), so
    // queries never load documents; `partners.merged` hides them from lists
    // and reports. Older stores hold no merges, so nothing is reindexed.
    Sql(r#"
    CREATE TABLE partner_merges (partner INTEGER PRIMARY KEY, from_n INTEGER NOT NULL, into_n INTEGER NOT NULL);
    CREATE TABLE partner_canon (n INTEGER PRIMARY KEY, canonical INTEGER NOT NULL);
    CREATE INDEX partner_canon_by ON partner_canon(canonical);
    ALTER TABLE partners ADD COLUMN merged INTEGER NOT NULL DEFAULT 0;
    "#),
    // 8: the effect report's encounter rollups (store/rollup.rs): counts per
    // month and per day, staff, branch, perspective and partner kind, kept
    // exact by triggers on the index tables, so a report's cost no longer
    // grows with the number of encounters. Filled from the rows indexed so
    // far; nothing is reindexed.
    Built(super::rollup::migration),
    // 9: each partner link knows its encounter's time, so the timeline of
    // one partner reads its newest links from an index instead of sorting
    // all of them (1 ms and growing at a million encounters).
    Sql(r#"
    ALTER TABLE encounter_partners ADD COLUMN when_ms INTEGER NOT NULL DEFAULT 0;
    UPDATE encounter_partners SET when_ms = coalesce((SELECT when_ms FROM encounters WHERE rowid = encounter), 0);
    CREATE INDEX encounter_partners_when ON encounter_partners(partner, when_ms);
    "#),
    // 10: the report reads the rollups (8), so the two indexes that served
    // its scans of the encounters only cost: about 60 bytes per encounter
    // on disk and two more B-tree inserts per write. The from-scratch
    // reference the rollups are tested against scans instead.
    Sql(r#"
    DROP INDEX IF EXISTS encounters_by_month;
    DROP INDEX IF EXISTS encounters_by_traits;
    "#),
    // 11: a compacted document's current state beside its history
    // (doc/snapshot.rs), so a record edited for years opens without
    // replaying every edit. Written at the next compaction.
    Sql(r#"
    ALTER TABLE docs ADD COLUMN snapshot BLOB;
    "#),
    // 12: an encounter's links keyed by encounter, the order they are
    // written in, not by partner: a first sync put each new link on one of
    // a few thousand pages at random and wrote them all again at every
    // commit. Lookups by partner read `encounter_partners_when` (which a
    // first sync builds once at the end); the key replaces
    // `encounter_partners_e`. The rollups' triggers name the table, so
    // they go first and are put back, and the rollups refilled, when the
    // migrations end.
    Built(relink),
    // 13: the search index keeps which records hold a word, not where in
    // them (`detail=none`): search asks for every word as a prefix, in any
    // order (`search_terms`), never for a phrase, and the positions were two
    // thirds of the index (about 60 bytes a record). The index is
    // contentless, so its rows are written again from the documents when
    // the migrations end (`search_rebuild`, `store::migrate`). The
    // perspective index goes too (16 bytes an encounter): a timeline
    // filtered by perspective reads the time index newest first and passes
    // over the other three perspectives' encounters. `docs.updated_ms`,
    // which nothing read, goes (7 bytes a record), and so does an
    // encounter's preview (66 bytes): lists read it from the documents
    // (`store::previews`).
    Sql(r#"
    DROP TABLE search;
    CREATE VIRTUAL TABLE search USING fts5(
        body, content='', contentless_delete=1, detail=none, tokenize="unicode61 remove_diacritics 2"
    );
    INSERT INTO search(search, rank) VALUES ('secure-delete', 1);
    INSERT OR REPLACE INTO meta(key, value) VALUES ('search_rebuild', x'01');
    DROP INDEX IF EXISTS encounters_perspective;
    ALTER TABLE docs DROP COLUMN updated_ms;
    ALTER TABLE encounters DROP COLUMN preview;
    "#),
];

fn relink() -> String {
    format!(
        "{}
        CREATE TABLE encounter_links (
            encounter INTEGER NOT NULL,
            partner INTEGER NOT NULL,
            when_ms INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (encounter, partner)
        ) WITHOUT ROWID;
        INSERT INTO encounter_links(encounter, partner, when_ms)
            SELECT encounter, partner, when_ms FROM encounter_partners ORDER BY encounter, partner;
        DROP TABLE encounter_partners;
        ALTER TABLE encounter_links RENAME TO encounter_partners;
        CREATE INDEX encounter_partners_when ON encounter_partners(partner, when_ms);",
        super::rollup::drop_triggers()
    )
}

/// The first layout whose record keys carry fingerprints.
pub const KEYS_NAMED: i64 = 5;

/// The first layout with follow-ups in the index.
pub const FOLLOW_UPS_INDEXED: i64 = 6;

/// The layout this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// The query indexes a first sync builds once at the end instead of row by
/// row (`Store::defer_query_indexes`): name and statement, exactly as the
/// migrations above create them (a test holds them to it). Not the links'
/// key (encounter, partner): an encounter's index row reads its links
/// through it, and without it each encounter filed scanned every link (a
/// first sync of 100,000 records took 159 s instead of 4).
pub const DEFERRABLE_INDEXES: &[(&str, &str)] = &[
    ("encounters_when", "CREATE INDEX encounters_when ON encounters(when_ms)"),
    ("encounters_staff", "CREATE INDEX encounters_staff ON encounters(staff, when_ms)"),
    ("encounter_partners_when", "CREATE INDEX encounter_partners_when ON encounter_partners(partner, when_ms)"),
    // Keyed by due date, so a slice of a first sync put its follow-ups on
    // pages all over the index and wrote them all again at every commit.
    ("follow_ups_open", "CREATE INDEX follow_ups_open ON follow_ups(done, due)"),
];

/// FTS5's defaults: merge a level's segments once it holds this many, and
/// flush pending terms to a new segment at this many bytes.
pub const SEARCH_AUTOMERGE: i64 = 4;
pub const SEARCH_HASHSIZE: i64 = 1 << 20;

/// Creates any deferrable index that is missing (after a first sync, or at
/// open when one was cut off before it could), and lets the search index
/// merge its segments again.
pub fn ensure_query_indexes(conn: &Connection) -> Result<()> {
    let present: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN (SELECT value FROM json_each(?1))",
        [serde_json::to_string(&DEFERRABLE_INDEXES.iter().map(|(n, _)| *n).collect::<Vec<_>>()).expect("names")],
        |r| r.get(0),
    )?;
    if present == DEFERRABLE_INDEXES.len() as i64 {
        return Ok(());
    }
    for (_, sql) in DEFERRABLE_INDEXES {
        conn.execute_batch(&sql.replacen("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))?;
    }
    conn.execute("INSERT INTO search(search, rank) VALUES ('automerge', ?1)", [SEARCH_AUTOMERGE])?;
    conn.execute("INSERT INTO search(search, rank) VALUES ('hashsize', ?1)", [SEARCH_HASHSIZE])?;
    Ok(())
}

/// Applies the migrations this file lacks; returns the layout it had before.
pub fn migrate(conn: &mut Connection, dir: &std::path::Path) -> Result<i64> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > VERSION {
        return Err(StoreError::TooNew(dir.to_path_buf(), current));
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        match step {
            Sql(sql) => tx.execute_batch(sql)?,
            Built(f) => tx.execute_batch(&f())?,
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    // Rollups left to fill: a new store, one from before layout 8, or a
    // bulk load cut off (crash, power) before it filled them.
    super::rollup::resume(conn)?;
    Ok(current)
}
