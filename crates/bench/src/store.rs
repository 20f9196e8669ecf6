//! `samskap bench`: the store's speed and size figures, each next to the
//! lower bound measured in the same run (plain SQLite with the same rows
//! and the same durability).

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection};
use samskap::demo::{self, DemoOptions};
use samskap::model::*;
use samskap::store::{Durability, EncounterQuery, InitOptions, PartnerQuery, Result, Store};
use serde::Serialize;

use crate::{peak_rss_mb, time, Timing};

pub struct BenchOptions {
    pub records: usize,
    pub writes: usize,
    pub work: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
pub struct BenchReport {
    /// Logging one encounter: Automerge change + index rows, committed durably (synchronous=FULL).
    pub log_encounter: Timing,
    /// Lower bound: one plain SQLite insert of the same row, same durability.
    pub plain_insert: Timing,
    pub log_vs_plain: f64,
    pub store: StoreFigures,
    /// Peak memory of a fresh process that opens the big store, lists a page and searches.
    pub open_and_list: Option<Probe>,
}

#[derive(Debug, Serialize)]
pub struct StoreFigures {
    pub encounters: usize,
    pub records: usize,
    pub build_s: f64,
    pub open: Timing,
    /// A page of 50 co-creative encounters, newest first.
    pub list_page_filtered: Timing,
    /// A page of 50 encounters of one partner.
    pub list_page_by_partner: Timing,
    /// The first page of search for a word of the demo's ideas ("strikkekafé").
    pub search: Timing,
    /// … for a word in most encounters ("bibliotek", as a prefix) …
    pub search_common: Timing,
    /// … and for a rare one ("bench", the tag of the encounters logged above).
    pub search_rare: Timing,
    pub bytes_per_record: f64,
    /// Lower bound: the same records as rows of plain SQLite tables.
    pub plain_bytes_per_record: f64,
    pub size_vs_plain: f64,
    /// Where the big store was built (kept for the memory probe).
    pub dir: PathBuf,
}

#[derive(Debug, Serialize, serde::Deserialize, Clone)]
pub struct Probe {
    pub open_ms: f64,
    pub list_ms: f64,
    pub search_ms: f64,
    pub rows: usize,
    pub peak_rss_mb: f64,
}

pub fn run(opts: &BenchOptions) -> Result<BenchReport> {
    let tmp;
    let work: &Path = match &opts.work {
        Some(w) => {
            std::fs::create_dir_all(w)?;
            w
        }
        None => {
            tmp = tempfile::Builder::new().prefix("samskap-bench").tempdir()?.keep();
            &tmp
        }
    };
    let big = work.join("store");
    let _ = std::fs::remove_dir_all(&big);
    let plain = work.join("plain.db");
    let _ = std::fs::remove_file(&plain);
    let _ = std::fs::remove_file(work.join("plain.db-wal"));

    let init = InitOptions { staff: "Bench Benk".into(), branch: "Vadsø".into(), workspace_name: "bench".into() };
    let demo_opts = DemoOptions { encounters: opts.records, seed: 42 };
    let (filled, build_us) = time(|| -> Result<_> {
        let mut store = Store::init(&big, &init)?;
        demo::fill(&mut store, &demo_opts)?;
        Ok(store)
    });
    let mut store = filled?;

    // Size: ours (after checkpoint) against the same records in plain tables.
    store.checkpoint()?;
    let counts = store.counts()?;
    let records = (counts.encounters + counts.partners + counts.activities + counts.staff) as usize;
    let ours = store.disk_bytes()? as f64 / records as f64;
    let me = store.my_profile().cloned();
    let data = demo::generate(&demo_opts, me.as_ref());
    let plain_conn = plain_db(&plain)?;
    plain_fill(&plain_conn, &data)?;
    plain_conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let plain_bytes = std::fs::metadata(&plain)?.len() as f64 / records as f64;

    // Logging one encounter, durably, into the big store; and the plain insert.
    let mut log = vec![];
    let mut ins = vec![];
    // Demo ids are time-based, so take real partners from the store.
    let partners = store.list_partners(&PartnerQuery { limit: Some(2), ..Default::default() })?;
    let partner = partners[0].id;
    let busiest = partners[1].id;
    for i in 0..opts.writes {
        let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Association);
        e.place = "Vadsø torg".into();
        e.note = demo_note(i);
        e.tags = vec!["bench".into()];
        e.partners = vec![partner];
        let (r, us) = time(|| store.create(&e));
        r?;
        log.push(us);
        let (r, us) = time(|| plain_insert(&plain_conn, &e));
        r?;
        ins.push(us);
    }
    let log_encounter = Timing::of(log);
    let plain_insert = Timing::of(ins);
    drop(store);

    // Opening and reading the big store.
    let mut opens = vec![];
    for _ in 0..10 {
        let (s, us) = time(|| Store::open_with(&big, Durability::Full));
        drop(s?);
        opens.push(us);
    }
    let store = Store::open(&big)?;
    let q = EncounterQuery { perspective: Some(Perspective::CoCreative), limit: Some(50), ..Default::default() };
    let list_page_filtered = repeat(50, || store.list_encounters(&q).map(drop))?;
    let q = EncounterQuery { partner: Some(busiest), limit: Some(50), ..Default::default() };
    let list_page_by_partner = repeat(50, || store.list_encounters(&q).map(drop))?;
    let search = repeat(50, || store.search("strikkekafé", 50).map(drop))?;
    let search_common = repeat(50, || store.search("bibliotek", 50).map(drop))?;
    let search_rare = repeat(50, || store.search("bench", 50).map(drop))?;

    Ok(BenchReport {
        log_vs_plain: log_encounter.median_us / plain_insert.median_us,
        log_encounter,
        plain_insert,
        store: StoreFigures {
            encounters: counts.encounters as usize,
            records,
            build_s: build_us / 1e6,
            open: Timing::of(opens),
            list_page_filtered,
            list_page_by_partner,
            search,
            search_common,
            search_rare,
            bytes_per_record: ours,
            plain_bytes_per_record: plain_bytes,
            size_vs_plain: ours / plain_bytes,
            dir: big,
        },
        open_and_list: None,
    })
}

fn repeat(n: usize, mut f: impl FnMut() -> Result<()>) -> Result<Timing> {
    let mut v = vec![];
    for _ in 0..n {
        let (r, us) = time(&mut f);
        r?;
        v.push(us);
    }
    Ok(Timing::of(v))
}

fn demo_note(i: usize) -> String {
    format!("Måling {i}: innbygger foreslo strikkekafé på lørdager, med frivillige fra husflidslaget. Vi avtalte å ta det opp på neste møte.")
}

/// Run in a fresh process: open the store, list a page, search; report peak memory.
pub fn probe_open_and_list(dir: &Path) -> Result<Probe> {
    let (store, open_us) = time(|| Store::open(dir));
    let store = store?;
    let q = EncounterQuery { perspective: Some(Perspective::CoCreative), limit: Some(50), ..Default::default() };
    let (rows, list_us) = time(|| store.list_encounters(&q));
    let (hits, search_us) = time(|| store.search("strikkekafé", 50));
    let _ = hits?;
    Ok(Probe {
        open_ms: open_us / 1e3,
        list_ms: list_us / 1e3,
        search_ms: search_us / 1e3,
        rows: rows?.len(),
        peak_rss_mb: peak_rss_mb(),
    })
}

// The plain-SQLite lower bound: the same fields as ordinary columns.

pub fn plain_db(path: &Path) -> Result<Connection> {
    let c = Connection::open(path)?;
    c.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE encounters(id BLOB PRIMARY KEY, when_ms INTEGER, staff BLOB, branch TEXT, place TEXT, outside INTEGER,
             perspective TEXT, counterpart TEXT, initiative TEXT, role TEXT, idea TEXT, note TEXT, tags TEXT, partners TEXT,
             follow_ups TEXT, outcomes TEXT);
         CREATE TABLE partners(id BLOB PRIMARY KEY, name TEXT, kind TEXT, level TEXT, history TEXT, contacts TEXT, phone TEXT,
             email TEXT, place TEXT, tags TEXT, note TEXT, agreements TEXT, created_ms INTEGER);
         CREATE TABLE activities(id BLOB PRIMARY KEY, title TEXT, status TEXT, outside INTEGER, place TEXT, partners TEXT,
             origins TEXT, extra INTEGER, note TEXT, tags TEXT, created_ms INTEGER);
         CREATE TABLE staff(id BLOB PRIMARY KEY, name TEXT, branch TEXT);",
    )?;
    Ok(c)
}

fn js<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

pub fn plain_insert(c: &Connection, e: &Encounter) -> Result<()> {
    c.prepare_cached("INSERT INTO encounters VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)")?
        .execute(params![
            e.id.as_bytes(),
            e.when.timestamp_millis(),
            e.staff.map(|s| s.as_bytes().to_vec()),
            e.branch,
            e.place,
            e.outside,
            e.perspective.slug(),
            e.counterpart.slug(),
            e.initiative.map(Slug::slug),
            e.role.map(Slug::slug),
            e.idea,
            e.note,
            e.tags.join(" "),
            js(&e.partners),
            js(&e.follow_ups),
            js(&e.outcomes),
        ])?;
    Ok(())
}

/// The lower bound of a first sync: the same rows and a search index over
/// the same texts, loaded into plain SQLite tables in one transaction with
/// the device's durability (`synchronous=FULL`); seconds, commit included.
pub fn plain_bulk_load(path: &Path, d: &demo::DemoData) -> Result<f64> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let c = plain_db(path)?;
    c.execute_batch("CREATE VIRTUAL TABLE search USING fts5(text)")?;
    let t = std::time::Instant::now();
    plain_fill_with(&c, d, true)?;
    Ok(t.elapsed().as_secs_f64())
}

fn plain_fill(c: &Connection, d: &demo::DemoData) -> Result<()> {
    plain_fill_with(c, d, false)
}

fn plain_fill_with(c: &Connection, d: &demo::DemoData, search: bool) -> Result<()> {
    let text = |t: &str| -> Result<()> {
        if search {
            c.prepare_cached("INSERT INTO search(text) VALUES (?1)")?.execute([t])?;
        }
        Ok(())
    };
    c.execute_batch("BEGIN")?;
    for s in &d.staff {
        c.execute("INSERT INTO staff VALUES (?1, ?2, ?3)", params![s.id.as_bytes(), s.name, s.branch])?;
    }
    for p in &d.partners {
        c.execute(
            "INSERT INTO partners VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
            params![
                p.id.as_bytes(),
                p.name,
                p.kind.slug(),
                p.level.slug(),
                js(&p.level_history),
                js(&p.contacts),
                p.phone,
                p.email,
                p.place,
                p.tags.join(" "),
                p.note,
                js(&p.agreements),
                p.created_at.timestamp_millis()
            ],
        )?;
    }
    for p in &d.partners {
        text(&format!("{} {} {} {}", p.name, p.place, p.tags.join(" "), p.note))?;
    }
    for e in &d.encounters {
        plain_insert(c, e)?;
        text(&format!("{} {} {}", e.place, e.tags.join(" "), if e.note.is_empty() { &e.idea } else { &e.note }))?;
    }
    for a in &d.activities {
        c.execute(
            "INSERT INTO activities VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
            params![
                a.id.as_bytes(),
                a.title,
                a.status.slug(),
                a.outside,
                a.place,
                js(&a.partners),
                js(&a.from_encounters),
                a.extra_resources,
                a.note,
                a.tags.join(" "),
                a.created_at.timestamp_millis()
            ],
        )?;
        text(&format!("{} {}", a.title, a.note))?;
    }
    c.execute_batch("COMMIT")?;
    Ok(())
}
