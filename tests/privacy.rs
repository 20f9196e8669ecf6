//! Erasure that reaches every replica: a partner's contact is erased on one
//! tablet; the hub, a colleague on a LAN session and a tablet reached only by
//! a USB stick erase it too, no file keeps a readable trace, and an old
//! bundle from before the erasure brings nothing back.

use std::path::Path;

use crate::util::{Server, Tablet};

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

#[test]
fn an_erased_contact_leaves_no_readable_trace_on_any_replica() {
    let hub_dir = tempfile::tempdir().unwrap();
    let hub_data = hub_dir.path().to_str().unwrap();
    let invite =
        Tablet::bare().ok(&["hub", "invite", "--data", hub_data, "--workspace", "Finnmark"]).trim().to_string();
    let mut hub = Server::start(hub_dir.path(), &["hub", "serve", "--listen", "127.0.0.1:0", "--data", hub_data], &[]);

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
