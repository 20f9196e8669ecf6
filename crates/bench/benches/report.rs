//! Criterion benchmarks of the effect report and the XLSX export over
//! 100,000 encounters and 2,000 partners (targets: < 200 ms, < 3 s).
//! The store is built once into `$CARGO_TARGET_TMPDIR` and reused.
//! `samskap bench report --json` prints the same figures.

use criterion::{criterion_group, criterion_main, Criterion};
use samskap::export::{self, ExportOptions, Format};
use samskap::report::{self, ReportFilter};
use samskap_bench::report::open_or_fill;

const RECORDS: usize = 100_000;

fn report_and_export(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-bench-100k");
    let store = open_or_fill(&dir, RECORDS).unwrap();
    let today = chrono::Utc::now().date_naive();
    let full = ReportFilter { from: Some(today - chrono::Duration::days(731)), to: Some(today), ..Default::default() };
    let mut g = c.benchmark_group("effects (100k encounters, 2k partners)");
    g.sample_size(20);
    g.bench_function("full report, two years", |b| b.iter(|| report::build(&store, &full).unwrap()));
    let branch = ReportFilter { branch: Some("Vadsø".into()), ..full.clone() };
    g.bench_function("report for one branch", |b| b.iter(|| report::build(&store, &branch).unwrap()));
    g.sample_size(10);
    let xlsx = ExportOptions { format: Format::Xlsx, filter: full, ..Default::default() };
    g.bench_function("xlsx export, every record and the report", |b| {
        b.iter(|| export::render(&store, &xlsx).unwrap().data.len())
    });
    g.finish();
}

criterion_group!(benches, report_and_export);
criterion_main!(benches);
