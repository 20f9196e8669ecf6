//! Sync as an interactive app does it: one store shared between the app
//! and the LAN session it hosts, blocking calls around the async client
//! (the app runs them on a worker thread), progress as it happens, and the
//! status the sync screen shows.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::discovery::{self, Advert};
use super::hub::Joined;
use super::lan::LanHost;
use super::{auth, client, server, NetError};
use crate::store::{Sharing, Store};
use crate::sync::SyncReport;

/// A store the app and a LAN session it hosts work on together.
pub type SharedStore = Arc<Mutex<Store>>;

/// Locks a shared store (a panic elsewhere does not make it unusable).
pub fn lock(store: &SharedStore) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the sync screen always shows.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SyncStatus {
    pub workspace_name: String,
    /// The hub this device joined, if any.
    pub hub_url: Option<String>,
    /// The device holds the workspace secret (joined a hub or a LAN session, or hosted one).
    pub member: bool,
    /// Local changes not yet sent: to the hub when joined, otherwise to any peer met.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pending: u64,
    pub peers: Vec<PeerStatus>,
    /// Records (not changes) no peer has acknowledged, the last sync, and
    /// whether the device is online: what the navigation always shows.
    pub sharing: Sharing,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeerStatus {
    pub id: String,
    pub is_hub: bool,
    /// Where it was last reached (a LAN peer's address, or the hub's).
    pub url: Option<String>,
    pub last_seen: Option<DateTime<Utc>>,
    /// Local changes this peer has not acknowledged.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pending: u64,
}

/// The status of a store's sync: pending changes and each peer's last contact.
pub fn status(store: &Store) -> Result<SyncStatus, NetError> {
    status_hosting(store, false)
}

/// [`status`] of a device that may be hosting a LAN session (which counts as online).
pub fn status_hosting(store: &Store, hosting: bool) -> Result<SyncStatus, NetError> {
    let m = store.membership()?;
    let mut peers = vec![];
    for p in store.peers()? {
        let is_hub = m.hub_replica == Some(p.id);
        let url = if is_hub { m.hub_url.clone() } else { store.url_of_peer(p.id)? };
        peers.push(PeerStatus {
            id: p.id.to_string(),
            is_hub,
            url,
            last_seen: p.last_seen_ms.and_then(DateTime::from_timestamp_millis),
            pending: store.pending_for(&p)?,
        });
    }
    let pending = match (peers.iter().find(|p| p.is_hub), peers.iter().map(|p| p.pending).min()) {
        (Some(hub), _) => hub.pending,
        (None, Some(least)) => least,
        // A device that never synced has all of its changes pending
        // (no peer row has rowid -1, so every chunk counts).
        (None, None) => store.pending_for(&crate::store::PeerState { rowid: -1, ..Default::default() })?,
    };
    let sharing = sharing(store, hosting)?;
    Ok(SyncStatus {
        workspace_name: store.workspace_name()?,
        hub_url: m.hub_url,
        member: m.secret.is_some(),
        pending,
        peers,
        sharing,
    })
}

/// What the navigation shows, cheaply (no per-peer counts): records not
/// yet shared, the last sync, and whether the device is online — the hub or
/// LAN peer answered at the last attempt, or it hosts a LAN session.
pub fn sharing(store: &Store, hosting: bool) -> Result<Sharing, NetError> {
    let mut s = store.sharing()?;
    s.online |= hosting;
    Ok(s)
}

/// What a sync moved, as the app shows it, also reported after each round trip.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SyncProgress {
    pub round_trips: u32,
    pub sent: u32,
    pub received: u32,
    /// Received changes that were new here.
    pub new_changes: u32,
    pub records_changed: u32,
    pub done: bool,
}

impl SyncProgress {
    pub fn of(r: &SyncReport, done: bool) -> SyncProgress {
        SyncProgress {
            round_trips: r.round_trips,
            sent: r.chunks_sent as u32,
            received: r.chunks_received as u32,
            new_changes: r.new_chunks as u32,
            records_changed: r.records_changed as u32,
            done,
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, NetError> {
    // Two workers: a sync fetches the next slice while it files this one.
    Ok(tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?)
}

/// Runs a future to completion on a thread of its own, so that callers on
/// an async runtime's worker (as the app's commands are) may block on it.
fn block_on<T: Send, F: std::future::Future<Output = Result<T, NetError>>>(
    make: impl FnOnce() -> F + Send,
) -> Result<T, NetError> {
    std::thread::scope(|s| {
        s.spawn(|| runtime()?.block_on(make()))
            .join()
            .unwrap_or_else(|_| Err(NetError::BadRequest("the network task failed".into())))
    })
}

/// Joins a hub or a LAN session with its invite code (blocks).
pub fn join(store: &mut Store, url: &str, invite: &str) -> Result<Joined, NetError> {
    let result = block_on(|| client::join(store, url, invite));
    if let Some(reached) = answered(&result) {
        store.note_sync_attempt(Utc::now(), reached)?;
    }
    result
}

/// Syncs with `url` or the joined hub (blocks), reporting after each round trip.
pub fn sync(
    store: &mut Store,
    url: Option<&str>,
    on_round: impl FnMut(&SyncProgress) + Send,
) -> Result<SyncProgress, NetError> {
    let mut on_round = on_round;
    let result = block_on(|| client::sync_observed(store, url, |r| on_round(&SyncProgress::of(r, false))));
    if let Some(reached) = answered(&result) {
        store.note_sync_attempt(Utc::now(), reached)?;
    }
    let report = result?;
    let done = SyncProgress::of(&report, true);
    on_round(&done);
    Ok(done)
}

/// Whether a sync attempt reached the other side: it answered (even with
/// a refusal), or the network failed. `None` when it never got that far
/// (no hub joined, a bad address, a local failure).
fn answered<T>(result: &Result<T, NetError>) -> Option<bool> {
    match result {
        Ok(_) => Some(true),
        Err(NetError::Unreachable { .. } | NetError::Tls(_)) => Some(false),
        Err(
            NetError::Unauthorized(_)
            | NetError::Revoked
            | NetError::Peer { .. }
            | NetError::RateLimited
            | NetError::Sync(_),
        ) => Some(true),
        Err(_) => None,
    }
}

/// What importing a bundle did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BundleImported {
    pub new_changes: u32,
    pub records: u32,
}

/// Imports a bundle file (all or nothing). Arrived records are indexed as
/// they are filed; `progress` reports `(indexed, total)` for any left to
/// index after (records filed unindexed by an older version).
pub fn import_bundle(
    store: &mut Store,
    path: &Path,
    progress: impl FnMut(u64, u64),
) -> Result<BundleImported, NetError> {
    let got = super::bundle_file::load(store, path, progress)?.ingested;
    Ok(BundleImported { new_changes: got.new_chunks as u32, records: got.records as u32 })
}

/// Writes a bundle of every change in the store; returns its size in bytes.
pub fn export_bundle(store: &Store, path: &Path) -> Result<u64, NetError> {
    Ok(super::bundle_file::save(store, path)?.payload_bytes)
}

/// A LAN session this device hosts on its shared store, until stopped.
pub struct LanSession {
    url: String,
    invite: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    _advert: Option<Advert>,
}

impl LanSession {
    /// Serves `store` on `bind` (port 0 picks a free one) on a thread of its
    /// own; the app keeps using the store meanwhile. The session is
    /// announced by mDNS when its address is on a network.
    pub fn start(store: SharedStore, bind: SocketAddr) -> Result<LanSession, NetError> {
        let (host, invite) = LanHost::shared(store.clone())?;
        let (workspace, device) = {
            let s = lock(&store);
            (s.workspace_name()?, s.device_id())
        };
        let rt = runtime()?;
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<SocketAddr, NetError>>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let failed = ready_tx.clone();
        let thread = std::thread::Builder::new().name("samskap-lan".into()).spawn(move || {
            let served = rt.block_on(server::serve(
                Arc::new(host),
                server::Listen::plain(bind),
                |addr| {
                    let _ = ready_tx.send(Ok(addr));
                },
                async {
                    let _ = stop_rx.await;
                },
            ));
            if let Err(e) = served {
                let _ = failed.send(Err(e));
            }
        })?;
        let bound = ready_rx
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| NetError::BadRequest("the LAN session did not start".into()))??;
        let shown = SocketAddr::new(shown_ip(bound.ip()), bound.port());
        let advert = (!shown.ip().is_loopback()).then(|| discovery::advertise(shown.port(), &workspace, device).ok());
        Ok(LanSession {
            url: format!("http://{shown}"),
            invite,
            stop: Some(stop_tx),
            thread: Some(thread),
            _advert: advert.flatten(),
        })
    }

    /// The address colleagues type (or scan) to reach the session.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The code devices not yet in the workspace join with.
    pub fn invite(&self) -> &str {
        &self.invite
    }

    /// What a QR code of the session carries: `samskap:join?url=…&invite=…`.
    pub fn join_link(&self) -> String {
        join_link(&self.url, &self.invite)
    }

    /// Stops serving and waits for the server to finish its requests.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for LanSession {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The join link of a LAN session (what its QR code holds).
pub fn join_link(url: &str, invite: &str) -> String {
    format!("samskap:join?url={url}&invite={invite}")
}

/// The address to show for a server bound to `ip`: for the unspecified
/// address, this machine's address on the local network if it has one
/// that plain http may use, else loopback.
fn shown_ip(ip: IpAddr) -> IpAddr {
    if !ip.is_unspecified() {
        return ip;
    }
    // Connecting a UDP socket only picks a route; nothing is sent.
    let lan = std::net::UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .and_then(|s| s.connect((Ipv4Addr::new(10, 254, 254, 254), 9)).map(|_| s))
        .and_then(|s| s.local_addr())
        .map(|a| a.ip())
        .ok();
    match lan {
        Some(ip) if !ip.is_unspecified() && auth::plain_http_allowed(&ip.to_string()) => ip,
        _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CounterpartKind, Encounter, Perspective};
    use crate::store::EncounterQuery;

    fn store(dir: &Path, staff: &str) -> Store {
        crate::testing::store_in(dir, staff, "Vadsø")
    }

    #[test]
    fn a_hosted_session_shares_the_store_with_the_app_and_a_new_device_joins_and_syncs() {
        let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let host: SharedStore = Arc::new(Mutex::new(store(da.path(), "Ingrid")));
        let mut guest = store(db.path(), "Máret");
        assert_eq!(status(&lock(&host)).unwrap().pending, 1, "the profile is pending before any sync");

        let session = LanSession::start(host.clone(), "127.0.0.1:0".parse().unwrap()).unwrap();
        assert!(session.url().starts_with("http://127.0.0.1:"));
        assert!(session.join_link().contains(session.invite()));
        // The app keeps writing to the store while it is hosted.
        lock(&host).create(&Encounter::new(Perspective::CoCreative, CounterpartKind::Citizen)).unwrap();

        assert_eq!(join(&mut guest, session.url(), "WRONG-CODE").unwrap_err().code(), "unauthorized");
        join(&mut guest, session.url(), session.invite()).unwrap();
        let mut rounds = 0;
        let done = sync(&mut guest, Some(session.url()), |_| rounds += 1).unwrap();
        assert!(done.done && rounds >= 2, "{rounds} progress reports");
        assert_eq!(done.sent, 1);
        assert!(done.received >= 2);
        let got = guest.list_encounters(&EncounterQuery::default()).unwrap();
        assert_eq!(got.len(), 1);

        let st = status(&guest).unwrap();
        assert!(st.member);
        assert_eq!(st.pending, 0);
        assert_eq!(st.peers.len(), 1);
        assert_eq!(st.peers[0].url.as_deref(), Some(format!("{}/", session.url()).as_str()));
        assert!(st.peers[0].last_seen.is_some());
        session.stop();
        assert_eq!(sync(&mut guest, Some("http://127.0.0.1:9"), |_| {}).unwrap_err().code(), "unreachable");
        // The host's store is whole again once the session stopped.
        assert_eq!(Arc::strong_count(&host), 1);
    }

    #[test]
    fn a_bundle_carries_a_store_to_a_replica_of_its_workspace() {
        let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut a = store(da.path(), "Ingrid");
        let many = (0..300).map(|_| Encounter::new(Perspective::Service, CounterpartKind::School)).collect();
        a.create_many(many).unwrap();
        let file = da.path().join("vadso.samskap");
        assert!(export_bundle(&a, &file).unwrap() > 0);
        let mut b = Store::init_replica(db.path(), a.workspace_id().unwrap(), "Finnmark").unwrap();
        let mut seen = vec![];
        let got = import_bundle(&mut b, &file, |done, total| seen.push((done, total))).unwrap();
        assert_eq!(got.records, 301, "the encounters and the staff profile");
        // Records are indexed as they are filed; progress comes only for any left to index after.
        assert!(seen.iter().all(|(done, total)| done <= total), "{seen:?}");
        let all = EncounterQuery { limit: Some(1000), ..Default::default() };
        assert_eq!(b.list_encounters(&all).unwrap().len(), 300);
        // A bundle of another workspace is refused and changes nothing.
        let dc = tempfile::tempdir().unwrap();
        let mut c = store(dc.path(), "Nils");
        assert_eq!(import_bundle(&mut c, &file, |_, _| {}).unwrap_err().code(), "bad_bundle");
        assert!(c.list_encounters(&EncounterQuery::default()).unwrap().is_empty());
    }
}
