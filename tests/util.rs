//! Shared fixtures: a temporary store driven through the real binary.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub struct Tablet {
    pub dir: tempfile::TempDir,
}

impl Tablet {
    /// A fresh store for a staff member.
    pub fn new(staff: &str, branch: &str) -> Tablet {
        let t = Tablet { dir: tempfile::tempdir().unwrap() };
        t.ok(&["init", "--staff", staff, "--branch", branch, "--workspace-name", "Finnmark"]);
        t
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("samskap").unwrap();
        c.env("SAMSKAP_DATA", self.path()).env_remove("SAMSKAP_LOG");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "samskap {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "samskap {args:?} should have failed");
        assert!(out.stdout.is_empty(), "a failed command prints nothing on stdout");
        String::from_utf8(out.stderr).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.push("--json");
        serde_json::from_str(&self.ok(&a)).unwrap()
    }

    /// `add` prints the new id alone.
    pub fn add(&self, args: &[&str]) -> String {
        let out = self.ok(args);
        let id = out.trim().to_string();
        assert_eq!(out, format!("{id}\n"));
        assert_eq!(id.len(), 36, "{id}");
        id
    }

    /// Every file of the store, to prove a rejected command changed nothing.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| !p.ends_with("samskap.lock") && !p.to_string_lossy().ends_with("-shm"))
            .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
            .collect();
        v.sort();
        v
    }
}
