//! Sync commands: hub, join, sync, LAN serve, bundles, status.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use samskap::net::hub::{HubAdmin, HubStorage, SqliteHub};
use samskap::net::pg::PgHub;
use samskap::net::{client, conn_limit, lan::LanHost, server};
use samskap::store::Store;
use samskap::tr;
use serde::Serialize;

use crate::args::*;
use crate::render;
use crate::words::{lang, CliError};

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
        None => Arc::new(SqliteHub::open(dir).context(CliError::OpeningHub(dir.display().to_string()))?),
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
    if let HubCmd::Migrate { from, to } = &args.cmd {
        return migrate(from, to, json);
    }
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
                        "{} ({})",
                        tr!(lang(),
                            nb: "Samskap-huben tar imot på {scheme}://{addr}",
                            da: "Samskap-hubben tager imod på {scheme}://{addr}",
                            en: "Samskap hub listening on {scheme}://{addr}"),
                        tr!(lang(),
                            nb: "høyst {} tilkoblinger, {} per adresse; {fds} fildeskriptorer",
                            da: "højst {} forbindelser, {} pr. adresse; {fds} filbeskrivelser",
                            en: "at most {} connections, {} per address; {fds} file descriptors",
                            limits.total, limits.per_address)
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
            eprintln!(
                "{}",
                tr!(lang(),
                    nb: "Enheten {device} er fjernet; den kan ikke lenger synkronisere med denne huben.",
                    da: "Enheden {device} er fjernet; den kan ikke længere synkronisere med denne hub.",
                    en: "Device {device} is revoked; it can no longer sync with this hub.")
            );
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
        HubCmd::Migrate { .. } => unreachable!("handled before the hub is opened"),
    }
}

/// `hub migrate`: a line per workspace as it is copied, then what to do next.
fn migrate(from: &Path, to: &str, json: bool) -> Result<()> {
    let key = samskap::keystore::from_env()?;
    let done = samskap::net::pg::migrate::migrate(from, to, key.as_ref(), |w| {
        let name = &w.name;
        let line = if w.already_there {
            tr!(lang(),
                nb: "«{name}» fantes allerede uendret i databasen; hoppet over",
                da: "»{name}« fandtes allerede uændret i databasen; sprunget over",
                en: "{name}: already in the database, unchanged; skipped")
        } else {
            tr!(lang(),
                nb: "«{name}» kopiert: {} enheter, {} invitasjoner, {} endringer, {} kontrolloppføringer, {} postnøkler, {} slettet for godt",
                da: "»{name}« kopieret: {} enheder, {} invitationer, {} ændringer, {} kontrolposter, {} postnøgler, {} slettet for altid",
                en: "{name}: copied {} devices, {} invites, {} changes, {} control entries, {} record keys, {} erasures",
                w.devices, w.invites, w.chunks, w.control_entries, w.record_keys, w.erasures)
        };
        eprintln!("{line}");
    })?;
    if json {
        return render::json(&done);
    }
    let n = done.workspaces.len();
    let url = samskap::net::pg::redact(to);
    eprintln!(
        "{}",
        tr!(lang(),
            nb: "{n} arbeidsområder er i {url}. Start huben med `samskap hub serve --database …`; enhetene synkroniserer videre uten å bli med på nytt.",
            da: "{n} arbejdsområder er i {url}. Start hubben med `samskap hub serve --database …`; enhederne synkroniserer videre uden at blive tilmeldt igen.",
            en: "{n} workspaces are in {url}. Start the hub with `samskap hub serve --database …`; devices keep syncing without joining again.")
    );
    Ok(())
}

pub fn join(store: &mut Store, hub: &str, invite: &str, json: bool) -> Result<()> {
    let joined = runtime()?.block_on(client::join(store, hub, invite))?;
    if json {
        render::json(&serde_json::json!({ "workspace": joined.workspace, "workspace_name": joined.workspace_name }))
    } else {
        let (name, id) = (joined.workspace_name, joined.workspace);
        println!(
            "{}",
            tr!(lang(),
                nb: "Med i arbeidsområdet {name} ({id}). Kjør `samskap sync` for å utveksle poster.",
                da: "Med i arbejdsområdet {name} ({id}). Kør `samskap sync` for at udveksle poster.",
                en: "Joined workspace {name} ({id}). Run `samskap sync` to exchange records.")
        );
        Ok(())
    }
}

pub fn sync(store: &mut Store, hub: Option<&str>, json: bool) -> Result<()> {
    let report = runtime()?.block_on(client::sync(store, hub))?;
    if json {
        render::json(&report)
    } else {
        let r = &report;
        let (sent, got, new, changed, trips, up, down) = (
            r.chunks_sent,
            r.chunks_received,
            r.new_chunks,
            r.records_changed,
            r.round_trips,
            r.bytes_sent,
            r.bytes_received,
        );
        let s = if trips == 1 { "" } else { "s" };
        println!(
            "{}",
            tr!(lang(),
                nb: "Synkronisert: sendte {sent} endringer, mottok {got} ({new} nye, {changed} poster oppdatert) på {trips} runder, {up} byte opp, {down} ned.",
                da: "Synkroniseret: sendte {sent} ændringer, modtog {got} ({new} nye, {changed} poster opdateret) på {trips} runder, {up} byte op, {down} ned.",
                en: "In sync: sent {sent} changes, received {got} ({new} new, {changed} records updated) in {trips} round trip{s}, {up} bytes up, {down} down.")
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
            eprintln!(
                "{}",
                tr!(lang(),
                    nb: "Lokal økt på http://{addr}. Medlemmer av arbeidsområdet: samskap sync --hub http://{addr}\nNye enheter: samskap join --hub http://{addr} --invite KODE, med denne koden:",
                    da: "Lokal session på http://{addr}. Medlemmer af arbejdsområdet: samskap sync --hub http://{addr}\nNye enheder: samskap join --hub http://{addr} --invite KODE, med denne kode:",
                    en: "LAN session on http://{addr}. Members of the workspace: samskap sync --hub http://{addr}\nNew devices: samskap join --hub http://{addr} --invite CODE, with this code:")
            );
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
        eprintln!(
            "{}",
            tr!(lang(),
                nb: "Fant ingen lokale økter. Spør verten om adressen som `samskap serve` viser.",
                da: "Fandt ingen lokale sessioner. Spørg værten om adressen, som `samskap serve` viser.",
                en: "No LAN sessions found. Ask the host for the address shown by `samskap serve`.")
        );
    }
    for f in found {
        println!("{}  workspace {}  ({})", f.url, f.workspace, f.name);
    }
    Ok(())
}

pub fn bundle(store: &mut Store, cmd: BundleCmd, json: bool) -> Result<()> {
    match cmd {
        BundleCmd::Export { file } => {
            let h = samskap::net::bundle_file::save(store, &file)?;
            if json {
                render::json(&h)
            } else {
                let (f, n) = (file.display(), h.payload_bytes);
                println!(
                    "{}",
                    tr!(lang(),
                        nb: "Skrev {f} ({n} byte med endringer).",
                        da: "Skrev {f} ({n} byte med ændringer).",
                        en: "Wrote {f} ({n} bytes of changes).")
                );
                Ok(())
            }
        }
        BundleCmd::Import { file } => {
            let got = samskap::net::bundle_file::load(store, &file, |_, _| {})?.ingested;
            if json {
                render::json(&got)
            } else {
                let (f, n, r) = (file.display(), got.new_chunks, got.records);
                println!(
                    "{}",
                    tr!(lang(),
                        nb: "Leste inn {f}: {n} nye endringer i {r} poster.",
                        da: "Indlæste {f}: {n} nye ændringer i {r} poster.",
                        en: "Imported {f}: {n} new changes in {r} records.")
                );
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
                id: p.id.to_uuid(),
                is_hub: m.hub_replica == Some(p.id),
                last_seen: p.last_seen_ms.and_then(chrono::DateTime::from_timestamp_millis),
                pending: store.pending_for(&p)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let s = Status {
        device_id: store.device_id(),
        workspace_id: store.workspace_id()?.to_uuid(),
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

/// Revokes a device here; the hub and colleagues learn it when they sync.
pub fn revoke(store: &mut Store, device: uuid::Uuid) -> Result<()> {
    store.revoke_device(device)?;
    eprintln!(
        "{}",
        tr!(lang(),
            nb: "Enheten {device} er fjernet her; huben og kollegene får vite det ved neste synkronisering.",
            da: "Enheden {device} er fjernet her; hubben og kollegerne får det at vide ved næste synkronisering.",
            en: "Device {device} is revoked here; the hub and colleagues learn it with the next sync.")
    );
    Ok(())
}
