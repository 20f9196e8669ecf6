//! The hub's storage, behind a small trait: workspaces (each a replica
//! store), invites, and devices with hashed credentials. SQLite is the
//! embedded default; another backend implements the same trait.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::auth;
use super::group::GroupQueue;
use super::NetError;
use crate::model::{DeviceId, WorkspaceId};
use crate::store::{DbKey, Store, StoreError};
use crate::sync::{self, SyncError};

/// What a device gets when it joins.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Joined {
    pub workspace: uuid::Uuid,
    pub workspace_name: String,
    pub token: String,
    pub server: uuid::Uuid,
    pub secret: String,
}

/// What a request presents: a hub credential and/or a workspace member proof.
#[derive(Clone, Default)]
pub struct Credentials {
    pub bearer: Option<String>,
    /// (device id, proof) for LAN peers.
    pub member: Option<(DeviceId, String)>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Credentials never reach logs.
        f.write_str("Credentials(…)")
    }
}

/// A device that presented a valid credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceAuth {
    pub workspace: WorkspaceId,
    pub device: DeviceId,
}

/// A hub's durable state, as the HTTP layer needs it.
pub trait HubStorage: Send + Sync + 'static {
    /// Redeems an invite for a device; returns its credential.
    fn join(&self, invite: &str, device: DeviceId, name: &str) -> Result<Joined, NetError>;
    /// Checks a device's credentials.
    fn authenticate(&self, creds: &Credentials) -> Result<DeviceAuth, NetError>;
    /// Runs one sync round for an authenticated device.
    fn sync(&self, who: DeviceAuth, request: &[u8]) -> Result<Vec<u8>, NetError>;
}

/// A device as the hub lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HubDevice {
    pub device: uuid::Uuid,
    /// The workspace's name.
    pub workspace: String,
    pub name: String,
    pub revoked: bool,
}

/// What the hub's administrator does from the command line, on any backend.
pub trait HubAdmin {
    /// Creates an invite for a workspace, creating the workspace if new.
    /// Returns the invite code (shown once; only its hash is kept).
    fn invite(&self, workspace_name: &str) -> Result<String, NetError>;
    /// The id of an existing workspace.
    fn workspace_id(&self, name: &str) -> Result<WorkspaceId, NetError>;
    /// Refuses a device from now on; the revocation enters the workspace's
    /// log at its next sync.
    fn revoke(&self, device: uuid::Uuid) -> Result<(), NetError>;
    /// Devices of every workspace.
    fn devices(&self) -> Result<Vec<HubDevice>, NetError>;
}

impl HubAdmin for SqliteHub {
    fn invite(&self, workspace_name: &str) -> Result<String, NetError> {
        SqliteHub::invite(self, workspace_name)
    }
    fn workspace_id(&self, name: &str) -> Result<WorkspaceId, NetError> {
        SqliteHub::workspace_id(self, name)
    }
    fn revoke(&self, device: uuid::Uuid) -> Result<(), NetError> {
        SqliteHub::revoke(self, device)
    }
    fn devices(&self) -> Result<Vec<HubDevice>, NetError> {
        SqliteHub::devices(self)
    }
}

/// The default hub storage: `hub.db` plus one replica store per workspace.
pub struct SqliteHub {
    dir: PathBuf,
    db: Mutex<Connection>,
    replicas: Mutex<HashMap<WorkspaceId, Arc<Workspace>>>,
    /// Encrypts hub.db and every replica at rest.
    key: Option<DbKey>,
}

const HUB_SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS workspaces (id BLOB PRIMARY KEY, name TEXT NOT NULL UNIQUE, secret BLOB NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS invites (hash BLOB PRIMARY KEY, workspace BLOB NOT NULL, expires_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS devices (
    device BLOB PRIMARY KEY, workspace BLOB NOT NULL, token_hash BLOB NOT NULL UNIQUE, name TEXT NOT NULL,
    created_ms INTEGER NOT NULL, revoked_ms INTEGER, last_seen_ms INTEGER,
    revocation_logged INTEGER NOT NULL DEFAULT 0
);
"#;

/// A workspace's replica and the sync requests waiting for it (see
/// [`GroupQueue`]).
struct Workspace {
    store: Arc<Mutex<Store>>,
    queue: GroupQueue,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// How long an invite code can be redeemed.
pub const INVITE_DAYS: i64 = 14;

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl SqliteHub {
    /// Opens (or creates) a hub's data. With `SAMSKAP_DB_KEY` set, `hub.db`
    /// and every workspace replica are encrypted at rest with that key.
    pub fn open(dir: &Path) -> Result<SqliteHub, NetError> {
        Self::open_keyed(dir, crate::keystore::from_env().map_err(crate::store::StoreError::from)?)
    }

    pub fn open_keyed(dir: &Path, key: Option<DbKey>) -> Result<SqliteHub, NetError> {
        std::fs::create_dir_all(dir.join("workspaces"))?;
        let db = dir.join(HUB_DB);
        if key.is_none() && crate::store::is_encrypted(&db)? {
            return Err(StoreError::KeyNeeded(dir.to_path_buf()).into());
        }
        let conn = Connection::open(&db)?;
        crate::store::unlock(&conn, key.as_ref(), &db)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(HUB_SCHEMA)?;
        Ok(SqliteHub { dir: dir.to_path_buf(), db: Mutex::new(conn), replicas: Mutex::new(HashMap::new()), key })
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates an invite for a workspace, creating the workspace if new.
    /// Returns the invite code (shown once; only its hash is kept).
    pub fn invite(&self, workspace_name: &str) -> Result<String, NetError> {
        let ws = self.workspace_by_name(workspace_name)?;
        let code = auth::new_invite();
        self.db().execute(
            "INSERT INTO invites(hash, workspace, expires_ms) VALUES (?1, ?2, ?3)",
            params![&auth::hash(&auth::normalize_invite(&code))[..], ws, now_ms() + INVITE_DAYS * 86_400_000],
        )?;
        Ok(code)
    }

    fn workspace_by_name(&self, name: &str) -> Result<WorkspaceId, NetError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(NetError::BadRequest("a workspace needs a name".into()));
        }
        let found: Option<Vec<u8>> =
            self.db().query_row("SELECT id FROM workspaces WHERE name = ?1", [name], |r| r.get(0)).optional()?;
        if let Some(id) = found.and_then(|v| WorkspaceId::from_slice(&v)) {
            return Ok(id);
        }
        let id = WorkspaceId::from(uuid::Uuid::new_v4());
        Store::init_replica_keyed(&self.replica_dir(&id), id, name, self.key.as_ref())?;
        self.db().execute(
            "INSERT INTO workspaces(id, name, secret, created_ms) VALUES (?1, ?2, ?3, ?4)",
            params![id, name, &auth::new_workspace_secret()[..], now_ms()],
        )?;
        Ok(id)
    }

    /// The id of an existing workspace.
    pub fn workspace_id(&self, name: &str) -> Result<WorkspaceId, NetError> {
        let found: Option<Vec<u8>> =
            self.db().query_row("SELECT id FROM workspaces WHERE name = ?1", [name.trim()], |r| r.get(0)).optional()?;
        found
            .and_then(|v| WorkspaceId::from_slice(&v))
            .ok_or_else(|| NetError::BadRequest(format!("no workspace named {name}")))
    }

    fn replica_dir(&self, ws: &WorkspaceId) -> PathBuf {
        replica_dir(&self.dir, ws)
    }

    /// The workspace's replica, opened once and shared by requests.
    pub fn replica(&self, ws: WorkspaceId) -> Result<Arc<Mutex<Store>>, NetError> {
        Ok(self.workspace(ws)?.store.clone())
    }

    fn workspace(&self, ws: WorkspaceId) -> Result<Arc<Workspace>, NetError> {
        let mut open = lock(&self.replicas);
        if let Some(w) = open.get(&ws) {
            return Ok(w.clone());
        }
        let store = Store::open_keyed(&self.replica_dir(&ws), crate::store::Durability::Full, self.key.as_ref())?;
        let w = Arc::new(Workspace { store: Arc::new(Mutex::new(store)), queue: GroupQueue::default() });
        open.insert(ws, w.clone());
        Ok(w)
    }

    /// A colleague revoked a lost device from their tablet: the hub acts on
    /// it, and writes revocations made here into the workspace's log.
    fn act_on_revocations(
        &self,
        ws: WorkspaceId,
        reqs: &[sync::SyncRequest],
        store: &mut Store,
    ) -> Result<(), NetError> {
        for req in reqs {
            for device in req.push.control.iter().filter_map(|e| e.revoked_device()) {
                self.revoke_in(ws, device)?;
            }
        }
        self.log_revocations(ws, store)
    }

    /// Refuses a device from now on (a lost tablet), and tells the
    /// workspace: the revocation enters its log, so LAN peers refuse the
    /// device too once they sync.
    pub fn revoke(&self, device: uuid::Uuid) -> Result<(), NetError> {
        let ws: Option<Vec<u8>> = self
            .db()
            .query_row(
                "SELECT workspace FROM devices WHERE device = ?1 AND revoked_ms IS NULL",
                [&device.as_bytes()[..]],
                |r| r.get(0),
            )
            .optional()?;
        let ws = ws
            .and_then(|w| WorkspaceId::from_slice(&w))
            .ok_or_else(|| NetError::BadRequest(format!("no active device {device} on this hub")))?;
        // The running hub (this may be another process) writes the revocation
        // into the workspace's log at its next sync; see `log_revocations`.
        self.revoke_in(ws, device.into())
    }

    /// Writes revocations not yet in the workspace's log into it, so they
    /// reach every member (and LAN sessions refuse the device).
    fn log_revocations(&self, ws: WorkspaceId, store: &mut Store) -> Result<(), NetError> {
        let pending: Vec<Vec<u8>> = self
            .db()
            .prepare_cached(
                "SELECT device FROM devices WHERE workspace = ?1 AND revoked_ms IS NOT NULL AND revocation_logged = 0",
            )?
            .query_map([ws], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for device in pending {
            store.revoke_device(uuid::Uuid::from_slice(&device).unwrap_or_default())?;
            self.db().execute("UPDATE devices SET revocation_logged = 1 WHERE device = ?1", [&device])?;
        }
        Ok(())
    }

    /// Marks a device revoked and rotates its workspace's secret, so the
    /// lost device's copy of it no longer opens LAN sessions, and drops the
    /// workspace's unused invites, so no old invite lets it back in.
    /// Members receive the new secret with their next sync.
    fn revoke_in(&self, ws: WorkspaceId, device: DeviceId) -> Result<(), NetError> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let n = tx.execute(
            "UPDATE devices SET revoked_ms = ?2 WHERE device = ?1 AND workspace = ?3 AND revoked_ms IS NULL",
            params![device, now_ms(), ws],
        )?;
        if n > 0 {
            tx.execute(
                "UPDATE workspaces SET secret = ?2 WHERE id = ?1",
                params![ws, &auth::new_workspace_secret()[..]],
            )?;
            tx.execute("DELETE FROM invites WHERE workspace = ?1", [ws])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn secret(&self, ws: WorkspaceId) -> Result<[u8; 32], NetError> {
        let s: Vec<u8> = self.db().query_row("SELECT secret FROM workspaces WHERE id = ?1", [ws], |r| r.get(0))?;
        s.try_into().map_err(|_| NetError::BadRequest("corrupt workspace secret".into()))
    }

    /// Devices of every workspace.
    pub fn devices(&self) -> Result<Vec<HubDevice>, NetError> {
        let db = self.db();
        let mut stmt = db.prepare(
            "SELECT d.device, w.name, d.name, d.revoked_ms IS NOT NULL FROM devices d JOIN workspaces w ON w.id = d.workspace ORDER BY w.name, d.name",
        )?;
        let rows = stmt.query_map([], |r| {
            let id: Vec<u8> = r.get(0)?;
            Ok(HubDevice {
                device: uuid::Uuid::from_slice(&id).unwrap_or_default(),
                workspace: r.get(1)?,
                name: r.get(2)?,
                revoked: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Where a SQLite hub in `dir` keeps workspace `ws`'s replica.
pub(crate) fn replica_dir(dir: &Path, ws: &WorkspaceId) -> PathBuf {
    dir.join("workspaces").join(ws.to_string())
}

/// The file a SQLite hub keeps its workspaces, invites and devices in.
pub(crate) const HUB_DB: &str = "hub.db";

/// Decodes a request and checks it speaks for the device that holds the
/// credential: the credential decides who and which workspace, not the message.
pub fn authorized_request(request: &[u8], who: DeviceAuth) -> Result<sync::SyncRequest, NetError> {
    match sync::decode(request)? {
        sync::Message::Request(r) if r.device == who.device && r.workspace == who.workspace => Ok(r),
        sync::Message::Request(_) => Err(NetError::Sync(SyncError::Malformed(
            "the message speaks for another device or workspace than its credential".into(),
        ))),
        other => Err(NetError::Sync(SyncError::WrongMessage { expected: "sync request", got: other.name() })),
    }
}

impl HubStorage for SqliteHub {
    fn join(&self, invite: &str, device: DeviceId, name: &str) -> Result<Joined, NetError> {
        let invite_hash = auth::hash(&auth::normalize_invite(invite));
        let db = self.db();
        let ws: Option<(Vec<u8>, i64)> = db
            .query_row("SELECT workspace, expires_ms FROM invites WHERE hash = ?1", [&invite_hash[..]], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((ws, expires)) = ws else { return Err(NetError::Unauthorized("that invite code is not valid here")) };
        if expires < now_ms() {
            return Err(NetError::Unauthorized("that invite code has expired; ask for a new one"));
        }
        let revoked: Option<Option<i64>> =
            db.query_row("SELECT revoked_ms FROM devices WHERE device = ?1", [device], |r| r.get(0)).optional()?;
        if let Some(Some(_)) = revoked {
            return Err(NetError::Revoked);
        }
        let (ws_name, secret): (String, Vec<u8>) =
            db.query_row("SELECT name, secret FROM workspaces WHERE id = ?1", [&ws], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let token = auth::new_token();
        db.execute(
            "INSERT INTO devices(device, workspace, token_hash, name, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(device) DO UPDATE SET workspace = excluded.workspace, token_hash = excluded.token_hash, name = excluded.name",
            params![device, &ws, &auth::hash(&token)[..], name, now_ms()],
        )?;
        drop(db);
        let ws = WorkspaceId::from_slice(&ws).ok_or_else(|| NetError::BadRequest("corrupt workspace id".into()))?;
        let server = self.replica(ws)?.lock().unwrap_or_else(|e| e.into_inner()).replica_id();
        Ok(Joined {
            workspace: ws.to_uuid(),
            workspace_name: ws_name,
            token,
            server: server.to_uuid(),
            secret: data_encoding::BASE32_NOPAD.encode(&secret),
        })
    }

    fn authenticate(&self, creds: &Credentials) -> Result<DeviceAuth, NetError> {
        let Some(token) = creds.bearer.as_deref() else {
            return Err(NetError::Unauthorized("this hub needs a device credential; join the workspace first"));
        };
        let db = self.db();
        let row: Option<(Vec<u8>, Vec<u8>, Option<i64>)> = db
            .query_row(
                "SELECT device, workspace, revoked_ms FROM devices WHERE token_hash = ?1",
                [&auth::hash(token)[..]],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        match row {
            None => Err(NetError::Unauthorized("unknown device credential; join the workspace again")),
            Some((_, _, Some(_))) => Err(NetError::Revoked),
            Some((device, ws, None)) => {
                // At most once a minute: a write per request would cost a disk flush each.
                db.prepare_cached(
                    "UPDATE devices SET last_seen_ms = ?2 WHERE device = ?1 AND (last_seen_ms IS NULL OR last_seen_ms < ?2 - 60000)",
                )?
                .execute(params![&device, now_ms()])?;
                let bad = || NetError::BadRequest("corrupt device row".into());
                let workspace = WorkspaceId::from_slice(&ws).ok_or_else(bad)?;
                Ok(DeviceAuth { workspace, device: DeviceId::from_slice(&device).ok_or_else(bad)? })
            }
        }
    }

    fn sync(&self, who: DeviceAuth, request: &[u8]) -> Result<Vec<u8>, NetError> {
        // Decoding and encoding (decompressing, compressing) happen outside
        // the workspace's lock: only the store's own work is serialized.
        let req = authorized_request(request, who)?;
        let ws = self.workspace(who.workspace)?;
        let mut resp = ws.queue.submit(
            req,
            |reqs, deliver| {
                let mut store = lock(&ws.store);
                self.act_on_revocations(who.workspace, reqs, &mut store)?;
                Ok(sync::answer_all(&mut *store, reqs, sync::BATCH_BUDGET, chrono::Utc::now(), deliver)?)
            },
            |req| {
                let mut store = lock(&ws.store);
                self.act_on_revocations(who.workspace, std::slice::from_ref(&req), &mut store)?;
                Ok(sync::answer(&mut *store, req, sync::BATCH_BUDGET, chrono::Utc::now())?)
            },
        )?;
        resp.secret = Some(self.secret(who.workspace)?);
        Ok(sync::encode(&sync::Message::Response(resp)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CounterpartKind, Encounter, Perspective, ReplicaId};

    use crate::sync::{ClientSession, Progress};

    /// Syncs a device with the hub through `HubStorage` (no HTTP).
    fn sync_with(hub: &SqliteHub, store: &mut Store, token: &str, server: ReplicaId) {
        let who = hub.authenticate(&Credentials { bearer: Some(token.into()), member: None }).unwrap();
        let mut s = ClientSession::new(store, Some(server)).unwrap();
        while let Progress::Send(req) = s.next(store).unwrap() {
            let resp = hub.sync(who, &req).unwrap();
            s.receive(store, &resp).unwrap();
        }
    }

    /// Many devices at once: requests queue, share transactions, and every
    /// one is answered with nothing lost.
    #[test]
    fn devices_syncing_at_once_share_commits_and_lose_nothing() {
        const DEVICES: usize = 12;
        const ROUNDS: usize = 3;
        let dir = tempfile::tempdir().unwrap();
        let hub = Arc::new(SqliteHub::open_keyed(dir.path(), None).unwrap());
        let invite = hub.invite("Troms").unwrap();
        let start = Arc::new(std::sync::Barrier::new(DEVICES));
        let threads: Vec<_> = (0..DEVICES)
            .map(|i| {
                let (hub, invite, start) = (hub.clone(), invite.clone(), start.clone());
                std::thread::spawn(move || {
                    let (dir, mut store) = crate::testing::temp_store(&format!("Ansatt {i}"), "Tromsø");
                    let joined = hub.join(&invite, store.device(), "nettbrett").unwrap();
                    store.set_workspace(joined.workspace.into(), &joined.workspace_name).unwrap();
                    let server = joined.server.into();
                    start.wait();
                    for r in 0..ROUNDS {
                        let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Association);
                        e.note = format!("enhet {i} runde {r}");
                        store.create(&e).unwrap();
                        sync_with(&hub, &mut store, &joined.token, server);
                    }
                    start.wait(); // everyone has pushed everything
                    sync_with(&hub, &mut store, &joined.token, server);
                    (dir, store.counts().unwrap().encounters)
                })
            })
            .collect();
        for t in threads {
            let (_dir, held) = t.join().unwrap();
            assert_eq!(held, (DEVICES * ROUNDS) as u64, "every device holds every record");
        }
        let ws = hub.workspace_id("Troms").unwrap();
        assert_eq!(hub.replica(ws).unwrap().lock().unwrap().counts().unwrap().encounters, (DEVICES * ROUNDS) as u64);
        assert!(hub.workspace(ws).unwrap().queue.idle(), "the lead is given up when the queue empties");
    }
}
