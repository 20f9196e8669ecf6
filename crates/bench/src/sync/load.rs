//! The hub under load: many devices syncing at once against hub processes
//! of their own, some connections cut mid-flight, and one joined device
//! sending garbage all through the run.

use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use samskap::model::*;
use samskap::net::client;
use samskap::net::hub::{HubAdmin, SqliteHub};
use samskap::net::pg::PgHub;
use samskap::store::{Durability, Store};
use samskap::sync::{ClientSession, Progress, MAX_FRAME};

use super::tablet_cpu::{TabletCpu, TABLET_NICE};
use super::{device, rt, spawn_hub, Hostile, HubLoad, SyncBenchOptions};
use crate::{peak_rss_of, Timing};

/// Where the load test's hub keeps its data.
pub(super) enum LoadHub<'a> {
    /// SQLite files, one process.
    Sqlite,
    /// `processes` hub processes on one PostgreSQL database.
    Postgres { url: &'a str, processes: usize },
}

impl LoadHub<'_> {
    /// The workspace's name and the hub's data folder.
    fn place(&self, work: &Path) -> (String, PathBuf) {
        match self {
            LoadHub::Sqlite => ("load".to_string(), work.join("load-hub")),
            LoadHub::Postgres { processes, .. } => {
                (format!("load-{processes}"), work.join(format!("load-pg-{processes}")))
            }
        }
    }

    fn database(&self) -> Option<&str> {
        match self {
            LoadHub::Sqlite => None,
            LoadHub::Postgres { url, .. } => Some(url),
        }
    }

    fn processes(&self) -> usize {
        match self {
            LoadHub::Sqlite => 1,
            LoadHub::Postgres { processes, .. } => (*processes).max(1),
        }
    }
}

/// Many devices syncing at once against hub processes of their own.
pub(super) fn hub_load(exe: &Path, work: &Path, opts: &SyncBenchOptions, on: &LoadHub) -> anyhow::Result<HubLoad> {
    let (name, dir) = on.place(work);
    for d in ["hostile", "sample", "audit"]
        .iter()
        .map(|d| work.join(d))
        .chain((0..opts.devices).map(|i| work.join(format!("dev{i}"))))
    {
        let _ = std::fs::remove_dir_all(d);
    }
    let invite = match on {
        LoadHub::Sqlite => SqliteHub::open(&dir)?.invite(&name)?,
        LoadHub::Postgres { url, .. } => PgHub::open(url)?.invite(&name)?,
    };
    let mut hubs = Hubs { children: vec![], urls: vec![] };
    for _ in 0..on.processes() {
        let (child, url) = spawn_hub(exe, &dir, on.database())?;
        hubs.children.push(child);
        hubs.urls.push(url);
    }
    let cpu = Arc::new(TabletCpu::new());
    let load = Load { work, opts, name: &name, invite: &invite, urls: &hubs.urls, cpu: cpu.clone() };
    let (mut figures, stores) = load.run()?;
    figures.hub_peak_rss_mb = hubs.peak_rss_mb();
    drop(stores);
    figures.records_on_hub = match on {
        LoadHub::Sqlite => {
            // The SQLite hub's files open only once its process is gone.
            hubs.stop();
            let hub = SqliteHub::open(&dir)?;
            let replica = hub.replica(hub.workspace_id(&name)?)?;
            let on_hub = replica.lock().unwrap_or_else(|e| e.into_inner()).counts()?.encounters;
            on_hub
        }
        LoadHub::Postgres { .. } => read_all(work, &hubs.urls[0], &invite)?,
    };
    figures.lost_records = figures.records_expected.saturating_sub(figures.records_on_hub);
    Ok(figures)
}

/// The hub processes of one load test, stopped however it ends.
struct Hubs {
    children: Vec<Child>,
    urls: Vec<String>,
}

impl Hubs {
    /// Each process's own peak.
    fn peak_rss_mb(&self) -> f64 {
        self.children.iter().map(|c| peak_rss_of(c.id())).fold(0.0, f64::max)
    }

    fn stop(&mut self) {
        for child in &mut self.children {
            if child.try_wait().ok().flatten().is_none() {
                let _ = std::process::Command::new("kill").args(["-s", "INT", &child.id().to_string()]).status();
                let _ = child.wait();
            }
        }
    }
}

impl Drop for Hubs {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One load test's setting: device `i` syncs through `urls[i % urls.len()]`.
struct Load<'a> {
    work: &'a Path,
    opts: &'a SyncBenchOptions,
    name: &'a str,
    invite: &'a str,
    urls: &'a [String],
    /// Where the tablets' threads run.
    cpu: Arc<TabletCpu>,
}

/// What the devices' threads count, shared between them.
#[derive(Default)]
struct Tally {
    /// Per request: as the device saw it, and as the hub measured it.
    latencies: Mutex<(Vec<f64>, Vec<f64>)>,
    failures: AtomicUsize,
    dropped: AtomicUsize,
}

impl Load<'_> {
    fn url(&self, i: usize) -> &str {
        &self.urls[i % self.urls.len()]
    }

    /// Joins the devices, runs their rounds beside the hostile device, and
    /// syncs each once more; returns the figures (all but the hub's own) and
    /// the devices' stores.
    fn run(&self) -> anyhow::Result<(HubLoad, Vec<Store>)> {
        let (stores, evil) = self.join()?;
        let (token, sample) = (evil.membership()?.token.unwrap_or_default(), self.hostile_sample(&evil)?);
        drop(evil);
        let running = Arc::new(AtomicBool::new(true));
        let hostile = {
            let (url, running, cpu) = (self.urls[0].clone(), running.clone(), self.cpu.clone());
            std::thread::spawn(move || {
                cpu.enter(false);
                hostile_device(&url, &token, &sample, &running)
            })
        };
        let tally = Arc::new(Tally::default());
        let t = Instant::now();
        let mut stores = self.drive(stores, &tally);
        let seconds = t.elapsed().as_secs_f64();
        let (lat, hub_lat) = std::mem::take(&mut *tally.latencies.lock().unwrap());
        let requests = lat.len();
        running.store(false, Relaxed);
        let hostile = hostile.join().unwrap_or_default();
        let records_expected = (self.opts.devices * self.opts.rounds) as u64;
        let devices_converged = self.converged(&mut stores, records_expected);
        let figures = HubLoad {
            devices: self.opts.devices,
            rounds_per_device: self.opts.rounds,
            tablets_nice: TABLET_NICE,
            tablets_cpu: self.cpu.how(),
            seconds,
            requests,
            requests_per_s: requests as f64 / seconds,
            latency: Timing::of(if lat.is_empty() { vec![0.0] } else { lat }),
            hub_time: Timing::of(if hub_lat.is_empty() { vec![0.0] } else { hub_lat }),
            hub_peak_rss_mb: 0.0,
            records_expected,
            records_on_hub: 0,
            lost_records: 0,
            failures: tally.failures.load(Relaxed),
            dropped_connections: tally.dropped.load(Relaxed),
            devices_converged,
            hostile,
        };
        Ok((figures, stores))
    }

    /// The devices, each a real store that joins through its hub process,
    /// and the hostile device: a real member, so its garbage gets past the door.
    fn join(&self) -> anyhow::Result<(Vec<Store>, Store)> {
        let rt = rt();
        let mut stores = vec![];
        for i in 0..self.opts.devices {
            let mut s = device(&self.work.join(format!("dev{i}")), &format!("Enhet {i}"))?;
            s.set_durability(Durability::Normal)?;
            rt.block_on(client::join(&mut s, self.url(i), self.invite))?;
            stores.push(s);
        }
        let mut evil = device(&self.work.join("hostile"), "Fiendtlig")?;
        rt.block_on(client::join(&mut evil, &self.urls[0], self.invite))?;
        Ok((stores, evil))
    }

    /// A real sync request of the workspace, for the hostile device to mangle and replay.
    fn hostile_sample(&self, evil: &Store) -> anyhow::Result<Vec<u8>> {
        let mut s = device(&self.work.join("sample"), "Prøve")?;
        s.set_workspace(evil.workspace_id()?, self.name)?;
        let mut e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
        e.note = "ekte".into();
        s.create(&e)?;
        let mut session = ClientSession::new(&s, Some(samskap::model::ReplicaId([0; 16])))?;
        Ok(match session.next(&mut s)? {
            Progress::Send(b) => b,
            Progress::Done => vec![],
        })
    }

    /// One OS thread per device, each syncing about every `interval`
    /// (jittered) for its rounds, all starting together; returns the stores
    /// of the threads that finished.
    fn drive(&self, stores: Vec<Store>, tally: &Arc<Tally>) -> Vec<Store> {
        let (rounds, interval) = (self.opts.rounds, Duration::from_millis(self.opts.interval_ms));
        let start = Arc::new(Barrier::new(stores.len()));
        let handles: Vec<_> = stores
            .into_iter()
            .enumerate()
            .map(|(i, mut s)| {
                let (tally, url, start) = (tally.clone(), self.url(i).to_string(), start.clone());
                let cpu = self.cpu.clone();
                std::thread::spawn(move || {
                    cpu.enter(true);
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                    start_together(&start, interval);
                    for r in 0..rounds {
                        device_round(&rt, (i, r), &mut s, &url, interval, &tally);
                    }
                    s
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    }

    /// Every honest device's encounters must be on the hub, and then on
    /// every honest device: how many have them all. Two passes, as tablets
    /// coming back to the network would: first each device sends what a
    /// round left unsent (a sync that failed under load keeps its records
    /// on the device), then each fetches everything and is counted.
    fn converged(&self, stores: &mut [Store], expected: u64) -> usize {
        let rt = rt();
        for (i, s) in stores.iter_mut().enumerate() {
            let _ = rt.block_on(client::sync(s, Some(self.url(i))));
        }
        let mut converged = 0;
        for (i, s) in stores.iter_mut().enumerate() {
            let _ = rt.block_on(client::sync(s, Some(self.url(i))));
            // The devices log nothing else, so every encounter is one of theirs.
            if s.counts().map(|c| c.encounters).unwrap_or(0) == expected {
                converged += 1;
            }
        }
        converged
    }
}

/// A device's thread before its first round: all start at once, then
/// each waits a random part of the interval.
fn start_together(start: &Barrier, interval: Duration) {
    start.wait();
    std::thread::sleep(interval.mul_f64(rand::random::<f64>()));
}

/// One round of device `i`: log an encounter, sync (device 3 of every ten
/// has its second round's connection cut first, and retries), then wait
/// out the jittered interval.
fn device_round(
    rt: &tokio::runtime::Runtime,
    (i, r): (usize, usize),
    s: &mut Store,
    url: &str,
    interval: Duration,
    tally: &Tally,
) {
    let began = Instant::now();
    let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Citizen);
    e.note = format!("enhet {i} runde {r}");
    if s.create(&e).is_err() {
        tally.failures.fetch_add(1, Relaxed);
    }
    if i % 10 == 3 && r == 1 {
        // The connection drops before the answer arrives.
        let cut = async { tokio::time::timeout(Duration::from_micros(500), client::sync(s, Some(url))).await };
        if rt.block_on(cut).is_err() {
            tally.dropped.fetch_add(1, Relaxed);
        }
    }
    match rt.block_on(client::sync(s, Some(url))) {
        // Each request as the transport timed it: sent, answered, read.
        Ok(rep) => {
            let mut lat = tally.latencies.lock().unwrap();
            lat.0.extend(rep.request_us);
            lat.1.extend(rep.peer_us);
        }
        Err(_) => drop(tally.failures.fetch_add(1, Relaxed)),
    }
    let jitter = interval.mul_f64(0.5 + rand::random::<f64>());
    std::thread::sleep(jitter.saturating_sub(began.elapsed()));
}

/// The encounters a hub on PostgreSQL holds: it keeps no records, only
/// their chunks, so a fresh device reads the whole log from it and counts.
fn read_all(work: &Path, url: &str, invite: &str) -> anyhow::Result<u64> {
    let rt = rt();
    let mut audit = device(&work.join("audit"), "Revisor")?;
    audit.set_durability(Durability::Normal)?;
    rt.block_on(client::join(&mut audit, url, invite))?;
    rt.block_on(client::sync(&mut audit, None))?;
    Ok(audit.counts()?.encounters)
}

/// Sends garbage as a joined device until `running` clears: random bytes,
/// a real frame cut short or with a flipped bit, a replayed request, a frame
/// over the size limit, a wrong credential, and bursts past the rate limit.
fn hostile_device(url: &str, token: &str, sample: &[u8], running: &AtomicBool) -> Hostile {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
    let endpoint = format!("{url}/v1/sync");
    let mut out = Hostile::default();
    let mut i = 0usize;
    while running.load(Relaxed) {
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
            4 if i % 70 == 4 => (vec![0u8; MAX_FRAME + 1], token),
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
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    out
}
