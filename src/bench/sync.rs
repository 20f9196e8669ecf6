//! `samskap bench sync`: what sync costs against a real hub on loopback,
//! each figure beside its lower bound measured in the same run.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use automerge::sync::{State, SyncDoc};
use serde::Serialize;

use super::Timing;
use crate::demo::{self, DemoOptions};
use crate::model::*;
use crate::net::hub::{HubAdmin, HubStorage, SqliteHub};
use crate::net::pg::PgHub;
use crate::net::{client, server};
use crate::store::{Durability, InitOptions, Store};

pub struct SyncBenchOptions {
    pub records: usize,
    /// Documents in the Automerge per-document-sync baseline.
    pub baseline_docs: usize,
    pub devices: usize,
    pub rounds: usize,
    /// Each device syncs about this often (jittered), as auto-sync would.
    pub interval_ms: u64,
    pub work: Option<PathBuf>,
    /// Also measure a hub on PostgreSQL, beside the SQLite hub.
    pub postgres: Option<PgTarget>,
}

/// Which PostgreSQL the benchmark's hubs use.
#[derive(Clone, Debug)]
pub enum PgTarget {
    /// A throwaway cluster of its own (`net::pg::cluster`), removed after.
    Throwaway,
    /// An existing, empty database (`postgres://…`).
    Database(String),
}

#[derive(Debug, Serialize)]
pub struct SyncBenchReport {
    pub records: usize,
    pub first_sync: FirstSync,
    pub noop: Noop,
    pub ten_new: TenNew,
    pub hub_load: Option<HubLoad>,
    /// The first sync from a hub on PostgreSQL (the same records, moved
    /// there with `hub migrate`), beside `first_sync` from SQLite.
    pub first_sync_postgres: Option<FirstSyncPostgres>,
    /// The load test against hub processes on one PostgreSQL.
    pub hub_load_postgres: Option<PostgresLoad>,
}

#[derive(Debug, Serialize)]
pub struct FirstSyncPostgres {
    pub seconds: f64,
    pub hub_seconds: f64,
    pub hub_own_seconds: f64,
    pub round_trips: u32,
    pub bytes_down: usize,
    /// `seconds` over the SQLite hub's first sync in the same run.
    pub ratio_to_sqlite: f64,
}

#[derive(Debug, Serialize)]
pub struct PostgresLoad {
    /// Devices spread over two hub processes (device i on process i mod 2).
    pub two_processes: HubLoad,
    /// The same load on one process.
    pub one_process: HubLoad,
    /// Requests per second, two processes over one.
    pub throughput_ratio: f64,
    /// The hub's own p99 (`Server-Timing`), two processes over one.
    pub hub_p99_ratio: f64,
}

#[derive(Debug, Serialize)]
pub struct FirstSync {
    /// The whole first sync, until every record is stored durably on the
    /// device and in its query and search indexes.
    pub seconds: f64,
    /// Of `seconds`, indexing records the sync set aside (normally none).
    pub index_seconds: f64,
    /// Of `seconds`, waiting for the hub's answers (its work and the wire;
    /// the device files one slice while the next is on its way).
    pub hub_seconds: f64,
    /// The hub's own time on those requests (its `Server-Timing`).
    pub hub_own_seconds: f64,
    pub round_trips: u32,
    pub bytes_down: usize,
    pub bytes_up: usize,
    /// Lower bound: the records' change bytes as the hub stores them.
    pub stored_change_bytes: u64,
    /// For reference: the same records as separate saved documents, uncompressed.
    pub separate_docs_uncompressed_bytes: u64,
}

#[derive(Debug, Serialize)]
pub struct Noop {
    pub round_trips: u32,
    pub bytes_up: usize,
    pub bytes_down: usize,
    pub us: Timing,
    /// Baseline: Automerge's own sync protocol run per document, with
    /// persisted sync states, when nothing changed.
    pub automerge_per_doc: AutomergeBaseline,
}

#[derive(Debug, Serialize)]
pub struct AutomergeBaseline {
    pub docs: usize,
    pub messages: usize,
    pub bytes: usize,
    pub ms: f64,
}

#[derive(Debug, Serialize)]
pub struct TenNew {
    pub ms: f64,
    pub round_trips: u32,
    pub bytes_up: usize,
    pub bytes_down: usize,
    /// Lower bound: the ten changes themselves.
    pub change_bytes: usize,
    pub ratio: f64,
}

#[derive(Debug, Serialize)]
pub struct HubLoad {
    pub devices: usize,
    pub rounds_per_device: usize,
    pub seconds: f64,
    pub requests: usize,
    pub requests_per_s: f64,
    /// Per request, as the device saw it: from sending it to having the
    /// hub's whole answer. On one machine this includes the simulated
    /// devices' own work competing with the hub for the same cores.
    pub latency: Timing,
    /// Per request, as the hub measured it (its `Server-Timing`): reading
    /// the body, waiting for the workspace, working, the answer ready.
    pub hub_time: Timing,
    pub hub_peak_rss_mb: f64,
    pub records_expected: u64,
    pub records_on_hub: u64,
    pub lost_records: u64,
    pub failures: usize,
    /// Honest syncs cut off mid-flight (the device retries in the same round).
    pub dropped_connections: usize,
    /// Honest devices holding every honest record at the end.
    pub devices_converged: usize,
    pub hostile: Hostile,
}

/// One joined device sending garbage all through the run.
#[derive(Debug, Default, Serialize)]
pub struct Hostile {
    pub requests: usize,
    /// Answers by status code; any 5xx or unanswered request is a hub fault.
    pub statuses: std::collections::BTreeMap<u16, usize>,
    /// Oversized uploads cut off by the hub before it read them.
    pub refused_unread: usize,
    pub hub_faults: usize,
}

pub(super) fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime")
}

/// Starts a hub in this process; returns its URL and a stop handle.
pub(super) fn start_hub<H: HubStorage>(
    rt: &tokio::runtime::Runtime,
    hub: Arc<H>,
) -> (String, tokio::sync::oneshot::Sender<()>) {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    rt.spawn(async move {
        let listen = server::Listen::plain("127.0.0.1:0".parse().expect("addr"));
        let _ = server::serve(
            hub,
            listen,
            move |a| {
                let _ = ready_tx.send(a);
            },
            async {
                let _ = stopped.await;
            },
        )
        .await;
    });
    let addr = ready_rx.recv().expect("hub started");
    (format!("http://{addr}"), stop)
}

fn device(dir: &Path, name: &str) -> crate::store::Result<Store> {
    Store::init(dir, &InitOptions { staff: name.into(), branch: "Vadsø".into(), workspace_name: String::new() })
}

pub fn run(opts: &SyncBenchOptions, hub_exe: Option<&Path>) -> anyhow::Result<SyncBenchReport> {
    let work = match &opts.work {
        Some(w) => w.clone(),
        None => tempfile::Builder::new().prefix("samskap-bench-sync").tempdir()?.keep(),
    };
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let rt = rt();

    // A hub whose workspace already holds the records.
    let hub = Arc::new(SqliteHub::open(&work.join("hub"))?);
    let invite = hub.invite("bench")?;
    let (stored_change_bytes, separate_docs) = {
        let ws = hub.workspace_id("bench")?;
        let replica = hub.replica(ws)?;
        let mut store = replica.lock().unwrap_or_else(|e| e.into_inner());
        store.set_durability(Durability::Normal)?;
        demo::fill(&mut store, &DemoOptions { encounters: opts.records, seed: 7 })?;
        store.set_durability(Durability::Full)?;
        (store.stored_chunk_bytes()?, store.separate_docs_bytes()?)
    };
    // The same workspace on PostgreSQL, moved there as a county would move it.
    let pg = match &opts.postgres {
        Some(target) => {
            drop(hub);
            let pg = PgSetup::start(target)?;
            crate::net::pg::migrate::migrate(&work.join("hub"), &pg.url, None, |_| {})?;
            Some(pg)
        }
        None => {
            drop(hub);
            None
        }
    };
    // The hub in its own process, as `samskap hub serve` runs it (in this
    // one when there is no executable to start, as under `cargo test`).
    let (url, server) = match hub_exe {
        Some(exe) => {
            let (child, url) = spawn_hub(exe, &work.join("hub"), None)?;
            (url, Hub::Process(child))
        }
        None => {
            let (url, stop) = start_hub(&rt, Arc::new(SqliteHub::open(&work.join("hub"))?));
            (url, Hub::InProcess(stop))
        }
    };

    // First sync of a fresh device.
    let mut fresh = device(&work.join("fresh"), "Ny")?;
    rt.block_on(client::join(&mut fresh, &url, &invite))?;
    let t = Instant::now();
    let first = rt.block_on(client::sync(&mut fresh, None))?;
    let first_secs = t.elapsed().as_secs_f64();

    // Nothing changed.
    let mut noop_ms = vec![];
    let mut noop = None;
    for _ in 0..20 {
        let t = Instant::now();
        let r = rt.block_on(client::sync(&mut fresh, None))?;
        noop_ms.push(t.elapsed().as_secs_f64() * 1e6);
        noop = Some(r);
    }
    let noop = noop.expect("ran");

    // Ten new encounters.
    let before = fresh.log_head()?;
    for i in 0..10 {
        let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Citizen);
        e.place = "Vadsø torg".into();
        e.note = format!("Ny idé nummer {i}: strikkekafé på lørdager med husflidslaget.");
        fresh.create(&e)?;
    }
    let change_bytes = fresh.log_since(before, None, usize::MAX)?.batch.chunks.iter().map(|c| c.bytes.len()).sum();
    let t = Instant::now();
    let ten = rt.block_on(client::sync(&mut fresh, None))?;
    let ten_ms = t.elapsed().as_secs_f64() * 1e3;
    drop(server);

    let first_sync_postgres = match &pg {
        Some(pg) => Some(first_sync_postgres(&rt, hub_exe, &work, pg, first_secs)?),
        None => None,
    };
    drop(rt);

    let hub_load = match hub_exe {
        Some(exe) if opts.devices > 0 => Some(hub_load(exe, &work, opts, &LoadHub::Sqlite)?),
        _ => None,
    };
    let hub_load_postgres = match (hub_exe, &pg) {
        (Some(exe), Some(pg)) if opts.devices > 0 => {
            let two = self::hub_load(exe, &work, opts, &LoadHub::Postgres { url: &pg.url, processes: 2 })?;
            let one = self::hub_load(exe, &work, opts, &LoadHub::Postgres { url: &pg.url, processes: 1 })?;
            Some(PostgresLoad {
                throughput_ratio: two.requests_per_s / one.requests_per_s,
                hub_p99_ratio: two.hub_time.p99_us / one.hub_time.p99_us,
                two_processes: two,
                one_process: one,
            })
        }
        _ => None,
    };
    drop(pg);
    drop(fresh);
    if opts.work.is_none() {
        // A 100,000-record run leaves ~150 MB of stores.
        let _ = std::fs::remove_dir_all(&work);
    }

    Ok(SyncBenchReport {
        records: opts.records,
        first_sync: FirstSync {
            seconds: first_secs,
            index_seconds: first.index_ms / 1e3,
            hub_seconds: first.request_us.iter().sum::<f64>() / 1e6,
            hub_own_seconds: first.peer_us.iter().sum::<f64>() / 1e6,
            round_trips: first.round_trips,
            bytes_down: first.bytes_received,
            bytes_up: first.bytes_sent,
            stored_change_bytes,
            separate_docs_uncompressed_bytes: separate_docs,
        },
        noop: Noop {
            round_trips: noop.round_trips,
            bytes_up: noop.bytes_sent,
            bytes_down: noop.bytes_received,
            us: Timing::of(noop_ms),
            automerge_per_doc: automerge_baseline(opts.baseline_docs),
        },
        ten_new: TenNew {
            ms: ten_ms,
            round_trips: ten.round_trips,
            bytes_up: ten.bytes_sent,
            bytes_down: ten.bytes_received,
            change_bytes,
            ratio: (ten.bytes_sent + ten.bytes_received) as f64 / change_bytes as f64,
        },
        hub_load,
        first_sync_postgres,
        hub_load_postgres,
    })
}

/// A PostgreSQL for the benchmark: its address, and the throwaway cluster
/// behind it (stopped and removed when this is dropped).
struct PgSetup {
    url: String,
    #[cfg(target_os = "linux")]
    _cluster: Option<crate::net::pg::cluster::Cluster>,
}

impl PgSetup {
    fn start(target: &PgTarget) -> anyhow::Result<PgSetup> {
        match target {
            PgTarget::Database(url) => {
                #[cfg(target_os = "linux")]
                return Ok(PgSetup { url: url.clone(), _cluster: None });
                #[cfg(not(target_os = "linux"))]
                return Ok(PgSetup { url: url.clone() });
            }
            #[cfg(target_os = "linux")]
            PgTarget::Throwaway => {
                let cluster = crate::net::pg::cluster::Cluster::start()?;
                let url = cluster.create_database("bench")?;
                Ok(PgSetup { url, _cluster: Some(cluster) })
            }
            #[cfg(not(target_os = "linux"))]
            PgTarget::Throwaway => anyhow::bail!("a throwaway PostgreSQL needs Linux; pass --database URL"),
        }
    }
}

/// A fresh device's first sync from a hub on PostgreSQL holding the same
/// workspace as the SQLite hub measured before.
fn first_sync_postgres(
    rt: &tokio::runtime::Runtime,
    hub_exe: Option<&Path>,
    work: &Path,
    pg: &PgSetup,
    sqlite_secs: f64,
) -> anyhow::Result<FirstSyncPostgres> {
    let invite = PgHub::open(&pg.url)?.invite("bench")?;
    let (url, _server) = match hub_exe {
        Some(exe) => {
            let (child, url) = spawn_hub(exe, &work.join("pg-hub"), Some(&pg.url))?;
            (url, Hub::Process(child))
        }
        None => {
            let (url, stop) = start_hub(rt, Arc::new(PgHub::open(&pg.url)?));
            (url, Hub::InProcess(stop))
        }
    };
    let mut fresh = device(&work.join("fresh-pg"), "Ny")?;
    rt.block_on(client::join(&mut fresh, &url, &invite))?;
    let t = Instant::now();
    let first = rt.block_on(client::sync(&mut fresh, None))?;
    let seconds = t.elapsed().as_secs_f64();
    Ok(FirstSyncPostgres {
        seconds,
        hub_seconds: first.request_us.iter().sum::<f64>() / 1e6,
        hub_own_seconds: first.peer_us.iter().sum::<f64>() / 1e6,
        round_trips: first.round_trips,
        bytes_down: first.bytes_received,
        ratio_to_sqlite: seconds / sqlite_secs,
    })
}

/// Automerge's per-document sync between two peers that already agree,
/// reconnecting with persisted sync states: the cost we avoid.
pub fn automerge_baseline(docs: usize) -> AutomergeBaseline {
    let actor = automerge::ActorId::random();
    let mut pairs = Vec::with_capacity(docs);
    for i in 0..docs {
        let mut e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
        e.note = format!("Dokument {i}");
        let mut a = crate::doc::new_doc(&actor);
        crate::doc::write(&mut a, &e, None, &crate::doc::ChangeMeta::default(), false).expect("write");
        let b = automerge::Automerge::load(&a.save()).expect("load");
        // First meeting, to get the sync states both sides would persist.
        let (mut sa, mut sb) = (State::new(), State::new());
        exchange(&mut a.clone(), &mut b.clone(), &mut sa, &mut sb);
        pairs.push((a, b, sa.encode(), sb.encode()));
    }
    let t = Instant::now();
    let (mut messages, mut bytes) = (0, 0);
    for (a, b, sa, sb) in &mut pairs {
        let mut sa = State::decode(sa).expect("state");
        let mut sb = State::decode(sb).expect("state");
        let (m, by) = exchange(a, b, &mut sa, &mut sb);
        messages += m;
        bytes += by;
    }
    AutomergeBaseline { docs, messages, bytes, ms: t.elapsed().as_secs_f64() * 1e3 }
}

fn exchange(
    a: &mut automerge::Automerge,
    b: &mut automerge::Automerge,
    sa: &mut State,
    sb: &mut State,
) -> (usize, usize) {
    let (mut messages, mut bytes) = (0, 0);
    loop {
        let mut quiet = true;
        if let Some(m) = a.generate_sync_message(sa) {
            let enc = m.encode();
            messages += 1;
            bytes += enc.len();
            b.receive_sync_message(sb, automerge::sync::Message::decode(&enc).expect("msg")).expect("recv");
            quiet = false;
        }
        if let Some(m) = b.generate_sync_message(sb) {
            let enc = m.encode();
            messages += 1;
            bytes += enc.len();
            a.receive_sync_message(sa, automerge::sync::Message::decode(&enc).expect("msg")).expect("recv");
            quiet = false;
        }
        if quiet {
            return (messages, bytes);
        }
    }
}

/// A hub serving the stores in `dir`.
enum Hub {
    Process(std::process::Child),
    InProcess(#[allow(dead_code)] tokio::sync::oneshot::Sender<()>),
}

impl Drop for Hub {
    /// Stops the hub however the bench ends.
    fn drop(&mut self) {
        if let Hub::Process(child) = self {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts `samskap hub serve` on a free loopback port (its data in `dir`,
/// or in the PostgreSQL `database`); returns it and its URL.
fn spawn_hub(exe: &Path, dir: &Path, database: Option<&str>) -> anyhow::Result<(std::process::Child, String)> {
    let mut cmd = std::process::Command::new(exe);
    // Every simulated device connects from 127.0.0.1, as if behind one load balancer.
    cmd.args(["hub", "serve", "--listen", "127.0.0.1:0", "--connections-per-address", "100000", "--data"]).arg(dir);
    if let Some(url) = database {
        cmd.args(["--database", url]);
    }
    let mut child = cmd.stderr(std::process::Stdio::piped()).stdout(std::process::Stdio::null()).spawn()?;
    let url = {
        use std::io::{BufRead, BufReader};
        let mut line = String::new();
        BufReader::new(child.stderr.take().expect("stderr")).read_line(&mut line)?;
        line.split_whitespace().find(|w| w.starts_with("http")).unwrap_or_default().to_string()
    };
    if url.is_empty() {
        let _ = child.kill();
        anyhow::bail!("the hub in {} did not start", dir.display());
    }
    Ok((child, url))
}

/// Where the load test's hub keeps its data.
enum LoadHub<'a> {
    /// SQLite files, one process.
    Sqlite,
    /// `processes` hub processes on one PostgreSQL database.
    Postgres { url: &'a str, processes: usize },
}

/// Many devices syncing at once against hub processes of their own.
fn hub_load(exe: &Path, work: &Path, opts: &SyncBenchOptions, on: &LoadHub) -> anyhow::Result<HubLoad> {
    let (name, dir) = match on {
        LoadHub::Sqlite => ("load".to_string(), work.join("load-hub")),
        LoadHub::Postgres { processes, .. } => (format!("load-{processes}"), work.join(format!("load-pg-{processes}"))),
    };
    for d in ["hostile", "sample"]
        .iter()
        .map(|d| work.join(d))
        .chain((0..opts.devices).map(|i| work.join(format!("dev{i}"))))
    {
        let _ = std::fs::remove_dir_all(d);
    }
    let (invite, database) = match on {
        LoadHub::Sqlite => (SqliteHub::open(&dir)?.invite(&name)?, None),
        LoadHub::Postgres { url, .. } => (PgHub::open(url)?.invite(&name)?, Some(*url)),
    };
    let processes = match on {
        LoadHub::Sqlite => 1,
        LoadHub::Postgres { processes, .. } => (*processes).max(1),
    };
    let mut children = vec![];
    let mut urls = vec![];
    for _ in 0..processes {
        let (child, url) = spawn_hub(exe, &dir, database)?;
        children.push(child);
        urls.push(url);
    }
    let url = urls[0].clone();
    let result = (|| -> anyhow::Result<HubLoad> {
        let rt = rt();
        // The devices: each a real store that joins and logs one encounter
        // per round, each with the hub process it joined through.
        let mut stores = vec![];
        for i in 0..opts.devices {
            let mut s = device(&work.join(format!("dev{i}")), &format!("Enhet {i}"))?;
            s.set_durability(Durability::Normal)?;
            rt.block_on(client::join(&mut s, &urls[i % urls.len()], &invite))?;
            stores.push(s);
        }
        // The hostile device: a real member, so its garbage gets past the door.
        let mut evil = device(&work.join("hostile"), "Fiendtlig")?;
        rt.block_on(client::join(&mut evil, &url, &invite))?;
        drop(rt);
        let evil_token = evil.membership()?.token.unwrap_or_default();
        let sample = {
            let mut s = device(&work.join("sample"), "Prøve")?;
            s.set_workspace(evil.workspace_id()?, &name)?;
            let mut e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
            e.note = "ekte".into();
            s.create(&e)?;
            let mut session = crate::sync::ClientSession::new(&s, Some(crate::model::ReplicaId([0; 16])))?;
            match session.next(&mut s)? {
                crate::sync::Progress::Send(b) => b,
                crate::sync::Progress::Done => vec![],
            }
        };
        drop(evil);
        let running = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let hostile = {
            let (url, running) = (url.clone(), running.clone());
            std::thread::spawn(move || hostile_device(&url, &evil_token, &sample, &running))
        };

        // One OS thread per device, each syncing about every `interval`
        // (jittered) for its rounds; some connections are cut mid-flight.
        let t = Instant::now();
        let latencies = Arc::new(std::sync::Mutex::new((vec![], vec![])));
        let failures = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let dropped = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (rounds, interval) = (opts.rounds, std::time::Duration::from_millis(opts.interval_ms));
        let start = Arc::new(std::sync::Barrier::new(stores.len()));
        let handles: Vec<_> = stores
            .drain(..)
            .enumerate()
            .map(|(i, mut s)| {
                let (lat, fails, drops, url, start) =
                    (latencies.clone(), failures.clone(), dropped.clone(), urls[i % urls.len()].clone(), start.clone());
                std::thread::spawn(move || {
                    use std::sync::atomic::Ordering::Relaxed;
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                    // The devices stand in for tablets with their own CPUs:
                    // they yield the cores to the hub when it needs them.
                    lower_priority();
                    start.wait();
                    std::thread::sleep(interval.mul_f64(rand::random::<f64>()));
                    for r in 0..rounds {
                        let began = Instant::now();
                        let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Citizen);
                        e.note = format!("enhet {i} runde {r}");
                        if s.create(&e).is_err() {
                            fails.fetch_add(1, Relaxed);
                        }
                        if i % 10 == 3 && r == 1 {
                            // The connection drops before the answer arrives.
                            let cut = async {
                                tokio::time::timeout(
                                    std::time::Duration::from_micros(500),
                                    client::sync(&mut s, Some(&url)),
                                )
                                .await
                            };
                            if rt.block_on(cut).is_err() {
                                drops.fetch_add(1, Relaxed);
                            }
                        }
                        match rt.block_on(client::sync(&mut s, Some(&url))) {
                            // Each request as the transport timed it: sent, answered, read.
                            Ok(rep) => {
                                let mut lat = lat.lock().unwrap();
                                lat.0.extend(rep.request_us);
                                lat.1.extend(rep.peer_us);
                            }
                            Err(_) => drop(fails.fetch_add(1, Relaxed)),
                        }
                        let jitter = interval.mul_f64(0.5 + rand::random::<f64>());
                        std::thread::sleep(jitter.saturating_sub(began.elapsed()));
                    }
                    s
                })
            })
            .collect();
        for h in handles {
            if let Ok(s) = h.join() {
                stores.push(s);
            }
        }
        let seconds = t.elapsed().as_secs_f64();
        let (lat, hub_lat) = std::mem::take(&mut *latencies.lock().unwrap());
        let requests = lat.len();
        let failures = failures.load(std::sync::atomic::Ordering::Relaxed);
        running.store(false, std::sync::atomic::Ordering::Relaxed);
        let hostile = hostile.join().unwrap_or_default();
        // Every honest device's encounters must be on the hub, and, after
        // one more sync each, on every honest device.
        let expected = (opts.devices * opts.rounds) as u64;
        let rt = self::rt();
        let mut devices_converged = 0;
        for (i, s) in stores.iter_mut().enumerate() {
            for _ in 0..3 {
                let _ = rt.block_on(client::sync(s, Some(&urls[i % urls.len()])));
            }
            // The devices log nothing else, so every encounter is one of theirs.
            if s.counts().map(|c| c.encounters).unwrap_or(0) == expected {
                devices_converged += 1;
            }
        }
        // Each process's own peak.
        let peak = children.iter().map(|c| peak_rss_of(c.id())).fold(0.0, f64::max);
        drop(stores);
        for child in &mut children {
            child_stop(child);
        }
        let on_hub = match on {
            LoadHub::Sqlite => {
                let hub = SqliteHub::open(&dir)?;
                let ws = hub.workspace_id(&name)?;
                let on_hub = hub.replica(ws)?.lock().unwrap_or_else(|e| e.into_inner()).counts()?.encounters;
                on_hub
            }
            LoadHub::Postgres { url, .. } => PgHub::open(url)?.records(&name, RecordKind::Encounter)?,
        };
        Ok(HubLoad {
            devices: opts.devices,
            rounds_per_device: opts.rounds,
            seconds,
            requests,
            requests_per_s: requests as f64 / seconds,
            latency: Timing::of(if lat.is_empty() { vec![0.0] } else { lat }),
            hub_time: Timing::of(if hub_lat.is_empty() { vec![0.0] } else { hub_lat }),
            hub_peak_rss_mb: peak,
            records_expected: expected,
            records_on_hub: on_hub,
            lost_records: expected.saturating_sub(on_hub),
            failures,
            dropped_connections: dropped.load(std::sync::atomic::Ordering::Relaxed),
            devices_converged,
            hostile,
        })
    })();
    for child in &mut children {
        child_stop(child);
    }
    result
}

/// Lets the calling thread run only when the hub does not need the cores
/// (Linux `SCHED_IDLE`, per thread; else the lowest nice): a thousand
/// simulated tablets at nice 10 still outweigh the hub's few threads (and
/// its database's) a hundred to one, which no real tablet does.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: both calls only read their arguments; 0 names the calling thread.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        if libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 {
            libc::setpriority(libc::PRIO_PROCESS, 0, 19);
        }
    }
}

fn child_stop(child: &mut std::process::Child) {
    if child.try_wait().ok().flatten().is_none() {
        let _ = std::process::Command::new("kill").args(["-s", "INT", &child.id().to_string()]).status();
        let _ = child.wait();
    }
}

fn peak_rss_of(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Sends garbage as a joined device until `running` clears: random bytes,
/// a real frame cut short or with a flipped bit, a replayed request, a frame
/// over the size limit, a wrong credential, and bursts past the rate limit.
fn hostile_device(url: &str, token: &str, sample: &[u8], running: &std::sync::atomic::AtomicBool) -> Hostile {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build().expect("client");
    let endpoint = format!("{url}/v1/sync");
    let mut out = Hostile::default();
    let mut i = 0usize;
    while running.load(std::sync::atomic::Ordering::Relaxed) {
        let oversized = i % 7 == 4 && i % 70 == 4;
        let (body, auth): (Vec<u8>, &str) = match i % 7 {
            0 => ((0..512).map(|_| rand::random::<u8>()).collect(), token),
            1 => (sample[..sample.len() / 2].to_vec(), token),
            2 => {
                let mut b = sample.to_vec();
                let at = b.len() / 2;
                b[at] ^= 0x40;
                (b, token)
            }
            3 => (sample.to_vec(), token),
            4 if i % 70 == 4 => (vec![0u8; crate::sync::MAX_FRAME + 1], token),
            5 => (sample.to_vec(), "not-a-token"),
            _ => (sample.to_vec(), token),
        };
        let sent = rt.block_on(async { http.post(&endpoint).bearer_auth(auth).body(body).send().await });
        out.requests += 1;
        match sent {
            Ok(r) => {
                let code = r.status().as_u16();
                *out.statuses.entry(code).or_default() += 1;
                if code >= 500 {
                    out.hub_faults += 1;
                }
            }
            // The hub answers 413 from the declared length and closes the
            // connection without reading the body, so the sender may see the
            // connection close mid-upload: a refusal, if the hub still answers.
            Err(_) if oversized && rt.block_on(async { http.get(format!("{url}/v1/health")).send().await.is_ok() }) => {
                out.refused_unread += 1
            }
            Err(_) => out.hub_faults += 1,
        }
        i += 1;
        // Bursts: mostly back to back, now and then a pause.
        if i.is_multiple_of(50) {
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
    out
}
