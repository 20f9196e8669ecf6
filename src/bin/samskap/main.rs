//! The `samskap` command line: parses, calls the core, renders.

mod args;
mod bench;
mod effects;
mod records;
mod render;
mod sync_cmds;
mod words;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use args::{Cli, Command};
use samskap::store::{InitOptions, Store, StoreError};
use samskap::tr;
use words::{lang, CliError};

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
                let who = store.my_profile().map(|p| p.name.as_str()).unwrap_or_default();
                let dir = dir.display();
                println!(
                    "{}",
                    tr!(lang(),
                        nb: "Opprettet et Samskap-lager i {dir} for {who}.",
                        da: "Oprettede et Samskap-lager i {dir} til {who}.",
                        en: "Created a Samskap store in {dir} for {who}.")
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
                println!(
                    "{}",
                    tr!(lang(), nb: "Slettet {} {id}.", da: "Slettede {} {id}.", en: "Deleted {} {id}.", words::the(kind))
                );
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
                return Err(CliError::EraseNeedsYes(id).into());
            }
            let kind = Store::open(&dir)?.erase(id)?;
            if json {
                render::json(&serde_json::json!({ "id": id, "kind": kind, "erased": true }))
            } else {
                println!(
                    "{}",
                    tr!(lang(),
                        nb: "Slettet {} {id} for godt. De andre enhetene sletter den neste gang de synkroniserer; `samskap status` viser hvilke som har gjort det.",
                        da: "Slettede {} {id} for altid. De andre enheder sletter den, næste gang de synkroniserer; `samskap status` viser, hvilke der har gjort det.",
                        en: "Erased {} {id}. Other replicas erase it when they next sync; `samskap status` lists which have.", words::the(kind))
                );
                Ok(())
            }
        }
        Command::Revoke { device } => {
            Store::open(&dir)?.revoke_device(device)?;
            eprintln!(
                "{}",
                tr!(lang(),
                    nb: "Enheten {device} er fjernet her; huben og kollegene får vite det ved neste synkronisering.",
                    da: "Enheden {device} er fjernet her; hubben og kollegerne får det at vide ved næste synkronisering.",
                    en: "Device {device} is revoked here; the hub and colleagues learn it with the next sync.")
            );
            Ok(())
        }
        Command::Restore { id } => {
            let kind = Store::open(&dir)?.restore(id)?;
            println!(
                "{}",
                tr!(lang(), nb: "Hentet tilbake {} {id}.", da: "Gendannede {} {id}.", en: "Restored {} {id}.", words::the(kind))
            );
            Ok(())
        }
        Command::History { id } => {
            let history = match Store::open(&dir)?.history(id) {
                Err(StoreError::Erased(_)) => {
                    return Err(CliError::HistoryErased(id).into());
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
                let (e, p, a, s) = (made.encounters, made.partners, made.activities, made.staff);
                println!(
                    "{}",
                    tr!(lang(),
                        nb: "La til {e} møter, {p} partnere, {a} aktiviteter og {s} kolleger.",
                        da: "Tilføjede {e} møder, {p} partnere, {a} aktiviteter og {s} kolleger.",
                        en: "Added {e} encounters, {p} partners, {a} activities and {s} colleagues.")
                );
                Ok(())
            }
        }
        Command::Bench { args } => bench::forward(args, json),
        Command::Hub(args) => sync_cmds::hub(&dir, args, json),
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
            let forgotten = store.apply_retention_policy(chrono::Utc::now().timestamp_millis())?;
            if json {
                return render::json(&forgotten);
            }
            let (months, c, p) = (store.retention_months()?, forgotten.contacts, forgotten.partners);
            println!(
                "{}",
                tr!(lang(),
                    nb: "Lagringstid {months} måneder: glemte {c} kontaktpersoner hos {p} partnere.",
                    da: "Opbevaringsperiode {months} måneder: glemte {c} kontaktpersoner hos {p} partnere.",
                    en: "Retention {months} months: forgot {c} contact people of {p} partners.")
            );
            Ok(())
        }
        Command::Status => sync_cmds::status(&Store::open(&dir)?, json),
        Command::Report(a) => effects::report(&Store::open(&dir)?, &a, json),
        Command::Export(a) => effects::export(&Store::open(&dir)?, a, json),
        Command::Import(cmd) => effects::import(&mut Store::open(&dir)?, cmd, json),
    }
}
