//! Bounds on the connections a hub holds, so that no one address can use up
//! its file descriptors. Seen on loopback: 1,138 half-open connections from
//! one address (request headers never finished) exhausted the default 1,024
//! descriptors, and every device was refused until they closed.
//!
//! Three bounds, each for a different failure:
//! - per address: one address holds at most `per_address` connections; past
//!   that a new one is closed at once (behind a load balancer every device
//!   shares its address: raise it there);
//! - in all: at most `total` connections, kept below the descriptor limit so
//!   the hub can still open its databases and answer health checks;
//! - time: request headers must arrive within `header_read` (hyper's timer),
//!   and a TLS handshake within the same time.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// How many connections the hub holds, and for how long it waits for headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnLimits {
    pub per_address: usize,
    pub total: usize,
    pub header_read: Duration,
}

/// Connections one address may hold by default: a county's devices behind
/// one NAT sync now and then, each over one keep-alive connection.
pub const PER_ADDRESS: usize = 64;
/// Descriptors kept free for databases, logs and the listener itself.
const RESERVED_FDS: usize = 128;
/// The descriptor limit the hub asks for (the hard limit may be lower).
pub const WANTED_FDS: u64 = 65_536;

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits {
            per_address: PER_ADDRESS,
            total: fd_limit().saturating_sub(RESERVED_FDS).max(64),
            header_read: Duration::from_secs(10),
        }
    }
}

/// Raises this process's soft descriptor limit towards [`WANTED_FDS`] (as
/// far as the hard limit allows) and returns the limit now in force.
pub fn raise_fd_limit() -> usize {
    #[cfg(target_os = "linux")]
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
            let want = WANTED_FDS.min(lim.rlim_max);
            if lim.rlim_cur < want {
                let raised = libc::rlimit { rlim_cur: want, rlim_max: lim.rlim_max };
                libc::setrlimit(libc::RLIMIT_NOFILE, &raised);
            }
        }
    }
    fd_limit()
}

/// The soft descriptor limit in force (1,024 where it cannot be read).
pub fn fd_limit() -> usize {
    #[cfg(target_os = "linux")]
    // SAFETY: getrlimit only writes the struct we pass.
    unsafe {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
            return usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX);
        }
    }
    1024
}

/// Counts open connections per address; shared by every accepted stream.
#[derive(Debug, Default)]
struct Counts {
    by_address: HashMap<IpAddr, usize>,
    total: usize,
}

/// An `axum_server` acceptor that refuses a connection past the limits
/// before any byte is read, and counts it until it closes.
#[derive(Clone, Debug)]
pub struct Limited<A> {
    inner: A,
    limits: ConnLimits,
    counts: Arc<Mutex<Counts>>,
}

impl<A> Limited<A> {
    pub fn new(inner: A, limits: ConnLimits) -> Self {
        Limited { inner, limits, counts: Arc::default() }
    }

    fn admit(&self, addr: IpAddr) -> Option<Slot> {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let held = c.by_address.get(&addr).copied().unwrap_or(0);
        if held >= self.limits.per_address || c.total >= self.limits.total {
            return None;
        }
        *c.by_address.entry(addr).or_default() += 1;
        c.total += 1;
        Some(Slot { addr, counts: self.counts.clone() })
    }
}

/// One admitted connection; gives its place back when dropped.
#[derive(Debug)]
struct Slot {
    addr: IpAddr,
    counts: Arc<Mutex<Counts>>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.total -= 1;
        if let Some(n) = c.by_address.get_mut(&self.addr) {
            *n -= 1;
            if *n == 0 {
                c.by_address.remove(&self.addr);
            }
        }
    }
}

impl<A, S> axum_server::accept::Accept<TcpStream, S> for Limited<A>
where
    A: axum_server::accept::Accept<Counted, S> + Clone + Send + Sync + 'static,
    A::Future: Send + 'static,
    S: Send + 'static,
{
    type Stream = A::Stream;
    type Service = A::Service;
    type Future = Pin<Box<dyn std::future::Future<Output = io::Result<(A::Stream, A::Service)>> + Send>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let peer = stream.peer_addr();
        let slot = peer.as_ref().ok().and_then(|a: &SocketAddr| self.admit(a.ip()));
        let inner = self.inner.clone();
        let wait = self.limits.header_read;
        Box::pin(async move {
            let Some(slot) = slot else {
                // Dropping the stream closes it: the address holds its share already.
                return Err(io::Error::new(io::ErrorKind::ConnectionRefused, "too many connections"));
            };
            let _ = stream.set_nodelay(true);
            let counted = Counted { stream, _slot: slot };
            // A TLS handshake that never ends would hold the slot for ever.
            tokio::time::timeout(wait, inner.accept(counted, service))
                .await
                .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "handshake took too long"))?
        })
    }
}

/// A TCP stream that holds its place in the counts while it is open.
#[derive(Debug)]
pub struct Counted {
    stream: TcpStream,
    _slot: Slot,
}

impl AsyncRead for Counted {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_per_address_and_given_back() {
        let l = Limited::new(
            axum_server::accept::DefaultAcceptor,
            ConnLimits { per_address: 2, total: 3, header_read: Duration::from_secs(1) },
        );
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        let a1 = l.admit(a).unwrap();
        let _a2 = l.admit(a).unwrap();
        assert!(l.admit(a).is_none(), "a third from one address is refused");
        let _b1 = l.admit(b).unwrap();
        assert!(l.admit(b).is_none(), "the total is reached");
        drop(a1);
        assert!(l.admit(b).is_some(), "a closed connection gives its place back");
    }
}
