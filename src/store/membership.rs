//! What a device knows about the workspace it joined: the hub, its
//! credential, and the workspace secret that members prove to each other
//! at LAN sessions.

use serde::Serialize;

use super::{get_meta, put_meta, schema, Durability, Result, Store, StoreError, DB_FILE};
use crate::model::{RecordId, ReplicaId, WorkspaceId};

#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct Membership {
    pub hub_url: Option<String>,
    /// The device credential the hub issued. Never printed or logged.
    #[serde(skip)]
    pub token: Option<String>,
    /// The hub replica's id, so its changes are tagged as coming from it.
    pub hub_replica: Option<ReplicaId>,
    /// Shared by the workspace's members; proves membership to LAN peers.
    #[serde(skip)]
    pub secret: Option<[u8; 32]>,
}

impl std::fmt::Debug for Membership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Membership")
            .field("hub_url", &self.hub_url)
            .field("token", &self.token.as_ref().map(|_| "…"))
            .field("hub_replica", &self.hub_replica)
            .finish()
    }
}

impl Store {
    pub fn membership(&self) -> Result<Membership> {
        let text = |k: &str| -> Result<Option<String>> {
            Ok(get_meta(&self.conn, k)?.map(|v| String::from_utf8_lossy(&v).into_owned()))
        };
        Ok(Membership {
            hub_url: text("hub_url")?,
            token: text("hub_token")?,
            hub_replica: get_meta(&self.conn, "hub_replica")?.and_then(|v| ReplicaId::from_slice(&v)),
            secret: get_meta(&self.conn, "workspace_secret")?.and_then(|v| v.try_into().ok()),
        })
    }

    pub fn set_membership(&mut self, m: &Membership) -> Result<()> {
        let tx = self.conn.transaction()?;
        let put = |k: &str, v: Option<&[u8]>| -> Result<()> {
            match v {
                Some(v) => put_meta(&tx, k, v),
                None => {
                    tx.execute("DELETE FROM meta WHERE key = ?1", [k])?;
                    Ok(())
                }
            }
        };
        put("hub_url", m.hub_url.as_deref().map(str::as_bytes))?;
        put("hub_token", m.token.as_deref().map(str::as_bytes))?;
        put("hub_replica", m.hub_replica.as_ref().map(|v| &v.as_bytes()[..]))?;
        put("workspace_secret", m.secret.as_ref().map(|v| &v[..]))?;
        tx.commit()?;
        Ok(())
    }

    /// Takes the workspace secret the hub hands out (rotated when a device is revoked).
    pub fn set_workspace_secret(&mut self, secret: [u8; 32]) -> Result<()> {
        if get_meta(&self.conn, "workspace_secret")?.as_deref() != Some(&secret[..]) {
            put_meta(&self.conn, "workspace_secret", &secret)?;
        }
        Ok(())
    }

    /// The replica last seen answering at an address (a LAN peer).
    pub fn peer_at(&self, url: &str) -> Result<Option<ReplicaId>> {
        Ok(get_meta(&self.conn, &format!("peer_at:{url}"))?.and_then(|v| ReplicaId::from_slice(&v)))
    }

    pub fn set_peer_at(&self, url: &str, id: ReplicaId) -> Result<()> {
        put_meta(&self.conn, &format!("peer_at:{url}"), id.as_bytes())
    }

    /// The address a LAN peer was last reached at, if any.
    pub fn url_of_peer(&self, id: ReplicaId) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT key FROM meta WHERE key LIKE 'peer_at:%' AND value = ?1 ORDER BY key LIMIT 1",
                [id],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|k| k["peer_at:".len()..].to_string()))
    }

    /// A replica with no user (a hub's copy of a workspace).
    pub fn init_replica(dir: &std::path::Path, workspace: WorkspaceId, name: &str) -> Result<Store> {
        Self::init_replica_keyed(dir, workspace, name, None)
    }

    /// A hub's replica, encrypted at rest with `key` when given.
    pub fn init_replica_keyed(
        dir: &std::path::Path,
        workspace: WorkspaceId,
        name: &str,
        key: Option<&super::DbKey>,
    ) -> Result<Store> {
        std::fs::create_dir_all(dir)?;
        if dir.join(DB_FILE).exists() {
            return Err(StoreError::AlreadyInitialized(dir.to_path_buf()));
        }
        {
            let mut conn = rusqlite::Connection::open(dir.join(DB_FILE))?;
            super::at_rest::unlock(&conn, key, &dir.join(DB_FILE))?;
            conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            super::migrate(&mut conn, dir)?;
            put_meta(&conn, "device_id", uuid::Uuid::new_v4().as_bytes())?;
            put_meta(&conn, "workspace_id", workspace.as_bytes())?;
            put_meta(&conn, "workspace_name", name.as_bytes())?;
        }
        Store::open_keyed(dir, Durability::Full, key)
    }

    /// Looks a staff member's name up in the index (for status and history).
    pub fn staff_name(&self, id: RecordId) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT s.name FROM staff s JOIN docs d ON d.rowid = s.rowid WHERE d.id = ?1",
                [id.as_bytes()],
                |r| r.get(0),
            )
            .optional()?)
    }
}
