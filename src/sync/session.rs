//! The two sides of a sync, as functions from bytes (and a store) to bytes.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::server_log::ServerLog;
use super::wire::{decode, encode, Cursor, Message, SyncRequest, SyncResponse};
use super::{SyncError, BATCH_BUDGET};
use crate::model::{DeviceId, ReplicaId, WorkspaceId};
use crate::store::{PeerState, Store};

/// What a sync moved, for people and for benchmarks.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SyncReport {
    pub round_trips: u32,
    pub chunks_sent: usize,
    pub chunks_received: usize,
    /// Received chunks that were new here.
    pub new_chunks: usize,
    pub records_changed: usize,
    pub bytes_sent: usize,
    pub bytes_received: usize,
    /// Time spent building index rows for what arrived, after it was stored.
    pub index_ms: f64,
    /// Each round trip's time on the wire and at the peer, as the transport measured it.
    pub request_us: Vec<f64>,
    /// Of each round trip, the time the peer says it spent (its
    /// `Server-Timing`), when it says so.
    pub peer_us: Vec<f64>,
    /// Contact people forgotten by the retention pass after the sync.
    pub forgotten_contacts: usize,
}

/// Server side: answers one request. Ingesting the client's entries and
/// recording its request number happen in one transaction; a request that
/// fails validation changes nothing. `now` stamps the peer's "last seen".
pub fn serve(
    store: &mut impl ServerLog,
    request: &[u8],
    budget: usize,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, SyncError> {
    let req = match decode(request)? {
        Message::Request(r) => r,
        other => return Err(SyncError::WrongMessage { expected: "sync request", got: other.name() }),
    };
    let resp = answer(store, req, budget, now)?;
    Ok(encode(&Message::Response(resp)))
}

/// Server side for a request an adapter already decoded (and checked).
pub fn answer(
    store: &mut impl ServerLog,
    req: SyncRequest,
    budget: usize,
    now: DateTime<Utc>,
) -> Result<SyncResponse, SyncError> {
    let mut answer = None;
    answer_all(store, std::slice::from_ref(&req), budget, now, |_, a| answer = Some(a))?;
    answer.expect("one answer per request")
}

/// Server side for many requests at once (a hub's group commit): every
/// push is ingested in one transaction, each in its own savepoint, so one
/// disk flush serves them all and one bad request fails alone. Each answer
/// goes to `deliver` (with its request's index) as soon as it is read, so a
/// waiting request can encode and send while the next is read; answers only
/// ever carry what is already durable. The outer error means nothing was
/// kept and nothing delivered (the commit itself failed). `now` (the
/// adapter's clock) stamps each peer's "last seen".
pub fn answer_all(
    store: &mut impl ServerLog,
    reqs: &[SyncRequest],
    budget: usize,
    now: DateTime<Utc>,
    mut deliver: impl FnMut(usize, Result<SyncResponse, SyncError>),
) -> Result<(), SyncError> {
    for (i, admitted) in admit_all(store, reqs, now)?.into_iter().enumerate() {
        deliver(i, admitted.and_then(|a| answer_admitted(store, &a, budget)));
    }
    Ok(())
}

/// A request whose push is durable and whose request number is recorded:
/// what is left is to read its answer ([`answer_admitted`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Admitted {
    request_no: u64,
    server: ReplicaId,
    epoch: crate::model::LogEpoch,
    acked_upto: u64,
    /// Where the answer's slice starts.
    from: u64,
    /// The peer's origin in the log, left out of its answers.
    origin: i64,
}

/// The first half of [`answer_all`]: checks the requests and ingests every
/// push in one transaction (each push in its own savepoint). A server of
/// many processes can then read the answers apart, each on a connection of
/// its own, while the next group is written. The outer error means nothing
/// was kept.
pub fn admit_all(
    store: &mut impl ServerLog,
    reqs: &[SyncRequest],
    now: DateTime<Utc>,
) -> Result<Vec<Result<Admitted, SyncError>>, SyncError> {
    let workspace = store.log_workspace()?;
    let checked: Vec<Result<&SyncRequest, SyncError>> = reqs
        .iter()
        .map(|req| {
            if req.workspace != workspace {
                return Err(SyncError::WrongWorkspace);
            }
            if req.push_upto < req.push_from {
                return Err(SyncError::Malformed(format!(
                    "push range {}..{} runs backwards",
                    req.push_from, req.push_upto
                )));
            }
            Ok(req)
        })
        .collect();
    let admitted: Vec<&SyncRequest> = checked.iter().flatten().copied().collect();
    let pushes: Vec<(ReplicaId, &crate::store::Batch)> = admitted.iter().map(|r| (r.device.into(), &r.push)).collect();
    let now = now.timestamp_millis();
    let ingested = store.ingest_pushes(&pushes, |i, peer: &mut PeerState| {
        let req = admitted[i];
        if req.request_no <= peer.seen_request_no {
            return Err(SyncError::Replayed { got: req.request_no, last: peer.seen_request_no });
        }
        peer.seen_request_no = req.request_no;
        peer.last_seen_ms = Some(now);
        Ok(())
    })?;

    let epoch = store.log_epoch()?;
    let head = store.log_head()?;
    let server = store.log_replica()?;
    let mut ingested = ingested.into_iter();
    Ok(checked
        .into_iter()
        .map(|req| {
            let req = req?;
            let (peer, _) = ingested.next().expect("one result per admitted request")?;
            // A cursor from another epoch, or past our end (we were restored
            // from an older copy), cannot be trusted: start over; the client
            // deduplicates.
            let from = match req.cursor {
                Cursor { epoch: Some(e), seq } if e == epoch && seq <= head => seq,
                _ => 0,
            };
            Ok(Admitted {
                request_no: req.request_no,
                server,
                epoch,
                acked_upto: req.push_upto,
                from,
                origin: peer.rowid,
            })
        })
        .collect())
}

/// The second half of [`answer_all`]: the log after the request's cursor,
/// less what came from the requester, up to `budget` bytes.
pub fn answer_admitted(store: &mut impl ServerLog, a: &Admitted, budget: usize) -> Result<SyncResponse, SyncError> {
    let slice = store.log_since(a.from, Some(a.origin), budget)?;
    Ok(SyncResponse {
        request_no: a.request_no,
        server: a.server,
        epoch: a.epoch,
        acked_upto: a.acked_upto,
        from: a.from,
        upto: slice.upto,
        more: slice.more,
        batch: slice.batch,
        secret: None,
    })
}

/// What the client should do next.
#[derive(Debug, PartialEq, Eq)]
pub enum Progress {
    /// Send this request and hand the answer to [`ClientSession::receive`].
    Send(Vec<u8>),
    /// Both sides hold everything the other had.
    Done,
}

/// Client side of one sync with one server. Resumable: cursors are saved
/// with every ingested answer, so a dropped connection loses at most the
/// round trip in flight, and a retry continues from there.
pub struct ClientSession {
    /// Where the session reads the time (request numbers, last seen, the
    /// after-sync retention pass): the system clock unless a test sets one.
    clock: fn() -> DateTime<Utc>,
    peer: Option<PeerState>,
    outstanding: Option<Sent>,
    pub budget: usize,
    pub report: SyncReport,
    finished: bool,
}

impl ClientSession {
    /// `server`: the server's replica id when known (saved at join); a first
    /// contact learns it from the first answer.
    pub fn new(store: &Store, server: Option<ReplicaId>) -> Result<Self, SyncError> {
        let peer = server.map(|id| store.peer(id)).transpose()?;
        Ok(ClientSession {
            clock: Utc::now,
            peer,
            outstanding: None,
            budget: BATCH_BUDGET,
            report: SyncReport::default(),
            finished: false,
        })
    }

    /// The same session reading time from `clock`.
    pub fn with_clock(self, clock: fn() -> DateTime<Utc>) -> Self {
        ClientSession { clock, ..self }
    }

    /// The server's id once known.
    pub fn server(&self) -> Option<ReplicaId> {
        self.peer.as_ref().map(|p| p.id)
    }

    /// The next request to send, or `Done`.
    pub fn next(&mut self, store: &mut Store) -> Result<Progress, SyncError> {
        if self.finished {
            return Ok(Progress::Done);
        }
        let workspace = store.workspace_id()?;
        let device = store.device();
        let now_no = self.request_no_now();
        let (request_no, cursor, push_from, slice) = match &mut self.peer {
            Some(peer) => {
                // Saved with the answer; if we crash before, the clock still
                // keeps the next number above this one.
                peer.request_no = (peer.request_no + 1).max(now_no);
                let slice = store.log_since(peer.sent_upto, Some(peer.rowid), self.budget)?;
                (peer.request_no, Cursor { epoch: peer.epoch, seq: peer.recv_cursor }, peer.sent_upto, slice)
            }
            // First contact: nothing pushed until we know who the server is.
            None => (now_no, Cursor::default(), 0, Default::default()),
        };
        let push_more = slice.more;
        let req = SyncRequest {
            workspace,
            device,
            request_no,
            cursor,
            push_from,
            push_upto: slice.upto.max(push_from),
            push: slice.batch,
        };
        self.report.chunks_sent += req.push.chunks.len();
        self.outstanding = Some(Sent { request_no, workspace, device, push_upto: req.push_upto, push_more });
        let bytes = encode(&Message::Request(req));
        self.report.bytes_sent += bytes.len();
        self.report.round_trips += 1;
        Ok(Progress::Send(bytes))
    }

    /// Takes the server's answer to the outstanding request.
    pub fn receive(&mut self, store: &mut Store, bytes: &[u8]) -> Result<(), SyncError> {
        let answer = self.accept(bytes)?;
        self.apply(store, answer)
    }

    /// Checks an answer to the outstanding request (no store needed), so a
    /// transport can ask for the next slice with [`Self::ahead`] while this
    /// one is applied.
    pub fn accept(&mut self, bytes: &[u8]) -> Result<Answer, SyncError> {
        self.accept_decoded(decode(bytes)?, bytes.len())
    }

    /// [`Self::accept`] for a message the transport already decoded (off
    /// the thread that applies answers); `len` is its size on the wire.
    pub fn accept_decoded(&mut self, msg: Message, len: usize) -> Result<Answer, SyncError> {
        let resp = match msg {
            Message::Response(r) => r,
            other => return Err(SyncError::WrongMessage { expected: "sync response", got: other.name() }),
        };
        let Some(out) = self.outstanding else {
            return Err(SyncError::Unexpected { got: resp.request_no, expected: 0 });
        };
        if resp.request_no != out.request_no {
            return Err(SyncError::Unexpected { got: resp.request_no, expected: out.request_no });
        }
        if resp.upto < resp.from {
            return Err(SyncError::Malformed(format!("answer range {}..{} runs backwards", resp.from, resp.upto)));
        }
        self.outstanding = None;
        self.report.bytes_received += len;
        Ok(Answer { resp, sent: out })
    }

    /// When an accepted answer says more follows and this client has nothing
    /// left to push in this exchange, the request for the next slice: it
    /// depends only on the answer, so it can travel while the answer is
    /// applied. Pulling a first sync this way keeps the hub and the device
    /// busy at once. `None` when the next request must wait for `apply`.
    pub fn ahead(&mut self, answer: &Answer) -> Option<Vec<u8>> {
        let peer = self.peer.as_ref()?;
        let resp = &answer.resp;
        if peer.id != resp.server || !resp.more || answer.sent.push_more || self.outstanding.is_some() {
            return None;
        }
        let request_no = (answer.sent.request_no + 1).max(self.request_no_now());
        let req = SyncRequest {
            workspace: answer.sent.workspace,
            device: answer.sent.device,
            request_no,
            cursor: Cursor { epoch: Some(resp.epoch), seq: resp.upto },
            push_from: answer.sent.push_upto,
            push_upto: answer.sent.push_upto,
            push: Default::default(),
        };
        self.outstanding = Some(Sent { request_no, push_more: false, ..answer.sent });
        let bytes = encode(&Message::Request(req));
        self.report.bytes_sent += bytes.len();
        self.report.round_trips += 1;
        Some(bytes)
    }

    /// Applies an accepted answer: ingests its entries and saves the
    /// cursors, in one transaction.
    pub fn apply(&mut self, store: &mut Store, answer: Answer) -> Result<(), SyncError> {
        let Answer { resp, sent } = answer;
        let (expected, pushed_upto) = (sent.request_no, sent.push_upto);
        let first_contact = self.peer.is_none();
        let mut peer = match self.peer.take() {
            Some(p) if p.id == resp.server => p,
            // Unknown, or the address now serves another replica: track that one.
            _ => store.peer(resp.server)?,
        };
        peer.request_no = peer.request_no.max(expected);
        // Anything logged after what this request carried (a push cut at the
        // budget, edits made meanwhile, the peer's own entries to step past):
        // one look at the head, not a scan of everything ingested since.
        let had_more_to_push = !first_contact && store.log_head()? > pushed_upto;
        if peer.epoch != Some(resp.epoch) {
            peer.epoch = Some(resp.epoch);
        }
        peer.recv_cursor = resp.upto;
        if !first_contact {
            if resp.acked_upto != pushed_upto {
                return Err(SyncError::Malformed(format!(
                    "acknowledged up to {}, sent up to {pushed_upto}",
                    resp.acked_upto
                )));
            }
            peer.sent_upto = pushed_upto;
        }
        peer.last_seen_ms = Some((self.clock)().timestamp_millis());
        let got = store.ingest_from_peer(&resp.batch, &peer)?;
        if let Some(secret) = resp.secret {
            store.set_workspace_secret(secret)?;
        }
        self.report.chunks_received += resp.batch.chunks.len();
        self.report.new_chunks += got.new_chunks;
        self.report.records_changed += got.records;
        self.finished = !first_contact && !resp.more && !had_more_to_push && self.outstanding.is_none();
        self.peer = Some(peer);
        if self.finished {
            let t = std::time::Instant::now();
            store.catch_up_index(|_, _| {})?;
            self.report.index_ms = t.elapsed().as_secs_f64() * 1e3;
            // With the workspace's latest edits in, contact people past the
            // retention period are forgotten (on every transport alike).
            // What arrived is already kept; a failed pass is tried again at the next sync.
            match super::after_sync(store, (self.clock)()) {
                Ok(f) => self.report.forgotten_contacts = f.contacts,
                Err(e) => tracing::warn!("retention after sync: {e}"),
            }
        }
        Ok(())
    }

    /// A request sent ahead is waiting for its answer.
    pub fn awaiting(&self) -> bool {
        self.outstanding.is_some()
    }
}

/// What a request carried, to check and apply its answer.
#[derive(Clone, Copy, Debug)]
pub struct Sent {
    request_no: u64,
    workspace: WorkspaceId,
    device: DeviceId,
    push_upto: u64,
    /// The push was cut at the budget: more local entries wait.
    push_more: bool,
}

/// A checked answer, not yet applied.
#[derive(Debug)]
pub struct Answer {
    resp: SyncResponse,
    sent: Sent,
}

impl ClientSession {
    /// Request numbers follow the clock (in µs) as well as the last one sent,
    /// so they keep rising even if this client lost its record of the server.
    fn request_no_now(&self) -> u64 {
        (self.clock)().timestamp_micros() as u64
    }
}

/// Syncs two stores in this process until both hold everything (tests, and
/// two stores on one machine). Every message still goes through its bytes.
pub fn sync_local(client: &mut Store, server: &mut Store) -> Result<SyncReport, SyncError> {
    let mut session = ClientSession::new(client, Some(server.replica_id()))?;
    loop {
        match session.next(client)? {
            Progress::Done => return Ok(session.report),
            Progress::Send(req) => {
                let resp = serve(server, &req, session.budget, server.now())?;
                session.receive(client, &resp)?;
            }
        }
    }
}
