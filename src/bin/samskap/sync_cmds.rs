//! Sync commands: hub, join, sync, LAN serve, bundles, status.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use samskap::net::hub::{HubAdmin, HubStorage, SqliteHub};
use samskap::net::pg::PgHub;
use samskap::net::{client, conn_limit, lan::LanHost, server};
use samskap::store::Store;
use serde::Serialize;

use crate::args::*;
use crate::render;

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

async fn ctrl_c() {
    let _ = tokio::signal::ctrl_c().await;
}

/// The hub's storage: PostgreSQL with `--database`, else SQLite in `dir`.
fn open_hub(dir: &Path, database: Option<&str>) -> Result<Arc<dyn Hub>> {
    Ok(match database {
        Some(url) => Arc::new(
            PgHub::open(url).with_context(|| format!("opening the hub database {}", samskap::net::pg::redact(url)))?,
        ),
        None => Arc::new(SqliteHub::open(dir).with_context(|| format!("opening the hub in {}", dir.display()))?),
    })
}

/// Both faces of a hub's storage.
trait Hub: HubStorage + HubAdmin {
    fn storage(self: Arc<Self>) -> Arc<dyn HubStorage>;
}

impl<T: HubStorage + HubAdmin> Hub for T {
    fn storage(self: Arc<Self>) -> Arc<dyn HubStorage> {
        self
    }
}

pub fn hub(dir: &Path, args: HubArgs, json: bool) -> Result<()> {
    let hub = open_hub(dir, args.database.as_deref())?;
    match args.cmd {
        HubCmd::Serve { listen, cert, key, connections_per_address, header_timeout } => {
            let tls = cert.zip(key);
            let scheme = if tls.is_some() { "https" } else { "http" };
            let fds = conn_limit::raise_fd_limit();
            let limits = conn_limit::ConnLimits {
                per_address: connections_per_address.max(1),
                header_read: std::time::Duration::from_secs(header_timeout.max(1)),
                ..Default::default()
            };
            runtime()?.block_on(server::serve(
                hub.storage(),
                server::Listen { addr: listen, tls, limits },
                |addr| {
                    eprintln!(
                        "Samskap hub listening on {scheme}://{addr} (at most {} connections, {} per address; {fds} file descriptors)",
                        limits.total, limits.per_address
                    );
                },
                ctrl_c(),
            ))?;
            Ok(())
        }
        HubCmd::Invite { workspace } => {
            println!("{}", hub.invite(&workspace)?);
            Ok(())
        }
        HubCmd::Revoke { device } => {
            hub.revoke(device)?;
            eprintln!("Device {device} is revoked; it can no longer sync with this hub.");
            Ok(())
        }
        HubCmd::Devices => {
            let devices = hub.devices()?;
            if json {
                render::json(&devices)
            } else {
                for d in devices {
                    println!(
                        "{}  {:<20} {}{}",
                        d.device,
                        d.workspace,
                        d.name,
                        if d.revoked { "  (revoked)" } else { "" }
                    );
                }
                Ok(())
            }
        }
    }
}

pub fn join(store: &mut Store, hub: &str, invite: &str, json: bool) -> Result<()> {
    let joined = runtime()?.block_on(client::join(store, hub, invite))?;
    if json {
        render::json(&serde_json::json!({ "workspace": joined.workspace, "workspace_name": joined.workspace_name }))
    } else {
        println!(
            "Joined workspace {} ({}). Run `samskap sync` to exchange records.",
            joined.workspace_name, joined.workspace
        );
        Ok(())
    }
}

pub fn sync(store: &mut Store, hub: Option<&str>, json: bool) -> Result<()> {
    let report = runtime()?.block_on(client::sync(store, hub))?;
    if json {
        render::json(&report)
    } else {
        println!(
            "In sync: sent {} changes, received {} ({} new, {} records updated) in {} round trip{}, {} bytes up, {} down.",
            report.chunks_sent,
            report.chunks_received,
            report.new_chunks,
            report.records_changed,
            report.round_trips,
            if report.round_trips == 1 { "" } else { "s" },
            report.bytes_sent,
            report.bytes_received
        );
        Ok(())
    }
}

pub fn serve(store: Store, listen: std::net::SocketAddr) -> Result<()> {
    let (workspace, device) = (store.workspace_name()?, store.device_id());
    let (host, invite) = LanHost::new(store)?;
    let mut advert = None;
    runtime()?.block_on(server::serve(
        Arc::new(host),
        server::Listen::plain(listen),
        |addr| {
            // Announce on the LAN where multicast works; typing the address always does.
            if !addr.ip().is_loopback() {
                match samskap::net::discovery::advertise(addr.port(), &workspace, device) {
                    Ok(a) => advert = Some(a),
                    Err(e) => eprintln!("{e}"),
                }
            }
            eprintln!("LAN session on http://{addr}. Members of the workspace: samskap sync --hub http://{addr}");
            eprintln!("New devices: samskap join --hub http://{addr} --invite CODE, with this code:");
            println!("{invite}");
        },
        ctrl_c(),
    ))?;
    Ok(())
}

pub fn discover(wait: u64, json: bool) -> Result<()> {
    let found = samskap::net::discovery::discover(std::time::Duration::from_secs(wait))?;
    if json {
        return render::json(&found);
    }
    if found.is_empty() {
        eprintln!("No LAN sessions found. Ask the host for the address shown by `samskap serve`.");
    }
    for f in found {
        println!("{}  workspace {}  ({})", f.url, f.workspace, f.name);
    }
    Ok(())
}

pub fn bundle(store: &mut Store, cmd: BundleCmd, json: bool) -> Result<()> {
    match cmd {
        BundleCmd::Export { file } => {
            let h = samskap::sync::export_bundle(store, &file)?;
            if json {
                render::json(&h)
            } else {
                println!("Wrote {} ({} bytes of changes).", file.display(), h.payload_bytes);
                Ok(())
            }
        }
        BundleCmd::Import { file } => {
            let (_, got) = samskap::sync::import_bundle(store, &file)?;
            if json {
                render::json(&got)
            } else {
                println!("Imported {}: {} new changes in {} records.", file.display(), got.new_chunks, got.records);
                Ok(())
            }
        }
    }
}

#[derive(Serialize)]
struct Status {
    device_id: uuid::Uuid,
    workspace_id: uuid::Uuid,
    workspace_name: String,
    hub: Option<String>,
    staff: Option<String>,
    records: samskap::store::Counts,
    peers: Vec<PeerStatus>,
    /// Erased records and the devices known to have erased them (receipts).
    erasures: Vec<samskap::store::ErasureStatus>,
    revoked: Vec<samskap::store::Revocation>,
    encrypted_at_rest: bool,
}

#[derive(Serialize)]
struct PeerStatus {
    id: uuid::Uuid,
    is_hub: bool,
    last_seen: Option<chrono::DateTime<chrono::Utc>>,
    /// Local changes this peer has not acknowledged.
    pending: u64,
}

pub fn status(store: &Store, json: bool) -> Result<()> {
    let m = store.membership()?;
    let peers = store
        .peers()?
        .into_iter()
        .map(|p| -> Result<PeerStatus> {
            Ok(PeerStatus {
                id: uuid::Uuid::from_bytes(p.id),
                is_hub: m.hub_replica == Some(p.id),
                last_seen: p.last_seen_ms.and_then(chrono::DateTime::from_timestamp_millis),
                pending: store.pending_for(&p)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let s = Status {
        device_id: store.device_id(),
        workspace_id: uuid::Uuid::from_bytes(store.workspace_id()?),
        workspace_name: store.workspace_name()?,
        hub: m.hub_url.clone(),
        staff: store.my_profile().map(|p| p.name.clone()),
        records: store.counts()?,
        peers,
        erasures: store.erasures()?,
        revoked: store.revocations()?,
        encrypted_at_rest: store.encrypted(),
    };
    if json {
        return render::json(&s);
    }
    println!("Device     {}", s.device_id);
    println!("Workspace  {} ({})", s.workspace_name, s.workspace_id);
    println!("Hub        {}", s.hub.as_deref().unwrap_or("not joined"));
    println!(
        "At rest    {}",
        if s.encrypted_at_rest {
            "encrypted (SQLCipher, AES-256; the key is not in the store folder)"
        } else {
            "NOT encrypted (no key store was available when the store was made)"
        }
    );
    println!(
        "Records    {} encounters, {} partners, {} activities",
        s.records.encounters, s.records.partners, s.records.activities
    );
    for p in &s.peers {
        let seen = p.last_seen.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "never".into());
        println!(
            "Peer       {}{}  last seen {seen}, {} changes pending",
            p.id,
            if p.is_hub { " (hub)" } else { "" },
            p.pending
        );
    }
    for e in &s.erasures {
        let when = chrono::DateTime::from_timestamp_millis(e.erased_ms).unwrap_or_default().format("%Y-%m-%d %H:%M");
        let by: Vec<String> = e
            .receipts
            .iter()
            .map(|r| match (r.this_device, r.name.is_empty()) {
                (true, _) => "this device".to_string(),
                (false, true) => r.device.to_string(),
                (false, false) => format!("{} ({})", r.name, r.device),
            })
            .collect();
        println!("Erased     {} at {when}; erased on {} device(s): {}", e.record, by.len(), by.join(", "));
    }
    for r in &s.revoked {
        let when = chrono::DateTime::from_timestamp_millis(r.at_ms).unwrap_or_default().format("%Y-%m-%d %H:%M");
        println!("Revoked    {} at {when} (by {})", r.device, r.by);
    }
    Ok(())
}
