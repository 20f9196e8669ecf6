//! What the fuzz targets in `fuzz/` feed, one function per target, shared
//! with `tests/fuzz_regressions.rs`, which replays every kept input without
//! a fuzzer. Each function hands arbitrary bytes to the public API the way
//! a hostile peer or a stranger's file reaches it, and checks invariants
//! that are cheap to check. An error is the right answer to garbage; a
//! panic, or a broken invariant, is a bug.
//!
//! Not an API: behind the `fuzzing` feature, used only by the fuzz targets and their tests.

mod fixture;
mod seeds;

use sha2::{Digest, Sha256};

use crate::import::{self, partners, Sheet};
use crate::model::{LogEpoch, ReplicaId};
use crate::store::{Batch, EncounterQuery, PartnerQuery};
use crate::sync::{self, Message, SyncResponse};
use fixture::Fixture;

pub use seeds::write_seeds;

/// A fuzz target: its name (also its folder under `fuzz/corpus/` and
/// `fuzz/regressions/`) and the function its inputs go through.
pub struct Target {
    pub name: &'static str,
    pub feed: fn(&[u8]),
}

pub const TARGETS: &[Target] = &[
    Target { name: "sync_message", feed: sync_message },
    Target { name: "bundle", feed: bundle },
    Target { name: "import_csv", feed: import_csv },
    Target { name: "import_xlsx", feed: import_xlsx },
    Target { name: "ingest", feed: ingest },
    Target { name: "change_view", feed: change_view },
];

/// A sync message as it comes off the network ([`sync::decode`]); then the
/// same bytes with the length and checksum a hostile peer would get right,
/// so that mutations reach the payload decoder instead of the checksum.
pub fn sync_message(data: &[u8]) {
    decoded_message(data);
    if let Some(fixed) = fix_frame(data) {
        decoded_message(&fixed);
    }
}

/// A bundle file ([`sync::read_bundle`]); then the same bytes with a
/// correct payload length and SHA-256, as a forger would write them.
pub fn bundle(data: &[u8]) {
    read_bundle(data);
    if let Some(fixed) = fix_bundle(data) {
        read_bundle(&fixed);
    }
}

/// A CSV file of partners: read, then planned against a store that holds partners.
pub fn import_csv(data: &[u8]) {
    if let Ok(sheet) = import::read_csv(data) {
        planned(&sheet);
    }
}

/// An XLSX file of partners: read, then planned against a store that holds partners.
pub fn import_xlsx(data: &[u8]) {
    if let Ok(sheet) = import::read_xlsx(data.to_vec()) {
        planned(&sheet);
    }
}

/// Batches as peers send them (a postcard `Vec<Batch>`, the encoding
/// batches travel in), ingested one after another into a fresh store, so a
/// later batch can change records an earlier one brought. A batch that is
/// refused is an error, never a panic; what was accepted can be indexed and
/// listed.
pub fn ingest(data: &[u8]) {
    let Ok(batches) = postcard::from_bytes::<Vec<Batch>>(data) else { return };
    if batches.is_empty() || batches.len() > 8 {
        return;
    }
    let mut fx = Fixture::empty();
    let store = &mut fx.store;
    let origin = store.peer(ReplicaId([0xF0; 16])).expect("a fresh store records a peer").rowid;
    for batch in &batches {
        let _ = store.ingest(batch, origin);
    }
    let _ = store.catch_up_index(|_, _| {});
    let _ = store.counts();
    let _ = store.list_encounters(&EncounterQuery::default());
    let _ = store.list_partners(&PartnerQuery::default());
    let _ = store.erasures();
}

/// A record's first write read straight from its chunk
/// ([`ChangeView::replay`](crate::doc::ChangeView::replay), the first
/// sync's fast path), with its checksum made to match so that mutations
/// reach the columns. Whatever the view accepts, Automerge must accept as
/// well and hold the same values, and both must read the same record.
pub fn change_view(data: &[u8]) {
    use crate::doc::{ChangeView, DocView};
    use crate::store::AnyRecord;
    let mut chunk = data.to_vec();
    crate::doc::change_bytes::fix_checksum(&mut chunk);
    let Some(view) = ChangeView::replay(&chunk) else { return };
    automerge::Change::from_bytes(chunk.clone()).expect("a chunk the view reads is a change Automerge reads");
    let doc = automerge::Automerge::load(&chunk).expect("a chunk the view reads loads as a document");
    assert_eq!(
        dump(&view, &automerge::ROOT, false, 0),
        dump(&doc, &automerge::ROOT, false, 0),
        "the view and Automerge differ"
    );
    let id = crate::model::RecordId::from_slice(&[7; 16]).expect("16 bytes");
    let json = |r: AnyRecord| {
        match r {
            AnyRecord::Encounter(r) => serde_json::to_value(r),
            AnyRecord::Partner(r) => serde_json::to_value(r),
            AnyRecord::Activity(r) => serde_json::to_value(r),
            AnyRecord::Staff(r) => serde_json::to_value(r),
        }
        .expect("records serialize")
    };
    assert_eq!(
        AnyRecord::read_with(&view, id, None, false).ok().map(json),
        AnyRecord::read(&doc, id, None).ok().map(json),
        "the view and Automerge read different records"
    );

    /// Everything a map (or a list) holds, through the reads records use.
    fn dump<D: DocView>(d: &D, obj: &automerge::ObjId, list: bool, depth: usize) -> String {
        use automerge::{ObjType, Value};
        let show = |v: Option<(Value<'_>, automerge::ObjId)>| match v {
            Some((Value::Object(ObjType::Text), o)) => format!("text {:?}", d.text(&o).ok()),
            Some((Value::Object(t), o)) if depth < 16 => format!("{t} {}", dump(d, &o, t == ObjType::List, depth + 1)),
            Some((v, _)) => format!("{v:?}"),
            None => "none".into(),
        };
        if list {
            let items: Vec<String> = (0..d.length(obj)).map(|i| show(d.get_at(obj, i).ok().flatten())).collect();
            return format!("[{}]", items.join(", "));
        }
        let fields: Vec<String> =
            d.keys(obj).iter().map(|k| format!("{k}: {}", show(d.get(obj, k).ok().flatten()))).collect();
        format!("{{{}}}", fields.join(", "))
    }
}

/// Sync frame layout (`sync/wire.rs`): a 16-byte header with the payload's
/// length (u32 LE) at 8..12 and its CRC-32 (u32 LE) at 12..16.
const FRAME_HEADER: usize = 16;

fn decoded_message(data: &[u8]) {
    let Ok(msg) = sync::decode(data) else { return };
    let kind = match msg {
        Message::Request(_) => 1,
        Message::Response(_) => 2,
    };
    assert_eq!(data[5], kind, "the frame's kind byte says what was decoded");
    let again = sync::decode(&sync::encode(&msg)).expect("a message that decoded encodes and decodes again");
    assert_eq!(again, msg, "a decoded message survives encoding unchanged");
}

fn fix_frame(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() < FRAME_HEADER || data.len() > sync::MAX_FRAME {
        return None;
    }
    let mut f = data.to_vec();
    let len = (f.len() - FRAME_HEADER) as u32;
    let crc = crc32fast::hash(&f[FRAME_HEADER..]);
    f[8..12].copy_from_slice(&len.to_le_bytes());
    f[12..16].copy_from_slice(&crc.to_le_bytes());
    (f != data).then_some(f)
}

/// Bundle layout (`sync/bundle.rs`): a 96-byte header with the workspace
/// at 16..32, the source replica at 32..48, the creation time at 48..56,
/// the payload's length (u64 LE) at 56..64 and its SHA-256 at 64..96.
const BUNDLE_HEADER: usize = 96;

fn read_bundle(data: &[u8]) {
    let Ok((header, batch)) = sync::read_bundle(data) else { return };
    assert_eq!(header.payload_bytes, (data.len() - BUNDLE_HEADER) as u64, "the header counts the payload");
    assert_eq!(header.workspace.as_bytes()[..], data[16..32], "the header's workspace");
    assert_eq!(header.source.as_bytes()[..], data[32..48], "the header's source replica");
    assert_eq!(header.created_ms.to_le_bytes()[..], data[48..56], "the header's time");
    survives_the_wire(batch);
}

fn fix_bundle(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() < BUNDLE_HEADER {
        return None;
    }
    let mut f = data.to_vec();
    let len = (f.len() - BUNDLE_HEADER) as u64;
    let sha = Sha256::digest(&f[BUNDLE_HEADER..]);
    f[56..64].copy_from_slice(&len.to_le_bytes());
    f[64..96].copy_from_slice(&sha);
    (f != data).then_some(f)
}

/// A batch that was read can be passed on: it crosses the sync wire unchanged.
fn survives_the_wire(batch: Batch) {
    if batch.bytes() > sync::MAX_FRAME / 4 {
        return;
    }
    let msg = Message::Response(SyncResponse {
        request_no: 1,
        server: ReplicaId([1; 16]),
        epoch: LogEpoch([2; 16]),
        acked_upto: 0,
        from: 0,
        upto: 0,
        more: false,
        batch,
        secret: None,
    });
    let again = sync::decode(&sync::encode(&msg)).expect("a batch that was read can be sent");
    assert_eq!(again, msg, "a batch that was read crosses the wire unchanged");
}

thread_local! {
    /// Demo partners to plan imports against: made once per thread, then only read.
    static WITH_PARTNERS: Fixture = Fixture::with_partners();
}

/// A sheet that was read is well formed, and planning its import gives an
/// account of every row.
fn planned(sheet: &Sheet) {
    let blank = |cells: &[String]| cells.iter().all(|c| c.trim().is_empty());
    assert!(!blank(&sheet.header), "the header is the first row with text");
    assert!(sheet.rows.iter().all(|r| !blank(&r.cells)), "blank rows are left out");
    let lines: Vec<u64> = sheet.rows.iter().map(|r| r.line).collect();
    assert!(
        lines.first().is_none_or(|l| *l >= 2) && lines.windows(2).all(|w| w[0] < w[1]),
        "rows come after the header, each on a line of its own: {lines:?}"
    );
    WITH_PARTNERS.with(|fx| {
        let Ok(plan) = partners::plan(&fx.store, sheet) else { return };
        assert_eq!(plan.rows, sheet.rows.len() as u64, "the plan counts the rows");
        let mut planned: Vec<u64> = plan
            .create
            .iter()
            .map(|p| p.line)
            .chain(plan.skipped.iter().map(|s| s.line))
            .chain(plan.bad.iter().map(|b| b.line))
            .collect();
        planned.sort_unstable();
        assert_eq!(planned, lines, "every row is created, skipped or bad, once");
    });
}
