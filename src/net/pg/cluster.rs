//! A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` into a
//! temporary folder, a server on a private port of 127.0.0.1, stopped and
//! removed when dropped (also when a test panics; and the server is told to
//! stop if the thread that started it dies). Uses Debian's packages
//! (`/usr/lib/postgresql/*/bin`, or `SAMSKAP_PG_BIN`). PostgreSQL refuses to
//! run as root, so as root the server runs as `nobody`.
//!
//! Configured as a hub's database should be: `fsync = on`, and
//! `wal_recycle = off` for true erasure (see `shred`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use r2d2_postgres::postgres::{self, NoTls};

/// The folder of the PostgreSQL server binaries.
pub const BIN_ENV: &str = "SAMSKAP_PG_BIN";

/// The superuser of a throwaway cluster.
const USER: &str = "samskap";

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    server: Option<Child>,
    /// Who runs the server: (uid, gid) when started as root.
    owner: Option<(u32, u32)>,
}

fn io(what: &str, e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(format!("{what}: {e}"))
}

/// The newest installed PostgreSQL's binaries.
pub fn bin_dir() -> std::io::Result<PathBuf> {
    if let Some(dir) = std::env::var_os(BIN_ENV) {
        return Ok(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| io("PostgreSQL is not installed (no /usr/lib/postgresql; apt-get install postgresql)", e))?
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin).ok_or_else(|| io("no PostgreSQL server binaries", "/usr/lib/postgresql/*/bin"))
}

/// `nobody`'s uid and gid from /etc/passwd.
fn nobody() -> std::io::Result<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd")?;
    passwd
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.first() == Some(&"nobody")).then(|| Some((f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?)))?
        })
        .ok_or_else(|| io("no user to run PostgreSQL as", "nobody is not in /etc/passwd"))
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0).unwrap_or(false)
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Cluster {
    /// A new cluster, running.
    pub fn start() -> std::io::Result<Cluster> {
        Self::start_with(&[])
    }

    /// A new cluster with extra server settings (`name`, `value`).
    pub fn start_with(settings: &[(&str, &str)]) -> std::io::Result<Cluster> {
        Self::start_in(&std::env::temp_dir(), settings)
    }

    /// A new cluster whose files are in a new folder under `parent` (say a
    /// memory file system, for tests that measure order, not durability).
    pub fn start_in(parent: &Path, settings: &[(&str, &str)]) -> std::io::Result<Cluster> {
        let bin = bin_dir()?;
        let dir = tempfile::Builder::new().prefix("samskap-pg-").tempdir_in(parent)?;
        let owner = if is_root() { Some(nobody()?) } else { None };
        let data = dir.path().join("data");
        std::fs::create_dir(&data)?;
        if let Some((uid, gid)) = owner {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))?;
            std::os::unix::fs::chown(&data, Some(uid), Some(gid))?;
        }
        let mut cluster = Cluster { dir, bin, port: free_port()?, server: None, owner };
        // --no-sync: only initdb's own final flush is skipped; the server runs with fsync on.
        let out = cluster
            .command("initdb")
            .args(["--no-sync", "--no-instructions", "-A", "trust", "-U", USER, "-E", "UTF8", "--locale=C", "-D"])
            .arg(&data)
            .output()?;
        if !out.status.success() {
            return Err(io("initdb failed", String::from_utf8_lossy(&out.stderr)));
        }
        let mut conf = String::from(
            "fsync = on\nwal_recycle = off\nlisten_addresses = '127.0.0.1'\nmax_connections = 300\nshared_buffers = 64MB\n",
        );
        for (k, v) in settings {
            conf.push_str(&format!("{k} = '{v}'\n"));
        }
        conf.push_str(&format!("port = {}\nunix_socket_directories = '{}'\n", cluster.port, data.display()));
        std::fs::write(data.join("postgresql.auto.conf"), conf)?;
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(data.join("postgresql.auto.conf"), Some(uid), Some(gid))?;
        }
        cluster.run()?;
        Ok(cluster)
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(program));
        if let Some((uid, gid)) = self.owner {
            use std::os::unix::process::CommandExt;
            cmd.uid(uid).gid(gid);
        }
        cmd.current_dir(self.dir.path());
        cmd
    }

    /// Starts the server and waits until it takes connections.
    fn run(&mut self) -> std::io::Result<()> {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.dir.path().join("server.log"))?;
        let mut cmd = self.command("postgres");
        cmd.arg("-D").arg(self.data_dir()).stdin(Stdio::null()).stdout(Stdio::null()).stderr(log);
        // SAFETY: prctl only changes the child's own settings.
        unsafe {
            use std::os::unix::process::CommandExt;
            // If the test or benchmark dies without dropping us, the server
            // shuts down at once instead of lingering.
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGQUIT);
                Ok(())
            });
        }
        self.server = Some(cmd.spawn()?);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match postgres::Client::connect(&self.url("postgres"), NoTls) {
                Ok(_) => return Ok(()),
                Err(e) if Instant::now() > deadline => {
                    let log = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
                    return Err(io("PostgreSQL did not start", format!("{e}\n{log}")));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// Stops the server: `fast` (clients are cut off, then a clean
    /// shutdown) or not (`immediate`: like a crash; recovery on start).
    pub fn stop(&mut self, fast: bool) {
        if let Some(mut child) = self.server.take() {
            let sig = if fast { libc::SIGINT } else { libc::SIGQUIT };
            // SAFETY: signals our own child, which we have not reaped.
            unsafe { libc::kill(child.id() as libc::pid_t, sig) };
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                if child.try_wait().ok().flatten().is_some() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stops and starts the server again (same port, same data).
    pub fn restart(&mut self, fast: bool) -> std::io::Result<()> {
        self.stop(fast);
        self.run()
    }

    /// A new, empty database; its address.
    pub fn create_database(&self, name: &str) -> Result<String, postgres::Error> {
        let mut admin = postgres::Client::connect(&self.url("postgres"), NoTls)?;
        admin.batch_execute(&format!("CREATE DATABASE \"{}\"", name.replace('"', "")))?;
        Ok(self.url(name))
    }

    /// The address of a database of this cluster.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{db}", self.port)
    }

    /// Where the cluster keeps its files (heap, WAL).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether any file under the data folder holds `needle`, searched as
    /// raw bytes; the files that do.
    pub fn files_holding(&self, needle: &[u8]) -> std::io::Result<Vec<PathBuf>> {
        let mut found = vec![];
        walk(&self.data_dir(), &mut |p| {
            if let Ok(bytes) = std::fs::read(p) {
                if !needle.is_empty() && bytes.windows(needle.len()).any(|w| w == needle) {
                    found.push(p.to_path_buf());
                }
            }
        })?;
        Ok(found)
    }
}

fn walk(dir: &Path, f: &mut impl FnMut(&Path)) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let t = e.file_type()?;
        if t.is_dir() {
            walk(&e.path(), f)?;
        } else if t.is_file() {
            f(&e.path());
        }
    }
    Ok(())
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop(true);
    }
}
