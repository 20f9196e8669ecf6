//! A tablet's battery dies mid-write: every record that was acknowledged
//! (its id printed) is there when the store reopens, and the store is whole.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::Tablet;

#[test]
fn killed_mid_write_keeps_every_acknowledged_record() {
    let t = Tablet::new("Siri Berg", "Harstad");
    // A shell loop logging encounters as fast as it can; each printed id is acknowledged.
    let bin = assert_cmd::cargo::cargo_bin("samskap");
    let script = format!(
        "while true; do '{}' encounter add --perspective co-creative --counterpart citizen --note 'Ærlig talt, đŋš — logget i fart' || exit 1; done",
        bin.display()
    );
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .env("SAMSKAP_DATA", t.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let mut acked = vec![];
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let start = Instant::now();
    while acked.len() < 25 && start.elapsed() < Duration::from_secs(60) {
        match lines.next() {
            Some(Ok(id)) => acked.push(id),
            _ => break,
        }
    }
    // Kill the whole group with SIGKILL: the loop and whatever write is in flight.
    kill_group(child.id());
    let _ = child.wait();
    assert!(acked.len() >= 25, "only {} records were logged", acked.len());
    // SIGKILL is delivered asynchronously: the write in flight may still be
    // dying (and holding the store's lock) for a moment after the shell is reaped.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline && String::from_utf8_lossy(&t.run(&["status"]).stderr).contains("in use") {
        std::thread::sleep(Duration::from_millis(20));
    }

    let listed = t.json(&["encounter", "list", "--limit", "100000"]);
    let ids: Vec<&str> = listed.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in &acked {
        assert!(ids.contains(&id.as_str()), "acknowledged record {id} was lost");
        t.ok(&["encounter", "show", id]);
    }
    // The store still takes writes after the crash.
    t.add(&["encounter", "add", "--perspective", "service", "--counterpart", "citizen"]);
    let check = rusqlite::Connection::open(t.path().join("samskap.db")).unwrap();
    let integrity: String = check.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}

use std::os::unix::process::CommandExt;

/// SIGKILL to the child's own process group (it was started with
/// `process_group(0)`, so its pgid is its pid). `--` keeps `-PID` from being
/// read as an option.
fn kill_group(pid: u32) {
    assert!(pid > 1, "refusing to signal pid {pid}");
    let status = Command::new("kill").args(["-s", "KILL", "--", &format!("-{pid}")]).status().unwrap();
    assert!(status.success());
}
