//! Samskap's benchmarks, each figure beside the lower bound measured in the
//! same run: the store ([`store`]), sync against real hubs ([`sync`]), the
//! effect report and exports ([`report`]), encryption at rest
//! ([`at_rest`]), a record edited for years ([`history`]). They use only the core's public API; the core ships none
//! of this. The `samskap-bench` binary prints them (`samskap bench …`
//! forwards to it).

pub mod at_rest;
pub mod growth;
pub mod history;
pub mod report;
pub mod store;
pub mod sync;

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

pub use store::{plain_db, plain_insert, probe_open_and_list, run, BenchOptions, BenchReport, Probe, StoreFigures};

/// Why a benchmark could not run, or found a promise broken.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(
        "the hub executable {0} is missing; build it with `cargo build --release -p samskap` or pass --hub-exe PATH"
    )]
    NoHubExe(PathBuf),
    #[error("the memory probe failed: {0}")]
    Probe(String),
    #[error("{0} records were lost under load")]
    LostRecords(u64),
    #[error("only {converged} of {devices} devices converged")]
    NotConverged { converged: usize, devices: usize },
    #[error("the hostile device caused {0} hub faults")]
    HubFaults(usize),
    #[error("the tablet that was away through the compactions did not converge")]
    HistoryDiverged,
}

/// Microseconds over repeated runs.
#[derive(Debug, Serialize, Clone, Copy)]
pub struct Timing {
    pub median_us: f64,
    pub p95_us: f64,
    pub p99_us: f64,
    pub samples: usize,
}

impl Timing {
    pub fn of(mut us: Vec<f64>) -> Timing {
        us.sort_by(f64::total_cmp);
        let at = |q: f64| us[((us.len() - 1) as f64 * q).round() as usize];
        Timing { median_us: at(0.5), p95_us: at(0.95), p99_us: at(0.99), samples: us.len() }
    }
}

/// Runs `f`; returns its result and how long it took in microseconds.
fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed().as_secs_f64() * 1e6)
}

/// Peak resident memory of this process (Linux: VmHWM), in MB.
pub fn peak_rss_mb() -> f64 {
    peak_rss_in("/proc/self/status")
}

/// Peak resident memory of process `pid` (Linux: VmHWM), in MB.
fn peak_rss_of(pid: u32) -> f64 {
    peak_rss_in(&format!("/proc/{pid}/status"))
}

fn peak_rss_in(status: &str) -> f64 {
    std::fs::read_to_string(status)
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}
