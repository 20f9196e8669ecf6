//! Erasure that reaches every replica: a partner's contact is erased on one
//! tablet; the hub, a colleague on a LAN session and a tablet reached only by
//! a USB stick erase it too, no file keeps a readable trace, and an old
//! bundle from before the erasure brings nothing back.

use std::path::Path;

use crate::util::{on_both_hubs, Backend, HubData, Server, Tablet};

on_both_hubs!(
    an_erased_contact_leaves_no_readable_trace_on_any_replica,
    a_lost_tablet_is_revoked_from_a_colleagues_tablet_and_refused_everywhere,
);

const NAME: &str = "Áslat Mikkelsen Somby";
const PHONE: &str = "+47 915 37 204";
const EMAIL: &str = "aslat.somby@vadso-husflid.no";

/// Every file under `dir` (stores, WAL, bundles), searched for the contact in
/// any way it was ever written: as typed, and folded as search indexes fold it.
fn traces(dir: &Path) -> Vec<String> {
    let needles: Vec<Vec<u8>> = [NAME, PHONE, EMAIL, "mikkelsen", "somby", "915 37 204", "vadso-husflid"]
        .iter()
        .flat_map(|n| [n.as_bytes().to_vec(), n.to_lowercase().into_bytes()])
        .collect();
    let mut found = vec![];
    for entry in walk(dir) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        for n in &needles {
            if bytes.windows(n.len()).any(|w| w == n.as_slice()) {
                found.push(format!("{} holds {:?}", entry.display(), String::from_utf8_lossy(n)));
            }
        }
    }
    found
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn an_erased_contact_leaves_no_readable_trace_on_any_replica(backend: Backend) {
    let hub_data = HubData::new(backend);
    let hub_dir = &hub_data.dir;
    let invite = hub_data.invite("Finnmark");
    let mut hub = hub_data.serve("127.0.0.1:0", &[], &[]);

    let vadso = Tablet::new("Ingrid Haugen", "Vadsø");
    let alta = Tablet::new("Ole Olsen", "Alta");
    let kauto = Tablet::new("Biret Gaup", "Guovdageaidnu");
    // Guovdageaidnu joined at the office, but out in the field it has no network.
    for t in [&vadso, &alta, &kauto] {
        t.ok(&["join", "--hub", &hub.url, "--invite", &invite]);
    }
    let contact = format!("{NAME};leder;{PHONE};{EMAIL}");
    let lag = vadso.add(&[
        "partner",
        "add",
        "--name",
        "Vadsø husflidslag",
        "--kind",
        "association",
        "--contact",
        &contact,
        "--note",
        "Strikkekafé hver lørdag",
    ]);
    vadso.ok(&["partner", "update", &lag, "--phone", "+47 78 95 00 00"]);
    let kept = vadso.add(&["partner", "add", "--name", "Alta frivilligsentral", "--kind", "association"]);
    vadso.ok(&["sync"]);
    alta.ok(&["sync"]);
    assert_eq!(alta.json(&["partner", "show", &lag])["contacts"][0]["name"], NAME);

    // Guovdageaidnu has no network: it gets everything on a USB stick, and
    // an old copy of that bundle stays on the stick.
    let stick = tempfile::tempdir().unwrap();
    let old_bundle = stick.path().join("before-erasure.samskap");
    vadso.ok(&["bundle", "export", old_bundle.to_str().unwrap()]);
    kauto.ok(&["bundle", "import", old_bundle.to_str().unwrap()]);
    assert_eq!(kauto.json(&["search", "somby"]).as_array().unwrap().len(), 1);

    // The contact asks to be forgotten.
    assert!(vadso.fails(&["erase", &lag]).contains("--yes"), "erasure asks for confirmation");
    vadso.ok(&["erase", &lag, "--yes"]);
    assert!(vadso.fails(&["partner", "show", &lag]).contains("erased"));

    // Through the hub to Alta …
    vadso.ok(&["sync"]);
    alta.ok(&["sync"]);
    // … through a LAN session Alta hosts, to a tablet that never met the hub …
    let lakselv = Tablet::new("Nils Eira", "Lakselv");
    lakselv.ok(&["join", "--hub", &hub.url, "--invite", &invite]);
    let mut lan = Server::start(alta.path(), &["serve", "--listen", "127.0.0.1:0"], &[]);
    lakselv.ok(&["sync", "--hub", &lan.url]);
    lan.stop();
    // … and by a new bundle to Guovdageaidnu.
    let new_bundle = stick.path().join("after-erasure.samskap");
    alta.ok(&["bundle", "export", new_bundle.to_str().unwrap()]);
    kauto.ok(&["bundle", "import", new_bundle.to_str().unwrap()]);

    for t in [&vadso, &alta, &lakselv, &kauto] {
        assert!(t.fails(&["partner", "show", &lag]).contains("erased"), "{}", t.path().display());
        assert!(t.json(&["search", "somby"]).as_array().unwrap().is_empty());
        assert_eq!(t.json(&["partner", "show", &kept])["name"], "Alta frivilligsentral", "other records stay");
    }

    // The old bundle, imported again afterwards, brings nothing back.
    kauto.ok(&["bundle", "import", old_bundle.to_str().unwrap()]);
    assert!(kauto.fails(&["partner", "show", &lag]).contains("erased"));
    assert!(kauto.json(&["search", "somby"]).as_array().unwrap().is_empty());

    // No file of any replica (the running hub's included), nor the bundle written after the erasure, holds
    // the name, phone or e-mail in readable form.
    let mut found = vec![];
    for dir in [vadso.path(), alta.path(), lakselv.path(), kauto.path(), hub_dir.path()] {
        found.extend(traces(dir));
    }
    if let Some(cluster) = &hub_data.cluster {
        found.extend(traces(&cluster.data_dir()));
    }
    found.extend(traces(stick.path()).into_iter().filter(|f| !f.contains("before-erasure")));
    assert!(found.is_empty(), "readable traces after erasure:\n{}", found.join("\n"));

    // Receipts: Vadsø learns, through the hub, which devices erased it.
    for t in [&alta, &vadso] {
        t.ok(&["sync"]);
    }
    hub.stop();
    let status = vadso.json(&["status"]);
    let receipts = status["erasures"][0]["receipts"].as_array().unwrap();
    assert_eq!(status["erasures"][0]["record"], lag.as_str());
    // Vadsø itself, the hub, Alta, and Lakselv (via Alta's LAN session).
    assert!(receipts.len() >= 4, "{status}");
    assert!(receipts.iter().any(|r| r["this_device"] == true));
}

fn a_lost_tablet_is_revoked_from_a_colleagues_tablet_and_refused_everywhere(backend: Backend) {
    let hub_data = HubData::new(backend);
    let first = hub_data.invite("Troms");
    let unused = hub_data.invite("Troms");
    let mut hub = hub_data.serve("127.0.0.1:0", &[], &[]);
    let tromso = Tablet::new("Kari Nilsen", "Tromsø");
    let harstad = Tablet::new("Per Hansen", "Harstad");
    let lost = Tablet::new("Vikar", "Finnsnes");
    for t in [&tromso, &harstad, &lost] {
        t.ok(&["join", "--hub", &hub.url, "--invite", &first]);
        t.ok(&["sync"]);
    }
    let lost_id = lost.json(&["status"])["device_id"].as_str().unwrap().to_string();

    // The tablet is left on the bus. Tromsø revokes it from her own tablet:
    // a LAN session she hosts refuses it at once, before any hub hears of it.
    tromso.ok(&["revoke", &lost_id]);
    let mut lan = Server::start(tromso.path(), &["serve", "--listen", "127.0.0.1:0"], &[]);
    let err = lost.fails(&["sync", "--hub", &lan.url]);
    assert!(err.contains("revoked"), "{err}");
    harstad.ok(&["sync", "--hub", &lan.url]);
    lan.stop();

    // Tromsø's next sync tells the hub: it refuses the tablet, whose old
    // invite no longer works either, and rotates the workspace key.
    tromso.ok(&["sync"]);
    let err = lost.fails(&["sync"]);
    assert!(err.contains("revoked"), "{err}");
    let stranger = Tablet::new("Ukjent", "Ukjent");
    assert!(stranger.fails(&["join", "--hub", &hub.url, "--invite", &unused]).contains("not valid"));

    // Harstad learns both the revocation and the new key at its next sync,
    // and its own LAN session refuses the lost tablet too.
    harstad.ok(&["sync"]);
    let status = harstad.json(&["status"]);
    assert_eq!(status["revoked"][0]["device"], lost_id.as_str(), "{status}");
    let mut lan = Server::start(harstad.path(), &["serve", "--listen", "127.0.0.1:0"], &[]);
    assert!(lost.fails(&["sync", "--hub", &lan.url]).contains("revoked"));
    tromso.ok(&["sync", "--hub", &lan.url]);
    lan.stop();
    hub.stop();
}
