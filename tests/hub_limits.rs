//! One address cannot starve the hub: half-open connections from one
//! address (headers never finished) once used up the hub's 1,024 file
//! descriptors, and every device was refused until they closed.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::time::{Duration, Instant};

use crate::util::{on_both_hubs, Backend, HubData, Server};

on_both_hubs!(half_open_connections_from_one_address_do_not_lock_out_the_others);

/// A hub process whose descriptor limit is 200, soft and hard, so it cannot
/// raise it: what a small default would be if nothing bounded connections.
fn hub_with_few_descriptors(data: &HubData) -> Server {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("samskap"));
    cmd.args(data.args(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--connections-per-address",
        "16",
        "--header-timeout",
        "2",
    ]));
    // SAFETY: setrlimit is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit { rlim_cur: 200, rlim_max: 200 };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    Server::spawn(cmd, false)
}

fn addr_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://").trim_end_matches('/').parse().expect("hub address")
}

/// `GET /v1/health` from `from` (any address in 127.0.0.0/8 is this machine).
fn health_from(from: &str, hub: SocketAddr) -> std::io::Result<String> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(format!("{from}:0").parse().expect("source address"))?;
        let mut s = tokio::time::timeout(Duration::from_secs(5), socket.connect(hub)).await??;
        s.write_all(b"GET /v1/health HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n").await?;
        let mut answer = String::new();
        tokio::time::timeout(Duration::from_secs(5), s.read_to_string(&mut answer)).await??;
        Ok(answer)
    })
}

/// Opens a connection and sends half a request, never finishing its headers.
fn half_open(hub: SocketAddr) -> Option<TcpStream> {
    let mut s = TcpStream::connect_timeout(&hub, Duration::from_secs(2)).ok()?;
    s.write_all(b"POST /v1/sync HTTP/1.1\r\nHost: hub\r\n").ok()?;
    Some(s)
}

fn half_open_connections_from_one_address_do_not_lock_out_the_others(backend: Backend) {
    let data = HubData::new(backend);
    let mut hub = hub_with_few_descriptors(&data);
    let addr = addr_of(&hub.url);

    // More half-open connections than the hub has descriptors.
    let held: Vec<TcpStream> = (0..300).filter_map(|_| half_open(addr)).collect();
    assert!(!held.is_empty());

    // Another address is served at once.
    let answer = health_from("127.0.0.2", addr).expect("a device at another address is served");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // The hub closed all but its share from the flooding address at once …
    let closed_soon = closed_within(&held, Duration::from_millis(1500), held.len() - 16);
    assert!(closed_soon >= held.len() - 16, "only {closed_soon} of {} were closed", held.len());
    // … and the share it held goes when the header time is up.
    let closed_later = closed_within(&held, Duration::from_secs(10), held.len());
    assert_eq!(closed_later, held.len(), "half-open connections outlived the header timeout");
    let answer = health_from("127.0.0.1", addr).expect("the flooding address is served again");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(held);
    hub.stop();
}

/// How many of `conns` the hub has closed, waiting up to `wait` for `want`.
fn closed_within(conns: &[TcpStream], wait: Duration, want: usize) -> usize {
    let deadline = Instant::now() + wait;
    let mut closed = vec![false; conns.len()];
    loop {
        for (mut s, done) in conns.iter().zip(closed.iter_mut()).filter(|(_, d)| !**d) {
            s.set_read_timeout(Some(Duration::from_millis(5))).unwrap();
            let mut buf = [0u8; 256];
            // The hub may answer 408 before it closes: read until EOF or an error.
            *done = loop {
                match s.read(&mut buf) {
                    Ok(0) => break true,
                    Ok(_) => continue,
                    Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                        break false
                    }
                    Err(_) => break true,
                }
            };
        }
        let n = closed.iter().filter(|d| **d).count();
        if n >= want || Instant::now() >= deadline {
            return n;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
