//! A field day in Finnmark: a county hub, three tablets in different
//! districts, offline work, a LAN session at a pop-up without network, a
//! bundle carried by hand on the bus, and finally everyone meets at the hub.

use crate::util::{on_both_hubs, Backend, HubData, Server, Tablet};

fn log(t: &Tablet, place: &str, note: &str) -> String {
    t.add(&[
        "encounter",
        "add",
        "--perspective",
        "co-creative",
        "--counterpart",
        "citizen",
        "--place",
        place,
        "--note",
        note,
    ])
}

on_both_hubs!(a_field_day_in_finnmark);

fn a_field_day_in_finnmark(backend: Backend) {
    // The county hub, with an invite for the Finnmark workspace.
    let hub_data = HubData::new(backend);
    let invite = hub_data.invite("Finnmark");
    let mut hub = hub_data.serve("127.0.0.1:0", &[], &[("SAMSKAP_LOG", "debug")]);

    // Three tablets; Vadsø logged something before it ever joined.
    let vadso = Tablet::new("Ingrid Haugen", "Vadsø");
    let alta = Tablet::new("Ole Olsen", "Alta");
    let kauto = Tablet::new("Biret Gaup", "Guovdageaidnu");
    let early = log(&vadso, "Vadsø bibliotek", "Logget før tavla ble med i arbeidsområdet");
    for t in [&vadso, &alta, &kauto] {
        t.ok(&["join", "--hub", &hub.url, "--invite", &invite]);
        t.ok(&["sync"]);
    }
    assert!(alta.encounter_ids().contains(&early), "joining never loses local records");

    // Offline: everyone works without network.
    let lag = vadso.add(&[
        "partner",
        "add",
        "--name",
        "Vadsø husflidslag",
        "--kind",
        "association",
        "--contact",
        "Máret Sara;leder;915 00 001",
    ]);
    log(&vadso, "Vadsø torg", "Strikkekafé på torget");
    log(&alta, "Alta sentrum", "Språkkafé med frivilligsentralen");
    log(&kauto, "Guovdageaidnu", "Lávvu-lesing ved Čáhcesuolu 🦌");

    // A pop-up in Alta: Vadsø hosts a LAN session on a phone hotspot; Alta syncs with it.
    let mut lan = Server::start(vadso.path(), &["serve", "--listen", "127.0.0.1:0"], &[]);
    let report = alta.json(&["sync", "--hub", &lan.url]);
    assert!(report["new_chunks"].as_u64().unwrap() >= 2, "{report}");
    lan.stop();
    assert_eq!(alta.encounter_ids(), vadso.encounter_ids(), "after the LAN session Alta and Vadsø agree");
    assert_eq!(alta.json(&["partner", "show", &lag])["contacts"][0]["name"], "Máret Sara");

    // Guovdageaidnu has no network: a bundle goes to Alta on the bus.
    let stick = tempfile::tempdir().unwrap();
    let bundle = stick.path().join("guovdageaidnu.samskap");
    kauto.ok(&["bundle", "export", bundle.to_str().unwrap()]);
    alta.ok(&["bundle", "import", bundle.to_str().unwrap()]);

    // Back at the branches, everyone meets the hub.
    for t in [&alta, &vadso, &kauto, &alta, &vadso] {
        t.ok(&["sync"]);
    }
    let all = vadso.encounter_ids();
    assert_eq!(all.len(), 4);
    assert_eq!(alta.encounter_ids(), all);
    assert_eq!(kauto.encounter_ids(), all);
    assert_eq!(kauto.json(&["search", "strikkekafé"]).as_array().unwrap().len(), 1);
    let status = vadso.json(&["status"]);
    assert!(status["peers"].as_array().unwrap().iter().any(|p| p["is_hub"] == true && p["pending"] == 0), "{status}");

    // Credentials never appear in the hub's log.
    hub.stop();
    let log = hub.stderr.lock().unwrap().clone();
    assert!(!log.contains("smk_"), "a token leaked into the log:\n{log}");
    assert!(!log.contains(&invite));
}

on_both_hubs!(wrong_and_revoked_credentials_are_refused_and_change_nothing);

fn wrong_and_revoked_credentials_are_refused_and_change_nothing(backend: Backend) {
    let hub_data = HubData::new(backend);
    let invite = hub_data.invite("Troms");
    let other_ws = hub_data.invite("Innlandet");
    let hub = hub_data.serve("127.0.0.1:0", &[], &[]);

    let tromso = Tablet::new("Siri", "Tromsø");
    let err = tromso.fails(&["join", "--hub", &hub.url, "--invite", "SMSK-AAAAAA-BBBBBB-CCCCCC-DDDDDD"]);
    assert!(err.contains("invite code is not valid"), "{err}");
    let err = tromso.fails(&["sync"]);
    assert!(err.contains("has not joined a workspace"), "{err}");
    tromso.ok(&["join", "--hub", &hub.url, "--invite", &invite]);
    log(&tromso, "Tromsø", "Før tyveriet");
    tromso.ok(&["sync"]);

    // Plain http to a public address is refused before anything is sent.
    let err = tromso.fails(&["sync", "--hub", "http://hub.example.no:7878"]);
    assert!(err.contains("refusing to send the workspace over plain http"), "{err}");

    // A tablet of another workspace cannot read Troms.
    let hamar = Tablet::new("Kari", "Hamar");
    hamar.ok(&["join", "--hub", &hub.url, "--invite", &other_ws]);
    hamar.ok(&["sync"]);
    assert!(hamar.encounter_ids().is_empty());

    // The tablet is lost: revoke it; it is refused, and its copy keeps its records.
    let device = tromso.json(&["status"])["device_id"].as_str().unwrap().to_string();
    hub_data.admin(&["revoke", "--device", &device]);
    log(&tromso, "Tromsø", "Etter tyveriet");
    let err = tromso.fails(&["sync"]);
    assert!(err.contains("revoked"), "{err}");
    // Revoking dropped the workspace's unused invites, and a new one does not let the tablet back.
    let err = tromso.fails(&["join", "--hub", &hub.url, "--invite", &invite]);
    assert!(err.contains("not valid"), "{err}");
    let fresh = hub_data.invite("Troms");
    let err = tromso.fails(&["join", "--hub", &hub.url, "--invite", &fresh]);
    assert!(err.contains("revoked"), "{err}");
    assert_eq!(tromso.encounter_ids().len(), 2);

    // A colleague in Troms never receives what the revoked tablet logged after revocation.
    let harstad = Tablet::new("Per", "Harstad");
    harstad.ok(&["join", "--hub", &hub.url, "--invite", &fresh]);
    harstad.ok(&["sync"]);
    assert_eq!(harstad.encounter_ids().len(), 1);
}
