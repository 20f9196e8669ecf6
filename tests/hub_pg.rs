//! Hubs of many processes on one PostgreSQL: devices that reach a
//! different process with every connection, true erasure in the
//! database's files, and faults — a hub process killed mid-sync, the
//! database restarted mid-sync, an exhausted connection pool, two
//! processes appending to one workspace at the same instant. Each ends
//! with a clear error or a retry that succeeds, and nothing lost.
//! Every test starts its own throwaway cluster.
// The tests keep the hub's own error type whole, as the hub returns it.
#![allow(clippy::result_large_err)]

use std::sync::{Arc, Barrier};

use samskap::model::{CounterpartKind, Encounter, Level, Partner, PartnerKind, Perspective, ReplicaId};
use samskap::net::hub::{Credentials, HubAdmin, HubStorage};
use samskap::net::pg::cluster::Cluster;
use samskap::net::pg::{PgHub, PgOptions};
use samskap::store::Store;
use samskap::sync::{ClientSession, Progress};

use crate::util::{Backend, Balancer, HubData, Tablet};

/// A device's store, joined to a workspace through `hub`.
struct Device {
    _dir: tempfile::TempDir,
    store: Store,
    token: String,
    server: ReplicaId,
}

impl Device {
    fn join(hub: &impl HubStorage, invite: &str, name: &str) -> Device {
        let (dir, mut store) = samskap::testing::temp_store(name, "Tromsø");
        let joined = hub.join(invite, store.device(), "nettbrett").unwrap();
        store.set_workspace(joined.workspace.into(), &joined.workspace_name).unwrap();
        Device { _dir: dir, store, token: joined.token, server: joined.server.into() }
    }

    /// Syncs through `HubStorage`, as the HTTP layer calls it.
    fn sync(&mut self, hub: &impl HubStorage) -> Result<(), samskap::net::NetError> {
        let who = hub.authenticate(&Credentials { bearer: Some(self.token.clone()), member: None })?;
        let mut s = ClientSession::new(&self.store, Some(self.server))?;
        while let Progress::Send(req) = s.next(&mut self.store)? {
            let resp = hub.sync(who, &req)?;
            s.receive(&mut self.store, &resp)?;
        }
        Ok(())
    }

    fn log(&mut self, note: &str) {
        let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Association);
        e.note = note.into();
        self.store.create(&e).unwrap();
    }

    fn encounters(&self) -> u64 {
        self.store.counts().unwrap().encounters
    }
}

fn cluster_and_url() -> (Cluster, String) {
    let cluster = Cluster::start().expect("a throwaway PostgreSQL cluster");
    let url = cluster.create_database("hub").unwrap();
    (cluster, url)
}

/// Every seq from 1 to the head is a chunk or a control entry: appends of
/// several processes left no gap (nothing here was erased).
fn assert_log_without_gaps(url: &str) {
    let mut db = postgres_client(url);
    for ws in db.query("SELECT id, head FROM workspaces", &[]).unwrap() {
        let (id, head): (Vec<u8>, i64) = (ws.get(0), ws.get(1));
        let seqs: Vec<i64> = db
            .query(
                "SELECT seq FROM chunks WHERE workspace = $1 UNION ALL SELECT seq FROM control_log WHERE workspace = $1 ORDER BY 1",
                &[&id],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(seqs, (1..=head).collect::<Vec<_>>(), "the log's seqs run 1..=head without a gap or a double");
    }
}

fn postgres_client(url: &str) -> r2d2_postgres::postgres::Client {
    r2d2_postgres::postgres::Client::connect(url, r2d2_postgres::postgres::NoTls).unwrap()
}

#[test]
fn devices_syncing_at_once_through_two_hub_processes_share_commits_and_lose_nothing() {
    const DEVICES: usize = 12;
    const ROUNDS: usize = 3;
    let (_cluster, url) = cluster_and_url();
    let hubs = Arc::new([PgHub::open(&url).unwrap(), PgHub::open(&url).unwrap()]);
    let invite = hubs[0].invite("Troms").unwrap();
    let start = Arc::new(Barrier::new(DEVICES));
    let threads: Vec<_> = (0..DEVICES)
        .map(|i| {
            let (hubs, invite, start) = (hubs.clone(), invite.clone(), start.clone());
            std::thread::spawn(move || {
                let mut d = Device::join(&hubs[i % 2], &invite, &format!("Ansatt {i}"));
                start.wait();
                for r in 0..ROUNDS {
                    d.log(&format!("enhet {i} runde {r}"));
                    d.sync(&hubs[(i + r) % 2]).unwrap();
                }
                start.wait(); // everyone has pushed everything
                d.sync(&hubs[(i + 1) % 2]).unwrap();
                d.encounters()
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), (DEVICES * ROUNDS) as u64, "every device holds every record");
    }
    assert_log_without_gaps(&url);
}

#[test]
fn two_hub_processes_serve_devices_that_reach_a_different_one_each_time() {
    let data = HubData::new(Backend::Postgres);
    let invite = data.invite("Nordland");
    let a = data.serve("127.0.0.1:0", &[], &[]);
    let b = data.serve("127.0.0.1:0", &[], &[]);
    let lb = Balancer::start(&[&a.url, &b.url]);
    let bodo = Tablet::new("Hanne", "Bodø");
    let narvik = Tablet::new("Tor", "Narvik");
    for t in [&bodo, &narvik] {
        t.ok(&["join", "--hub", &lb.url, "--invite", &invite]);
    }
    for round in 0..3 {
        for t in [&bodo, &narvik] {
            t.add(&[
                "encounter",
                "add",
                "--perspective",
                "service",
                "--counterpart",
                "school",
                "--note",
                &format!("runde {round}"),
            ]);
            t.ok(&["sync"]);
        }
    }
    bodo.ok(&["sync"]);
    assert_eq!(bodo.encounter_ids(), narvik.encounter_ids());
    assert_eq!(bodo.encounter_ids().len(), 6);
    let served = lb.served.lock().unwrap().clone();
    assert!(served.iter().all(|&n| n > 0), "both processes served: {served:?}");
    let devices = data.admin(&["devices", "--json"]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&devices).unwrap().as_array().unwrap().len(), 2);
}

#[test]
fn erasure_leaves_the_record_key_nowhere_in_the_database_files() {
    let (cluster, url) = cluster_and_url();
    let hub = PgHub::open(&url).unwrap();
    let invite = hub.invite("Finnmark").unwrap();
    let mut vadso = Device::join(&hub, &invite, "Ingrid");
    let mut alta = Device::join(&hub, &invite, "Ole");
    let lag = Partner::new("Vadsø husflidslag", PartnerKind::Association, Level::Network);
    let kept = Partner::new("Alta frivilligsentral", PartnerKind::Association, Level::Network);
    vadso.store.create(&lag).unwrap();
    vadso.store.create(&kept).unwrap();
    vadso.sync(&hub).unwrap();
    alta.sync(&hub).unwrap();

    let mut db = postgres_client(&url);
    let key_of = |db: &mut r2d2_postgres::postgres::Client, id: &samskap::model::RecordId| -> Vec<u8> {
        db.query_one("SELECT key FROM record_keys WHERE doc = $1", &[&&id.as_bytes()[..]]).unwrap().get(0)
    };
    let (erased_key, kept_key) = (key_of(&mut db, &lag.id), key_of(&mut db, &kept.id));
    assert_eq!(erased_key.len(), 32);
    db.batch_execute("CHECKPOINT").unwrap();
    // The search finds keys where they are: in the table's file and the WAL.
    let before = cluster.files_holding(&erased_key).unwrap();
    assert!(before.iter().any(|p| p.to_string_lossy().contains("pg_wal")), "{before:?}");
    assert!(before.iter().any(|p| p.to_string_lossy().contains("base")), "{before:?}");

    // Vadsø erases the record; its next sync brings the erasure to the hub,
    // which applies it and destroys the key in its files.
    vadso.store.erase(lag.id).unwrap();
    vadso.sync(&hub).unwrap();
    let left = cluster.files_holding(&erased_key).unwrap();
    assert!(left.is_empty(), "the erased key is still in {left:?}");
    assert!(!cluster.files_holding(&kept_key).unwrap().is_empty(), "other records' keys stay");
    // Alta erases it on its next sync, and an old copy's chunks are refused.
    alta.sync(&hub).unwrap();
    assert!(alta.store.get::<Partner>(lag.id).is_err());
    assert_eq!(
        db.query_one("SELECT count(*) FROM chunks WHERE doc = $1", &[&&lag.id.as_bytes()[..]])
            .unwrap()
            .get::<_, i64>(0),
        0
    );
}

#[test]
fn two_processes_appending_to_one_workspace_at_the_same_instant_keep_one_order() {
    const DEVICES: usize = 8;
    let (_cluster, url) = cluster_and_url();
    let hubs = Arc::new([PgHub::open(&url).unwrap(), PgHub::open(&url).unwrap()]);
    let invite = hubs[0].invite("Agder").unwrap();
    let mut devices: Vec<Device> = (0..DEVICES).map(|i| Device::join(&hubs[i % 2], &invite, &format!("{i}"))).collect();
    for (i, d) in devices.iter_mut().enumerate() {
        for n in 0..20 {
            d.log(&format!("{i}-{n}"));
        }
    }
    let start = Arc::new(Barrier::new(DEVICES));
    let threads: Vec<_> = devices
        .into_iter()
        .enumerate()
        .map(|(i, mut d)| {
            let (hubs, start) = (hubs.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                d.sync(&hubs[i % 2]).unwrap();
                d
            })
        })
        .collect();
    let mut devices: Vec<Device> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_log_without_gaps(&url);
    for (i, d) in devices.iter_mut().enumerate() {
        d.sync(&hubs[(i + 1) % 2]).unwrap();
        assert_eq!(d.encounters(), (DEVICES * 20) as u64);
    }
}

#[test]
fn an_exhausted_connection_pool_makes_requests_wait_then_serves_them() {
    let (_cluster, url) = cluster_and_url();
    // One connection for a process serving eight workspaces at once.
    let opts = PgOptions { pool_size: 1, wait: std::time::Duration::from_secs(30) };
    let hub = Arc::new(PgHub::open_with(&url, opts).unwrap());
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let hub = hub.clone();
            let invite = hub.invite(&format!("Bibliotek {i}")).unwrap();
            std::thread::spawn(move || {
                let mut d = Device::join(&*hub, &invite, "x");
                for n in 0..5 {
                    d.log(&format!("{n}"));
                    d.sync(&*hub).unwrap();
                }
                d.encounters()
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 5);
    }
    // A pool that cannot get a connection at all says so clearly.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let opts = PgOptions { pool_size: 1, wait: std::time::Duration::from_millis(500) };
    let err =
        PgHub::open_with(&format!("postgres://samskap@127.0.0.1:{port}/hub"), opts).err().expect("no database there");
    assert!(err.to_string().contains("no database connection"), "{err}");
    assert_eq!(err.code(), "database");
}

#[test]
fn postgresql_restarted_mid_sync_the_retry_finishes_and_nothing_is_lost() {
    let (mut cluster, url) = cluster_and_url();
    let hub = Arc::new(PgHub::open(&url).unwrap());
    let invite = hub.invite("Innlandet").unwrap();
    let mut hamar = Device::join(&*hub, &invite, "Astrid");
    samskap::demo::fill(&mut hamar.store, &samskap::demo::DemoOptions { encounters: 1500, seed: 7 }).unwrap();
    // Small pushes: many round trips. After the fifth the device waits while
    // the database restarts, so the restart lands in the middle every time.
    let (at_fifth, fifth) = std::sync::mpsc::channel::<()>();
    let (restarted, wait_restart) = std::sync::mpsc::channel::<()>();
    let syncing = {
        let hub = hub.clone();
        std::thread::spawn(move || {
            let who = hub.authenticate(&Credentials { bearer: Some(hamar.token.clone()), member: None }).unwrap();
            let mut s = ClientSession::new(&hamar.store, Some(hamar.server)).unwrap();
            s.budget = 8000;
            let mut rounds = 0;
            let outcome = (|| -> Result<(), samskap::net::NetError> {
                while let Progress::Send(req) = s.next(&mut hamar.store)? {
                    rounds += 1;
                    if rounds == 5 {
                        at_fifth.send(()).unwrap();
                        wait_restart.recv().unwrap();
                    }
                    let resp = hub.sync(who, &req)?;
                    s.receive(&mut hamar.store, &resp)?;
                }
                Ok(())
            })();
            (hamar, outcome, rounds)
        })
    };
    fifth.recv().expect("the sync takes more than five round trips");
    cluster.restart(false).unwrap(); // immediate: like a crash, then recovery
    restarted.send(()).unwrap();
    let (mut hamar, outcome, rounds) = syncing.join().unwrap();
    assert!(rounds >= 5, "{rounds} round trips");
    // The round trip in flight fails with a clear error (or, had it waited
    // for a new connection, got through).
    if let Err(err) = outcome {
        assert_eq!(err.code(), "database", "{err}");
    }
    // The retry (a fresh connection from the pool) resumes and finishes.
    let mut retries = 0;
    while let Err(e) = hamar.sync(&*hub) {
        retries += 1;
        assert!(retries < 20, "the retry never succeeded: {e}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let mut gjovik = Device::join(&*hub, &hub.invite("Innlandet").unwrap(), "Johan");
    gjovik.sync(&*hub).unwrap();
    assert_eq!(gjovik.encounters(), 1500, "every record reached the hub exactly once");
}

#[test]
fn a_hub_process_killed_mid_sync_the_device_retries_on_the_other() {
    let data = HubData::new(Backend::Postgres);
    let invite = data.invite("Innlandet");
    let mut a = data.serve("127.0.0.1:0", &[], &[]);
    let b = data.serve("127.0.0.1:0", &[], &[]);
    let lb = Balancer::start(&[&a.url, &b.url]);
    let hamar = Tablet::new("Astrid", "Hamar");
    hamar.ok(&["demo", "--records", "1500"]);
    hamar.ok(&["join", "--hub", &lb.url, "--invite", &invite]);
    // Only process A from here, so the kill lands in this sync.
    lb.backends.lock().unwrap().retain(|u| a.url.ends_with(u.as_str()));
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("samskap"))
        .env("SAMSKAP_DATA", hamar.path())
        .env("SAMSKAP_LANG", "en")
        .env(samskap::net::client::BUDGET_ENV, "8000")
        .arg("sync")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed as soon as the first pushes are in: mid-sync, however fast the hub.
    let mut db = postgres_client(data.database.as_deref().unwrap());
    let started = std::time::Instant::now();
    while db.query_one("SELECT count(*) FROM chunks", &[]).unwrap().get::<_, i64>(0) == 0 {
        assert!(started.elapsed().as_secs() < 60, "no push reached the hub");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    a.child.kill().unwrap(); // SIGKILL: no goodbye
    a.child.wait().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success(), "the sync finished before the process died; make it bigger");
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not reach"));
    // The balancer sends the retry to B, which resumes where A stopped.
    *lb.backends.lock().unwrap() = vec![b.url.trim_start_matches("http://").to_string()];
    hamar.ok(&["sync"]);
    let gjovik = Tablet::new("Johan", "Gjøvik");
    gjovik.ok(&["join", "--hub", &lb.url, "--invite", &data.invite("Innlandet")]);
    gjovik.ok(&["sync"]);
    assert_eq!(gjovik.encounter_ids(), hamar.encounter_ids(), "every record reached the hub exactly once");
    assert_eq!(gjovik.encounter_ids().len(), 1500);
    assert_log_without_gaps(data.database.as_deref().unwrap());
}

#[test]
fn the_log_keeps_equal_bytes_of_two_records_and_a_retried_push_once() {
    use automerge::transaction::Transactable;
    use samskap::store::{Batch, Chunk};
    use samskap::sync::ServerLog;
    let (_cluster, url) = cluster_and_url();
    let mut parts = LogParts::of_new_workspace(&url);
    let mut log = parts.log();
    // One device's first changes of two records can be the same bytes.
    let mut doc = automerge::AutoCommit::new();
    doc.put(automerge::ROOT, "note", "Lesesirkel").unwrap();
    let bytes = doc.save_incremental();
    let chunk = |doc| Chunk { doc, kind: 1, bytes: bytes.clone() };
    let batch = Batch {
        chunks: vec![chunk(samskap::model::RecordId::new()), chunk(samskap::model::RecordId::new())],
        ..Default::default()
    };
    let device = ReplicaId::from(uuid::Uuid::new_v4());
    for (try_no, want) in [(1u64, 2usize), (2, 0)] {
        let outs = log
            .ingest_pushes(&[(device, &batch)], |_, peer| {
                peer.seen_request_no = try_no;
                Ok(())
            })
            .unwrap();
        let (_, got) = outs.into_iter().next().unwrap().unwrap();
        assert_eq!(got.new_chunks, want, "push {try_no}");
    }
    assert_eq!(log.log_since(0, None, 1 << 20).unwrap().batch.chunks.len(), 2, "both records, each once");
    assert_eq!(log.log_head().unwrap(), 2);
}

#[test]
fn one_group_of_pushes_where_the_bad_ones_fail_alone() {
    use automerge::transaction::Transactable;
    use samskap::model::RecordId;
    use samskap::store::{Batch, Chunk};
    use samskap::sync::{ServerLog, SyncError};
    let (_cluster, url) = cluster_and_url();
    let mut parts = LogParts::of_new_workspace(&url);
    let mut log = parts.log();
    let change = |note: &str| {
        let mut doc = automerge::AutoCommit::new();
        doc.put(automerge::ROOT, "note", note).unwrap();
        doc.save_incremental()
    };
    let push = |doc, kind, bytes| Batch { chunks: vec![Chunk { doc, kind, bytes }], ..Default::default() };
    let (tablet, laptop) = (ReplicaId::from(uuid::Uuid::new_v4()), ReplicaId::from(uuid::Uuid::new_v4()));
    let (partner, encounter) = (RecordId::new(), RecordId::new());
    let group = [
        (tablet, push(partner, 1, change("Husflidslaget"))),
        // The same request number again: a replay.
        (tablet, push(RecordId::new(), 1, change("Gjentatt"))),
        // The partner's record made into another kind.
        (laptop, push(partner, 2, change("Feil slag"))),
        // Bytes that are not Automerge's.
        (laptop, push(RecordId::new(), 1, b"ikke automerge".to_vec())),
        // The laptop's next request in the same group, after its refused ones.
        (laptop, push(encounter, 2, change("Strikkekafé"))),
    ];
    let pushes: Vec<(ReplicaId, &Batch)> = group.iter().map(|(d, b)| (*d, b)).collect();
    let request_no = [1u64, 1, 1, 2, 3];
    let outs = log
        .ingest_pushes(&pushes, |i, peer| {
            if request_no[i] <= peer.seen_request_no {
                return Err(SyncError::Replayed { got: request_no[i], last: peer.seen_request_no });
            }
            peer.seen_request_no = request_no[i];
            Ok(())
        })
        .unwrap();
    let verdicts: Vec<Result<usize, String>> =
        outs.into_iter().map(|o| o.map(|(_, got)| got.new_chunks).map_err(|e| format!("{e:?}"))).collect();
    assert_eq!(verdicts[0], Ok(1));
    assert!(verdicts[1].as_ref().is_err_and(|e| e.contains("Replayed")), "{:?}", verdicts[1]);
    assert!(verdicts[2].as_ref().is_err_and(|e| e.contains("kind")), "{:?}", verdicts[2]);
    assert!(verdicts[3].is_err(), "{:?}", verdicts[3]);
    assert_eq!(verdicts[4], Ok(1), "a refused push does not block the next of the same peer");
    let logged: Vec<RecordId> = log.log_since(0, None, 1 << 20).unwrap().batch.chunks.iter().map(|c| c.doc).collect();
    assert_eq!(logged, vec![partner, encounter], "only the good pushes, in order");
    // Each peer's request number is the last one it had accepted.
    let mut seen = |d: ReplicaId| {
        let row = parts.raw().query_one("SELECT seen_request_no FROM peers WHERE id = $1", &[&&d.as_bytes()[..]]);
        row.unwrap().get::<_, i64>(0)
    };
    assert_eq!((seen(tablet), seen(laptop)), (1, 3));
}

#[test]
fn answers_from_the_process_copy_of_the_log_tail_match_the_database_through_an_erasure() {
    use automerge::transaction::Transactable;
    use samskap::model::RecordId;
    use samskap::net::pg::tail::Tail;
    use samskap::store::{Batch, Chunk, ControlEntry, Issued, KeyGrant, LogSlice};
    use samskap::sync::ServerLog;
    let (_cluster, url) = cluster_and_url();
    let mut parts = LogParts::of_new_workspace(&url);
    let tail = Tail::default();
    let devices: Vec<ReplicaId> = (0..3).map(|_| ReplicaId::from(uuid::Uuid::new_v4())).collect();
    let mut records: Vec<RecordId> = vec![];
    let mut request_no = 0u64;
    let mut push = |parts: &mut LogParts, device: ReplicaId, batch: Batch| {
        request_no += 1;
        let no = request_no;
        let outs = parts
            .log()
            .ingest_pushes(&[(device, &batch)], |_, p| {
                p.seen_request_no = no;
                Ok(())
            })
            .unwrap();
        outs.into_iter().next().unwrap().unwrap().0.rowid
    };
    // Every cursor, with and without the asking peer's own entries, and a
    // budget small enough to cut slices short: the copy and the database agree.
    let agree = |parts: &mut LogParts, origins: &[i64], step: &str| {
        let head = parts.log().log_head().unwrap();
        for after in 0..=head {
            for exclude in std::iter::once(None).chain(origins.iter().copied().map(Some)) {
                for budget in [1usize, 600, 1 << 20] {
                    let from_db: LogSlice = parts.log().log_since(after, exclude, budget).unwrap();
                    let mut log = parts.log().with_tail(&tail);
                    log.log_head().unwrap();
                    let from_tail = log.log_since(after, exclude, budget).unwrap();
                    assert_eq!(from_tail, from_db, "{step}: after {after}, leaving out {exclude:?}, budget {budget}");
                }
            }
        }
    };
    let mut origins = vec![];
    for round in 0..4 {
        for (d, device) in devices.iter().enumerate() {
            let id = RecordId::new();
            records.push(id);
            let mut doc = automerge::AutoCommit::new();
            doc.put(automerge::ROOT, "note", format!("runde {round} enhet {d}")).unwrap();
            let batch = Batch {
                chunks: vec![Chunk { doc: id, kind: 2, bytes: doc.save_incremental() }],
                keys: vec![KeyGrant { doc: id, key: [round as u8 * 3 + d as u8; 32] }],
                control: vec![],
            };
            origins.push(push(&mut parts, *device, batch));
        }
        origins.dedup();
        agree(&mut parts, &origins, &format!("round {round}"));
    }
    assert_eq!(tail.reaches_back_to(), Some(3), "rounds 1 to 3 were answered from the copy");
    // A record erased: the copy hands out none of its chunks or its key.
    let erased = records[4];
    let erasure = ControlEntry::erased(erased, Issued { by: devices[0], at_ms: 1 });
    push(&mut parts, devices[0], Batch { control: vec![erasure], ..Default::default() });
    agree(&mut parts, &origins, "after the erasure");
    let head = parts.log().log_head().unwrap();
    assert_eq!(tail.reaches_back_to(), Some(head), "the copy started over at the head when the erasure came in");
    let everything = parts.log().with_tail(&tail).log_since(0, None, 1 << 20).unwrap();
    assert!(
        everything.batch.chunks.iter().all(|c| c.doc != erased)
            && everything.batch.keys.iter().all(|k| k.doc != erased)
    );
    assert_eq!(everything.batch.chunks.len(), records.len() - 1);
}

/// What a [`samskap::net::pg::PgLog`] of a new workspace is made of.
struct LogParts {
    conn: r2d2_postgres::postgres::Client,
    stmts: samskap::net::pg::Statements,
    ws: samskap::model::WorkspaceId,
    replica: ReplicaId,
    epoch: samskap::model::LogEpoch,
}

impl LogParts {
    fn of_new_workspace(url: &str) -> LogParts {
        let hub = PgHub::open(url).unwrap();
        hub.invite("Troms").unwrap();
        let ws = hub.workspace_id("Troms").unwrap();
        let mut conn = postgres_client(url);
        let row =
            conn.query_one("SELECT replica, epoch FROM workspaces WHERE id = $1", &[&&ws.as_bytes()[..]]).unwrap();
        let (replica, epoch): (Vec<u8>, Vec<u8>) = (row.get(0), row.get(1));
        let (replica, epoch) =
            (ReplicaId::from_slice(&replica).unwrap(), samskap::model::LogEpoch::from_slice(&epoch).unwrap());
        LogParts { conn, stmts: Default::default(), ws, replica, epoch }
    }

    fn raw(&mut self) -> &mut r2d2_postgres::postgres::Client {
        &mut self.conn
    }

    fn log(&mut self) -> samskap::net::pg::PgLog<'_> {
        samskap::net::pg::PgLog::new(&mut self.conn, &mut self.stmts, self.ws, self.replica, self.epoch)
    }
}

/// Every file under `dir` with its bytes, to prove a refused command
/// changed nothing.
fn tree(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(tree(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

fn assert_same_files(now: &[(std::path::PathBuf, Vec<u8>)], before: &[(std::path::PathBuf, Vec<u8>)]) {
    let names = |v: &[(std::path::PathBuf, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(now), names(before), "the same files");
    for ((p, a), (_, b)) in now.iter().zip(before) {
        assert!(a == b, "{} changed", p.display());
    }
}

fn partner_names(t: &Tablet) -> Vec<String> {
    let list = t.json(&["partner", "list"]);
    let mut names: Vec<String> =
        list.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect();
    names.sort();
    names
}

#[test]
fn a_sqlite_hub_migrated_to_postgresql_keeps_its_devices_revocations_and_erasures() {
    let sqlite = HubData::new(Backend::Sqlite);
    let invite = sqlite.invite("Troms");
    let old = sqlite.serve("127.0.0.1:0", &[], &[]);
    // The county's address stays; what answers behind it moves.
    let lb = Balancer::start(&[&old.url]);
    let [tromso, harstad, narvik] = [("Siri", "Tromsø"), ("Per", "Harstad"), ("Tor", "Narvik")].map(|(s, b)| {
        let t = Tablet::new(s, b);
        t.ok(&["join", "--hub", &lb.url, "--invite", &invite]);
        t
    });
    let note = |t: &Tablet, n: &str| {
        t.add(&["encounter", "add", "--perspective", "service", "--counterpart", "school", "--note", n]);
    };
    note(&tromso, "Lesestund");
    let lag = tromso.add(&["partner", "add", "--name", "Tromsø husflidslag", "--kind", "association"]);
    tromso.add(&["partner", "add", "--name", "Harstad frivilligsentral", "--kind", "association"]);
    tromso.ok(&["sync"]);
    note(&harstad, "Språkkafé");
    harstad.ok(&["sync"]);
    narvik.ok(&["sync"]);
    // Narvik's tablet is lost; Tromsø erases the husflidslag for good.
    let lost = narvik.json(&["status"])["device_id"].as_str().unwrap().to_string();
    sqlite.admin(&["revoke", "--device", &lost]);
    tromso.ok(&["erase", &lag, "--yes"]);
    tromso.ok(&["sync"]);
    harstad.ok(&["sync"]);
    drop(old); // the hub is stopped for the move

    let pg = HubData::new(Backend::Postgres);
    let url = pg.database.clone().unwrap();
    let from = sqlite.dir.path().to_str().unwrap();
    let out = Tablet::bare().run(&["hub", "migrate", "--from", from, "--to", &url]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("Troms: copied 3 devices"), "{said}");
    assert!(said.contains("devices keep syncing without joining again"), "{said}");
    // Run again, nothing changes: the workspace is there as it was.
    let again = Tablet::bare().ok(&["hub", "migrate", "--from", from, "--to", &url, "--json"]);
    let again: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["workspaces"][0]["already_there"], true, "{again}");

    let mut db = postgres_client(&url);
    let has_key = |db: &mut r2d2_postgres::postgres::Client, id: &str| {
        let id = uuid::Uuid::parse_str(id).unwrap();
        db.query_opt("SELECT 1 FROM record_keys WHERE doc = $1", &[&&id.as_bytes()[..]]).unwrap().is_some()
    };
    assert!(!has_key(&mut db, &lag), "the erased record's key did not come along");
    assert_eq!(db.query_one("SELECT count(*) FROM record_keys", &[]).unwrap().get::<_, i64>(0), 1);
    assert_eq!(db.query_one("SELECT count(*) FROM erasures", &[]).unwrap().get::<_, i64>(0), 1);

    let a = pg.serve("127.0.0.1:0", &[], &[]);
    let b = pg.serve("127.0.0.1:0", &[], &[]);
    *lb.backends.lock().unwrap() = [&a.url, &b.url].map(|u| u.trim_start_matches("http://").to_string()).to_vec();
    // Same credentials, no rejoining: Harstad logs something new and it
    // reaches Tromsø through the other process.
    note(&harstad, "Etter flyttingen");
    harstad.ok(&["sync"]);
    tromso.ok(&["sync"]);
    assert_eq!(tromso.encounter_ids(), harstad.encounter_ids());
    assert_eq!(tromso.encounter_ids().len(), 3);
    let err = narvik.fails(&["sync"]);
    assert!(err.contains("revoked"), "the revoked tablet stays refused: {err}");
    // A tablet that joins now gets everything, but not the erased record.
    let bodo = Tablet::new("Hanne", "Bodø");
    bodo.ok(&["join", "--hub", &lb.url, "--invite", &pg.invite("Troms")]);
    bodo.ok(&["sync"]);
    assert_eq!(bodo.encounter_ids(), tromso.encounter_ids());
    assert_eq!(partner_names(&bodo), ["Harstad frivilligsentral"]);
    assert_eq!(partner_names(&harstad), ["Harstad frivilligsentral"]);
    assert!(!has_key(&mut db, &lag));
    assert_log_without_gaps_after_erasure(&url);
    // The workspace has moved on: copying the old hub again is refused.
    let err = Tablet::bare().fails(&["hub", "migrate", "--from", from, "--to", &url]);
    assert!(err.contains("already holds workspace Troms with other contents"), "{err}");
}

/// Seqs only grow: every chunk and control entry has its own, none above the head.
fn assert_log_without_gaps_after_erasure(url: &str) {
    let mut db = postgres_client(url);
    let row = db
        .query_one(
            "SELECT (SELECT head FROM workspaces), (SELECT count(*) FROM (SELECT seq FROM chunks UNION SELECT seq FROM control_log) s),
                    (SELECT count(*) FROM chunks) + (SELECT count(*) FROM control_log),
                    GREATEST((SELECT max(seq) FROM chunks), (SELECT max(seq) FROM control_log))",
            &[],
        )
        .unwrap();
    let (head, distinct, all, max): (i64, i64, i64, i64) = (row.get(0), row.get(1), row.get(2), row.get(3));
    assert_eq!(distinct, all, "no seq is used twice");
    assert!(max <= head);
}

#[test]
fn migrating_from_a_folder_that_is_not_a_hub_or_to_an_unreachable_database_changes_nothing() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let nowhere = format!("postgres://samskap@127.0.0.1:{closed}/hub");
    // A tablet's own folder is not a hub.
    let tablet = Tablet::new("Siri", "Tromsø");
    let before = tree(tablet.path());
    let err = Tablet::bare().fails(&["hub", "migrate", "--from", tablet.path().to_str().unwrap(), "--to", &nowhere]);
    assert!(err.contains("is not a hub folder"), "{err}");
    assert_same_files(&tree(tablet.path()), &before);

    // A hub folder, and a database that does not answer.
    let sqlite = HubData::new(Backend::Sqlite);
    sqlite.invite("Troms");
    let from = sqlite.dir.path().to_str().unwrap();
    let before = tree(sqlite.dir.path());
    let err = Tablet::bare().fails(&["hub", "migrate", "--from", from, "--to", &nowhere]);
    assert!(err.contains("could not reach the database"), "{err}");
    assert!(err.contains("nothing was copied"), "{err}");
    let out = Tablet::bare()
        .in_locale("nb_NO.UTF-8")
        .args(["hub", "migrate", "--from", from, "--to", &nowhere])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Fikk ikke kontakt med databasen"), "{err}");
    let err = Tablet::bare().fails(&["hub", "migrate", "--from", from, "--to", "mysql://hub"]);
    assert!(err.contains("is not a PostgreSQL address"), "{err}");
    assert_same_files(&tree(sqlite.dir.path()), &before);
}
