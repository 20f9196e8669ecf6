//! The `samskap-bench` executable, run as `samskap bench` runs it.

use std::process::Command;

fn bench() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samskap-bench"))
}

#[test]
fn help_lists_what_the_bench_measures() {
    let out = bench().arg("--help").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let help = String::from_utf8_lossy(&out.stdout);
    for arg in ["store", "sync", "report", "at-rest", "--records", "--hub-exe", "--json"] {
        assert!(help.contains(arg), "{arg} missing from:\n{help}");
    }
}

/// The store figures, small: the memory probe runs in a second process
/// of this executable, and its figures join the report.
#[test]
fn store_figures_come_with_the_probe() {
    let work = tempfile::tempdir().unwrap();
    let out =
        bench().args(["--records", "200", "--writes", "5", "--json", "--work"]).arg(work.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["store"]["encounters"], 200);
    assert_eq!(report["log_encounter"]["samples"], 5);
    assert!(report["open_and_list"]["rows"].as_u64().is_some_and(|n| n > 0), "{report}");
}

#[test]
fn bench_sync_needs_the_hub_executable() {
    let missing = tempfile::tempdir().unwrap().path().join("samskap");
    let out = bench().args(["sync", "--records", "10", "--hub-exe"]).arg(&missing).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cargo build --release -p samskap"), "{err}");
}
