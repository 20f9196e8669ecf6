//! The `samskap` command line: parses, calls the core, renders.

mod args;
mod effects;
mod records;
mod render;
mod sync_cmds;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use args::{Cli, Command};
use samskap::store::{InitOptions, Store, StoreError};

#[global_allocator]
static ALLOCATOR: samskap::Allocator = samskap::Allocator;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("SAMSKAP_LOG"))
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The store folder: `--data`, `SAMSKAP_DATA`, or the platform's data folder.
fn data_dir(cli: &Cli) -> Result<PathBuf> {
    if let Some(d) = &cli.data {
        return Ok(d.clone());
    }
    let dirs = directories::ProjectDirs::from("no", "Samskap", "Samskap")
        .context("no home folder to keep the store in; pass --data DIR")?;
    Ok(dirs.data_dir().to_path_buf())
}

fn run(cli: Cli) -> Result<()> {
    let dir = data_dir(&cli)?;
    let json = cli.json;
    match cli.command {
        Command::Init { staff, branch, workspace_name, plain } => {
            let opts = InitOptions { staff, branch, workspace_name };
            let store = if plain { Store::init(&dir, &opts)? } else { Store::init_device(&dir, &opts)? };
            if json {
                render::json(&serde_json::json!({ "data": dir, "device_id": store.device_id(), "staff": store.me() }))
            } else {
                println!(
                    "Created a Samskap store in {} for {}.",
                    dir.display(),
                    store.my_profile().map(|p| p.name.as_str()).unwrap_or_default()
                );
                Ok(())
            }
        }
        Command::Partner(cmd) => records::partner(&mut Store::open(&dir)?, cmd, json),
        Command::Encounter(cmd) => records::encounter(&mut Store::open(&dir)?, cmd, json),
        Command::Activity(cmd) => records::activity(&mut Store::open(&dir)?, cmd, json),
        Command::Delete { id } => {
            let kind = Store::open(&dir)?.delete(id)?;
            if json {
                render::json(&serde_json::json!({ "id": id, "kind": kind, "deleted": true }))
            } else {
                println!("Deleted {kind} {id}.");
                Ok(())
            }
        }
        Command::Erase { id, contact: Some(contact), yes } => {
            if !yes {
                anyhow::bail!("erasing contact person {contact} cannot be undone; run again with --yes to erase it on every replica");
            }
            let c = Store::open(&dir)?.erase_contact(id, &contact)?;
            if json {
                render::json(&serde_json::json!({ "partner": id, "contact": c.id, "erased": true }))
            } else {
                println!(
                    "Erased contact person {} of partner {id}. Other replicas lose it when they next sync.",
                    c.name
                );
                Ok(())
            }
        }
        Command::Erase { id, contact: None, yes } => {
            if !yes {
                anyhow::bail!("erasing {id} cannot be undone; run again with --yes to erase it on every replica");
            }
            let kind = Store::open(&dir)?.erase(id)?;
            if json {
                render::json(&serde_json::json!({ "id": id, "kind": kind, "erased": true }))
            } else {
                println!("Erased {kind} {id}. Other replicas erase it when they next sync; `samskap status` lists which have.");
                Ok(())
            }
        }
        Command::Revoke { device } => {
            Store::open(&dir)?.revoke_device(device)?;
            eprintln!("Device {device} is revoked here; the hub and colleagues learn it with the next sync.");
            Ok(())
        }
        Command::Restore { id } => {
            let kind = Store::open(&dir)?.restore(id)?;
            println!("Restored {kind} {id}.");
            Ok(())
        }
        Command::History { id } => {
            let history = match Store::open(&dir)?.history(id) {
                Err(StoreError::Erased(_)) => {
                    anyhow::bail!("record {id} was erased, and its history with it: nothing about it is kept here")
                }
                other => other?,
            };
            if json {
                render::json(&history)
            } else {
                render::history(&history)
            }
        }
        Command::Search { text, limit } => {
            let hits = Store::open(&dir)?.search(&text, limit)?;
            if json {
                render::json(&hits)
            } else {
                render::search(&hits)
            }
        }
        Command::Demo { records, seed } => {
            let mut store = Store::open(&dir)?;
            let made = samskap::demo::fill(&mut store, &samskap::demo::DemoOptions { encounters: records, seed })?;
            if json {
                render::json(&made)
            } else {
                println!(
                    "Added {} encounters, {} partners, {} activities and {} colleagues.",
                    made.encounters, made.partners, made.activities, made.staff
                );
                Ok(())
            }
        }
        Command::Bench(b) => records::bench(b, json),
        Command::Hub(cmd) => sync_cmds::hub(&dir, cmd, json),
        Command::Join { hub, invite } => sync_cmds::join(&mut Store::open(&dir)?, &hub, &invite, json),
        Command::Sync { hub } => sync_cmds::sync(&mut Store::open(&dir)?, hub.as_deref(), json),
        Command::Serve { listen } => sync_cmds::serve(Store::open(&dir)?, listen),
        Command::Bundle(cmd) => sync_cmds::bundle(&mut Store::open(&dir)?, cmd, json),
        Command::Discover { wait } => sync_cmds::discover(wait, json),
        Command::Retention { months } => {
            let mut store = Store::open(&dir)?;
            if let Some(m) = months {
                store.set_retention_months(m)?;
            }
            let forgotten = store.apply_retention_policy()?;
            if json {
                return render::json(&forgotten);
            }
            println!(
                "Retention {} months: forgot {} contact people of {} partners.",
                store.retention_months()?,
                forgotten.contacts,
                forgotten.partners
            );
            Ok(())
        }
        Command::Status => sync_cmds::status(&Store::open(&dir)?, json),
        Command::Report(a) => effects::report(&Store::open(&dir)?, &a, json),
        Command::Export(a) => effects::export(&Store::open(&dir)?, a, json),
        Command::Import(cmd) => effects::import(&mut Store::open(&dir)?, cmd, json),
    }
}
