//! `samskap bench …`: the benchmarks live in their own crate (the core
//! ships none of them), whose `samskap-bench` executable cargo builds into
//! this one's folder. A package cannot link a crate that depends on it, so
//! this runs that executable with the same arguments.

use std::ffi::OsString;

use anyhow::Result;

use crate::words::CliError;

/// Runs `samskap-bench` beside this executable with `args` (and `--json`
/// when it was given before `bench`); fails as it fails.
pub fn forward(mut args: Vec<OsString>, json: bool) -> Result<()> {
    let me = std::env::current_exe()?;
    let exe = me.with_file_name(format!("samskap-bench{}", std::env::consts::EXE_SUFFIX));
    if !exe.is_file() {
        return Err(CliError::NoBench(exe.display().to_string()).into());
    }
    if json && !args.iter().any(|a| a == "--json") {
        args.push("--json".into());
    }
    let status = std::process::Command::new(&exe).args(&args).status()?;
    if !status.success() {
        return Err(CliError::BenchFailed(status.code()).into());
    }
    Ok(())
}
