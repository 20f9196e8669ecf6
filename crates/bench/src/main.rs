//! `samskap-bench`: runs a benchmark of [`samskap_bench`] and prints its
//! figures (`samskap bench …` runs this executable).

mod args;
mod render;

use std::path::PathBuf;

use anyhow::Result;
use clap::Parser;
use samskap_bench::{at_rest, report, sync, BenchError};

use args::{BenchArgs, BenchWhat, Cli};

#[global_allocator]
static ALLOCATOR: samskap::Allocator = samskap::Allocator;

fn main() -> Result<()> {
    let Cli { json, bench: b, .. } = Cli::parse();
    if let Some(dir) = b.probe {
        return render::json(&samskap_bench::probe_open_and_list(&dir)?);
    }
    match b.what {
        BenchWhat::Sync => bench_sync(b),
        BenchWhat::AtRest => {
            let opts = at_rest::AtRestOptions { records: b.records, writes: b.writes, work: b.work };
            render::json(&at_rest::run(&opts)?)
        }
        BenchWhat::Report => {
            let opts = report::ReportBenchOptions { records: b.records, work: b.work, runs: 15 };
            let report = report::run(&opts)?;
            if json {
                render::json(&report)
            } else {
                render::bench_report(&report)
            }
        }
        BenchWhat::Store => bench_store(b),
    }
}

fn bench_sync(b: BenchArgs) -> Result<()> {
    let hub_exe = match b.hub_exe {
        Some(exe) => exe,
        None => beside_me("samskap")?,
    };
    if !hub_exe.is_file() {
        return Err(BenchError::NoHubExe(hub_exe).into());
    }
    let opts = sync::SyncBenchOptions {
        records: b.records,
        baseline_docs: b.baseline_docs,
        devices: b.devices,
        rounds: b.rounds,
        interval_ms: b.interval_ms,
        work: b.work,
        postgres: match (b.postgres, b.database) {
            (_, Some(url)) => Some(sync::PgTarget::Database(url)),
            (true, None) => Some(sync::PgTarget::Throwaway),
            (false, None) => None,
        },
    };
    let report = sync::run(&opts, Some(&hub_exe))?;
    render::json(&report)?;
    Ok(sync::check(&report)?)
}

fn bench_store(b: BenchArgs) -> Result<()> {
    let opts = samskap_bench::BenchOptions { records: b.records, writes: b.writes, work: b.work };
    let mut report = samskap_bench::run(&opts)?;
    // Peak memory is measured in a fresh process that only opens, lists and searches.
    let out = std::process::Command::new(std::env::current_exe()?).arg("--probe").arg(&report.store.dir).output()?;
    if !out.status.success() {
        return Err(BenchError::Probe(String::from_utf8_lossy(&out.stderr).into_owned()).into());
    }
    report.open_and_list = Some(serde_json::from_slice(&out.stdout)?);
    render::json(&report)
}

/// The executable `name` in this executable's folder (where cargo builds both).
fn beside_me(name: &str) -> Result<PathBuf> {
    let me = std::env::current_exe()?;
    Ok(me.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX)))
}
