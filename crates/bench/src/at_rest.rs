//! `samskap bench at-rest`: what encryption at rest costs, as ratios of the
//! same work in one run: logging an encounter (durably) into a plain and an
//! encrypted store, interleaved; and a device's first full sync from a hub,
//! with both ends plain and with both ends encrypted.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use samskap::demo::{self, DemoOptions};
use samskap::model::*;
use samskap::net::{client, hub::SqliteHub};
use samskap::store::{DbKey, Durability, InitOptions, Store};
use serde::Serialize;

use crate::sync::{rt, start_hub};
use crate::Timing;

pub struct AtRestOptions {
    /// Records on the hub for the full sync.
    pub records: usize,
    pub writes: usize,
    pub work: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
pub struct AtRestReport {
    pub records: usize,
    pub log_plain: Timing,
    pub log_encrypted: Timing,
    /// Median encrypted / median plain.
    pub log_ratio: f64,
    pub full_sync_plain_s: f64,
    pub full_sync_encrypted_s: f64,
    pub full_sync_ratio: f64,
}

fn init(name: &str) -> InitOptions {
    InitOptions { staff: name.into(), branch: "Vadsø".into(), workspace_name: String::new() }
}

pub fn run(opts: &AtRestOptions) -> anyhow::Result<AtRestReport> {
    let work = match &opts.work {
        Some(w) => w.clone(),
        None => tempfile::Builder::new().prefix("samskap-bench-at-rest").tempdir()?.keep(),
    };
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let key = DbKey::random();

    // Logging: the same encounters into both stores, one after the other.
    let mut plain = Store::init(&work.join("log-plain"), &init("Kari"))?;
    let mut sealed = Store::init_keyed(&work.join("log-encrypted"), &init("Kari"), Some(&key))?;
    for s in [&mut plain, &mut sealed] {
        s.set_durability(Durability::Normal)?;
        demo::fill(s, &DemoOptions { encounters: 2_000, seed: 3 })?;
        s.set_durability(Durability::Full)?;
    }
    let (mut lp, mut le) = (vec![], vec![]);
    for i in 0..opts.writes {
        let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Association);
        e.place = "Vadsø torg".into();
        e.note = format!("Møte {i}: lesesirkel for nye i bygda, med kaffe.");
        for (store, times) in [(&mut plain, &mut lp), (&mut sealed, &mut le)] {
            let t = Instant::now();
            store.create(&e)?;
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    drop((plain, sealed));
    let (log_plain, log_encrypted) = (Timing::of(lp), Timing::of(le));

    // A full sync, each side plain or each side encrypted.
    let mut secs = vec![];
    for (name, key) in [("plain", None), ("encrypted", Some(key.clone()))] {
        let hub = Arc::new(SqliteHub::open_keyed(&work.join(format!("hub-{name}")), key.clone())?);
        let invite = hub.invite("bench")?;
        {
            let replica = hub.replica(hub.workspace_id("bench")?)?;
            let mut store = replica.lock().unwrap_or_else(|e| e.into_inner());
            store.set_durability(Durability::Normal)?;
            demo::fill(&mut store, &DemoOptions { encounters: opts.records, seed: 7 })?;
            store.set_durability(Durability::Full)?;
        }
        let rt = rt();
        let (url, stop) = start_hub(&rt, hub);
        let mut device = Store::init_keyed(&work.join(format!("device-{name}")), &init("Ny"), key.as_ref())?;
        rt.block_on(client::join(&mut device, &url, &invite))?;
        let t = Instant::now();
        rt.block_on(client::sync(&mut device, None))?;
        secs.push(t.elapsed().as_secs_f64());
        drop(stop);
    }
    if opts.work.is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
    Ok(AtRestReport {
        records: opts.records,
        log_ratio: log_encrypted.median_us / log_plain.median_us,
        log_plain,
        log_encrypted,
        full_sync_plain_s: secs[0],
        full_sync_encrypted_s: secs[1],
        full_sync_ratio: secs[1] / secs[0],
    })
}
