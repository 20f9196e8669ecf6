//! `samskap init`, `demo` and `retention`: the store as a whole.

use std::path::Path;

use anyhow::Result;
use samskap::demo::{self, DemoOptions};
use samskap::store::{InitOptions, Store};
use samskap::tr;

use crate::render;
use crate::words::lang;

/// Makes a store in `dir`: on a device (key in the key store) unless `plain`.
pub fn init(dir: &Path, opts: InitOptions, plain: bool, json: bool) -> Result<()> {
    let store = if plain { Store::init(dir, &opts)? } else { Store::init_device(dir, &opts)? };
    if json {
        return render::json(&serde_json::json!({ "data": dir, "device_id": store.device_id(), "staff": store.me() }));
    }
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

pub fn demo(store: &mut Store, opts: &DemoOptions, json: bool) -> Result<()> {
    let made = demo::fill(store, opts)?;
    if json {
        return render::json(&made);
    }
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

/// Sets the retention period when given, then forgets what is past it.
pub fn retention(store: &mut Store, months: Option<u32>, json: bool) -> Result<()> {
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
