//! The protocol in memory: two tablets and a hub, with the network between
//! them as a function over bytes, so every fault is deterministic.

use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::model::*;
use crate::store::{EncounterQuery, Store};

struct Replica {
    _dir: tempfile::TempDir,
    store: Store,
}

/// A hub's replica: no user, no records of its own.
fn hub_replica() -> Replica {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init_replica(dir.path(), uuid::Uuid::new_v4().into(), "Finnmark").unwrap();
    Replica { _dir: dir, store }
}

fn replica(name: &str) -> Replica {
    let (dir, store) = crate::testing::temp_store(name, "Vadsø");
    Replica { _dir: dir, store }
}

/// Puts `b` into `a`'s workspace (what joining does).
fn same_workspace(a: &Replica, b: &mut Replica) {
    let ws = a.store.workspace_id().unwrap();
    b.store.set_workspace(ws, "Finnmark").unwrap();
}

/// Runs a sync to completion through `net`, which may drop (None) or alter bytes.
fn sync_via(
    client: &mut Store,
    server: &mut Store,
    mut net: impl FnMut(Vec<u8>) -> Option<Vec<u8>>,
) -> Result<SyncReport, SyncError> {
    let mut s = ClientSession::new(client, Some(server.replica_id()))?;
    for _ in 0..100 {
        match s.next(client)? {
            Progress::Done => return Ok(s.report),
            Progress::Send(req) => {
                let req = net(req).ok_or(SyncError::Malformed("connection dropped".into()))?;
                let resp = serve(server, &req, BATCH_BUDGET, Utc::now())?;
                let resp = net(resp).ok_or(SyncError::Malformed("connection dropped".into()))?;
                s.receive(client, &resp)?;
            }
        }
    }
    panic!("sync did not finish in 100 round trips");
}

fn sync(client: &mut Store, server: &mut Store) -> SyncReport {
    sync_via(client, server, Some).unwrap()
}

fn log(store: &mut Store, note: &str) -> RecordId {
    let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Citizen);
    e.note = note.into();
    store.create(&e).unwrap()
}

fn notes(store: &Store) -> Vec<String> {
    let mut v: Vec<String> = store
        .list_encounters(&EncounterQuery { limit: Some(10_000), ..Default::default() })
        .unwrap()
        .into_iter()
        .map(|r| r.preview)
        .collect();
    v.sort();
    v
}

#[test]
fn two_tablets_meet_through_the_hub() {
    let mut hub = hub_replica();
    let mut a = replica("Ingrid");
    let mut b = replica("Ánte");
    same_workspace(&hub, &mut a);
    same_workspace(&hub, &mut b);
    log(&mut a.store, "Strikkekafé i Vadsø");
    let mut p = Partner::new("Deatnu searvi", PartnerKind::Association, Level::Network);
    p.phone = Some("915 00 001".into());
    b.store.create(&p).unwrap();

    sync(&mut a.store, &mut hub.store);
    sync(&mut b.store, &mut hub.store);
    let r = sync(&mut a.store, &mut hub.store);
    assert_eq!(r.new_chunks, 2, "a gets b's partner and b's staff profile");
    assert_eq!(notes(&a.store), notes(&b.store));
    // Personal fields arrive readable: the record key travels with the record.
    assert_eq!(a.store.get::<Partner>(p.id).unwrap().record.phone.as_deref(), Some("915 00 001"));
}

#[test]
fn nothing_to_do_is_one_small_round_trip() {
    let mut hub = hub_replica();
    let mut a = replica("a");
    same_workspace(&hub, &mut a);
    for i in 0..50 {
        log(&mut a.store, &format!("møte {i}"));
    }
    sync(&mut a.store, &mut hub.store);
    let r = sync(&mut a.store, &mut hub.store);
    assert_eq!(r.round_trips, 1);
    assert!(r.bytes_sent < 200 && r.bytes_received < 200, "{r:?}");
    assert_eq!(r.chunks_received + r.chunks_sent, 0);
}

#[test]
fn echoes_are_not_sent_back() {
    let mut hub = hub_replica();
    let mut a = replica("a");
    same_workspace(&hub, &mut a);
    for i in 0..20 {
        log(&mut a.store, &format!("møte {i}"));
    }
    let first = sync(&mut a.store, &mut hub.store);
    assert_eq!(first.chunks_received, 0, "the hub had nothing but what a sent");
}

#[test]
fn a_dropped_answer_is_retried_without_loss() {
    let mut hub = hub_replica();
    let mut a = replica("a");
    same_workspace(&hub, &mut a);
    let mut b = replica("b");
    same_workspace(&hub, &mut b);
    for i in 0..10 {
        log(&mut b.store, &format!("fra b {i}"));
    }
    sync(&mut b.store, &mut hub.store);
    log(&mut a.store, "fra a");
    // The hub processes a's requests but every answer is lost on the way back.
    let mut n = 0;
    let err = sync_via(&mut a.store, &mut hub.store, |bytes| {
        n += 1;
        (n % 2 == 1).then_some(bytes)
    })
    .unwrap_err();
    assert!(err.to_string().contains("dropped"));
    // The retry resumes and everything arrives, once.
    sync(&mut a.store, &mut hub.store);
    sync(&mut b.store, &mut hub.store);
    assert_eq!(notes(&a.store), notes(&b.store));
    assert_eq!(notes(&a.store).len(), 11);
}

#[test]
fn replayed_and_stale_messages_are_refused_and_change_nothing() {
    let mut hub = hub_replica();
    let mut a = replica("a");
    same_workspace(&hub, &mut a);
    sync(&mut a.store, &mut hub.store);
    log(&mut a.store, "ny");
    let mut s = ClientSession::new(&a.store, Some(hub.store.replica_id())).unwrap();
    let Progress::Send(req) = s.next(&mut a.store).unwrap() else { panic!() };
    let resp = serve(&mut hub.store, &req, BATCH_BUDGET, Utc::now()).unwrap();
    // The same request again (duplicated on the network, or replayed by an attacker).
    let err = serve(&mut hub.store, &req, BATCH_BUDGET, Utc::now()).unwrap_err();
    assert!(matches!(err, SyncError::Replayed { .. }), "{err}");
    s.receive(&mut a.store, &resp).unwrap();
    // The same answer again (reordered or duplicated) is not taken twice.
    let err = s.receive(&mut a.store, &resp).unwrap_err();
    assert!(matches!(err, SyncError::Unexpected { .. }), "{err}");
    sync(&mut a.store, &mut hub.store);
    assert_eq!(notes(&hub.store).len(), 1);
}

#[test]
fn corrupt_messages_are_refused_and_change_nothing() {
    let mut hub = hub_replica();
    let mut a = replica("a");
    same_workspace(&hub, &mut a);
    log(&mut a.store, "skal ikke komme fram skadet");
    let mut s = ClientSession::new(&a.store, Some(hub.store.replica_id())).unwrap();
    let Progress::Send(req) = s.next(&mut a.store).unwrap() else { panic!() };
    let before = hub.store.counts().unwrap();
    for damage in [
        req[..req.len() / 2].to_vec(),
        {
            let mut r = req.clone();
            let i = r.len() - 3;
            r[i] ^= 1;
            r
        },
        b"POST /v1/sync HTTP/1.1".to_vec(),
    ] {
        let err = serve(&mut hub.store, &damage, BATCH_BUDGET, Utc::now()).unwrap_err();
        assert_eq!(err.code(), "malformed", "{err}");
    }
    assert_eq!(hub.store.counts().unwrap(), before);
    // The intact request still works afterwards.
    serve(&mut hub.store, &req, BATCH_BUDGET, Utc::now()).unwrap();
    assert_eq!(hub.store.counts().unwrap().encounters, 1);
}

#[test]
fn a_chunk_that_does_not_parse_rejects_the_whole_batch() {
    let mut hub = hub_replica();
    let mut a = replica("a");
    same_workspace(&hub, &mut a);
    log(&mut a.store, "god");
    let mut batch = a.store.log_since(0, None, usize::MAX).unwrap().batch;
    batch.chunks.push(crate::store::Chunk {
        doc: RecordId::new(),
        kind: 1,
        bytes: vec![0x85, 0x6f, 0x4a, 0x83, 1, 2, 3],
    });
    let before = hub.store.counts().unwrap();
    let err = hub.store.ingest(&batch, 0).unwrap_err();
    assert!(err.to_string().contains("cannot be used"), "{err}");
    assert_eq!(hub.store.counts().unwrap(), before);
}

/// What a hub's group commit does with a burst of requests: all in one
/// transaction, each in its own savepoint, so the bad ones fail alone.
#[test]
fn a_group_of_requests_is_answered_together_and_a_bad_one_fails_alone() {
    let mut hub = hub_replica();
    let (mut a, mut b, mut c) = (replica("a"), replica("b"), replica("c"));
    for t in [&mut a, &mut b, &mut c] {
        same_workspace(&hub, t);
        sync(&mut t.store, &mut hub.store);
    }
    log(&mut a.store, "fra a");
    log(&mut b.store, "fra b");
    log(&mut c.store, "fra c");
    let first_request = |t: &mut Replica, hub: &Replica| {
        let mut s = ClientSession::new(&t.store, Some(hub.store.replica_id())).unwrap();
        let Progress::Send(bytes) = s.next(&mut t.store).unwrap() else { panic!("has something to send") };
        let Message::Request(req) = decode(&bytes).unwrap() else { panic!("a request") };
        (s, req)
    };
    let (mut sa, ra) = first_request(&mut a, &hub);
    let (mut sb, rb) = first_request(&mut b, &hub);
    let (_, mut rc) = first_request(&mut c, &hub);
    // C's push carries a chunk that does not parse; A's request comes twice.
    rc.push.chunks.push(crate::store::Chunk { doc: RecordId::new(), kind: 1, bytes: vec![0x85, 0x6f, 0x4a, 0x83, 1] });
    let mut answers: Vec<Option<Result<SyncResponse, SyncError>>> = vec![None, None, None, None];
    answer_all(&mut hub.store, &[ra.clone(), rb, ra, rc], BATCH_BUDGET, Utc::now(), |i, a| answers[i] = Some(a))
        .unwrap();
    let answers: [_; 4] = answers.try_into().map_err(|_| "four answers").unwrap();
    let [Some(Ok(to_a)), Some(Ok(to_b)), Some(Err(replayed)), Some(Err(bad))] = answers else {
        panic!("A and B answered, the replay and the bad push refused")
    };
    assert!(matches!(replayed, SyncError::Replayed { .. }), "{replayed}");
    assert!(bad.to_string().contains("cannot be used"), "{bad}");
    // A and B are on the hub; nothing of C's broken push is.
    let mut on_hub = notes(&hub.store);
    assert_eq!(on_hub, ["fra a", "fra b"]);
    // Each answer carries the other's record and is accepted as usual.
    sa.receive(&mut a.store, &encode(&Message::Response(to_a))).unwrap();
    sb.receive(&mut b.store, &encode(&Message::Response(to_b))).unwrap();
    assert_eq!(notes(&a.store), ["fra a", "fra b"]);
    assert_eq!(notes(&b.store), ["fra a", "fra b"]);
    // C's next, intact sync gets through.
    sync(&mut c.store, &mut hub.store);
    on_hub.push("fra c".into());
    assert_eq!(notes(&hub.store), on_hub);
    assert_eq!(notes(&c.store), on_hub);
}

#[test]
fn another_workspace_is_refused() {
    let mut hub = hub_replica();
    let mut stranger = replica("stranger");
    log(&mut stranger.store, "feil sted");
    let err = sync_via(&mut stranger.store, &mut hub.store, Some).unwrap_err();
    assert!(matches!(err, SyncError::WrongWorkspace));
    assert_eq!(hub.store.counts().unwrap().encounters, 0);
}

#[test]
fn concurrent_edits_converge_through_any_path() {
    let mut hub = hub_replica();
    let mut a = replica("a");
    let mut b = replica("b");
    same_workspace(&hub, &mut a);
    same_workspace(&hub, &mut b);
    let p = Partner::new("Alta sjakklubb", PartnerKind::Association, Level::Network);
    a.store.create(&p).unwrap();
    sync(&mut a.store, &mut hub.store);
    sync(&mut b.store, &mut hub.store);
    a.store.update::<Partner>(p.id, |p| p.note = "Møtes tirsdager.".into()).unwrap();
    b.store.update::<Partner>(p.id, |p| p.phone = Some("400 00 000".into())).unwrap();
    a.store.update::<Partner>(p.id, |p| p.email = Some("a@sjakk.no".into())).unwrap();
    b.store.update::<Partner>(p.id, |p| p.email = Some("b@sjakk.no".into())).unwrap();
    // b meets a directly (a LAN session), then both meet the hub.
    sync(&mut b.store, &mut a.store);
    sync(&mut a.store, &mut hub.store);
    sync(&mut b.store, &mut hub.store);
    let ra = a.store.get::<Partner>(p.id).unwrap();
    let rb = b.store.get::<Partner>(p.id).unwrap();
    let rh = hub.store.get::<Partner>(p.id).unwrap();
    assert_eq!(ra.record, rb.record);
    assert_eq!(ra.record, rh.record);
    assert_eq!(ra.record.note, "Møtes tirsdager.");
    assert_eq!(ra.record.phone.as_deref(), Some("400 00 000"));
    assert_eq!(ra.conflicts.len(), 1, "the two e-mails wait for a decision");
}

#[test]
fn bundles_carry_changes_and_refuse_damage_whole() {
    let mut a = replica("a");
    let mut b = replica("b");
    same_workspace(&a, &mut b);
    for i in 0..30 {
        log(&mut a.store, &format!("på minnepinne {i}"));
    }
    let (_, bytes) = write_bundle(&a.store, Utc::now()).unwrap();

    let before = b.store.counts().unwrap();
    for (name, damaged) in [
        ("truncated", bytes[..bytes.len() - 100].to_vec()),
        ("bit-flipped", {
            let mut d = bytes.clone();
            let i = d.len() / 2 + 40;
            d[i] ^= 0x10;
            d
        }),
        ("not a bundle", b"hello".to_vec()),
    ] {
        let err = apply_bundle(&mut b.store, &damaged, Utc::now(), |_, _| {}).unwrap_err();
        assert_eq!(err.code(), "bad_bundle", "{name}: {err}");
    }
    assert_eq!(b.store.counts().unwrap(), before);

    let stranger = replica("stranger");
    let (_, foreign) = write_bundle(&stranger.store, Utc::now()).unwrap();
    let err = apply_bundle(&mut b.store, &foreign, Utc::now(), |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("another workspace"), "{err}");

    let got = apply_bundle(&mut b.store, &bytes, Utc::now(), |_, _| {}).unwrap().ingested;
    assert_eq!(got.records, 31, "30 encounters and a's staff profile");
    assert_eq!(notes(&a.store), notes(&b.store));
    let again = apply_bundle(&mut b.store, &bytes, Utc::now(), |_, _| {}).unwrap().ingested;
    assert_eq!(again.new_chunks, 0, "importing twice changes nothing");
}

#[test]
fn a_first_sync_pulled_ahead_gets_everything_once() {
    // The hub holds many slices' worth; the client asks for the next slice
    // before applying each answer, as the HTTP client does on a busy link.
    let mut hub = hub_replica();
    let mut a = replica("a");
    same_workspace(&hub, &mut a);
    for i in 0..150 {
        log(&mut a.store, &format!("møte {i}"));
    }
    sync(&mut a.store, &mut hub.store);
    let mut b = replica("b");
    same_workspace(&hub, &mut b);
    log(&mut b.store, "b sitt eget");
    let mut s = ClientSession::new(&b.store, Some(hub.store.replica_id())).unwrap();
    s.budget = 4_000;
    let mut pending = None;
    let mut ahead_sent = 0;
    for _ in 0..200 {
        let resp = match pending.take() {
            Some(resp) => resp,
            None => match s.next(&mut b.store).unwrap() {
                Progress::Done => break,
                Progress::Send(req) => serve(&mut hub.store, &req, s.budget, Utc::now()).unwrap(),
            },
        };
        let answer = s.accept(&resp).unwrap();
        if let Some(next) = s.ahead(&answer) {
            // The hub answers the next request before this answer is applied.
            pending = Some(serve(&mut hub.store, &next, s.budget, Utc::now()).unwrap());
            ahead_sent += 1;
            assert!(s.awaiting());
        }
        s.apply(&mut b.store, answer).unwrap();
    }
    assert!(ahead_sent > 3, "small slices were pulled ahead ({ahead_sent})");
    let mut want = notes(&a.store);
    want.push("b sitt eget".into());
    want.sort();
    assert_eq!(notes(&b.store), want);
    // Both sides are in sync: one more sync moves nothing new.
    let again = sync(&mut b.store, &mut hub.store);
    assert_eq!((again.round_trips, again.new_chunks), (1, 0));
    assert_eq!(notes(&hub.store), notes(&b.store));
}

#[test]
fn a_bad_chunk_deep_in_a_big_batch_rejects_all_of_it() {
    // Big batches are read on other cores while this thread files them; a
    // bad chunk near the end must still roll back everything filed before it.
    let mut hub = hub_replica();
    let mut a = replica("a");
    same_workspace(&hub, &mut a);
    for i in 0..300 {
        log(&mut a.store, &format!("møte {i}"));
    }
    let mut batch = a.store.log_since(0, None, usize::MAX).unwrap().batch;
    let at = batch.chunks.len() - 5;
    batch
        .chunks
        .insert(at, crate::store::Chunk { doc: RecordId::new(), kind: 1, bytes: vec![0x85, 0x6f, 0x4a, 0x83, 9, 9] });
    let before = hub.store.counts().unwrap();
    assert!(hub.store.ingest(&batch, 0).is_err());
    assert_eq!(hub.store.counts().unwrap(), before);
    assert_eq!(hub.store.log_head().unwrap(), 0);
    // The same batch without the bad chunk goes in whole.
    batch.chunks.remove(at);
    let got = hub.store.ingest(&batch, 0).unwrap();
    assert_eq!(got.records, 301);
    assert_eq!(notes(&hub.store), notes(&a.store));
}

#[test]
fn retention_forgets_contact_people_on_every_copy_and_keeps_the_counts() {
    const NAME: &str = "Máret Sárá Buljo";
    const PHONE: &str = "+47 915 44 321";
    const EMAIL: &str = "maret.buljo@eksempel.no";
    let mut hub = hub_replica();
    let mut a = replica("a");
    let mut b = replica("b");
    same_workspace(&hub, &mut a);
    same_workspace(&hub, &mut b);
    let mut p = Partner::new("Buljo duodji", PartnerKind::Business, Level::Network);
    p.contacts.push(Contact {
        id: "c1".into(),
        name: NAME.into(),
        role: "dagleg leiar".into(),
        phone: Some(PHONE.into()),
        email: Some(EMAIL.into()),
        basis: Some(ConsentBasis::Consent),
    });
    let pid = a.store.create(&p).unwrap();
    let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Business);
    e.partners = vec![pid];
    e.when = chrono::Utc::now() - chrono::Duration::days(40);
    a.store.create(&e).unwrap();
    sync(&mut a.store, &mut hub.store);
    sync(&mut b.store, &mut hub.store);
    assert_eq!(b.store.get::<Partner>(pid).unwrap().record.contacts[0].phone.as_deref(), Some(PHONE));
    let (_, old_bundle) = write_bundle(&a.store, Utc::now()).unwrap();

    // Within the period nothing is forgotten; three years on, the contact is.
    let year = chrono::Duration::days(365);
    let now = chrono::Utc::now().timestamp_millis();
    assert_eq!(a.store.apply_retention(year * 2, now).unwrap().contacts, 0);
    let later = now + (year * 3).num_milliseconds();
    assert_eq!(a.store.apply_retention(year * 2, later).unwrap(), crate::store::Forgotten { partners: 1, contacts: 1 });
    assert_eq!(a.store.apply_retention(year * 2, later).unwrap().contacts, 0, "a second pass finds nothing");
    sync(&mut a.store, &mut hub.store);
    sync(&mut b.store, &mut hub.store);

    for s in [&a.store, &b.store, &hub.store] {
        let kept = s.get::<Partner>(pid).unwrap().record;
        assert!(kept.contacts.is_empty());
        assert_eq!(kept.name, "Buljo duodji", "the partner stays, readable");
        assert_eq!(s.counts().unwrap().partners, a.store.counts().unwrap().partners);
        assert_eq!(s.counts().unwrap().encounters, a.store.counts().unwrap().encounters);
    }
    // A tablet that only ever had the old bundle, then meets the hub: the
    // old key is destroyed on arrival of the retirement.
    let mut c = replica("c");
    same_workspace(&hub, &mut c);
    apply_bundle(&mut c.store, &old_bundle, Utc::now(), |_, _| {}).unwrap();
    assert_eq!(c.store.get::<Partner>(pid).unwrap().record.contacts.len(), 1);
    sync(&mut c.store, &mut hub.store);
    assert!(c.store.get::<Partner>(pid).unwrap().record.contacts.is_empty());
    // The old bundle imported again afterwards brings nothing back anywhere.
    for s in [&mut b.store, &mut c.store] {
        apply_bundle(s, &old_bundle, Utc::now(), |_, _| {}).unwrap();
        assert!(s.get::<Partner>(pid).unwrap().record.contacts.is_empty());
    }
    // No file of any replica holds the contact readably.
    for (who, r) in [("a", &a), ("b", &b), ("c", &c), ("hub", &hub)] {
        for f in std::fs::read_dir(r._dir.path()).unwrap().flatten() {
            let bytes = std::fs::read(f.path()).unwrap();
            // ("buljo" stays: it is also the partner's name, which is kept.)
            for w in [NAME, PHONE, EMAIL, "Máret", "maret", "915 44 321"] {
                assert!(!bytes.windows(w.len()).any(|x| x == w.as_bytes()), "{who}: {} holds {w}", f.path().display());
            }
        }
    }
}

/// A sync between two stores in memory in which the client reads `clock`.
fn sync_at(client: &mut Store, server: &mut Store, clock: fn() -> DateTime<Utc>) -> SyncReport {
    let mut s = ClientSession::new(client, Some(server.replica_id())).unwrap().with_clock(clock);
    while let Progress::Send(req) = s.next(client).unwrap() {
        let resp = serve(server, &req, BATCH_BUDGET, Utc::now()).unwrap();
        s.receive(client, &resp).unwrap();
    }
    s.report
}

#[test]
fn a_tablet_that_never_meets_the_hub_still_forgets_contact_people() {
    // One tablet only ever syncs with a colleague's over the LAN, another
    // only takes in bundles from a USB stick; both must forget a contact
    // person once the partner has been quiet past the retention period.
    fn years_later() -> DateTime<Utc> {
        Utc::now() + Duration::days(3 * 365)
    }
    let mut colleague = replica("colleague");
    let mut lan = replica("lan");
    let mut stick = replica("stick");
    same_workspace(&colleague, &mut lan);
    same_workspace(&colleague, &mut stick);
    let mut p = Partner::new("Buljo duodji", PartnerKind::Business, Level::Network);
    p.contacts.push(Contact {
        id: "c1".into(),
        name: "Máret Sárá Buljo".into(),
        role: "dagleg leiar".into(),
        phone: Some("+47 915 44 321".into()),
        email: None,
        basis: Some(ConsentBasis::Consent),
    });
    let pid = colleague.store.create(&p).unwrap();
    let contacts = |s: &Store| s.get::<Partner>(pid).unwrap().record.contacts.len();

    // Today both get the partner with its contact person, and keep it.
    assert_eq!(sync_at(&mut lan.store, &mut colleague.store, Utc::now).forgotten_contacts, 0);
    let (_, bundle) = write_bundle(&colleague.store, Utc::now()).unwrap();
    assert_eq!(apply_bundle(&mut stick.store, &bundle, Utc::now(), |_, _| {}).unwrap().forgotten_contacts, 0);
    assert_eq!((contacts(&lan.store), contacts(&stick.store)), (1, 1));

    // Three years on, with no encounter with the partner, still never a hub.
    log(&mut colleague.store, "Lesesirkel i Karasjok");
    let report = sync_at(&mut lan.store, &mut colleague.store, years_later);
    assert_eq!(report.forgotten_contacts, 1, "the LAN sync ran the retention pass");
    let (_, bundle) = write_bundle(&colleague.store, years_later()).unwrap();
    let applied = apply_bundle(&mut stick.store, &bundle, years_later(), |_, _| {}).unwrap();
    assert_eq!(applied.forgotten_contacts, 1, "importing the bundle ran the retention pass");
    assert_eq!((contacts(&lan.store), contacts(&stick.store)), (0, 0));
    assert_eq!(lan.store.get::<Partner>(pid).unwrap().record.name, "Buljo duodji", "the partner stays");
}

/// Time is an input, as storage is: a server stamps a peer's "last seen",
/// and a replica dates its erasure receipt, from the clock it was given.
#[test]
fn last_seen_and_erasure_receipts_come_from_the_replicas_own_clock() {
    fn noon() -> DateTime<Utc> {
        DateTime::from_timestamp(1_906_632_000, 0).expect("1 June 2030, 12:00 UTC")
    }
    let mut hub = hub_replica();
    let mut tablet = replica("Ingrid Haugen");
    same_workspace(&hub, &mut tablet);
    hub.store.set_clock(noon);
    let lag =
        tablet.store.create(&Partner::new("Vadsø husflidslag", PartnerKind::Association, Level::Network)).unwrap();
    sync_local(&mut tablet.store, &mut hub.store).unwrap();
    let seen = hub.store.peers().unwrap().into_iter().find(|p| p.id == tablet.store.replica_id()).unwrap();
    assert_eq!(seen.last_seen_ms, Some(noon().timestamp_millis()));

    tablet.store.erase(lag).unwrap();
    sync_local(&mut tablet.store, &mut hub.store).unwrap();
    let erased = hub.store.erasures().unwrap();
    let hubs_receipt = erased[0].receipts.iter().find(|r| r.this_device).expect("the hub's own receipt");
    assert_eq!(hubs_receipt.at_ms, noon().timestamp_millis());
    let tablets = erased[0].receipts.iter().find(|r| !r.this_device).expect("the tablet's receipt");
    assert_ne!(tablets.at_ms, noon().timestamp_millis(), "the tablet keeps the system clock");
}
