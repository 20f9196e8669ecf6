//! The local store: one SQLite file (WAL) holding every record document as
//! a log of Automerge chunks, the per-record keys, and the query index.
//!
//! Invariant: a change's chunk and the index rows it implies are written in
//! the same SQLite transaction, so the index never disagrees with the
//! documents, even after a crash.

mod at_rest;
mod chunk_log;
mod codes;
mod control;
mod devices;
mod doc_cache;
mod erasure;
mod error;
pub mod export_rows;
mod followups;
mod index;
mod lock;
pub mod log_dump;
mod membership;
mod merge;
mod partners;
mod previews;
mod query;
mod quick_log;
mod reader;
mod record_history;
mod replica;
pub mod report_cells;
mod retention;
mod rollup;
mod schema;
mod search_terms;
mod sharing;
mod sql_ids;

use std::path::{Path, PathBuf};

use automerge::ActorId;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::doc::{self, ChangeMeta, Loaded, Record, RecordKey};
use crate::model::{DeviceId, RecordId, RecordKind, Slug, StaffMember, Validate};
pub(crate) use at_rest::unlock;
pub use at_rest::{is_encrypted, DbKey};
/// How chunks are packed at rest, for other stores of the log (a PostgreSQL hub).
pub(crate) use chunk_log::{pack as pack_chunk, unpack as unpack_chunk};
pub use chunk_log::{RecordStorage, COMPACT_AFTER};
pub use control::{ControlEntry, ControlKind, Issued, Revocation};
pub use devices::Device;
use doc_cache::DocCache;
pub use erasure::{ErasureStatus, Receipt};
pub use error::{Result, StoreError};
pub use export_rows::{ActivityExport, EncounterExport, PartnerExport, PartnerRef};
pub use followups::{FollowUpQuery, FollowUpRow};
#[cfg(feature = "fuzzing")]
pub(crate) use index::AnyRecord;
pub use index::Indexed;
pub use log_dump::{StoredChunk, StoredControl};
pub use membership::Membership;
pub use merge::{MergeError, MergePlan};
pub use partners::{MergedPartner, PartnerOverview};
pub use query::{
    ActivityQuery, ActivityRow, Counts, EncounterQuery, EncounterRow, PartnerQuery, PartnerRow, SearchHit, StaffRow,
    DEFAULT_PAGE,
};
pub use quick_log::{Logged, PartnerPick, PlacePick, PopupTally, QuickPicks};
pub use reader::Reader;
pub use record_history::{HistoryLine, RecordHistory};
pub use replica::{Batch, Chunk, IndexReport, Ingested, KeyGrant, LogSlice, PeerState};
pub use report_cells::{
    ActivityCell, EncounterCell, EncounterSums, EncounterTraits, KindCell, LevelCell, MoveCell, ReportScope,
};
pub use retention::Forgotten;
pub use sharing::{Sharing, UNSHARED_COUNTED_UPTO};

/// The file name of the database inside a store folder.
pub const DB_FILE: &str = "samskap.db";

/// How durable each commit is. `Full` survives power loss (the default);
/// `Normal` survives a crashed process but may lose the last commits on power loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    Full,
    Normal,
}

#[derive(Clone, Debug)]
pub struct InitOptions {
    pub staff: String,
    pub branch: String,
    pub workspace_name: String,
}

pub struct Store {
    conn: Connection,
    dir: PathBuf,
    actor: ActorId,
    device: DeviceId,
    /// The signed-in staff member's profile, kept to stamp new records.
    me: Option<StaffMember>,
    /// The key the file is encrypted with at rest, for a second connection
    /// (`Store::read_connection`); none: plain.
    key: Option<DbKey>,
    /// What "now" is for this store's edits, receipts and revocations:
    /// the system clock, or a test's.
    clock: fn() -> chrono::DateTime<chrono::Utc>,
    /// The documents written last, so editing a long history again does not reload it.
    docs: DocCache,
    /// A bulk load into an empty store commits its slices without waiting
    /// for the disk (`Store::defer_query_indexes`); the last commit waits.
    relaxed: bool,
    _lock: lock::StoreLock,
}

impl Store {
    /// Creates a new store in `dir` with a staff profile for its user, not
    /// encrypted at rest (tests, benchmarks; devices use [`Store::init_device`]).
    pub fn init(dir: &Path, opts: &InitOptions) -> Result<Store> {
        Self::init_keyed(dir, opts, None)
    }

    /// Creates a device's store: encrypted at rest with a new key kept in
    /// the computer's key store (or `SAMSKAP_DB_KEY`); unencrypted only when
    /// neither is available, which [`Store::encrypted`] then tells.
    pub fn init_device(dir: &Path, opts: &InitOptions) -> Result<Store> {
        std::fs::create_dir_all(dir)?;
        let key = crate::keystore::create(dir)?;
        Self::init_keyed(dir, opts, key.as_ref())
    }

    /// Creates a new store, encrypted with `key` when given.
    pub fn init_keyed(dir: &Path, opts: &InitOptions, key: Option<&DbKey>) -> Result<Store> {
        std::fs::create_dir_all(dir)?;
        let lock = lock::StoreLock::acquire(dir)?;
        let db = dir.join(DB_FILE);
        if db.exists() {
            return Err(StoreError::AlreadyInitialized(dir.to_path_buf()));
        }
        let staff =
            StaffMember { id: RecordId::new(), name: opts.staff.clone(), branch: opts.branch.clone(), deleted: false };
        staff.validate()?;
        let build = || -> Result<Store> {
            let mut conn = Connection::open(&db)?;
            at_rest::unlock(&conn, key, &db)?;
            conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            configure(&conn, Durability::Full)?;
            migrate(&mut conn, dir)?;
            let device = DeviceId::from(uuid::Uuid::new_v4());
            let workspace = uuid::Uuid::new_v4();
            let tx = conn.transaction()?;
            put_meta(&tx, "device_id", device.as_bytes())?;
            put_meta(&tx, "workspace_id", workspace.as_bytes())?;
            put_meta(&tx, "workspace_name", opts.workspace_name.as_bytes())?;
            put_meta(&tx, "me", staff.id.as_bytes())?;
            tx.commit()?;
            let mut store = Store::assemble(conn, dir, device, key.cloned(), lock);
            store.create(&staff)?;
            store.me = Some(staff);
            Ok(store)
        };
        build().inspect_err(|_| {
            // A half-made store would later read as "not a store"; remove it.
            for f in [DB_FILE, "samskap.db-wal", "samskap.db-shm"] {
                let _ = std::fs::remove_file(dir.join(f));
            }
        })
    }

    /// Opens an existing store. Changes nothing unless the file is a Samskap
    /// store. An encrypted store is opened with its key from the computer's
    /// key store (or `SAMSKAP_DB_KEY`).
    pub fn open(dir: &Path) -> Result<Store> {
        Self::open_with(dir, Durability::Full)
    }

    pub fn open_with(dir: &Path, durability: Durability) -> Result<Store> {
        let key = match at_rest::is_encrypted(&dir.join(DB_FILE)) {
            Ok(true) => match crate::keystore::find(dir)? {
                Some(key) => Some(key),
                None if crate::keystore::names_a_key(dir) => return Err(StoreError::KeyNeeded(dir.to_path_buf())),
                // Not SQLite and no sign of a key: some other file.
                None => return Err(StoreError::NotAStore(dir.join(DB_FILE))),
            },
            _ => None,
        };
        Self::open_keyed(dir, durability, key.as_ref())
    }

    /// Opens an existing store with the key it was encrypted with (none: plain).
    pub fn open_keyed(dir: &Path, durability: Durability, key: Option<&DbKey>) -> Result<Store> {
        if dir.is_file() {
            return Err(StoreError::NotAStore(dir.to_path_buf()));
        }
        let db = dir.join(DB_FILE);
        if !db.is_file() {
            return Err(StoreError::NotInitialized(dir.to_path_buf()));
        }
        let lock = lock::StoreLock::acquire(dir)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&db, flags)?;
        if key.is_none() && at_rest::is_encrypted(&db)? {
            return Err(StoreError::KeyNeeded(dir.to_path_buf()));
        }
        at_rest::unlock(&conn, key, &db)?;
        let app_id: Option<i32> = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).ok();
        if app_id != Some(schema::APPLICATION_ID) {
            return Err(StoreError::NotAStore(db));
        }
        configure(&conn, durability)?;
        let before = migrate(&mut conn, dir)?;
        let device = get_meta(&conn, "device_id")?
            .and_then(|v| DeviceId::from_slice(&v))
            .ok_or_else(|| StoreError::NotAStore(db.clone()))?;
        let mut store = Store::assemble(conn, dir, device, key.cloned(), lock);
        // A first sync or demo fill cut off (crash, power) before it rebuilt
        // them (`schema::migrate` has filled the rollups).
        schema::ensure_query_indexes(&store.conn)?;
        if before < schema::KEYS_NAMED {
            chunk_log::fill_fingerprints(&store.conn)?;
        }
        if before < schema::FOLLOW_UPS_INDEXED {
            // The migration (3 or 6) marked existing encounters for reindexing.
            store.catch_up_index(|_, _| {})?;
        }
        if let Some(me) = get_meta(&store.conn, "me")?.and_then(|v| RecordId::from_slice(&v)) {
            store.me = Some(store.get::<StaffMember>(me)?.record);
        }
        Ok(store)
    }

    /// A store over an open, migrated connection; its user is set after.
    fn assemble(conn: Connection, dir: &Path, device: DeviceId, key: Option<DbKey>, lock: lock::StoreLock) -> Store {
        Store {
            conn,
            dir: dir.to_path_buf(),
            actor: ActorId::from(device.0),
            device,
            me: None,
            key,
            clock: chrono::Utc::now,
            docs: DocCache::default(),
            relaxed: false,
            _lock: lock,
        }
    }

    /// Sets the clock this store reads "now" from (tests: a tablet whose
    /// clock is days ahead, or stands still).
    pub fn set_clock(&mut self, clock: fn() -> chrono::DateTime<chrono::Utc>) {
        self.clock = clock;
    }

    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        (self.clock)()
    }

    /// Who makes a change now: the signed-in staff member, at the store's clock.
    pub(crate) fn change_meta(&self) -> ChangeMeta {
        ChangeMeta { staff: self.me(), time_ms: self.now().timestamp_millis() }
    }

    /// Changes how durable commits are from now on (tests and bulk work
    /// may trade power-loss safety for speed; crash safety stays).
    pub fn set_durability(&self, durability: Durability) -> Result<()> {
        configure(&self.conn, durability)
    }

    /// Caps the database at about `bytes` (a hub's quota per workspace;
    /// tests use it to fill the "disk"). Writes past it fail with
    /// [`StoreError::DiskFull`] and change nothing.
    pub fn set_size_limit(&self, bytes: u64) -> Result<()> {
        let page: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let pages = (bytes as i64 / page).max(1);
        let _: i64 = self.conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| r.get(0))?;
        Ok(())
    }

    /// A second, read-only connection to the store file, for reading on
    /// another core while this one writes. In WAL mode it sees what was
    /// last committed, never this connection's open transaction.
    pub(crate) fn read_connection(&self) -> Result<Connection> {
        let db = self.dir.join(DB_FILE);
        let conn =
            Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        at_rest::unlock(&conn, self.key.as_ref(), &db)?;
        conn.pragma_update(None, "cache_size", CACHE_SIZE)?;
        Ok(conn)
    }

    /// Whether the store file is encrypted at rest.
    pub fn encrypted(&self) -> bool {
        self.key.is_some()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The staff member using this device.
    pub fn me(&self) -> Option<RecordId> {
        self.me.as_ref().map(|m| m.id)
    }

    /// This device, as the protocol names it.
    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// This device as people and JSON see it (a UUID string).
    pub fn device_id(&self) -> uuid::Uuid {
        self.device.to_uuid()
    }

    pub fn workspace_name(&self) -> Result<String> {
        Ok(get_meta(&self.conn, "workspace_name")?
            .map(|v| String::from_utf8_lossy(&v).into_owned())
            .unwrap_or_default())
    }

    /// The signed-in staff member's profile.
    pub fn my_profile(&self) -> Option<&StaffMember> {
        self.me.as_ref()
    }

    /// Creates a record as one Automerge change.
    pub fn create<R: Record + Indexed>(&mut self, rec: &R) -> Result<RecordId> {
        self.create_many(vec![rec.clone()])?;
        Ok(rec.id())
    }

    /// Creates many records in one transaction (imports, demo data).
    /// Records that leave their author open get the signed-in staff member.
    pub fn create_many<R: Record + Indexed>(&mut self, mut recs: Vec<R>) -> Result<()> {
        for r in &mut recs {
            if let Some(me) = &self.me {
                r.stamp(me);
            }
            r.validate()?;
        }
        let meta = self.change_meta();
        let actor = &self.actor;
        // Each record's document is written and packed on the other cores
        // while this thread files them in order (a demo fill of a million).
        let write = |rec: &R| -> Result<(Option<RecordKey>, Vec<u8>)> {
            let key = R::PERSONAL.then(RecordKey::generate);
            let sealer = key.as_ref().map(|k| doc::Sealer::new(k, rec.id()));
            let mut d = doc::new_doc(actor);
            let change =
                doc::write(&mut d, rec, sealer.as_ref(), &meta, false)?.ok_or(StoreError::NotFound(rec.id()))?;
            Ok((key, chunk_log::pack(change.raw_bytes())))
        };
        let tx = self.conn.transaction()?;
        replica::pipelined(&recs, write, |i, written| {
            let rec = &recs[i];
            let (key, packed) = written?;
            check_refs(&tx, rec, &[])?;
            if chunk_log::is_erased(&tx, rec.id())? {
                return Err(StoreError::Erased(rec.id()));
            }
            let rowid = chunk_log::insert_filed(&tx, rec.id(), R::KIND, chunk_log::IndexState::Current, false, 1)?;
            if let Some(k) = &key {
                chunk_log::put_key(&tx, rowid, k)?;
            }
            chunk_log::insert_packed(&tx, rowid, 0, &packed)?;
            index::index_new(&tx, rowid, rec)?;
            Ok(())
        })?;
        tx.commit()?;
        Ok(())
    }

    /// Reads a record with its conflicts.
    pub fn get<R: Record>(&self, id: RecordId) -> Result<Loaded<R>> {
        let (rowid, kind) = chunk_log::find(&self.conn, id)?;
        check_kind::<R>(id, kind)?;
        let key = chunk_log::get_key(&self.conn, rowid)?;
        let sealer = key.as_ref().map(|k| doc::Sealer::new(k, id));
        // A record edited for years: its current state, not its history.
        if let Some(now) = chunk_log::snapshot(&self.conn, rowid)? {
            return Ok(doc::read(&now, id, sealer.as_ref())?);
        }
        let d = chunk_log::load(&self.conn, rowid, &self.actor)?;
        Ok(doc::read(&d, id, sealer.as_ref())?)
    }

    /// How a record's document is kept: its chunks, their bytes, the same
    /// document compacted, and its heads.
    pub fn record_storage(&self, id: RecordId) -> Result<RecordStorage> {
        let (rowid, _) = chunk_log::find(&self.conn, id)?;
        chunk_log::storage(&self.conn, rowid, &self.actor)
    }

    /// Changes a record: `edit` gets the current record (with the winning
    /// value of any conflicted field); only fields it changes are written.
    pub fn update<R: Record + Indexed>(&mut self, id: RecordId, edit: impl FnOnce(&mut R)) -> Result<Loaded<R>> {
        self.write_record(id, false, edit)
    }

    /// Like [`Store::update`], but rewrites every field, settling all of the
    /// record's conflicts in favour of the values `edit` leaves.
    pub fn resolve<R: Record + Indexed>(&mut self, id: RecordId, edit: impl FnOnce(&mut R)) -> Result<Loaded<R>> {
        self.write_record(id, true, edit)
    }

    fn write_record<R: Record + Indexed>(
        &mut self,
        id: RecordId,
        force: bool,
        edit: impl FnOnce(&mut R),
    ) -> Result<Loaded<R>> {
        let meta = self.change_meta();
        let tx = self.conn.transaction()?;
        let (rowid, d, key) = edit_in::<R>(&tx, &self.actor, &meta, id, force, Some(&mut self.docs), edit)?;
        tx.commit()?;
        let sealer = key.as_ref().map(|k| doc::Sealer::new(k, id));
        let loaded = doc::read::<R, _>(&d, id, sealer.as_ref())?;
        // The next edit of this record starts from here, not from its history.
        self.docs.keep(&self.conn, rowid, d)?;
        if R::KIND == RecordKind::Staff && Some(id) == self.me() {
            self.me = Some(self.get::<StaffMember>(id)?.record);
        }
        Ok(loaded)
    }

    /// Deletes (tombstones) a record of any kind. Undo with [`Store::restore`].
    pub fn delete(&mut self, id: RecordId) -> Result<RecordKind> {
        self.set_deleted(id, true)
    }

    pub fn restore(&mut self, id: RecordId) -> Result<RecordKind> {
        self.set_deleted(id, false)
    }

    fn set_deleted(&mut self, id: RecordId, deleted: bool) -> Result<RecordKind> {
        let kind = self.kind_of(id)?;
        match kind {
            RecordKind::Encounter => self.update::<crate::model::Encounter>(id, |r| r.deleted = deleted).map(drop)?,
            RecordKind::Partner => self.update::<crate::model::Partner>(id, |r| r.deleted = deleted).map(drop)?,
            RecordKind::Activity => self.update::<crate::model::Activity>(id, |r| r.deleted = deleted).map(drop)?,
            RecordKind::Staff => self.update::<StaffMember>(id, |r| r.deleted = deleted).map(drop)?,
        }
        Ok(kind)
    }

    /// What kind of record an id names.
    pub fn kind_of(&self, id: RecordId) -> Result<RecordKind> {
        Ok(chunk_log::find(&self.conn, id)?.1)
    }

    /// Writes the WAL into the main file (used before measuring size, and on close).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Bytes on disk: the database and its write-ahead log.
    pub fn disk_bytes(&self) -> Result<u64> {
        let mut total = 0;
        for f in [DB_FILE, "samskap.db-wal"] {
            if let Ok(m) = std::fs::metadata(self.dir.join(f)) {
                total += m.len();
            }
        }
        Ok(total)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// One edit of one record inside the caller's transaction: loads the
/// document (from `docs` when it holds it current), applies `edit`,
/// validates, writes the changed fields as one change and rebuilds the
/// record's index rows. Several of these in one
/// transaction (a merge) commit together or not at all.
pub(crate) fn edit_in<R: Record + Indexed>(
    tx: &Connection,
    actor: &ActorId,
    meta: &ChangeMeta,
    id: RecordId,
    force: bool,
    docs: Option<&mut DocCache>,
    edit: impl FnOnce(&mut R),
) -> Result<(i64, automerge::Automerge, Option<RecordKey>)> {
    let (rowid, kind) = chunk_log::find(tx, id)?;
    check_kind::<R>(id, kind)?;
    let mut d = match docs {
        Some(docs) => docs.load(tx, rowid, actor)?,
        None => chunk_log::load(tx, rowid, actor)?,
    };
    let key = chunk_log::get_key(tx, rowid)?;
    if R::PERSONAL && key.is_none() {
        return Err(StoreError::Erased(id));
    }
    let sealer = key.as_ref().map(|k| doc::Sealer::new(k, id));
    let mut rec: R = doc::read(&d, id, sealer.as_ref())?.record;
    let before = rec.refs();
    edit(&mut rec);
    rec.validate()?;
    check_refs(tx, &rec, &before)?;
    if let Some(change) = doc::write(&mut d, &rec, sealer.as_ref(), meta, force)? {
        let chunks = chunk_log::append_chunk(tx, rowid, 0, change.raw_bytes())?;
        chunk_log::set_deleted(tx, rowid, rec.deleted())?;
        chunk_log::after_change(tx, rowid, chunks, &d, 0)?;
        index::reindex(tx, rowid, id, &d, key.as_ref())?;
    }
    Ok((rowid, d, key))
}

fn check_kind<R: Record>(id: RecordId, kind: RecordKind) -> Result<()> {
    if kind != R::KIND {
        return Err(StoreError::WrongKind { id, expected: R::KIND.slug(), found: kind.slug() });
    }
    Ok(())
}

/// New references must point at existing records of the right kind.
/// References already in the record are left alone: after a sync they may
/// name records that were since deleted or erased elsewhere.
fn check_refs<R: Record>(conn: &Connection, rec: &R, known: &[(RecordId, RecordKind)]) -> Result<()> {
    for (id, kind) in rec.refs() {
        if known.contains(&(id, kind)) || id == rec.id() {
            continue;
        }
        match chunk_log::find(conn, id) {
            Ok((_, k)) if k == kind => {}
            Ok(_) | Err(StoreError::NotFound(_)) => return Err(StoreError::MissingRef { id, kind: kind.slug() }),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Each connection's page cache (negative: KiB). Bounded, so memory stays
/// flat on big stores.
const CACHE_SIZE: i64 = -16_000;

fn configure(conn: &Connection, durability: Durability) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    let sync = match durability {
        Durability::Full => "FULL",
        Durability::Normal => "NORMAL",
    };
    conn.pragma_update(None, "synchronous", sync)?;
    conn.pragma_update(None, "cache_size", CACHE_SIZE)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Deleted content is overwritten, so an erased record leaves no readable trace.
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}

fn put_meta(conn: &Connection, key: &str, value: &[u8]) -> Result<()> {
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", rusqlite::params![key, value])?;
    Ok(())
}

/// Brings a store file to this build's layout (`schema::migrate`), then
/// writes its search rows again if a migration asked for it (13) or a
/// rebuild was cut off. Returns the layout it had before.
fn migrate(conn: &mut Connection, dir: &Path) -> Result<i64> {
    let before = schema::migrate(conn, dir)?;
    if get_meta(conn, "search_rebuild")?.is_some() {
        replica::rebuild_search(conn, dir)?;
    }
    Ok(before)
}

fn get_meta(conn: &Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

#[cfg(test)]
mod tests;
