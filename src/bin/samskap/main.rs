//! The `samskap` command line: parses, calls the core, renders.

mod args;
mod bench;
mod records;
mod removal;
mod render;
mod reports;
mod store_cmds;
mod sync_cmds;
mod words;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use args::{Cli, Command};
use samskap::demo::DemoOptions;
use samskap::store::{InitOptions, Store};
use words::CliError;

#[global_allocator]
static ALLOCATOR: samskap::Allocator = samskap::Allocator;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let language = words::choose(&args);
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => match words::clap_message(&e, language) {
            Some(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
            None => e.exit(),
        },
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("SAMSKAP_LOG"))
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", words::error_line(&e, language));
            ExitCode::FAILURE
        }
    }
}

/// The store folder: `--data`, `SAMSKAP_DATA`, or the platform's data folder.
fn data_dir(cli: &Cli) -> Result<PathBuf> {
    if let Some(d) = &cli.data {
        return Ok(d.clone());
    }
    let dirs = directories::ProjectDirs::from("no", "Samskap", "Samskap").ok_or(CliError::NoHome)?;
    Ok(dirs.data_dir().to_path_buf())
}

/// One arm per command: open the store, hand over to the command's module.
fn run(cli: Cli) -> Result<()> {
    let dir = data_dir(&cli)?;
    let json = cli.json;
    match cli.command {
        Command::Init { staff, branch, workspace_name, plain } => {
            store_cmds::init(&dir, InitOptions { staff, branch, workspace_name }, plain, json)
        }
        Command::Partner(cmd) => records::partner(&mut Store::open(&dir)?, cmd, json),
        Command::Encounter(cmd) => records::encounter(&mut Store::open(&dir)?, cmd, json),
        Command::Activity(cmd) => records::activity(&mut Store::open(&dir)?, cmd, json),
        Command::History { id } => records::history(&Store::open(&dir)?, id, json),
        Command::Search { text, limit } => records::search(&Store::open(&dir)?, &text, limit, json),
        Command::Delete { id } => removal::delete(&mut Store::open(&dir)?, id, json),
        Command::Restore { id } => removal::restore(&mut Store::open(&dir)?, id),
        Command::Erase { id, contact, yes } => removal::erase(&dir, id, contact, yes, json),
        Command::Demo { records, seed } => {
            store_cmds::demo(&mut Store::open(&dir)?, &DemoOptions { encounters: records, seed }, json)
        }
        Command::Retention { months } => store_cmds::retention(&mut Store::open(&dir)?, months, json),
        Command::Bench { args } => bench::forward(args, json),
        Command::Hub(args) => sync_cmds::hub(&dir, args, json),
        Command::Join { hub, invite } => sync_cmds::join(&mut Store::open(&dir)?, &hub, &invite, json),
        Command::Sync { hub } => sync_cmds::sync(&mut Store::open(&dir)?, hub.as_deref(), json),
        Command::Serve { listen } => sync_cmds::serve(Store::open(&dir)?, listen),
        Command::Bundle(cmd) => sync_cmds::bundle(&mut Store::open(&dir)?, cmd, json),
        Command::Discover { wait } => sync_cmds::discover(wait, json),
        Command::Revoke { device } => sync_cmds::revoke(&mut Store::open(&dir)?, device),
        Command::Status => sync_cmds::status(&Store::open(&dir)?, json),
        Command::Report(a) => reports::report(&Store::open(&dir)?, &a, json),
        Command::Export(a) => reports::export(&Store::open(&dir)?, a, json),
        Command::Import(cmd) => reports::import(&mut Store::open(&dir)?, cmd, json),
    }
}
