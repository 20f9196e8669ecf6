//! The HTTP face of a hub or a LAN session (axum). Moves bytes between
//! HTTP and [`HubStorage`]; all protocol work happens in `sync`.
//!
//! `POST /v1/join`  JSON `{invite, device, name}` → `Joined`
//! `POST /v1/sync`  a sync frame → a sync frame (credentials in headers)
//! `GET  /v1/health`
//! Errors are JSON `{code, message}` with a fitting status.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use axum_server::accept::DefaultAcceptor;

use super::conn_limit::{ConnLimits, Limited};
use super::hub::{Credentials, HubStorage};
use super::NetError;
use crate::model::DeviceId;
use crate::sync::MAX_FRAME;

/// Header carrying a workspace member's proof: `DEVICE.PROOF`.
pub const MEMBER_HEADER: &str = "x-samskap-member";
/// How long one request may take before the hub gives up on it.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

type Shared = Arc<dyn HubStorage>;

/// Sync requests one device may make: a steady rate and a burst (a first
/// sync of a big workspace is a burst of round trips). A device past it gets
/// 429 and the others are unaffected; keys are authenticated devices only,
/// so the limiter's memory is bounded by the devices the hub knows.
pub const DEVICE_REQUESTS_PER_S: u32 = 20;
pub const DEVICE_BURST: u32 = 60;

type Limiter = governor::DefaultKeyedRateLimiter<DeviceId>;

#[derive(Clone)]
struct Hub {
    storage: Shared,
    limits: Arc<Limiter>,
}

fn limiter() -> Limiter {
    let per_s = std::num::NonZeroU32::new(DEVICE_REQUESTS_PER_S).expect("nonzero");
    let burst = std::num::NonZeroU32::new(DEVICE_BURST).expect("nonzero");
    governor::RateLimiter::keyed(governor::Quota::per_second(per_s).allow_burst(burst))
}

impl IntoResponse for NetError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(serde_json::json!({ "code": self.code(), "message": self.to_string() }))).into_response()
    }
}

pub fn router(storage: Shared) -> Router {
    Router::new()
        .route("/v1/health", get(|| async { "ok" }))
        .route("/v1/join", post(join))
        .route("/v1/sync", post(sync))
        .layer(DefaultBodyLimit::max(MAX_FRAME))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(axum::middleware::from_fn(server_timing))
        .with_state(Hub { storage, limits: Arc::new(limiter()) })
}

/// Says in each answer how long the hub spent on it (reading the body,
/// waiting for the workspace, working), so a client or a load test can tell
/// the hub's share of a round trip from the network's and its own.
async fn server_timing(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let began = std::time::Instant::now();
    let mut resp = next.run(req).await;
    let ms = began.elapsed().as_secs_f64() * 1e3;
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("{SERVER_TIMING_NAME};dur={ms:.3}")) {
        resp.headers_mut().insert(axum::http::header::HeaderName::from_static("server-timing"), v);
    }
    resp
}

/// The metric name in the `Server-Timing` header.
pub const SERVER_TIMING_NAME: &str = "hub";

/// The hub's time in µs from a `Server-Timing: hub;dur=MS` header value.
pub fn hub_us(header: &str) -> Option<f64> {
    header.split(',').find_map(|m| {
        let mut parts = m.split(';').map(str::trim);
        (parts.next()? == SERVER_TIMING_NAME).then_some(())?;
        parts.find_map(|p| p.strip_prefix("dur=")?.parse::<f64>().ok()).map(|ms| ms * 1e3)
    })
}

#[derive(Deserialize)]
struct JoinRequest {
    invite: String,
    device: uuid::Uuid,
    #[serde(default)]
    name: String,
}

async fn join(State(hub): State<Hub>, Json(req): Json<JoinRequest>) -> Result<Response, NetError> {
    let st = hub.storage;
    let joined = blocking(move || st.join(&req.invite, req.device.into(), &req.name)).await?;
    Ok(Json(joined).into_response())
}

fn credentials(headers: &HeaderMap) -> Credentials {
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let member = headers.get(MEMBER_HEADER).and_then(|v| v.to_str().ok()).and_then(|v| {
        let (device, proof) = v.split_once('.')?;
        let device = uuid::Uuid::parse_str(device).ok()?;
        Some((DeviceId::from(device), proof.to_string()))
    });
    Credentials { bearer, member }
}

/// Who is asking and whether they are within their rate are settled from
/// the headers alone, so a stranger's or a flooding device's body is never
/// read (a hostile 64 MiB upload costs the hub nothing but the refusal).
async fn sync(State(hub): State<Hub>, req: axum::extract::Request) -> Result<Response, NetError> {
    let (parts, body) = req.into_parts();
    let declared = parts.headers.get(axum::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok());
    if let Some(len) = declared.filter(|&len: &usize| len > MAX_FRAME) {
        return Err(crate::sync::SyncError::TooLarge { len, max: MAX_FRAME }.into());
    }
    let creds = credentials(&parts.headers);
    let storage = hub.storage.clone();
    let who = blocking(move || storage.authenticate(&creds)).await?;
    if hub.limits.check_key(&who.device).is_err() {
        return Err(NetError::RateLimited);
    }
    let body = match Bytes::from_request(axum::extract::Request::from_parts(parts, body), &()).await {
        Ok(b) => b,
        Err(refused) => return Ok(refused.into_response()),
    };
    let out = blocking(move || hub.storage.sync(who, &body)).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/octet-stream")], out).into_response())
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T, NetError> + Send + 'static) -> Result<T, NetError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| NetError::BadRequest(format!("request failed: {e}")))?
}

/// Where and how to listen.
pub struct Listen {
    pub addr: SocketAddr,
    /// PEM certificate chain and key: serve https.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Bounds on connections per address, in all, and on header time.
    pub limits: ConnLimits,
}

impl Listen {
    /// Plain http on `addr` with the default connection bounds.
    pub fn plain(addr: SocketAddr) -> Listen {
        Listen { addr, tls: None, limits: ConnLimits::default() }
    }
}

/// Serves until `shutdown` resolves. `on_ready` gets the bound address
/// (useful with port 0). Connections past [`ConnLimits`] are closed before
/// a byte is read, and headers must arrive within `limits.header_read`.
pub async fn serve(
    storage: Shared,
    listen: Listen,
    on_ready: impl FnOnce(SocketAddr),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), NetError> {
    let app = router(storage).into_make_service();
    let listener = std::net::TcpListener::bind(listen.addr)?;
    listener.set_nonblocking(true)?;
    on_ready(listener.local_addr()?);
    let handle = axum_server::Handle::new();
    let h = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        h.graceful_shutdown(Some(Duration::from_secs(5)));
    });
    let limits = listen.limits;
    let mut server = axum_server::from_tcp(listener).handle(handle);
    server.http_builder().http1().timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(limits.header_read);
    match listen.tls {
        None => server.acceptor(Limited::new(DefaultAcceptor, limits)).serve(app).await?,
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                .await
                .map_err(|e| NetError::Tls(format!("cannot use {} and {}: {e}", cert.display(), key.display())))?;
            let tls = axum_server::tls_rustls::RustlsAcceptor::new(config).handshake_timeout(limits.header_read);
            server.acceptor(Limited::new(tls, limits)).serve(app).await?
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::hub_us;

    #[test]
    fn server_timing_names_the_hubs_share() {
        assert_eq!(hub_us("hub;dur=12.5"), Some(12_500.0));
        assert_eq!(hub_us("db;dur=1, hub;desc=\"sync\";dur=0.25"), Some(250.0));
        assert_eq!(hub_us("db;dur=1"), None);
        assert_eq!(hub_us("hub;dur=soon"), None);
        assert_eq!(hub_us(""), None);
    }
}
