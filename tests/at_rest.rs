//! A lost tablet and a stolen hub disk: stores encrypted at rest show no
//! record, name or index entry in any file, open only with their key, and a
//! missing or wrong key changes nothing.

use std::path::Path;

use crate::util::{Server, Tablet};

const TABLET_KEY: &str = "6b1f0c5e9a7d43b2a8e1f4c7d0b9a6e3c2f5d8e1b4a7c0f3e6d9b2a5c8f1e4d7";
const HUB_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

/// Plain words the records hold, as typed and as the search index folds them.
const WORDS: [&str; 6] =
    ["Kautokeino kulturhus", "kautokeino", "Biret Sara", "biret", "+47 915 00 111", "SQLite format 3"];

fn readable(dir: &Path) -> Vec<String> {
    let mut found = vec![];
    for entry in walkdir(dir) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        for w in WORDS {
            if bytes.windows(w.len()).any(|x| x == w.as_bytes()) {
                found.push(format!("{} holds {w:?}", entry.display()));
            }
        }
    }
    found
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn fingerprint(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = walkdir(dir)
        .into_iter()
        .filter(|p| !p.ends_with("samskap.lock"))
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    v.sort();
    v
}

/// Runs the CLI on `t` with `key` in SAMSKAP_DB_KEY (or none).
fn with_key(t: &Tablet, key: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut c = t.cmd();
    c.env_remove("SAMSKAP_DB_KEY");
    if let Some(k) = key {
        c.env("SAMSKAP_DB_KEY", k);
    }
    c.args(args).output().unwrap()
}

fn ok(t: &Tablet, key: Option<&str>, args: &[&str]) -> String {
    let out = with_key(t, key, args);
    assert!(out.status.success(), "samskap {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn fails(t: &Tablet, key: Option<&str>, args: &[&str]) -> String {
    let out = with_key(t, key, args);
    assert!(!out.status.success(), "samskap {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_lost_tablet_and_a_stolen_hub_disk_show_nothing_and_open_only_with_their_keys() {
    let hub_dir = tempfile::tempdir().unwrap();
    let hub_data = hub_dir.path().to_str().unwrap();
    let admin = Tablet::bare();
    let invite = ok(&admin, Some(HUB_KEY), &["hub", "invite", "--data", hub_data, "--workspace", "Finnmark"]);
    let mut hub = Server::start(
        hub_dir.path(),
        &["hub", "serve", "--listen", "127.0.0.1:0", "--data", hub_data],
        &[("SAMSKAP_DB_KEY", HUB_KEY)],
    );

    let tablet = Tablet::bare();
    ok(&tablet, Some(TABLET_KEY), &["init", "--staff", "Biret Sara", "--branch", "Guovdageaidnu"]);
    let contact = "Biret Sara;leder;+47 915 00 111;biret@example.no";
    ok(
        &tablet,
        Some(TABLET_KEY),
        &["partner", "add", "--name", "Kautokeino kulturhus", "--kind", "association", "--contact", contact],
    );
    ok(
        &tablet,
        Some(TABLET_KEY),
        &[
            "encounter",
            "add",
            "--perspective",
            "co-creative",
            "--counterpart",
            "association",
            "--place",
            "Kautokeino kulturhus",
            "--note",
            "Joik og strikk i biblioteket",
        ],
    );
    ok(&tablet, Some(TABLET_KEY), &["join", "--hub", &hub.url, "--invite", invite.trim()]);
    ok(&tablet, Some(TABLET_KEY), &["sync"]);
    let status: serde_json::Value =
        serde_json::from_str(&ok(&tablet, Some(TABLET_KEY), &["status", "--json"])).unwrap();
    assert_eq!(status["encrypted_at_rest"], true);
    hub.stop();

    // Everything on both disks, WAL included, is ciphertext.
    let mut found = readable(tablet.path());
    found.extend(readable(hub_dir.path()));
    assert!(found.is_empty(), "readable on disk:\n{}", found.join("\n"));

    // Without its key, or with another, the store does not open, and no byte changes.
    let before = fingerprint(tablet.path());
    assert!(fails(&tablet, None, &["status"]).contains("encrypted and its key is not here"));
    assert!(fails(&tablet, Some(HUB_KEY), &["status"]).contains("does not open it"));
    assert!(fails(&tablet, Some("not-hex"), &["status"]).contains("64 hexadecimal digits"));
    assert_eq!(fingerprint(tablet.path()), before, "a refused open changed the files");
    let hub_before = fingerprint(hub_dir.path());
    assert!(fails(&admin, None, &["hub", "devices", "--data", hub_data]).contains("encrypted"));
    assert!(fails(&admin, Some(TABLET_KEY), &["hub", "devices", "--data", hub_data]).contains("does not open it"));
    assert_eq!(fingerprint(hub_dir.path()), hub_before);

    // With its key, everything is there.
    let hits: serde_json::Value =
        serde_json::from_str(&ok(&tablet, Some(TABLET_KEY), &["search", "kautokeino", "--json"])).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 2);
    let devices = ok(&admin, Some(HUB_KEY), &["hub", "devices", "--data", hub_data]);
    assert!(devices.contains("Biret Sara"), "{devices}");
}
