//! `samskap bench history`: a partner whose note is edited for years. Three
//! tablets edit it in turns (`--edits`, 10,000 by default), each syncing
//! through a hub store every few edits; a fourth made edits of its own at the
//! start and stays away until the end. Measured: the time of each edit
//! (compaction included, which happens by itself), opening the partner,
//! its stored bytes beside the same document saved compacted (the floor),
//! and the away tablet's return: it must end with the same history.

use std::path::PathBuf;

use samskap::model::*;
use samskap::store::{Durability, InitOptions, Store};
use samskap::sync;
use serde::Serialize;

use crate::{time, Timing};

pub struct HistoryOptions {
    pub edits: usize,
    pub work: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
pub struct HistoryReport {
    pub edits: usize,
    pub editing_devices: usize,
    /// Each edit on the tablet that made it, compaction included.
    pub edit: Timing,
    /// `Store::get` of the partner on a tablet that edited it, after all edits.
    pub open: Timing,
    /// The partner's chunks as stored on that tablet.
    pub chunks: u64,
    pub stored_bytes: u64,
    /// The same document saved compacted, packed the same way.
    pub compacted_bytes: u64,
    pub stored_vs_compacted: f64,
    /// The hub's copy, compacted from what arrived by sync.
    pub hub_chunks: u64,
    pub hub_stored_vs_compacted: f64,
    /// The tablet that was away through every compaction: its sync back.
    pub away_sync_ms: f64,
    pub away_bytes_received: usize,
    pub away_round_trips: u32,
    /// Every tablet and the hub ended with the same heads and the same note.
    pub converged: bool,
}

fn tablet(work: &std::path::Path, name: &str) -> anyhow::Result<Store> {
    let dir = work.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let init = InitOptions { staff: name.into(), branch: "Vadsø".into(), workspace_name: "bench".into() };
    let s = Store::init(&dir, &init)?;
    // Three devices' worth of edits: durable per commit would time the disk.
    s.set_durability(Durability::Normal)?;
    Ok(s)
}

/// The i-th edit: a line added and, past twenty lines, the oldest dropped,
/// so the note stays the length of a real one while its history grows.
fn edit(note: &mut String, i: usize) {
    note.push_str(&format!("Møte {i}: husflidslaget vil ha strikkekafé igjen.\n"));
    // A while, not an if: lines the other tablets added meanwhile arrive
    // with each sync, and the note is trimmed back to twenty.
    while note.lines().count() > 20 {
        let Some(end) = note.find('\n') else { break };
        note.drain(..=end);
    }
}

pub fn run(opts: &HistoryOptions) -> anyhow::Result<HistoryReport> {
    let work = match &opts.work {
        Some(w) => w.clone(),
        None => tempfile::Builder::new().prefix("samskap-bench-history").tempdir()?.keep(),
    };
    std::fs::create_dir_all(&work)?;
    let mut hub = tablet(&work, "hub")?;
    let mut tabs: Vec<Store> =
        ["Siv", "Mikkel", "Ragnhild", "Aslak"].iter().map(|n| tablet(&work, n)).collect::<anyhow::Result<_>>()?;
    let workspace = hub.workspace_id()?;
    for t in &mut tabs {
        t.set_workspace(workspace, "bench")?;
    }
    let id = tabs[0].create(&Partner::new("Vadsø husflidslag", PartnerKind::Association, Level::Network))?;
    for t in &mut tabs {
        sync::sync_local(t, &mut hub)?;
    }
    let (editors, away) = tabs.split_at_mut(3);
    let away = &mut away[0];
    for i in 0..3 {
        away.update::<Partner>(id, |p| p.note.push_str(&format!("Aslak {i}.\n")))?;
    }

    let mut edits = Vec::with_capacity(opts.edits);
    for i in 0..opts.edits {
        let who = i % editors.len();
        let (r, us) = time(|| editors[who].update::<Partner>(id, |p| edit(&mut p.note, i)));
        r?;
        edits.push(us);
        // Each tablet syncs once in every 15 edits (edits 12, 13 and 14 are one of each).
        if i % 15 >= 12 {
            sync::sync_local(&mut editors[who], &mut hub)?;
        }
    }
    for _ in 0..2 {
        for t in editors.iter_mut() {
            sync::sync_local(t, &mut hub)?;
        }
    }
    let mut opens = vec![];
    for _ in 0..200 {
        let (r, us) = time(|| editors[0].get::<Partner>(id));
        r?;
        opens.push(us);
    }
    let mine = editors[0].record_storage(id)?;
    let at_hub = hub.record_storage(id)?;

    let (back, us) = time(|| sync::sync_local(away, &mut hub));
    let back = back?;
    for t in editors.iter_mut() {
        sync::sync_local(t, &mut hub)?;
    }
    let heads = hub.record_storage(id)?.heads;
    let note = hub.get::<Partner>(id)?.record.note;
    let mut converged = true;
    for t in tabs.iter() {
        converged &= t.record_storage(id)?.heads == heads && t.get::<Partner>(id)?.record.note == note;
    }
    Ok(HistoryReport {
        edits: opts.edits,
        editing_devices: 3,
        edit: Timing::of(edits),
        open: Timing::of(opens),
        chunks: mine.chunks,
        stored_bytes: mine.stored_bytes,
        compacted_bytes: mine.compacted_bytes,
        stored_vs_compacted: mine.stored_bytes as f64 / mine.compacted_bytes as f64,
        hub_chunks: at_hub.chunks,
        hub_stored_vs_compacted: at_hub.stored_bytes as f64 / at_hub.compacted_bytes as f64,
        away_sync_ms: us / 1e3,
        away_bytes_received: back.bytes_received,
        away_round_trips: back.round_trips,
        converged,
    })
}
