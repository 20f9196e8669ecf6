//! `samskap bench sync`: what sync costs against a real hub on loopback,
//! each figure beside its lower bound measured in the same run.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use automerge::sync::{State, SyncDoc};

use samskap::demo::{self, DemoOptions};
use samskap::model::*;
use samskap::net::hub::{HubAdmin, HubStorage, SqliteHub};
use samskap::net::pg::PgHub;
use samskap::net::{client, server};
use samskap::store::{Durability, InitOptions, Store};
use serde::Serialize;

use crate::{BenchError, Timing};
use load::{hub_load, LoadHub};
pub use sizes::{separate_docs_bytes, stored_change_bytes};

mod load;
mod sizes;
mod tablet_cpu;

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
    /// Lower bound: the same rows and a search index over the same texts
    /// loaded into plain SQLite tables, in one transaction, durably.
    pub plain_bulk_load_seconds: f64,
    /// `seconds` over that lower bound.
    pub vs_plain_bulk_load: f64,
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
    /// The CPU priority the simulated tablets ran at (`nice`; the hub
    /// processes and PostgreSQL keep 0).
    pub tablets_nice: i32,
    /// How the tablets were kept off the hub's cores: in a CPU group of
    /// their own, or by thread priorities only (see `sync::tablet_cpu`).
    pub tablets_cpu: &'static str,
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

pub(crate) fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime")
}

/// Starts a hub in this process; returns its URL and a stop handle.
pub(crate) fn start_hub<H: HubStorage>(
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

fn device(dir: &Path, name: &str) -> samskap::store::Result<Store> {
    Store::init(dir, &InitOptions { staff: name.into(), branch: "Vadsø".into(), workspace_name: String::new() })
}

/// Every sync figure. The hubs run as `hub_exe` (the `samskap`
/// executable); without it the hub runs in this process and the load tests
/// are left out.
pub fn run(opts: &SyncBenchOptions, hub_exe: Option<&Path>) -> anyhow::Result<SyncBenchReport> {
    let work = match &opts.work {
        Some(w) => w.clone(),
        None => tempfile::Builder::new().prefix("samskap-bench-sync").tempdir()?.keep(),
    };
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let rt = rt();
    let (invite, sizes) = seed_hub(&work.join("hub"), opts.records)?;
    // The same workspace on PostgreSQL, moved there as a county would move it.
    let pg = match &opts.postgres {
        Some(target) => {
            let pg = PgSetup::start(target)?;
            samskap::net::pg::migrate::migrate(&work.join("hub"), &pg.url, None, |_| {})?;
            Some(pg)
        }
        None => None,
    };
    let mut fresh = device(&work.join("fresh"), "Ny")?;
    let (first, noop, ten) = {
        // The hub in its own process, as `samskap hub serve` runs it (in this
        // one when there is no executable to start, as under `cargo test`).
        let (url, _server) = match hub_exe {
            Some(exe) => {
                let (child, url) = spawn_hub(exe, &work.join("hub"), None)?;
                (url, Hub::Process(child))
            }
            None => {
                let (url, stop) = start_hub(&rt, Arc::new(SqliteHub::open(&work.join("hub"))?));
                (url, Hub::InProcess(stop))
            }
        };
        rt.block_on(client::join(&mut fresh, &url, &invite))?;
        (first_sync(&rt, &mut fresh, sizes)?, noop(&rt, &mut fresh)?, ten_new(&rt, &mut fresh)?)
    };
    let first_sync_postgres = match &pg {
        Some(pg) => Some(first_sync_postgres(&rt, hub_exe, &work, pg, first.seconds)?),
        None => None,
    };
    drop(rt);
    let (hub_load, hub_load_postgres) = match hub_exe {
        Some(exe) if opts.devices > 0 => loads(exe, &work, opts, pg.as_ref())?,
        _ => (None, None),
    };
    drop(pg);
    drop(fresh);
    if opts.work.is_none() {
        // A 100,000-record run leaves ~150 MB of stores.
        let _ = std::fs::remove_dir_all(&work);
    }
    let noop = Noop { automerge_per_doc: automerge_baseline(opts.baseline_docs), ..noop };
    Ok(SyncBenchReport {
        records: opts.records,
        first_sync: first,
        noop,
        ten_new: ten,
        hub_load,
        first_sync_postgres,
        hub_load_postgres,
    })
}

/// What the records take before any sync (lower bound and reference).
#[derive(Clone, Copy)]
struct Sizes {
    stored_change_bytes: u64,
    separate_docs: u64,
    plain_bulk_load_seconds: f64,
}

/// A SQLite hub in `dir` whose workspace "bench" holds the demo records
/// (closed again when this returns); returns an invite and their sizes.
fn seed_hub(dir: &Path, records: usize) -> anyhow::Result<(String, Sizes)> {
    let hub = SqliteHub::open(dir)?;
    let invite = hub.invite("bench")?;
    let replica = hub.replica(hub.workspace_id("bench")?)?;
    let mut store = replica.lock().unwrap_or_else(|e| e.into_inner());
    store.set_durability(Durability::Normal)?;
    let opts = DemoOptions { encounters: records, seed: 7 };
    demo::fill(&mut store, &opts)?;
    store.set_durability(Durability::Full)?;
    let data = demo::generate(&opts, store.my_profile());
    let plain_bulk_load_seconds = crate::store::plain_bulk_load(&dir.with_file_name("plain-bulk.db"), &data)?;
    drop(data);
    let sizes = Sizes {
        stored_change_bytes: stored_change_bytes(&store)?,
        separate_docs: separate_docs_bytes(&store)?,
        plain_bulk_load_seconds,
    };
    Ok((invite, sizes))
}

/// A fresh (joined) device's first sync.
fn first_sync(rt: &tokio::runtime::Runtime, fresh: &mut Store, sizes: Sizes) -> anyhow::Result<FirstSync> {
    let t = Instant::now();
    let first = rt.block_on(client::sync(fresh, None))?;
    let seconds = t.elapsed().as_secs_f64();
    Ok(FirstSync {
        seconds,
        index_seconds: first.index_ms / 1e3,
        hub_seconds: first.request_us.iter().sum::<f64>() / 1e6,
        hub_own_seconds: first.peer_us.iter().sum::<f64>() / 1e6,
        round_trips: first.round_trips,
        bytes_down: first.bytes_received,
        bytes_up: first.bytes_sent,
        stored_change_bytes: sizes.stored_change_bytes,
        separate_docs_uncompressed_bytes: sizes.separate_docs,
        plain_bulk_load_seconds: sizes.plain_bulk_load_seconds,
        vs_plain_bulk_load: seconds / sizes.plain_bulk_load_seconds,
    })
}

/// Syncs when nothing changed (the Automerge baseline is left empty).
fn noop(rt: &tokio::runtime::Runtime, fresh: &mut Store) -> anyhow::Result<Noop> {
    let mut noop_us = vec![];
    let mut noop = None;
    for _ in 0..20 {
        let t = Instant::now();
        let r = rt.block_on(client::sync(fresh, None))?;
        noop_us.push(t.elapsed().as_secs_f64() * 1e6);
        noop = Some(r);
    }
    let noop = noop.expect("ran");
    Ok(Noop {
        round_trips: noop.round_trips,
        bytes_up: noop.bytes_sent,
        bytes_down: noop.bytes_received,
        us: Timing::of(noop_us),
        automerge_per_doc: AutomergeBaseline { docs: 0, messages: 0, bytes: 0, ms: 0.0 },
    })
}

/// A sync after ten new encounters, beside the changes' own bytes.
fn ten_new(rt: &tokio::runtime::Runtime, fresh: &mut Store) -> anyhow::Result<TenNew> {
    let before = fresh.log_head()?;
    for i in 0..10 {
        let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Citizen);
        e.place = "Vadsø torg".into();
        e.note = format!("Ny idé nummer {i}: strikkekafé på lørdager med husflidslaget.");
        fresh.create(&e)?;
    }
    let change_bytes = fresh.log_since(before, None, usize::MAX)?.batch.chunks.iter().map(|c| c.bytes.len()).sum();
    let t = Instant::now();
    let ten = rt.block_on(client::sync(fresh, None))?;
    Ok(TenNew {
        ms: t.elapsed().as_secs_f64() * 1e3,
        round_trips: ten.round_trips,
        bytes_up: ten.bytes_sent,
        bytes_down: ten.bytes_received,
        change_bytes,
        ratio: (ten.bytes_sent + ten.bytes_received) as f64 / change_bytes as f64,
    })
}

/// The load tests: on the SQLite hub, and with PostgreSQL on two hub
/// processes and on one.
fn loads(
    exe: &Path,
    work: &Path,
    opts: &SyncBenchOptions,
    pg: Option<&PgSetup>,
) -> anyhow::Result<(Option<HubLoad>, Option<PostgresLoad>)> {
    let sqlite = hub_load(exe, work, opts, &LoadHub::Sqlite)?;
    let Some(pg) = pg else { return Ok((Some(sqlite), None)) };
    let two = hub_load(exe, work, opts, &LoadHub::Postgres { url: &pg.url, processes: 2 })?;
    let one = hub_load(exe, work, opts, &LoadHub::Postgres { url: &pg.url, processes: 1 })?;
    let postgres = PostgresLoad {
        throughput_ratio: two.requests_per_s / one.requests_per_s,
        hub_p99_ratio: two.hub_time.p99_us / one.hub_time.p99_us,
        two_processes: two,
        one_process: one,
    };
    Ok((Some(sqlite), Some(postgres)))
}

/// The load test's promises, checked rather than only printed: nothing
/// lost, every device converged, no hub fault from the hostile device.
pub fn check(report: &SyncBenchReport) -> Result<(), BenchError> {
    let pg = report.hub_load_postgres.iter().flat_map(|p| [&p.two_processes, &p.one_process]);
    for l in report.hub_load.iter().chain(pg) {
        if l.lost_records != 0 {
            return Err(BenchError::LostRecords(l.lost_records));
        }
        if l.devices_converged != l.devices {
            return Err(BenchError::NotConverged { converged: l.devices_converged, devices: l.devices });
        }
        if l.hostile.hub_faults != 0 {
            return Err(BenchError::HubFaults(l.hostile.hub_faults));
        }
    }
    Ok(())
}

/// A PostgreSQL for the benchmark: its address, and the throwaway cluster
/// behind it (stopped and removed when this is dropped).
struct PgSetup {
    url: String,
    #[cfg(target_os = "linux")]
    _cluster: Option<samskap::net::pg::cluster::Cluster>,
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
                let cluster = samskap::net::pg::cluster::Cluster::start()?;
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
        let mut a = samskap::doc::new_doc(&actor);
        samskap::doc::write(&mut a, &e, None, &samskap::doc::ChangeMeta::default(), false).expect("write");
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
