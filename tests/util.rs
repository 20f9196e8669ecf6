//! Shared fixtures: a temporary store driven through the real binary.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// Scenario tests read the command line's English; the product default is
/// Bokmål, so the locale is set here and in `Tablet::cmd` (tests of other
/// languages override it).
fn english(c: &mut std::process::Command) {
    c.env("LANG", "en_GB.UTF-8").env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("SAMSKAP_LANG");
}

pub struct Tablet {
    pub dir: tempfile::TempDir,
}

impl Tablet {
    /// A fresh store for a staff member.
    pub fn new(staff: &str, branch: &str) -> Tablet {
        let t = Tablet { dir: tempfile::tempdir().unwrap() };
        // Unencrypted, so tests never touch the developer's key store, and
        // erasure is shown to leave no trace even in a plain file.
        t.ok(&["init", "--plain", "--staff", staff, "--branch", branch, "--workspace-name", "Finnmark"]);
        t
    }

    /// A folder with no store (for hub commands that take --data themselves).
    pub fn bare() -> Tablet {
        Tablet { dir: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("samskap").unwrap();
        c.env("SAMSKAP_DATA", self.path()).env_remove("SAMSKAP_LOG");
        c.env("LANG", "en_GB.UTF-8").env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("SAMSKAP_LANG");
        c
    }

    /// The command with the language a test picks (`LANG=da_DK.UTF-8`).
    #[allow(dead_code)]
    pub fn in_locale(&self, lang: &str) -> Command {
        let mut c = self.cmd();
        c.env("LANG", lang);
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

    /// The ids of every live encounter.
    pub fn encounter_ids(&self) -> std::collections::BTreeSet<String> {
        self.json(&["encounter", "list", "--limit", "100000"])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
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

/// A background `samskap` process (a hub or a LAN session), interrupted
/// (SIGINT, like Ctrl-C) and reaped when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub url: String,
    /// What it printed on stdout (the LAN session's invite code).
    #[allow(dead_code)]
    pub stdout_line: Option<String>,
    pub stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// Starts `samskap ARGS` and waits for "… on http(s)://ADDR" on stderr.
    pub fn start(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("samskap"));
        english(&mut cmd);
        cmd.args(args).env("SAMSKAP_DATA", data);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Server::spawn(cmd, args.first() == Some(&"serve"))
    }

    /// Starts a prepared command; `invite_on_stdout` for a LAN session.
    pub fn spawn(mut cmd: std::process::Command, invite_on_stdout: bool) -> Server {
        use std::io::{BufRead, BufReader};
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let err = BufReader::new(child.stderr.take().unwrap());
        let log = stderr.clone();
        std::thread::spawn(move || {
            for line in err.lines().map_while(Result::ok) {
                if let Some(i) = line.find("http") {
                    let url: String =
                        line[i..].split_whitespace().next().unwrap_or("").trim_end_matches('.').to_string();
                    let _ = tx.send(url);
                }
                log.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let url = rx.recv_timeout(std::time::Duration::from_secs(30)).expect("server did not start");
        let stdout_line = if invite_on_stdout {
            let mut line = String::new();
            BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
            Some(line.trim().to_string())
        } else {
            None
        };
        Server { child, url, stdout_line, stderr }
    }

    pub fn stop(&mut self) {
        let pid = self.child.id();
        if pid > 1 && self.child.try_wait().ok().flatten().is_none() {
            let _ = std::process::Command::new("kill").args(["-s", "INT", &pid.to_string()]).status();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while std::time::Instant::now() < deadline {
                if self.child.try_wait().ok().flatten().is_some() {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Which storage a hub under test keeps its data in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    /// A throwaway PostgreSQL cluster of the test's own.
    Postgres,
}

/// A hub's data on either backend, driven through the real binary: SQLite
/// files in a folder, or a database in a throwaway PostgreSQL cluster
/// (stopped and removed when this is dropped).
pub struct HubData {
    pub dir: tempfile::TempDir,
    pub database: Option<String>,
    pub cluster: Option<samskap::net::pg::cluster::Cluster>,
}

impl HubData {
    pub fn new(backend: Backend) -> HubData {
        let dir = tempfile::tempdir().unwrap();
        match backend {
            Backend::Sqlite => HubData { dir, database: None, cluster: None },
            Backend::Postgres => {
                let cluster = samskap::net::pg::cluster::Cluster::start().expect("a throwaway PostgreSQL cluster");
                let url = cluster.create_database("hub").unwrap();
                HubData { dir, database: Some(url), cluster: Some(cluster) }
            }
        }
    }

    /// `hub SUB…` with this storage's options after it.
    pub fn args<'a>(&'a self, sub: &[&'a str]) -> Vec<&'a str> {
        let mut a = vec!["hub"];
        a.extend_from_slice(sub);
        a.extend(["--data", self.dir.path().to_str().unwrap()]);
        if let Some(url) = &self.database {
            a.extend(["--database", url.as_str()]);
        }
        a
    }

    /// Runs a hub administration command, expecting success; its stdout.
    pub fn admin(&self, sub: &[&str]) -> String {
        Tablet::bare().ok(&self.args(sub))
    }

    pub fn invite(&self, workspace: &str) -> String {
        self.admin(&["invite", "--workspace", workspace]).trim().to_string()
    }

    /// Starts `hub serve --listen ADDR EXTRA…` on this storage.
    pub fn serve(&self, listen: &str, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut sub = vec!["serve", "--listen", listen];
        sub.extend_from_slice(extra);
        Server::start(self.dir.path(), &self.args(&sub), env)
    }
}

/// Runs a test `fn NAME(backend: Backend)` once per hub backend, as
/// `NAME::sqlite` and `NAME::postgres`.
macro_rules! on_both_hubs {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(crate::util::Backend::Sqlite)
            }
            #[test]
            fn postgres() {
                super::$name(crate::util::Backend::Postgres)
            }
        }
    )*};
}
pub(crate) use on_both_hubs;

/// A load balancer in front of hub processes: each TCP connection goes to
/// the next backend in turn (past any that refuse it), as a round-robin
/// balancer in front of a hub deployment does.
pub struct Balancer {
    pub url: String,
    pub backends: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// Connections each backend took.
    pub served: std::sync::Arc<std::sync::Mutex<Vec<usize>>>,
}

impl Balancer {
    /// In front of hub URLs `http://ADDR`.
    pub fn start(urls: &[&str]) -> Balancer {
        use std::net::{TcpListener, TcpStream};
        let backends: Vec<String> = urls.iter().map(|u| u.trim_start_matches("http://").to_string()).collect();
        let served = std::sync::Arc::new(std::sync::Mutex::new(vec![0; backends.len()]));
        let backends = std::sync::Arc::new(std::sync::Mutex::new(backends));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (b, s) = (backends.clone(), served.clone());
        std::thread::spawn(move || {
            for (next, client) in listener.incoming().map_while(Result::ok).enumerate() {
                let addrs = b.lock().unwrap().clone();
                let upstream = (0..addrs.len()).find_map(|i| {
                    let k = (next + i) % addrs.len();
                    TcpStream::connect(&addrs[k]).ok().map(|u| (k, u))
                });
                let Some((k, upstream)) = upstream else { continue };
                {
                    // Backends may have been added since the start.
                    let mut served = s.lock().unwrap();
                    if served.len() <= k {
                        served.resize(k + 1, 0);
                    }
                    served[k] += 1;
                }
                let (mut c1, mut u1) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let (mut c2, mut u2) = (client, upstream);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c1, &mut u1);
                    let _ = u1.shutdown(std::net::Shutdown::Write);
                });
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut u2, &mut c2);
                    let _ = c2.shutdown(std::net::Shutdown::Write);
                });
            }
        });
        Balancer { url, backends, served }
    }
}
