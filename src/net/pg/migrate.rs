//! Moving a county's hub from SQLite to PostgreSQL (`samskap hub migrate
//! --from DIR --to postgres://…`) so that every device keeps syncing
//! without rejoining: the same workspace ids, secrets and replica id, the
//! invites and device tokens (their hashes), revocations, and each
//! workspace's log with every chunk and control entry at its seq, its
//! record keys, erasures and the peers' cursors and request numbers. The
//! log's epoch stays, so devices continue from their cursors instead of
//! starting over.
//!
//! The source is only read (stop its hub first: a running hub holds its
//! replicas, and the copy is refused). Every workspace is checked before
//! anything is written, then copied in one transaction of its own; a
//! workspace the target already holds unchanged (a run repeated after
//! success) is left as it is, and one it holds otherwise is refused.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use r2d2_postgres::postgres::{self, Client, NoTls, Transaction};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{redact, schema};
use crate::doc::RecordKey;
use crate::i18n::{Language, Localize};
use crate::model::{KeyFingerprint, LogEpoch, WorkspaceId};
use crate::net::hub::{replica_dir, HUB_DB};
use crate::store::{log_dump, DbKey, Durability, Store, StoreError};
use crate::tr;

/// Why a migration stopped. Nothing of the workspace it was copying is
/// kept in the target; the source is never changed.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("{0} is not a hub folder (no hub.db with workspaces in it)")]
    NotAHub(PathBuf),
    #[error("{0} is not a PostgreSQL address")]
    BadAddress(String),
    #[error("could not reach the database {url}: {why}")]
    Unreachable { url: String, why: String },
    #[error("the database already holds workspace {0} with other contents; nothing of it was copied")]
    AlreadyThere(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MigrateError {
    pub fn code(&self) -> &str {
        match self {
            MigrateError::NotAHub(_) => "not_a_hub",
            MigrateError::BadAddress(_) => "bad_address",
            MigrateError::Unreachable { .. } => "unreachable",
            MigrateError::AlreadyThere(_) => "already_there",
            MigrateError::Store(e) => e.code(),
        }
    }
}

impl From<postgres::Error> for MigrateError {
    fn from(e: postgres::Error) -> Self {
        MigrateError::Store(e.into())
    }
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Store(e.into())
    }
}

impl Localize for MigrateError {
    fn localize(&self, lang: Language) -> String {
        match self {
            MigrateError::NotAHub(dir) => {
                let dir = dir.display();
                tr!(lang,
                    nb: "{dir} er ikke en hub-mappe (den har ingen hub.db med arbeidsområder); ingenting er endret",
                    da: "{dir} er ikke en hub-mappe (den har ingen hub.db med arbejdsområder); intet er ændret",
                    en: "{dir} is not a hub folder (no hub.db with workspaces in it); nothing was changed")
            }
            MigrateError::BadAddress(url) => tr!(lang,
                nb: "«{url}» er ikke en PostgreSQL-adresse; skriv den som postgres://BRUKER@VERT:PORT/DATABASE",
                da: "»{url}« er ikke en PostgreSQL-adresse; skriv den som postgres://BRUGER@VÆRT:PORT/DATABASE",
                en: "{url} is not a PostgreSQL address (expected postgres://USER@HOST:PORT/DATABASE)"),
            MigrateError::Unreachable { url, why } => tr!(lang,
                nb: "Fikk ikke kontakt med databasen {url} ({why}); ingenting er kopiert, og hub-mappen er som før",
                da: "Kunne ikke få forbindelse til databasen {url} ({why}); intet er kopieret, og hub-mappen er som før",
                en: "could not reach the database {url}: {why}; nothing was copied and the hub folder is as it was"),
            MigrateError::AlreadyThere(name) => tr!(lang,
                nb: "Databasen har allerede arbeidsområdet «{name}» med annet innhold; ingenting av det er kopiert",
                da: "Databasen har allerede arbejdsområdet »{name}« med andet indhold; intet af det er kopieret",
                en: "the database already holds workspace {name} with other contents; nothing of it was copied"),
            MigrateError::Store(e) => e.localize(lang),
        }
    }
}

/// What was copied of one workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WorkspaceCopied {
    pub workspace: uuid::Uuid,
    pub name: String,
    pub devices: usize,
    pub invites: usize,
    pub chunks: usize,
    pub control_entries: usize,
    pub record_keys: usize,
    pub erasures: usize,
    /// The target held it already, unchanged: left as it was.
    pub already_there: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Migrated {
    pub workspaces: Vec<WorkspaceCopied>,
}

/// The hub's own rows in `hub.db`.
struct HubRows {
    /// id, name, secret, created_ms
    workspaces: Vec<(WorkspaceId, String, Vec<u8>, i64)>,
    /// hash, workspace, expires_ms
    invites: Vec<(Vec<u8>, Vec<u8>, i64)>,
    devices: Vec<DeviceRow>,
}

struct DeviceRow {
    device: Vec<u8>,
    workspace: Vec<u8>,
    token_hash: Vec<u8>,
    name: String,
    created_ms: i64,
    revoked_ms: Option<i64>,
    last_seen_ms: Option<i64>,
    revocation_logged: bool,
}

/// Reads `hub.db` without writing to it.
fn read_hub(dir: &Path, key: Option<&DbKey>) -> Result<HubRows, MigrateError> {
    let db = dir.join(HUB_DB);
    if !db.is_file() {
        return Err(MigrateError::NotAHub(dir.to_path_buf()));
    }
    if key.is_none() && crate::store::is_encrypted(&db).map_err(StoreError::from)? {
        return Err(StoreError::KeyNeeded(dir.to_path_buf()).into());
    }
    // Read-write but never written: a read-only connection would leave the
    // WAL's side files behind; this one removes them when it closes.
    let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    crate::store::unlock(&conn, key, &db)?;
    let not_a_hub = |_| MigrateError::NotAHub(dir.to_path_buf());
    let mut stmt =
        conn.prepare("SELECT id, name, secret, created_ms FROM workspaces ORDER BY name").map_err(not_a_hub)?;
    let workspaces = stmt
        .query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter_map(|(id, name, secret, created)| Some((WorkspaceId::from_slice(&id)?, name, secret, created)))
        .collect();
    let invites = conn
        .prepare("SELECT hash, workspace, expires_ms FROM invites")
        .map_err(not_a_hub)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let devices = conn
        .prepare(
            "SELECT device, workspace, token_hash, name, created_ms, revoked_ms, last_seen_ms, revocation_logged
             FROM devices",
        )
        .map_err(not_a_hub)?
        .query_map([], |r| {
            Ok(DeviceRow {
                device: r.get(0)?,
                workspace: r.get(1)?,
                token_hash: r.get(2)?,
                name: r.get(3)?,
                created_ms: r.get(4)?,
                revoked_ms: r.get(5)?,
                last_seen_ms: r.get(6)?,
                revocation_logged: r.get::<_, i64>(7)? != 0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(HubRows { workspaces, invites, devices })
}

/// Connects to the target and brings its tables up to date.
fn connect(url: &str) -> Result<Client, MigrateError> {
    let mut config: postgres::Config = url.parse().map_err(|_| MigrateError::BadAddress(without_password(url)))?;
    config.connect_timeout(std::time::Duration::from_secs(10));
    let mut client = config
        .connect(NoTls)
        .map_err(|e| MigrateError::Unreachable { url: redact(url), why: StoreError::from(e).to_string() })?;
    schema::migrate(&mut client)?;
    Ok(client)
}

/// An address that did not parse, shown without what may be a password.
fn without_password(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.rsplit('@').next().unwrap_or("")),
        None => url.split_whitespace().filter(|w| !w.starts_with("password")).collect::<Vec<_>>().join(" "),
    }
}

/// Chunks copied per statement.
const BATCH: usize = 2000;

/// Copies the SQLite hub in `from` (its replicas opened with `key`, as the
/// hub opens them) into the PostgreSQL database at `to`; `copied` hears of
/// each workspace when it is in.
pub fn migrate(
    from: &Path,
    to: &str,
    key: Option<&DbKey>,
    mut copied: impl FnMut(&WorkspaceCopied),
) -> Result<Migrated, MigrateError> {
    let hub = read_hub(from, key)?;
    let mut db = connect(to)?;
    // Open every replica first (a running hub holds them: refused here)
    // and check each workspace against the target before writing any.
    let mut plan = vec![];
    for (id, name, secret, created) in &hub.workspaces {
        let replica = Store::open_keyed(&replica_dir(from, id), Durability::Full, key)?;
        let high = log_dump::high_water(replica.reader())?;
        let there = db.query_opt("SELECT id, head FROM workspaces WHERE id = $1 OR name = $2", &[id, name])?;
        let already = match there {
            None => false,
            Some(row) if row.get::<_, Vec<u8>>(0) == id.as_bytes()[..] && row.get::<_, i64>(1) as u64 == high => true,
            Some(_) => return Err(MigrateError::AlreadyThere(name.clone())),
        };
        plan.push((*id, name.clone(), secret.clone(), *created, replica, already));
    }
    let mut done = Migrated::default();
    for (id, name, secret, created, replica, already) in plan {
        let report = if already {
            WorkspaceCopied { workspace: id.to_uuid(), name, already_there: true, ..Default::default() }
        } else {
            let mut tx = db.transaction()?;
            let report = copy_workspace(&mut tx, &hub, id, &name, &secret, created, &replica)?;
            tx.commit()?;
            report
        };
        copied(&report);
        done.workspaces.push(report);
    }
    // Statistics for what was just loaded, so the first requests are
    // planned from the tables as they are.
    db.batch_execute("ANALYZE")?;
    Ok(done)
}

fn copy_workspace(
    tx: &mut Transaction<'_>,
    hub: &HubRows,
    id: WorkspaceId,
    name: &str,
    secret: &[u8],
    created_ms: i64,
    replica: &Store,
) -> Result<WorkspaceCopied, MigrateError> {
    let ws = &id;
    let mut report = WorkspaceCopied { workspace: id.to_uuid(), name: name.into(), ..Default::default() };
    // A log that never had a peer has no epoch yet: no cursor to keep.
    let epoch = log_dump::log_epoch(replica.reader())?.unwrap_or_else(LogEpoch::new_random);
    tx.execute(
        "INSERT INTO workspaces(id, name, secret, created_ms, replica, epoch, head) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[ws, &name, &secret, &created_ms, &replica.replica_id(), &epoch, &(log_dump::high_water(replica.reader())? as i64)],
    )?;
    for (hash, _, expires) in hub.invites.iter().filter(|(_, w, _)| w[..] == id.as_bytes()[..]) {
        tx.execute("INSERT INTO invites(hash, workspace, expires_ms) VALUES ($1, $2, $3)", &[hash, &ws, expires])?;
        report.invites += 1;
    }
    for d in hub.devices.iter().filter(|d| d.workspace[..] == id.as_bytes()[..]) {
        tx.execute(
            "INSERT INTO devices(device, workspace, token_hash, name, created_ms, revoked_ms, last_seen_ms, revocation_logged)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[&d.device, &ws, &d.token_hash, &d.name, &d.created_ms, &d.revoked_ms, &d.last_seen_ms, &d.revocation_logged],
        )?;
        report.devices += 1;
    }
    // Peers get new origins (PostgreSQL numbers them across workspaces);
    // the log's entries are tagged with the new ones.
    let mut origins: HashMap<i64, i64> = HashMap::from([(0, 0)]);
    for p in replica.peers()? {
        let row = tx.query_one(
            "INSERT INTO peers(workspace, id, name, epoch, recv_cursor, sent_upto, request_no, seen_request_no, last_seen_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING origin",
            &[
                &ws,
                &p.id,
                &p.name,
                &p.epoch,
                &(p.recv_cursor as i64),
                &(p.sent_upto as i64),
                &(p.request_no as i64),
                &(p.seen_request_no as i64),
                &p.last_seen_ms,
            ],
        )?;
        origins.insert(p.rowid, row.get(0));
    }
    // An entry from a peer the replica no longer lists is the hub's own.
    let origin = |o: i64| origins.get(&o).copied().unwrap_or(0);
    let mut after = 0;
    loop {
        let chunks = log_dump::chunks(replica.reader(), after, BATCH)?;
        let Some(last) = chunks.last() else { break };
        after = last.seq;
        let mut seqs = Vec::with_capacity(chunks.len());
        let mut docs: Vec<&[u8]> = Vec::with_capacity(chunks.len());
        let mut kinds = Vec::with_capacity(chunks.len());
        let mut from = Vec::with_capacity(chunks.len());
        let mut digests = Vec::with_capacity(chunks.len());
        let mut packed: Vec<&[u8]> = Vec::with_capacity(chunks.len());
        for c in &chunks {
            // As `log::ingest` names a chunk, so a device's retried push
            // after the move is recognised.
            let digest: [u8; 16] = Sha256::new().chain_update(c.doc.as_bytes()).chain_update(c.bytes()?).finalize()
                [..16]
                .try_into()
                .expect("16 of 32 bytes");
            seqs.push(c.seq as i64);
            docs.push(c.doc.as_bytes().as_slice());
            kinds.push(c.kind as i16);
            from.push(origin(c.origin));
            digests.push(digest.to_vec());
            packed.push(&c.packed);
        }
        tx.execute(
            "INSERT INTO docs(workspace, id, kind) SELECT $1, * FROM UNNEST($2::bytea[], $3::int2[]) ON CONFLICT DO NOTHING",
            &[&ws, &docs, &kinds],
        )?;
        report.chunks += tx.execute(
            "INSERT INTO chunks(workspace, seq, doc, origin, digest, bytes)
             SELECT $1, * FROM UNNEST($2::int8[], $3::bytea[], $4::int8[], $5::bytea[], $6::bytea[])
             ON CONFLICT DO NOTHING",
            &[&ws, &seqs, &docs, &from, &digests, &packed],
        )? as usize;
    }
    let keys = log_dump::record_keys(replica.reader())?;
    let docs: Vec<&[u8]> = keys.iter().map(|(d, _)| d.as_bytes().as_slice()).collect();
    let values: Vec<&[u8]> = keys.iter().map(|(_, k)| k.as_slice()).collect();
    let fps: Vec<KeyFingerprint> = keys.iter().map(|(_, k)| RecordKey(*k).fingerprint()).collect();
    report.record_keys = tx.execute(
        "INSERT INTO record_keys(workspace, doc, key, fp) SELECT $1, * FROM UNNEST($2::bytea[], $3::bytea[], $4::bytea[])",
        &[&ws, &docs, &values, &fps],
    )? as usize;
    for c in log_dump::control(replica.reader())? {
        let e = &c.entry;
        tx.execute(
            "INSERT INTO control_log(workspace, seq, kind, subject, device, at_ms, origin) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[&ws, &(c.seq as i64), &(e.kind as i16), &&e.subject[..], &e.issuer, &e.at_ms, &origin(c.origin)],
        )?;
        report.control_entries += 1;
    }
    for (record, at) in log_dump::erasures(replica.reader())? {
        tx.execute(
            "INSERT INTO erasures(workspace, id, erased_ms) VALUES ($1, $2, $3)",
            &[&ws, &&record.as_bytes()[..], &at],
        )?;
        report.erasures += 1;
    }
    Ok(report)
}
