//! Faults on real processes and files: the hub killed mid-sync, a full
//! disk while ingesting, TLS with a county's own certificate authority.
//! Each ends with a clear error, no record lost, and a retry that succeeds.

use samskap::store::{Store, StoreError};
use samskap::sync::{self, SyncError};

use crate::util::{on_both_hubs, Backend, HubData, Tablet};

on_both_hubs!(
    the_hub_killed_mid_sync_loses_nothing_and_the_retry_finishes,
    a_hub_with_its_own_certificate_serves_https,
    a_device_flooding_the_hub_is_slowed_alone_and_its_own_sync_still_finishes,
);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn the_hub_killed_mid_sync_loses_nothing_and_the_retry_finishes(backend: Backend) {
    let data = HubData::new(backend);
    let invite = data.invite("Innlandet");
    let listen = format!("127.0.0.1:{}", free_port());
    let mut hub = data.serve(&listen, &[], &[]);

    let hamar = Tablet::new("Astrid", "Hamar");
    hamar.ok(&["demo", "--records", "1500"]);
    hamar.ok(&["join", "--hub", &hub.url, "--invite", &invite]);
    // Small batches: many round trips, so the kill lands in the middle.
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("samskap"))
        .env("SAMSKAP_DATA", hamar.path())
        .env("SAMSKAP_LANG", "en")
        .env(samskap::net::client::BUDGET_ENV, "8000")
        .arg("sync")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    hub.child.kill().unwrap(); // SIGKILL: no goodbye
    hub.child.wait().unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the sync finished before the hub died; make it bigger");
    assert!(err.contains("could not reach"), "{err}");

    // The hub comes back on the same address; the retry resumes and finishes.
    let _hub = data.serve(&listen, &[], &[]);
    let done = hamar.json(&["sync"]);
    assert!(done["round_trips"].as_u64().unwrap() >= 1);
    let gjovik = Tablet::new("Johan", "Gjøvik");
    gjovik.ok(&["join", "--hub", &hub.url, "--invite", &invite]);
    gjovik.ok(&["sync"]);
    assert_eq!(gjovik.encounter_ids(), hamar.encounter_ids(), "every record reached the hub exactly once");
    assert_eq!(gjovik.encounter_ids().len(), 1500);
}

fn replica(name: &str) -> (tempfile::TempDir, Store) {
    samskap::testing::temp_store(name, "Alta")
}

fn sync_once(client: &mut Store, server: &mut Store) -> Result<(), SyncError> {
    sync::sync_local(client, server).map(drop)
}

#[test]
fn a_full_disk_while_receiving_changes_nothing_and_the_retry_succeeds() {
    let (_a_dir, mut a) = replica("a");
    let (_b_dir, mut b) = replica("b");
    b.set_workspace(a.workspace_id().unwrap(), "Finnmark").unwrap();
    samskap::demo::fill(&mut a, &samskap::demo::DemoOptions { encounters: 400, seed: 3 }).unwrap();
    b.checkpoint().unwrap();
    let before = b.counts().unwrap();
    b.set_size_limit(b.disk_bytes().unwrap() + 64 * 1024).unwrap();
    let err = sync_once(&mut b, &mut a).unwrap_err();
    assert!(matches!(err, SyncError::Store(StoreError::DiskFull)), "{err}");
    assert_eq!(err.to_string(), "the disk is full; nothing was written");
    assert_eq!(b.counts().unwrap(), before, "a failed ingest leaves no half-applied records");
    // Space is freed; the retry brings everything.
    b.set_size_limit(1 << 40).unwrap();
    sync_once(&mut b, &mut a).unwrap();
    assert_eq!(b.counts().unwrap().encounters, 400);
}

fn a_hub_with_its_own_certificate_serves_https(backend: Backend) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let certs = tempfile::tempdir().unwrap();
    let (crt, key) = (certs.path().join("hub.crt"), certs.path().join("hub.key"));
    std::fs::write(&crt, cert.cert.pem()).unwrap();
    std::fs::write(&key, cert.signing_key.serialize_pem()).unwrap();

    let data = HubData::new(backend);
    let invite = data.invite("Troms");
    let hub = data.serve("127.0.0.1:0", &["--cert", crt.to_str().unwrap(), "--key", key.to_str().unwrap()], &[]);
    assert!(hub.url.starts_with("https://"), "{}", hub.url);
    let url = hub.url.replace("127.0.0.1", "localhost");

    let t = Tablet::new("Liv", "Senja");
    // Without trusting the hub's certificate, nothing is sent.
    let err = t.fails(&["join", "--hub", &url, "--invite", &invite]);
    assert!(err.contains("could not reach"), "{err}");
    let trusted = |args: &[&str]| {
        let out = t.cmd().env(samskap::net::client::CA_ENV, &crt).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    trusted(&["join", "--hub", &url, "--invite", &invite]);
    t.add(&["encounter", "add", "--perspective", "service", "--counterpart", "school"]);
    trusted(&["sync"]);
}

fn a_device_flooding_the_hub_is_slowed_alone_and_its_own_sync_still_finishes(backend: Backend) {
    let data = HubData::new(backend);
    let invite = data.invite("Troms");
    let hub = data.serve("127.0.0.1:0", &[], &[]);
    let tromso = Tablet::new("Sara", "Tromsø");
    let harstad = Tablet::new("Per", "Harstad");
    for t in [&tromso, &harstad] {
        t.ok(&["join", "--hub", &hub.url, "--invite", &invite]);
    }
    let token = Store::open(tromso.path()).unwrap().membership().unwrap().token.unwrap();

    // Tromsø's credential floods the hub with junk, back to back.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let statuses: Vec<u16> = rt.block_on(async {
        let http = reqwest::Client::new();
        let mut out = vec![];
        for _ in 0..150 {
            let r = http.post(format!("{}/v1/sync", hub.url)).bearer_auth(&token).body(vec![7u8; 64]).send().await;
            out.push(r.unwrap().status().as_u16());
        }
        out
    });
    let limited = statuses.iter().filter(|&&s| s == 429).count();
    assert!(limited > 50, "the flood was slowed: {limited} of 150 refused with 429");
    assert!(statuses.iter().all(|&s| s == 400 || s == 429), "only 400 and 429: {statuses:?}");

    // Harstad is not affected; Tromsø's own sync waits out the limit and finishes.
    harstad.add(&["encounter", "add", "--perspective", "service", "--counterpart", "citizen", "--note", "Lånekort"]);
    harstad.ok(&["sync"]);
    tromso.ok(&["sync"]);
    assert_eq!(tromso.encounter_ids(), harstad.encounter_ids());
}
