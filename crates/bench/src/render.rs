//! Text and JSON output.

use anyhow::Result;
use samskap_bench::report::ReportBench;

pub fn json<T: serde::Serialize + ?Sized>(v: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// `samskap bench report`.
pub fn bench_report(b: &ReportBench) -> Result<()> {
    println!(
        "Store: {} encounters, {} partners, {} activities (built in {:.1} s)",
        b.encounters, b.partners, b.activities, b.build_s
    );
    println!(
        "  full report            median {:.1} ms, p95 {:.1} ms",
        b.report_full_ms.median_ms, b.report_full_ms.p95_ms
    );
    println!("  one branch             median {:.1} ms", b.report_branch_ms.median_ms);
    println!("  one partner kind       median {:.1} ms", b.report_partner_kind_ms.median_ms);
    println!("  XLSX export            {:.2} s ({} rows, {} bytes)", b.xlsx_export_s, b.xlsx_rows, b.xlsx_bytes);
    if let Some(cpu) = b.xlsx_export_cpu_s {
        println!("    CPU time             {cpu:.2} s");
    }
    println!("  CSV of encounters      {:.2} s", b.csv_encounters_s);
    println!("  printable HTML report  {:.0} ms", b.html_report_ms);
    Ok(())
}
