//! Seed inputs for the fuzz targets, made from real data through the
//! public API: tablets and a hub with records in them, the sync messages
//! they exchange, the bundles they export, the partner lists they export as
//! CSV and XLSX, and the batches one replica sends another. Rewrite them
//! with `cargo test --test fuzz_regressions -- --ignored write_seeds`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Fixture;
use crate::demo::{self, DemoOptions};
use crate::export::{self, ExportOptions, Format, What};
use crate::model::*;
use crate::store::{Batch, Store};
use crate::sync::{self, ClientSession, Progress, BATCH_BUDGET};

/// Writes the seeds under `root/fuzz/corpus/<target>/`; returns what was written and its size.
pub fn write_seeds(root: &Path) -> Result<Vec<(PathBuf, usize)>> {
    let mut out = Seeds { corpus: root.join("fuzz/corpus"), written: vec![] };
    let mut small = Fixture::empty();
    let ids = add_records(&mut small.store)?;
    let workspace = small.store.workspace_id()?;
    let mut demo = Fixture::empty();
    demo.store.set_workspace(workspace, "Finnmark")?;
    demo::fill(&mut demo.store, &DemoOptions { encounters: 12, seed: 7 })?;

    sync_messages(&mut out, &mut small.store, &mut demo.store)?;
    bundles(&mut out, &small.store, &demo.store)?;
    sheets(&mut out, root, &small.store, &demo.store)?;
    batches(&mut out, &mut small.store, &ids)?;
    Ok(out.written)
}

struct Seeds {
    corpus: PathBuf,
    written: Vec<(PathBuf, usize)>,
}

impl Seeds {
    fn write(&mut self, target: &str, name: &str, bytes: &[u8]) -> Result<()> {
        let dir = self.corpus.join(target);
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        self.written.push((path, bytes.len()));
        Ok(())
    }
}

/// The records of a small tablet: a partner with a contact person, an
/// encounter with it, an activity that came of it, and a private person.
struct Records {
    partner: RecordId,
    encounter: RecordId,
    citizen: RecordId,
}

fn add_records(store: &mut Store) -> Result<Records> {
    let mut p = Partner::new("Vadsø husflidslag", PartnerKind::Association, Level::Collaboration);
    p.place = "Vadsø".into();
    p.phone = Some("+47 918 27 364".into());
    p.email = Some("post@husflid.example.no".into());
    p.tags = vec!["håndverk".into(), "kvensk".into()];
    p.contacts.push(Contact {
        id: item_id(),
        name: "Áile Somby".into(),
        role: "leder".into(),
        phone: None,
        email: Some("aile@husflid.example.no".into()),
        basis: Some(ConsentBasis::Consent),
    });
    let partner = store.create(&p)?;
    let citizen = store.create(&Partner::new("Per Hansen", PartnerKind::Citizen, Level::Network))?;
    let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Association);
    e.place = "bibliotekets møterom".into();
    e.partners = vec![partner];
    e.note = "Strikkekafé i biblioteket; de vil ha en utstilling i mars.".into();
    e.tags = vec!["strikking".into()];
    e.outcomes = vec![Outcome::NewActivity, Outcome::GrewNetwork];
    let encounter = store.create(&e)?;
    let mut a = Activity::new("Strikkekafé", ActivityStatus::Planned);
    a.partners = vec![partner];
    a.from_encounters = vec![encounter];
    store.create(&a)?;
    Ok(Records { partner, encounter, citizen })
}

/// Every message of three syncs through a hub: a tablet with a few records
/// pushes them, a tablet with demo data pushes its own, and a new tablet
/// gets everything (the larger messages are compressed).
fn sync_messages(out: &mut Seeds, small: &mut Store, demo: &mut Store) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut hub = Store::init_replica(&dir.path().join("hub"), small.workspace_id()?, "Finnmark")?;
    let mut fresh = Fixture::empty();
    fresh.store.set_workspace(small.workspace_id()?, "Finnmark")?;
    record_sync(out, "small-tablet", small, &mut hub)?;
    record_sync(out, "demo-tablet", demo, &mut hub)?;
    record_sync(out, "new-tablet", &mut fresh.store, &mut hub)
}

fn record_sync(out: &mut Seeds, name: &str, client: &mut Store, server: &mut Store) -> Result<()> {
    // First contact: the client learns who the server is before it pushes.
    let mut session = ClientSession::new(client, None)?;
    for round in 1.. {
        match session.next(client)? {
            Progress::Done => break,
            Progress::Send(req) => {
                out.write("sync_message", &format!("{name}-{round}-request"), &req)?;
                let resp = sync::serve(server, &req, BATCH_BUDGET, chrono::Utc::now())?;
                out.write("sync_message", &format!("{name}-{round}-response"), &resp)?;
                session.receive(client, &resp)?;
            }
        }
    }
    Ok(())
}

fn bundles(out: &mut Seeds, small: &Store, demo: &Store) -> Result<()> {
    let empty = Fixture::empty();
    for (name, store) in [("new-tablet", &empty.store), ("small-tablet", small), ("demo-tablet", demo)] {
        let (_, bytes) = sync::write_bundle(store, chrono::Utc::now())?;
        out.write("bundle", &format!("{name}.samskap"), &bytes)?;
    }
    Ok(())
}

/// Partner lists as Samskap exports them (with contact details, which the
/// importer reads back), in the encodings and separators the importer
/// sniffs; the test fixtures of messy spreadsheets; and XLSX workbooks.
fn sheets(out: &mut Seeds, root: &Path, small: &Store, demo: &Store) -> Result<()> {
    let render = |store: &Store, format: Format, what: Option<What>, separator: u8| -> Result<Vec<u8>> {
        let opts = ExportOptions { format, what, separator, personal: true, ..Default::default() };
        Ok(export::render(store, &opts)?.data)
    };
    let comma = render(demo, Format::Csv, Some(What::Partners), b',')?;
    out.write("import_csv", "partners-comma-utf8.csv", &comma)?;
    let semicolon = render(demo, Format::Csv, Some(What::Partners), b';')?;
    let text = String::from_utf8(semicolon)?;
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    out.write("import_csv", "partners-semicolon-windows-1252.csv", &latin)?;
    let tab = String::from_utf8(render(small, Format::Csv, Some(What::Partners), b'\t')?)?;
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(tab.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    out.write("import_csv", "partners-tab-utf16le.csv", &utf16)?;
    out.write("import_csv", "activities.csv", &render(small, Format::Csv, Some(What::Activities), b',')?)?;
    let fixtures = root.join("tests/fixtures/import");
    let mut names: Vec<_> = std::fs::read_dir(&fixtures)?.collect::<std::io::Result<Vec<_>>>()?;
    names.sort_by_key(|e| e.file_name());
    for entry in names {
        out.write("import_csv", &entry.file_name().to_string_lossy(), &std::fs::read(entry.path())?)?;
    }

    out.write("import_xlsx", "partners.xlsx", &render(demo, Format::Xlsx, Some(What::Partners), b',')?)?;
    out.write("import_xlsx", "everything.xlsx", &render(small, Format::Xlsx, None, b',')?)
}

/// What the ingest target reads: batches in a row. A small tablet's whole
/// log; then what a second tablet, having synced with it, changed: an
/// edit, a deletion and an erasure of the first tablet's records.
fn batches(out: &mut Seeds, small: &mut Store, ids: &Records) -> Result<()> {
    let log = |store: &Store, after: u64| -> Result<Batch> { Ok(store.log_since(after, None, usize::MAX)?.batch) };
    let first = log(small, 0)?;
    let mut other = Fixture::empty();
    other.store.set_workspace(small.workspace_id()?, "Finnmark")?;
    sync::sync_local(&mut other.store, small)?;
    let before = other.store.log_head()?;
    other.store.update::<Partner>(ids.partner, |p| {
        p.note = "Leder byttet i 2025.".into();
        p.level = Level::Partnership;
    })?;
    other.store.delete(ids.encounter)?;
    other.store.erase(ids.citizen)?;
    let edits = log(&other.store, before)?;
    let encode = |batches: &[&Batch]| postcard::to_stdvec(batches).context("postcard");
    out.write("ingest", "whole-log", &encode(&[&first])?)?;
    out.write("ingest", "whole-log-then-edits", &encode(&[&first, &edits])?)?;
    out.write("ingest", "edits-without-their-records", &encode(&[&edits])?)?;
    // A first write of each kind, and an edit (which the view declines).
    let mut kinds = std::collections::BTreeMap::new();
    for c in &first.chunks {
        kinds.entry(c.kind).or_insert(&c.bytes);
    }
    for (kind, bytes) in kinds {
        out.write("change_view", &format!("first-write-kind-{kind}"), bytes)?;
    }
    out.write("change_view", "an-edit", &edits.chunks[0].bytes)
}
