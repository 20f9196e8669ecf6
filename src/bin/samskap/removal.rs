//! `samskap delete`, `restore` and `erase`: the bin, and forgetting for good.

use std::path::Path;

use anyhow::Result;
use samskap::model::RecordId;
use samskap::store::Store;
use samskap::tr;

use crate::render;
use crate::words::{self, lang, CliError};

pub fn delete(store: &mut Store, id: RecordId, json: bool) -> Result<()> {
    let kind = store.delete(id)?;
    if json {
        return render::json(&serde_json::json!({ "id": id, "kind": kind, "deleted": true }));
    }
    println!(
        "{}",
        tr!(lang(), nb: "Slettet {} {id}.", da: "Slettede {} {id}.", en: "Deleted {} {id}.", words::the(kind))
    );
    Ok(())
}

pub fn restore(store: &mut Store, id: RecordId) -> Result<()> {
    let kind = store.restore(id)?;
    println!(
        "{}",
        tr!(lang(), nb: "Hentet tilbake {} {id}.", da: "Gendannede {} {id}.", en: "Restored {} {id}.", words::the(kind))
    );
    Ok(())
}

/// Erases a record, or one contact person of a partner. Takes the folder,
/// not a store: without `--yes` it refuses before opening anything.
pub fn erase(dir: &Path, id: RecordId, contact: Option<String>, yes: bool, json: bool) -> Result<()> {
    match contact {
        Some(contact) => erase_contact(dir, id, &contact, yes, json),
        None => erase_record(dir, id, yes, json),
    }
}

fn erase_contact(dir: &Path, id: RecordId, contact: &str, yes: bool, json: bool) -> Result<()> {
    if !yes {
        anyhow::bail!(
            "erasing contact person {contact} cannot be undone; run again with --yes to erase it on every replica"
        );
    }
    let c = Store::open(dir)?.erase_contact(id, contact)?;
    if json {
        return render::json(&serde_json::json!({ "partner": id, "contact": c.id, "erased": true }));
    }
    println!("Erased contact person {} of partner {id}. Other replicas lose it when they next sync.", c.name);
    Ok(())
}

fn erase_record(dir: &Path, id: RecordId, yes: bool, json: bool) -> Result<()> {
    if !yes {
        return Err(CliError::EraseNeedsYes(id).into());
    }
    let kind = Store::open(dir)?.erase(id)?;
    if json {
        return render::json(&serde_json::json!({ "id": id, "kind": kind, "erased": true }));
    }
    println!(
        "{}",
        tr!(lang(),
            nb: "Slettet {} {id} for godt. De andre enhetene sletter den neste gang de synkroniserer; `samskap status` viser hvilke som har gjort det.",
            da: "Slettede {} {id} for altid. De andre enheder sletter den, næste gang de synkroniserer; `samskap status` viser, hvilke der har gjort det.",
            en: "Erased {} {id}. Other replicas erase it when they next sync; `samskap status` lists which have.", words::the(kind))
    );
    Ok(())
}
