//! `samskap-bench`: runs a benchmark of [`samskap_bench`] and prints its
//! figures (`samskap bench …` runs this executable).

mod args;
mod render;

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Parser;
use samskap_bench::{at_rest, growth, history, report, sync, BenchError};

use args::{BenchArgs, BenchWhat, Cli};

#[global_allocator]
static ALLOCATOR: samskap::Allocator = samskap::Allocator;

fn main() -> Result<()> {
    let Cli { json, bench: b, .. } = Cli::parse();
    if let Some(dir) = &b.probe {
        return render::json(&samskap_bench::probe_open_and_list(dir)?);
    }
    let mut sizes = b.records.clone();
    sizes.sort_unstable();
    sizes.dedup();
    if let [records] = sizes[..] {
        return measure(&b, records, b.work.clone())?.show(json);
    }
    // A growth curve: the same benchmark at every size, each in its own folder.
    let mut runs = vec![];
    for &records in &sizes {
        let work = b.work.as_ref().map(|w| w.join(records.to_string()));
        eprintln!("samskap-bench: {records} records…");
        runs.push(measure(&b, records, work)?.value()?);
    }
    let curves = growth::growth(&sizes, runs);
    if json {
        render::json(&curves)
    } else {
        print!("{}", growth::table(&curves));
        Ok(())
    }
}

/// One benchmark's figures.
enum Measured {
    Sync(Box<sync::SyncBenchReport>),
    Store(samskap_bench::BenchReport),
    Report(report::ReportBench),
    AtRest(at_rest::AtRestReport),
    History(history::HistoryReport),
}

impl Measured {
    fn value(&self) -> Result<serde_json::Value> {
        Ok(match self {
            Measured::Sync(r) => serde_json::to_value(r)?,
            Measured::Store(r) => serde_json::to_value(r)?,
            Measured::Report(r) => serde_json::to_value(r)?,
            Measured::AtRest(r) => serde_json::to_value(r)?,
            Measured::History(r) => serde_json::to_value(r)?,
        })
    }

    fn show(&self, json: bool) -> Result<()> {
        match self {
            Measured::Report(r) if !json => render::bench_report(r),
            _ => render::json(&self.value()?),
        }
    }
}

/// Runs the benchmark `b` asks for at `records`; a promise it checks
/// (nothing lost, every device converged) fails it after its figures are printed.
fn measure(b: &BenchArgs, records: usize, work: Option<PathBuf>) -> Result<Measured> {
    Ok(match b.what {
        BenchWhat::Sync => {
            let report = bench_sync(b, records, work)?;
            if let Err(e) = sync::check(&report) {
                render::json(&report)?;
                return Err(e.into());
            }
            Measured::Sync(Box::new(report))
        }
        BenchWhat::AtRest => {
            let opts = at_rest::AtRestOptions { records, writes: b.writes, work };
            Measured::AtRest(at_rest::run(&opts)?)
        }
        BenchWhat::History => {
            let report = history::run(&history::HistoryOptions { edits: b.edits, work })?;
            if !report.converged {
                render::json(&report)?;
                return Err(BenchError::HistoryDiverged.into());
            }
            Measured::History(report)
        }
        BenchWhat::Report => Measured::Report(report::run(&report::ReportBenchOptions { records, work, runs: 15 })?),
        BenchWhat::Store => Measured::Store(bench_store(b, records, work)?),
    })
}

fn bench_sync(b: &BenchArgs, records: usize, work: Option<PathBuf>) -> Result<sync::SyncBenchReport> {
    let hub_exe = match &b.hub_exe {
        Some(exe) => exe.clone(),
        None => beside_me("samskap")?,
    };
    if !hub_exe.is_file() {
        return Err(BenchError::NoHubExe(hub_exe).into());
    }
    let opts = sync::SyncBenchOptions {
        records,
        baseline_docs: b.baseline_docs,
        devices: b.devices,
        rounds: b.rounds,
        interval_ms: b.interval_ms,
        work,
        postgres: match (b.postgres, &b.database) {
            (_, Some(url)) => Some(sync::PgTarget::Database(url.clone())),
            (true, None) => Some(sync::PgTarget::Throwaway),
            (false, None) => None,
        },
    };
    sync::run(&opts, Some(&hub_exe))
}

fn bench_store(b: &BenchArgs, records: usize, work: Option<PathBuf>) -> Result<samskap_bench::BenchReport> {
    let opts = samskap_bench::BenchOptions { records, writes: b.writes, work };
    let mut report = samskap_bench::run(&opts)?;
    // Peak memory is measured in a fresh process that only opens, lists and searches.
    report.open_and_list = Some(probe(&report.store.dir)?);
    Ok(report)
}

fn probe(dir: &Path) -> Result<samskap_bench::Probe> {
    let out = std::process::Command::new(std::env::current_exe()?).arg("--probe").arg(dir).output()?;
    if !out.status.success() {
        return Err(BenchError::Probe(String::from_utf8_lossy(&out.stderr).into_owned()).into());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// The executable `name` in this executable's folder (where cargo builds both).
fn beside_me(name: &str) -> Result<PathBuf> {
    let me = std::env::current_exe()?;
    Ok(me.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX)))
}
