//! The hub's storage on PostgreSQL, for hubs of many processes: any number
//! of `samskap hub serve --database postgres://…` share one database behind
//! a load balancer, and a device may reach a different process with every
//! request. Everything the SQLite hub keeps is here: workspaces, invites
//! and device tokens (as SHA-256 hashes only), revocation with secret
//! rotation, peer state for replay refusal, and one append-only log per
//! workspace with its record keys and control entries (`log.rs`). No query
//! index and no record documents: the hub never reads a record.
//!
//! Group commit is per process ([`GroupQueue`]): requests for one
//! workspace that arrive together share one transaction. Processes
//! serialize their appends to a workspace on its counter row.

#[cfg(target_os = "linux")]
pub mod cluster;
mod db;
mod group_ingest;
mod ids;
mod log;
mod log_read;
pub mod migrate;
mod schema;
pub mod shred;
pub mod tail;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use r2d2_postgres::postgres::{self, Client, NoTls};
use r2d2_postgres::PostgresConnectionManager;

use super::auth;
use super::group::GroupQueue;
use super::hub::{authorized_request, Credentials, DeviceAuth, HubAdmin, HubDevice, HubStorage, Joined, INVITE_DAYS};
use super::NetError;
use crate::model::{DeviceId, LogEpoch, ReplicaId, WorkspaceId};
use crate::store::{ControlEntry, Issued, StoreError};
use crate::sync::{self, SyncError};
pub use db::Statements;
use db::{Manager, PgConn};
pub use log::PgLog;
pub use schema::VERSION as SCHEMA_VERSION;

type Pool = r2d2::Pool<Manager>;

/// The environment variable naming the hub's database (as `--database`).
pub const DATABASE_ENV: &str = "SAMSKAP_HUB_DATABASE";

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        // The server's own message where there is one (it names the problem).
        let text = match e.as_db_error() {
            Some(db) => format!("{}: {}", db.severity(), db.message()),
            None => e.to_string(),
        };
        StoreError::HubDatabase(text)
    }
}

impl From<postgres::Error> for SyncError {
    fn from(e: postgres::Error) -> Self {
        SyncError::Store(e.into())
    }
}

impl From<postgres::Error> for NetError {
    fn from(e: postgres::Error) -> Self {
        NetError::Store(e.into())
    }
}

fn pool_error(e: r2d2::Error) -> NetError {
    NetError::Store(StoreError::HubDatabase(format!("no database connection free or reachable: {e}")))
}

/// How a hub process reaches its database.
#[derive(Clone, Debug)]
pub struct PgOptions {
    /// Connections this process holds at most.
    pub pool_size: u32,
    /// How long a request waits for a free connection before it fails
    /// with a clear error.
    pub wait: Duration,
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions { pool_size: 16, wait: Duration::from_secs(10) }
    }
}

/// A workspace as this process knows it (ids never change once made).
struct Workspace {
    replica: ReplicaId,
    epoch: LogEpoch,
    /// Requests waiting for their push to be written; each then reads its
    /// own answer on a connection of its own, in parallel with the others.
    queue: GroupQueue<sync::Admitted>,
    /// The newest part of the log, which most answers are read from.
    tail: tail::Tail,
}

pub struct PgHub {
    pool: Pool,
    workspaces: Mutex<HashMap<WorkspaceId, Arc<Workspace>>>,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn id16<T: From<[u8; 16]>>(v: Vec<u8>) -> Result<T, NetError> {
    <[u8; 16]>::try_from(v)
        .map(T::from)
        .map_err(|_| NetError::BadRequest("a 16-byte id in the hub database is damaged".into()))
}

impl PgHub {
    /// Connects to `url` (`postgres://user@host:port/db`, or key=value
    /// pairs) and brings its tables up to date.
    pub fn open(url: &str) -> Result<PgHub, NetError> {
        Self::open_with(url, PgOptions::default())
    }

    pub fn open_with(url: &str, opts: PgOptions) -> Result<PgHub, NetError> {
        let config: postgres::Config = url
            .parse()
            .map_err(|e| NetError::BadRequest(format!("{} is not a PostgreSQL address: {e}", redact(url))))?;
        let manager = Manager(PostgresConnectionManager::new(config, NoTls));
        let pool = r2d2::Pool::builder()
            .max_size(opts.pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(opts.wait)
            // A connection broken by a database restart is noticed and replaced.
            .test_on_check_out(true)
            .build(manager)
            .map_err(pool_error)?;
        schema::migrate(&mut *pool.get().map_err(pool_error)?)?;
        Ok(PgHub { pool, workspaces: Mutex::new(HashMap::new()) })
    }

    fn conn(&self) -> Result<r2d2::PooledConnection<Manager>, NetError> {
        self.pool.get().map_err(pool_error)
    }

    fn workspace(&self, ws: WorkspaceId) -> Result<Arc<Workspace>, NetError> {
        if let Some(w) = lock(&self.workspaces).get(&ws) {
            return Ok(w.clone());
        }
        let row = self
            .conn()?
            .query_opt("SELECT replica, epoch FROM workspaces WHERE id = $1", &[&ws])?
            .ok_or_else(|| NetError::BadRequest("no such workspace on this hub".into()))?;
        let w = Arc::new(Workspace {
            replica: id16(row.get(0))?,
            epoch: id16(row.get(1))?,
            queue: GroupQueue::default(),
            tail: Default::default(),
        });
        Ok(lock(&self.workspaces).entry(ws).or_insert(w).clone())
    }

    fn workspace_by_name(&self, name: &str) -> Result<WorkspaceId, NetError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(NetError::BadRequest("a workspace needs a name".into()));
        }
        let mut conn = self.conn()?;
        conn.execute(
            "INSERT INTO workspaces(id, name, secret, created_ms, replica, epoch) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (name) DO NOTHING",
            &[
                &&uuid::Uuid::new_v4().as_bytes()[..],
                &name,
                &&auth::new_workspace_secret()[..],
                &now_ms(),
                &&uuid::Uuid::new_v4().as_bytes()[..],
                &&uuid::Uuid::new_v4().as_bytes()[..],
            ],
        )?;
        id16(conn.query_one("SELECT id FROM workspaces WHERE name = $1", &[&name])?.get(0))
    }

    /// Marks a device revoked, rotates its workspace's secret and drops the
    /// workspace's unused invites (as the SQLite hub does).
    fn revoke_in(conn: &mut Client, ws: WorkspaceId, device: DeviceId) -> Result<(), NetError> {
        let mut tx = conn.transaction()?;
        let n = tx.execute(
            "UPDATE devices SET revoked_ms = $2 WHERE device = $1 AND workspace = $3 AND revoked_ms IS NULL",
            &[&device, &now_ms(), &ws],
        )?;
        if n > 0 {
            tx.execute("UPDATE workspaces SET secret = $2 WHERE id = $1", &[&ws, &&auth::new_workspace_secret()[..]])?;
            tx.execute("DELETE FROM invites WHERE workspace = $1", &[&ws])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Acts on revocations members pushed, and writes revocations made on
    /// the hub (by any process) into the workspace's log.
    fn act_on_revocations(
        conn: &mut PgConn,
        ws: WorkspaceId,
        replica: ReplicaId,
        reqs: &[sync::SyncRequest],
    ) -> Result<(), NetError> {
        for req in reqs {
            for device in req.push.control.iter().filter_map(|e| e.revoked_device()) {
                Self::revoke_in(conn, ws, device)?;
            }
        }
        let pending = conn.db().query(
            "SELECT device FROM devices WHERE workspace = $1 AND revoked_ms IS NOT NULL AND NOT revocation_logged",
            &[&ws],
        )?;
        if pending.is_empty() {
            return Ok(());
        }
        let mut tx = conn.client.transaction()?;
        tx.execute("SELECT head FROM workspaces WHERE id = $1 FOR UPDATE", &[&ws])?;
        for row in pending {
            let device: DeviceId = id16(row.get(0))?;
            let entry = ControlEntry::revoked(device, Issued { by: replica, at_ms: now_ms() });
            log::log_control(&mut db::Db { c: &mut tx, s: &mut conn.stmts }, &ws, &entry, 0)?;
            tx.execute("UPDATE devices SET revocation_logged = true WHERE device = $1", &[&device])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Writes a group of one workspace's pushes in one transaction and
    /// records each request; the answers are read afterwards ([`Self::sync`]).
    fn admit(
        &self,
        ws_id: WorkspaceId,
        ws: &Workspace,
        reqs: &[sync::SyncRequest],
        deliver: super::group::Deliver<'_, sync::Admitted>,
    ) -> Result<(), NetError> {
        let mut conn = self.conn()?;
        Self::act_on_revocations(&mut conn, ws_id, ws.replica, reqs)?;
        let PgConn { client, stmts, .. } = &mut *conn;
        let mut log = PgLog::new(client, stmts, ws_id, ws.replica, ws.epoch);
        for (i, admitted) in sync::admit_all(&mut log, reqs, chrono::Utc::now())?.into_iter().enumerate() {
            deliver(i, admitted);
        }
        if log.erased > 0 {
            // After the commit: the erasure is durable; now its key goes
            // from the files too.
            shred::destroy_erased(client)?;
        }
        Ok(())
    }

    /// An admitted request's answer, with the workspace's current secret.
    fn answer(
        &self,
        ws_id: WorkspaceId,
        ws: &Workspace,
        admitted: &sync::Admitted,
    ) -> Result<sync::SyncResponse, NetError> {
        let mut conn = self.conn()?;
        let PgConn { client, stmts, .. } = &mut *conn;
        let mut log = PgLog::new(client, stmts, ws_id, ws.replica, ws.epoch).with_tail(&ws.tail);
        let secret = log.secret_and_head()?;
        let mut resp = sync::answer_admitted(&mut log, admitted, sync::BATCH_BUDGET)?;
        resp.secret = Some(secret);
        Ok(resp)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A database address without its password, for messages.
pub fn redact(url: &str) -> String {
    match url.parse::<postgres::Config>() {
        Ok(c) => {
            let hosts: Vec<String> = c
                .get_hosts()
                .iter()
                .map(|h| match h {
                    postgres::config::Host::Tcp(h) => h.clone(),
                    postgres::config::Host::Unix(p) => p.display().to_string(),
                })
                .collect();
            format!("postgres://{}@{}/{}", c.get_user().unwrap_or(""), hosts.join(","), c.get_dbname().unwrap_or(""))
        }
        Err(_) => "the database address".into(),
    }
}

impl HubAdmin for PgHub {
    fn invite(&self, workspace_name: &str) -> Result<String, NetError> {
        let ws = self.workspace_by_name(workspace_name)?;
        let code = auth::new_invite();
        self.conn()?.execute(
            "INSERT INTO invites(hash, workspace, expires_ms) VALUES ($1, $2, $3)",
            &[&&auth::hash(&auth::normalize_invite(&code))[..], &ws, &(now_ms() + INVITE_DAYS * 86_400_000)],
        )?;
        Ok(code)
    }

    fn workspace_id(&self, name: &str) -> Result<WorkspaceId, NetError> {
        let row = self.conn()?.query_opt("SELECT id FROM workspaces WHERE name = $1", &[&name.trim()])?;
        id16(row.ok_or_else(|| NetError::BadRequest(format!("no workspace named {name}")))?.get(0))
    }

    fn revoke(&self, device: uuid::Uuid) -> Result<(), NetError> {
        let mut conn = self.conn()?;
        let row = conn.query_opt(
            "SELECT workspace FROM devices WHERE device = $1 AND revoked_ms IS NULL",
            &[&&device.as_bytes()[..]],
        )?;
        let ws =
            id16(row.ok_or_else(|| NetError::BadRequest(format!("no active device {device} on this hub")))?.get(0))?;
        // Whichever process serves the workspace next writes it into the log.
        Self::revoke_in(&mut conn, ws, device.into())
    }

    fn devices(&self) -> Result<Vec<HubDevice>, NetError> {
        let rows = self.conn()?.query(
            "SELECT d.device, w.name, d.name, d.revoked_ms IS NOT NULL FROM devices d JOIN workspaces w ON w.id = d.workspace
             ORDER BY w.name, d.name",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| HubDevice {
                device: uuid::Uuid::from_slice(r.get(0)).unwrap_or_default(),
                workspace: r.get(1),
                name: r.get(2),
                revoked: r.get(3),
            })
            .collect())
    }
}

impl HubStorage for PgHub {
    fn join(&self, invite: &str, device: DeviceId, name: &str) -> Result<Joined, NetError> {
        let invite_hash = auth::hash(&auth::normalize_invite(invite));
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        let Some(row) =
            tx.query_opt("SELECT workspace, expires_ms FROM invites WHERE hash = $1", &[&&invite_hash[..]])?
        else {
            return Err(NetError::Unauthorized("that invite code is not valid here"));
        };
        let (ws, expires): (Vec<u8>, i64) = (row.get(0), row.get(1));
        if expires < now_ms() {
            return Err(NetError::Unauthorized("that invite code has expired; ask for a new one"));
        }
        let revoked = tx.query_opt("SELECT revoked_ms FROM devices WHERE device = $1", &[&device])?;
        if revoked.is_some_and(|r| r.get::<_, Option<i64>>(0).is_some()) {
            return Err(NetError::Revoked);
        }
        let row = tx.query_one("SELECT name, secret, replica FROM workspaces WHERE id = $1", &[&ws])?;
        let (ws_name, secret, server): (String, Vec<u8>, Vec<u8>) = (row.get(0), row.get(1), row.get(2));
        let token = auth::new_token();
        tx.execute(
            "INSERT INTO devices(device, workspace, token_hash, name, created_ms) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (device) DO UPDATE SET workspace = excluded.workspace, token_hash = excluded.token_hash, name = excluded.name",
            &[&device, &ws, &&auth::hash(&token)[..], &name, &now_ms()],
        )?;
        tx.commit()?;
        Ok(Joined {
            workspace: id16::<WorkspaceId>(ws)?.to_uuid(),
            workspace_name: ws_name,
            token,
            server: id16::<ReplicaId>(server)?.to_uuid(),
            secret: data_encoding::BASE32_NOPAD.encode(&secret),
        })
    }

    fn authenticate(&self, creds: &Credentials) -> Result<DeviceAuth, NetError> {
        let Some(token) = creds.bearer.as_deref() else {
            return Err(NetError::Unauthorized("this hub needs a device credential; join the workspace first"));
        };
        let mut conn = self.conn()?;
        // One round trip: the device by its token's hash, and its "last
        // seen" at most once a minute (a write per request would cost a
        // commit each).
        let row = conn.db().query_opt(
            "WITH d AS (SELECT device, workspace, revoked_ms, last_seen_ms FROM devices WHERE token_hash = $1),
                  seen AS (UPDATE devices SET last_seen_ms = $2 FROM d
                           WHERE devices.device = d.device AND d.revoked_ms IS NULL
                             AND (d.last_seen_ms IS NULL OR d.last_seen_ms < $2::bigint - 60000))
             SELECT device, workspace, revoked_ms FROM d",
            &[&&auth::hash(token)[..], &now_ms()],
        )?;
        let Some(row) = row else {
            return Err(NetError::Unauthorized("unknown device credential; join the workspace again"));
        };
        if row.get::<_, Option<i64>>(2).is_some() {
            return Err(NetError::Revoked);
        }
        let (device, ws) = (id16(row.get(0))?, id16(row.get(1))?);
        Ok(DeviceAuth { workspace: ws, device })
    }

    fn sync(&self, who: DeviceAuth, request: &[u8]) -> Result<Vec<u8>, NetError> {
        let req = authorized_request(request, who)?;
        let ws = self.workspace(who.workspace)?;
        let admitted = ws.queue.submit(
            req,
            |reqs, deliver| self.admit(who.workspace, &ws, reqs, deliver),
            |req| {
                let mut admitted = None;
                self.admit(who.workspace, &ws, std::slice::from_ref(&req), &mut |_, a| admitted = Some(a))?;
                Ok(admitted.expect("one admission per request")?)
            },
        )?;
        let resp = self.answer(who.workspace, &ws, &admitted)?;
        Ok(sync::encode(&sync::Message::Response(resp)))
    }
}
