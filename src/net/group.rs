//! Group commit for a hub: the sync requests of one workspace that arrive
//! while it is busy queue up, and one of their threads (the leader) answers
//! up to [`MAX_GROUP`] of them in one transaction, so one disk flush serves
//! them all instead of each waiting for its own. Then it hands the lead to
//! the next waiting request (if any) and returns with its own answer.
//! Backend-neutral: the SQLite and the PostgreSQL hub both queue here (on
//! PostgreSQL the queue is per process; processes serialize on the
//! workspace's counter row).

use std::sync::{Arc, Mutex};

use super::NetError;
use crate::sync::{SyncError, SyncRequest, SyncResponse};

/// At most this many requests share one transaction (bounds the answers
/// held at once).
pub const MAX_GROUP: usize = 64;

/// Where a group's answers go: the request's index in the group, its answer.
pub type Deliver<'a, T = SyncResponse> = &'a mut dyn FnMut(usize, Result<T, SyncError>);

/// One workspace's waiting requests. What a group hands each request is
/// `T`: a whole answer (SQLite), or an admission whose answer the request's
/// own thread then reads (PostgreSQL, on a connection of its own).
pub struct GroupQueue<T = SyncResponse> {
    queue: Mutex<Queue<T>>,
}

impl<T> Default for GroupQueue<T> {
    fn default() -> Self {
        GroupQueue { queue: Mutex::new(Queue { jobs: vec![], leading: false }) }
    }
}

struct Queue<T> {
    jobs: Vec<Queued<T>>,
    /// A request's thread is leading; invariant: when false, `jobs` is empty.
    leading: bool,
}

struct Queued<T> {
    req: SyncRequest,
    slot: Arc<Slot<T>>,
}

/// Where a queued request learns what to do next.
struct Slot<T> {
    state: Mutex<Option<Turn<T>>>,
    ready: std::sync::Condvar,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot { state: Mutex::new(None), ready: std::sync::Condvar::new() }
    }
}

enum Turn<T> {
    /// Answer the group this request heads.
    Lead,
    Done(Result<T, SyncError>),
    /// The group's transaction failed as a whole: answer this one alone.
    Alone(SyncRequest),
}

impl<T> Slot<T> {
    fn set(&self, turn: Turn<T>) {
        *lock(&self.state) = Some(turn);
        self.ready.notify_one();
    }
    fn wait(&self) -> Turn<T> {
        let mut state = lock(&self.state);
        loop {
            if let Some(turn) = state.take() {
                return turn;
            }
            state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<T> GroupQueue<T> {
    /// Answers `req`, in a group with whatever else waits. `group` answers
    /// a group in one transaction, delivering each answer; an error from it
    /// means nothing was kept, and each undelivered request then gets
    /// `alone` (and its own clear error).
    pub fn submit(
        &self,
        req: SyncRequest,
        group: impl Fn(&[SyncRequest], Deliver<'_, T>) -> Result<(), NetError>,
        alone: impl Fn(SyncRequest) -> Result<T, NetError>,
    ) -> Result<T, NetError> {
        let slot = Arc::new(Slot::default());
        {
            let mut q = lock(&self.queue);
            q.jobs.push(Queued { req, slot: slot.clone() });
            if !std::mem::replace(&mut q.leading, true) {
                slot.set(Turn::Lead);
            }
        }
        loop {
            match slot.wait() {
                Turn::Lead => self.lead(&group),
                Turn::Done(answer) => return Ok(answer?),
                Turn::Alone(req) => return alone(req),
            }
        }
    }

    /// Whether no request leads (nor waits).
    pub fn idle(&self) -> bool {
        !lock(&self.queue).leading
    }

    /// Answers the group of requests at the head of the queue, then passes
    /// the lead on.
    fn lead(&self, group: &impl Fn(&[SyncRequest], Deliver<'_, T>) -> Result<(), NetError>) {
        let jobs: Vec<Queued<T>> = {
            let mut q = lock(&self.queue);
            let n = q.jobs.len().min(MAX_GROUP);
            q.jobs.drain(..n).collect()
        };
        let (reqs, slots): (Vec<_>, Vec<_>) = jobs.into_iter().map(|j| (j.req, j.slot)).unzip();
        let mut delivered = vec![false; reqs.len()];
        let worked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            group(&reqs, &mut |i, answer| {
                delivered[i] = true;
                slots[i].set(Turn::Done(answer));
            })
        }));
        // Whatever went wrong for the group as a whole, each request still
        // gets its own try (and its own clear error).
        for ((req, slot), done) in reqs.into_iter().zip(&slots).zip(delivered) {
            if !done {
                slot.set(Turn::Alone(req));
            }
        }
        let mut q = lock(&self.queue);
        match q.jobs.first() {
            Some(next) => next.slot.set(Turn::Lead),
            None => q.leading = false,
        }
        drop(q);
        match worked {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!("a group of sync requests failed together; answering each alone: {e}"),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}
