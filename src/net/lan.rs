//! A LAN session: one device serves its own store to colleagues at a
//! pop-up (phone hotspot, no internet). Members of the workspace prove
//! membership with the workspace secret; devices not yet in it join with
//! the session's invite code.

use std::sync::{Arc, Mutex};

use super::auth;
use super::hub::{authorized_request, Credentials, DeviceAuth, HubStorage, Joined};
use super::NetError;
use crate::model::{DeviceId, WorkspaceId};
use crate::store::Store;
use crate::sync;

pub struct LanHost {
    store: Arc<Mutex<Store>>,
    workspace: WorkspaceId,
    workspace_name: String,
    secret: [u8; 32],
    invite_hash: [u8; 32],
}

impl LanHost {
    /// Prepares a store to host a session; returns the host and the invite
    /// code for devices not yet in the workspace.
    pub fn new(store: Store) -> Result<(LanHost, String), NetError> {
        LanHost::shared(Arc::new(Mutex::new(store)))
    }

    /// Hosts a store that the app keeps using meanwhile (each request locks it briefly).
    pub fn shared(shared: Arc<Mutex<Store>>) -> Result<(LanHost, String), NetError> {
        let mut store = shared.lock().unwrap_or_else(|e| e.into_inner());
        let mut m = store.membership()?;
        let secret = match m.secret {
            Some(s) => s,
            None => {
                // A workspace that never met a hub gets its secret here.
                let s = auth::new_workspace_secret();
                m.secret = Some(s);
                store.set_membership(&m)?;
                s
            }
        };
        let invite = auth::new_invite();
        let host = LanHost {
            workspace: store.workspace_id()?,
            workspace_name: store.workspace_name()?,
            secret,
            invite_hash: auth::hash(&auth::normalize_invite(&invite)),
            store: shared.clone(),
        };
        Ok((host, invite))
    }

    pub fn store(&self) -> Arc<Mutex<Store>> {
        self.store.clone()
    }
}

impl HubStorage for LanHost {
    fn join(&self, invite: &str, device: DeviceId, _name: &str) -> Result<Joined, NetError> {
        if auth::hash(&auth::normalize_invite(invite)) != self.invite_hash {
            return Err(NetError::Unauthorized("that invite code is not this session's"));
        }
        let (server, secret) = {
            let store = self.store.lock().unwrap_or_else(|e| e.into_inner());
            if store.is_revoked(&device)? {
                return Err(NetError::Revoked);
            }
            (store.replica_id(), store.membership()?.secret.unwrap_or(self.secret))
        };
        Ok(Joined {
            workspace: self.workspace.to_uuid(),
            workspace_name: self.workspace_name.clone(),
            // No hub credential from a LAN session: members prove membership.
            token: String::new(),
            server: server.to_uuid(),
            secret: data_encoding::BASE32_NOPAD.encode(&secret),
        })
    }

    fn authenticate(&self, creds: &Credentials) -> Result<DeviceAuth, NetError> {
        let Some((device, proof)) = &creds.member else {
            return Err(NetError::Unauthorized("join the session first with its invite code"));
        };
        // The secret may have been rotated (a device was revoked) since the session began.
        let (secret, revoked) = {
            let store = self.store.lock().unwrap_or_else(|e| e.into_inner());
            (store.membership()?.secret.unwrap_or(self.secret), store.is_revoked(device)?)
        };
        if revoked {
            return Err(NetError::Revoked);
        }
        if auth::check_member_proof(&secret, *device, proof) {
            Ok(DeviceAuth { workspace: self.workspace, device: *device })
        } else {
            Err(NetError::Unauthorized(
                "this device is not a member of the session's workspace, or holds an old workspace key (sync with the hub to get the new one)",
            ))
        }
    }

    fn sync(&self, who: DeviceAuth, request: &[u8]) -> Result<Vec<u8>, NetError> {
        let req = authorized_request(request, who)?;
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        let resp = sync::answer(&mut *store, req, sync::BATCH_BUDGET, chrono::Utc::now())?;
        // The hosting tablet takes in its colleagues' edits too: the same after-sync work as theirs.
        if let Err(e) = sync::after_sync(&mut store, chrono::Utc::now()) {
            tracing::warn!("retention after a LAN sync: {e}");
        }
        Ok(sync::encode(&sync::Message::Response(resp)))
    }
}
