//! `samskap bench report`: the effect report and the XLSX export over a
//! big demo store (100,000 encounters and 2,000 partners by default).

use std::path::{Path, PathBuf};
use std::time::Instant;

use samskap::demo::{self, DemoOptions};
use samskap::export::{self, ExportOptions, Format};
use samskap::report::{self, ReportFilter};
use samskap::store::{Durability, InitOptions, Store};
use serde::Serialize;

pub struct ReportBenchOptions {
    pub records: usize,
    /// Where to build the store; reused when it already holds one.
    pub work: Option<PathBuf>,
    pub runs: usize,
}

/// Milliseconds over repeated runs.
#[derive(Debug, Serialize, Clone, Copy)]
pub struct Millis {
    pub median_ms: f64,
    pub p95_ms: f64,
    pub samples: usize,
}

impl Millis {
    fn of(mut v: Vec<f64>) -> Millis {
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        Millis { median_ms: at(0.5), p95_ms: at(0.95), samples: v.len() }
    }
}

#[derive(Debug, Serialize)]
pub struct ReportBench {
    pub encounters: u64,
    pub partners: u64,
    pub activities: u64,
    pub build_s: f64,
    /// Every figure of the four levels over the whole two years of demo data.
    pub report_full_ms: Millis,
    /// The same for one branch.
    pub report_branch_ms: Millis,
    /// One partner kind (the filter that joins through partners).
    pub report_partner_kind_ms: Millis,
    /// XLSX with every encounter, partner, activity and the report (wall clock) …
    pub xlsx_export_s: f64,
    /// … and the CPU time this process spent on it (user + system; on a busy
    /// machine the wall clock also counts waiting for a core).
    pub xlsx_export_cpu_s: Option<f64>,
    pub xlsx_rows: u64,
    pub xlsx_bytes: u64,
    pub csv_encounters_s: f64,
    pub html_report_ms: f64,
    pub dir: PathBuf,
}

fn ms<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed().as_secs_f64() * 1e3)
}

pub fn run(opts: &ReportBenchOptions) -> anyhow::Result<ReportBench> {
    let work: PathBuf = match &opts.work {
        Some(w) => w.clone(),
        None => tempfile::Builder::new().prefix("samskap-bench-report").tempdir()?.keep(),
    };
    let dir = work.join("store");
    let (store, build_ms) = ms(|| open_or_fill(&dir, opts.records));
    let store = store?;
    let counts = store.counts()?;
    let today = chrono::Utc::now().date_naive();
    let full = ReportFilter { from: Some(today - chrono::Duration::days(731)), to: Some(today), ..Default::default() };
    let branch = ReportFilter { branch: Some("Vadsø".into()), ..full.clone() };
    let kind = ReportFilter { partner_kind: Some(samskap::model::PartnerKind::Association), ..full.clone() };
    let time = |f: &ReportFilter| -> anyhow::Result<Millis> {
        report::build(&store, f)?; // warm the page cache
        let mut v = vec![];
        for _ in 0..opts.runs.max(1) {
            let (r, t) = ms(|| report::build(&store, f));
            r?;
            v.push(t);
        }
        Ok(Millis::of(v))
    };
    let report_full_ms = time(&full)?;
    let report_branch_ms = time(&branch)?;
    let report_partner_kind_ms = time(&kind)?;

    let xlsx_path = work.join("export.xlsx");
    let xlsx = ExportOptions { format: Format::Xlsx, filter: full.clone(), ..Default::default() };
    let cpu_before = cpu_s();
    let (written, xlsx_ms) = ms(|| write(&store, &xlsx, &xlsx_path));
    let xlsx_export_cpu_s = cpu_before.zip(cpu_s()).map(|(a, b)| b - a);
    let written = written?;
    let csv = ExportOptions {
        format: Format::Csv,
        what: Some(export::What::Encounters),
        separator: b';',
        filter: full.clone(),
        ..Default::default()
    };
    let (csv_written, csv_ms) = ms(|| write(&store, &csv, &work.join("encounters.csv")));
    csv_written?;
    let html = ExportOptions { format: Format::Html, filter: full, ..Default::default() };
    let (html_written, html_ms) = ms(|| write(&store, &html, &work.join("report.html")));
    html_written?;
    Ok(ReportBench {
        encounters: counts.encounters,
        partners: counts.partners,
        activities: counts.activities,
        build_s: build_ms / 1e3,
        report_full_ms,
        report_branch_ms,
        report_partner_kind_ms,
        xlsx_export_s: xlsx_ms / 1e3,
        xlsx_export_cpu_s,
        xlsx_rows: written.rows,
        xlsx_bytes: written.bytes,
        csv_encounters_s: csv_ms / 1e3,
        html_report_ms: html_ms,
        dir: work,
    })
}

/// An export written to `path` (its error boxed by anyhow: `ExportError`
/// is large to move around).
fn write(store: &Store, opts: &ExportOptions, path: &Path) -> anyhow::Result<export::Written> {
    Ok(export::write_file(store, opts, path)?)
}

/// CPU seconds (user + system) this process has used, from /proc (Linux only).
fn cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Opens the store in `dir` if it holds `records` encounters, else builds it.
pub fn open_or_fill(dir: &Path, records: usize) -> samskap::store::Result<Store> {
    if let Ok(s) = Store::open(dir) {
        if s.counts()?.encounters as usize == records {
            return Ok(s);
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    let init = InitOptions { staff: "Bench Benk".into(), branch: "Vadsø".into(), workspace_name: "bench".into() };
    let mut store = Store::init(dir, &init)?;
    store.set_durability(Durability::Normal)?;
    demo::fill(&mut store, &DemoOptions { encounters: records, seed: 42 })?;
    store.checkpoint()?;
    Ok(store)
}
