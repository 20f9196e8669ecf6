//! Whether a change's ops name only actors the change lists.
//!
//! Automerge 0.12 checks this when it loads a change into a document, but
//! `Change::from_bytes` does not, and `Change::decode` (which
//! [`ChangeView`](super::ChangeView) replays) looks each actor up with an
//! `unwrap`: a hostile chunk whose ops name actor 5 of 2 panics there (found
//! by the `ingest` fuzz target). This reads the change's actor columns
//! before anything decodes them. Layout (Automerge's binary format): a chunk
//! header (magic, checksum, type 1, length), the change's fields, column
//! metadata (spec, length) and the columns; actor columns (spec type 1) are
//! run-length encoded ULEB128. Anything unexpected counts as "no", so the
//! caller loads the document instead, which checks for itself.

use automerge::Change;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHANGE_CHUNK: u8 = 1;
const ACTOR_COLUMN: u64 = 1;
const DEFLATED: u64 = 8;

pub(crate) fn actors_in_range(change: &Change) -> bool {
    let actors = 1 + change.other_actor_ids().len() as u64;
    check(change.raw_bytes(), actors) == Some(true)
}

fn check(chunk: &[u8], actors: u64) -> Option<bool> {
    let mut r = Reader(chunk);
    if r.take(4)? != MAGIC {
        return None;
    }
    r.take(4)?; // checksum
    if r.take(1)? != [CHANGE_CHUNK] {
        return None;
    }
    let len = r.uleb()?;
    let mut body = Reader(r.take(usize::try_from(len).ok()?)?);
    for _ in 0..body.uleb()? {
        body.take(32)?; // dependency hashes
    }
    body.prefixed()?; // actor
    body.skip_leb()?; // seq
    body.skip_leb()?; // start op
    body.skip_leb()?; // time
    body.prefixed()?; // message
    for _ in 0..body.uleb()? {
        body.prefixed()?; // other actors
    }
    let columns = (0..body.uleb()?).map(|_| Some((body.uleb()?, body.uleb()?))).collect::<Option<Vec<_>>>()?;
    for (spec, len) in columns {
        let data = body.take(usize::try_from(len).ok()?)?;
        if spec & 7 == ACTOR_COLUMN && (spec & DEFLATED != 0 || !rle_below(data, actors)?) {
            return Some(false);
        }
    }
    Some(true)
}

/// Whether every value of a run-length encoded ULEB128 column is below `n`
/// (`None` when the column does not parse).
fn rle_below(column: &[u8], n: u64) -> Option<bool> {
    let mut r = Reader(column);
    while !r.0.is_empty() {
        let count = r.sleb()?;
        if count == 0 {
            r.uleb()?; // a run of nulls
            continue;
        }
        // A repeated value, or -count literal values.
        let values = if count > 0 { 1 } else { count.unsigned_abs() };
        for _ in 0..values {
            if r.uleb()? >= n {
                return Some(false);
            }
        }
    }
    Some(true)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn uleb(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return None;
            }
            value |= bits << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn sleb(&mut self) -> Option<i64> {
        let mut value = 0i64;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            if shift >= 64 {
                return None;
            }
            value |= i64::from(b & 0x7f).checked_shl(shift)?;
            shift += 7;
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 {
                    value |= -1i64 << shift;
                }
                return Some(value);
            }
        }
    }

    fn skip_leb(&mut self) -> Option<()> {
        while self.byte()? & 0x80 != 0 {}
        Some(())
    }

    /// A length-prefixed field.
    fn prefixed(&mut self) -> Option<&'a [u8]> {
        let n = self.uleb()?;
        self.take(usize::try_from(n).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{ActorId, AutoCommit, ROOT};

    use super::*;

    #[test]
    fn real_changes_pass_with_one_actor_or_several() {
        let mut a = AutoCommit::new().with_actor(ActorId::from([1u8; 16]));
        let list = a.put_object(ROOT, "tags", automerge::ObjType::List).unwrap();
        a.insert(&list, 0, "kvensk").unwrap();
        a.put(ROOT, "name", "Vadsø husflidslag").unwrap();
        a.commit();
        let mut b = a.fork().with_actor(ActorId::from([2u8; 16]));
        b.insert(&list, 1, "håndverk").unwrap();
        b.put(ROOT, "name", "Vadsø husflidslag og venner").unwrap();
        b.commit();
        let changes = b.get_changes(&[]);
        assert_eq!(changes.len(), 2);
        assert!(!changes[1].other_actor_ids().is_empty(), "the second change names the first actor");
        for c in &changes {
            assert!(actors_in_range(c));
        }
    }

    #[test]
    fn run_length_columns_are_checked_value_by_value() {
        assert_eq!(rle_below(&[3, 1], 2), Some(true), "a run of three 1s");
        assert_eq!(rle_below(&[3, 2], 2), Some(false));
        assert_eq!(rle_below(&[0x7e, 0, 1], 2), Some(true), "literal 0, 1");
        assert_eq!(rle_below(&[0x7e, 0, 5], 2), Some(false), "literal 0, 5");
        assert_eq!(rle_below(&[0, 9, 1, 0], 1), Some(true), "nine nulls, one 0");
        assert_eq!(rle_below(&[0x7e, 0], 2), None, "a literal run cut short");
        assert_eq!(rle_below(&[], 1), Some(true));
    }

    #[test]
    fn what_is_not_a_change_chunk_is_refused() {
        assert_eq!(check(b"not a chunk", 1), None);
        assert_eq!(check(&[0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 0, 0], 1), None, "a document chunk");
    }
}
