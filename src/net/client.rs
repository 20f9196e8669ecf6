//! The client side over HTTP (reqwest): join a workspace, sync with the
//! joined hub or any LAN session.

use std::time::Duration;

use super::auth;
use super::hub::Joined;
use super::server::{self, MEMBER_HEADER};
use super::NetError;
use crate::model::ReplicaId;
use crate::store::{Membership, Store};
use crate::sync::{decode, ClientSession, Message, Progress, SyncError, SyncReport};

/// Checks an address before anything is sent to it.
pub fn check_url(url: &str) -> Result<reqwest::Url, NetError> {
    let u = reqwest::Url::parse(url.trim()).map_err(|_| NetError::BadUrl(url.to_string()))?;
    let host = u.host_str().ok_or_else(|| NetError::BadUrl(url.to_string()))?;
    match u.scheme() {
        "https" => Ok(u),
        "http" if auth::plain_http_allowed(host) => Ok(u),
        "http" => Err(NetError::InsecureUrl(host.to_string())),
        _ => Err(NetError::BadUrl(url.to_string())),
    }
}

/// Environment variable naming a PEM file of an extra trusted certificate
/// authority (a county's own CA, or a hub's self-signed certificate).
pub const CA_ENV: &str = "SAMSKAP_CA_FILE";
/// Environment variable capping the bytes of changes per round trip
/// (smaller batches make progress on poor links; each one is saved).
pub const BUDGET_ENV: &str = "SAMSKAP_SYNC_BATCH_BYTES";

fn http() -> Result<reqwest::Client, NetError> {
    let mut b = reqwest::Client::builder().connect_timeout(Duration::from_secs(10)).timeout(Duration::from_secs(120));
    if let Ok(path) = std::env::var(CA_ENV) {
        let pem = std::fs::read(&path).map_err(|e| NetError::Tls(format!("cannot read {path}: {e}")))?;
        let cert = reqwest::Certificate::from_pem(&pem).map_err(|e| NetError::Tls(format!("{path}: {e}")))?;
        b = b.add_root_certificate(cert);
    }
    b.build().map_err(|e| NetError::Tls(e.to_string()))
}

fn unreachable(url: &reqwest::Url, e: reqwest::Error) -> NetError {
    // reqwest errors can carry the URL; ours never holds credentials.
    NetError::Unreachable { url: url.to_string(), why: e.without_url().to_string() }
}

async fn peer_error(resp: reqwest::Response) -> NetError {
    let status = resp.status().as_u16();
    let body: serde_json::Value = resp.json().await.unwrap_or_default();
    NetError::Peer {
        status,
        code: body["code"].as_str().unwrap_or("error").to_string(),
        message: body["message"].as_str().unwrap_or("no details").to_string(),
    }
}

/// Joins the workspace behind an invite. The device keeps every record it
/// already has; they reach the others on the next sync.
pub async fn join(store: &mut Store, hub: &str, invite: &str) -> Result<Joined, NetError> {
    let base = check_url(hub)?;
    let url = base.join("v1/join").map_err(|_| NetError::BadUrl(hub.to_string()))?;
    let name = store.my_profile().map(|p| p.name.clone()).unwrap_or_default();
    let body = serde_json::json!({ "invite": invite, "device": store.device_id(), "name": name });
    let resp = http()?.post(url.clone()).json(&body).send().await.map_err(|e| unreachable(&url, e))?;
    if !resp.status().is_success() {
        return Err(peer_error(resp).await);
    }
    let joined: Joined = resp.json().await.map_err(|e| unreachable(&url, e))?;
    let secret = data_encoding::BASE32_NOPAD
        .decode(joined.secret.as_bytes())
        .ok()
        .and_then(|s| <[u8; 32]>::try_from(s).ok())
        .ok_or_else(|| NetError::BadRequest("the hub sent an unusable workspace secret".into()))?;
    store.set_workspace(joined.workspace.into(), &joined.workspace_name)?;
    let mut m = store.membership()?;
    m.secret = Some(secret);
    if !joined.token.is_empty() {
        m.hub_url = Some(base.to_string());
        m.token = Some(joined.token.clone());
        m.hub_replica = Some(joined.server.into());
    }
    store.set_membership(&m)?;
    Ok(joined)
}

/// Times a request refused for the hub's rate limit is sent again.
const RATE_LIMIT_RETRIES: u32 = 8;

/// An answer, decoded where it arrived (so unpacking it overlaps applying
/// the one before), its size on the wire, how long the request took and how
/// long the peer says it spent on it (µs).
type Answered = (Result<Message, SyncError>, usize, f64, Option<f64>);

/// Syncs with `url`, or with the joined hub. Each round trip's result is
/// saved before the next, so after a dropped connection a retry resumes.
pub async fn sync(store: &mut Store, url: Option<&str>) -> Result<SyncReport, NetError> {
    sync_observed(store, url, |_| {}).await
}

/// [`sync`], calling `on_round` with the report so far after each round trip.
pub async fn sync_observed(
    store: &mut Store,
    url: Option<&str>,
    mut on_round: impl FnMut(&SyncReport),
) -> Result<SyncReport, NetError> {
    let peer = Peer::resolve(store, url)?;
    let mut session = ClientSession::new(store, peer.server)?;
    if let Some(budget) = std::env::var(BUDGET_ENV).ok().and_then(|v| v.parse().ok()) {
        session.budget = budget;
    }
    // A first sync into an empty store builds its query indexes once at the
    // end, not row by row; they are rebuilt however the sync ends.
    let first = match peer.server {
        Some(id) => store.peer(id)?.epoch.is_none(),
        None => false,
    };
    let deferred = first && store.defer_query_indexes()?;
    let mut outcome = rounds(store, &mut session, &peer, &mut on_round).await;
    if deferred {
        store.restore_query_indexes()?;
        // The retention pass waited for the indexes (`apply_retention_daily`).
        if let Ok(report) = &mut outcome {
            match crate::sync::after_sync(store, chrono::Utc::now()) {
                Ok(f) => report.forgotten_contacts += f.contacts,
                Err(e) => tracing::warn!("retention after sync: {e}"),
            }
        }
    }
    outcome
}

/// The other side of a sync: the joined hub or a LAN peer.
struct Peer {
    base: reqwest::Url,
    is_hub: bool,
    /// Which replica answers at this address, if known yet.
    server: Option<ReplicaId>,
    poster: Poster,
}

impl Peer {
    /// `url`, or the joined hub; fails before anything is sent when neither
    /// is usable.
    fn resolve(store: &Store, url: Option<&str>) -> Result<Self, NetError> {
        let m: Membership = store.membership()?;
        let target = match (url, &m.hub_url) {
            (Some(u), _) => u.to_string(),
            (None, Some(h)) => h.clone(),
            (None, None) => return Err(NetError::NotJoined),
        };
        let base = check_url(&target)?;
        let is_hub = m.hub_url.as_deref().map(|h| check_url(h).ok() == Some(base.clone())).unwrap_or(false);
        let endpoint = base.join("v1/sync").map_err(|_| NetError::BadUrl(target.clone()))?;
        // Which replica answers at this address, learned on first contact, so
        // later syncs (a LAN peer met again) need no extra round trip.
        let server = if is_hub { m.hub_replica } else { store.peer_at(base.as_str())? };
        let client = http()?;
        let device = store.device();
        let member = m.secret.map(|s| format!("{device}.{}", auth::member_proof(&s, device)));
        // Only the hub gets the bearer token; a LAN peer sees the membership proof.
        let token = if is_hub { m.token.clone() } else { None };
        Ok(Peer { base, is_hub, server, poster: Poster { client, endpoint, token, member } })
    }

    /// Notes which replica answered at a LAN address when it changed.
    fn remember_server(
        &self,
        store: &mut Store,
        known: Option<ReplicaId>,
        now: Option<ReplicaId>,
    ) -> Result<(), NetError> {
        if !self.is_hub && now != known {
            if let Some(id) = now {
                store.set_peer_at(self.base.as_str(), id)?;
            }
        }
        Ok(())
    }
}

/// Round trips until the session has nothing more to send.
async fn rounds(
    store: &mut Store,
    session: &mut ClientSession,
    peer: &Peer,
    on_round: &mut impl FnMut(&SyncReport),
) -> Result<SyncReport, NetError> {
    // On a multi-threaded runtime the next slice is fetched while this one
    // is applied (the hub works while the device files).
    let overlap = tokio::runtime::Handle::current().runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread;
    let mut ahead: Option<tokio::task::JoinHandle<Result<Answered, NetError>>> = None;
    loop {
        let (msg, len, us, peer_us) = match ahead.take() {
            Some(fetch) => fetch.await.map_err(|e| NetError::BadRequest(format!("sync task failed: {e}")))??,
            None => match session.next(store)? {
                Progress::Done => return Ok(std::mem::take(&mut session.report)),
                Progress::Send(b) => peer.poster.clone().post(b).await?,
            },
        };
        session.report.request_us.push(us);
        session.report.peer_us.extend(peer_us);
        let known = session.server();
        let answer = session.accept_decoded(msg?, len)?;
        if overlap {
            if let Some(next) = session.ahead(&answer) {
                ahead = Some(tokio::spawn(peer.poster.clone().post(next)));
            }
        }
        // Applying blocks; with a request in flight, let the runtime move
        // other tasks off this thread meanwhile.
        match ahead {
            Some(_) => tokio::task::block_in_place(|| session.apply(store, answer))?,
            None => session.apply(store, answer)?,
        }
        on_round(&session.report);
        peer.remember_server(store, known, session.server())?;
    }
}

/// Posts sync messages to one endpoint with the peer's credentials.
#[derive(Clone)]
struct Poster {
    client: reqwest::Client,
    endpoint: reqwest::Url,
    token: Option<String>,
    member: Option<String>,
}

impl Poster {
    fn request(&self, body: Vec<u8>) -> reqwest::RequestBuilder {
        let mut req =
            self.client.post(self.endpoint.clone()).header("content-type", "application/octet-stream").body(body);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(p) = &self.member {
            req = req.header(MEMBER_HEADER, p);
        }
        req
    }

    /// Sends `bytes` and decodes the answer. Takes `self` by value so the
    /// future owns what it needs and can run ahead on its own task.
    async fn post(self, bytes: Vec<u8>) -> Result<Answered, NetError> {
        let sent = std::time::Instant::now();
        let mut waits = 0u32;
        let resp = loop {
            let resp = self.request(bytes.clone()).send().await.map_err(|e| unreachable(&self.endpoint, e))?;
            // Over the hub's per-device rate: it did nothing with the
            // request, so the same bytes go again after a pause.
            if resp.status() == reqwest::StatusCode::TOO_MANY_REQUESTS && waits < RATE_LIMIT_RETRIES {
                waits += 1;
                tokio::time::sleep(Duration::from_millis(250 * u64::from(waits))).await;
                continue;
            }
            break resp;
        };
        if !resp.status().is_success() {
            return Err(peer_error(resp).await);
        }
        let peer_us = resp.headers().get("server-timing").and_then(|v| v.to_str().ok()).and_then(server::hub_us);
        let body = resp.bytes().await.map_err(|e| unreachable(&self.endpoint, e))?;
        let us = sent.elapsed().as_secs_f64() * 1e6;
        Ok((decode(&body), body.len(), us, peer_us))
    }
}
