//! Reads an Automerge change chunk's own bytes: its header and its op
//! columns, without going through `automerge::Change::decode`.
//!
//! A first sync reads 100,000 records that are each one change. Decoding
//! them Automerge's way builds a legacy op (a `SmolStr`, an actor clone and
//! a `Vec` of predecessors) per op, and a note's text is one op per
//! character: half the device's reading time. [`ops`] walks the columns
//! directly and hands each op to the caller.
//!
//! Layout (Automerge's binary format): a chunk header (magic, checksum,
//! type 1, length), the change's fields (dependencies, actor, seq, start op,
//! time, message, other actors), column metadata (spec, length) in rising
//! spec order, the columns, then extra bytes. A spec is `id << 4 | type`,
//! bit 3 marks a deflated column. Columns are run-length encoded ULEB128
//! (actors, integers), run-length encoded signed deltas (counters),
//! alternating run lengths (booleans), run-length encoded strings, or value
//! metadata (`length << 4 | type`) over raw value bytes.
//!
//! It reads only the shape a record's first write has, and checks what it
//! reads as strictly as `Change::from_bytes` does (checksum, canonical
//! LEB128, UTF-8, actors in range) and then some: no dependencies, no op
//! with predecessors, objects and elements made before they are used.
//! Anything else — a deflated column, an unknown one, a column that ends
//! early — answers `None`, and the caller loads the chunk with Automerge,
//! which checks it for itself. Whatever this accepts, Automerge accepts
//! and reads the same (the `change_view` fuzz target holds it to that);
//! it never panics on any input.

use automerge::ScalarValue;
use sha2::{Digest, Sha256};

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHANGE_CHUNK: u8 = 1;
const DEFLATED: u64 = 8;

// Column specs (`id << 4 | type`).
const OBJ_ACTOR: u64 = 0x01;
const OBJ_CTR: u64 = 0x02;
const KEY_ACTOR: u64 = 0x11;
const KEY_CTR: u64 = 0x13;
const KEY_STR: u64 = 0x15;
const INSERT: u64 = 0x34;
const ACTION: u64 = 0x42;
const VAL_META: u64 = 0x56;
const VAL_RAW: u64 = 0x57;
const PRED_GROUP: u64 = 0x70;
const PRED_ACTOR: u64 = 0x71;
const PRED_CTR: u64 = 0x73;
const EXPAND: u64 = 0x94;
const MARK_NAME: u64 = 0xa5;

/// An op's object or element: `counter@actor`, the actor an index into
/// [`Header::actors`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Id {
    pub counter: u64,
    pub actor: usize,
}

/// Where an op puts its value.
#[derive(Debug, PartialEq)]
pub(crate) enum Key<'a> {
    Map(&'a str),
    /// After this element of a list or text (`None`: at its head).
    After(Option<Id>),
}

/// What an op does, for the actions a first write uses.
#[derive(Debug, PartialEq)]
pub(crate) enum Action {
    MakeMap,
    MakeList,
    MakeText,
    Put(ScalarValue),
}

#[derive(Debug, PartialEq)]
pub(crate) struct Op<'a> {
    /// `None`: the root map.
    pub obj: Option<Id>,
    pub key: Key<'a>,
    pub insert: bool,
    pub action: Action,
}

/// A change's fields that the ops need.
pub(crate) struct Header<'a> {
    /// The change's actor (a first write names no other).
    pub actors: Vec<&'a [u8]>,
    pub start_op: u64,
    columns: Vec<(u64, &'a [u8])>,
    /// The chunk's length.
    len: usize,
}

/// Parses the header of a change chunk that is a record's first write: a
/// change (not compressed, not a document) with a valid checksum, no
/// dependencies, seq 1 and no other actors. `None` for anything else.
pub(crate) fn header(chunk: &[u8]) -> Option<Header<'_>> {
    let mut r = Reader(chunk);
    if r.take(4)? != MAGIC {
        return None;
    }
    let checksum = r.take(4)?;
    let typed = r.0;
    if r.take(1)? != [CHANGE_CHUNK] {
        return None;
    }
    let len = r.uleb()?;
    let body = r.take(usize::try_from(len).ok()?)?;
    if !r.0.is_empty() || checksum != &Sha256::digest(typed)[..4] {
        return None;
    }
    let mut body = Reader(body);
    if body.uleb()? != 0 {
        return None; // dependencies: not a first write
    }
    let actors = vec![body.prefixed()?];
    // A first write is its actor's first change (Automerge registers the
    // actor of a seq 1 change only).
    if body.uleb()? != 1 {
        return None;
    }
    // Op counters are 32-bit in Automerge (found by the fuzz target).
    let start_op = body.uleb()?;
    if start_op == 0 || start_op > u64::from(u32::MAX) {
        return None;
    }
    body.sleb()?; // time
    std::str::from_utf8(body.prefixed()?).ok()?; // message
                                                 // Other actors: with no dependencies there is nothing of theirs to name.
    if body.uleb()? != 0 {
        return None;
    }
    let specs = (0..body.uleb()?).map(|_| Some((body.uleb()?, body.uleb()?))).collect::<Option<Vec<_>>>()?;
    let mut columns = Vec::with_capacity(specs.len());
    for (spec, len) in specs {
        columns.push((spec, body.take(usize::try_from(len).ok()?)?));
    }
    Some(Header { actors, start_op, columns, len: chunk.len() })
}

impl<'a> Header<'a> {
    fn column(&self, spec: u64) -> &'a [u8] {
        self.columns.iter().find(|(s, _)| *s == spec).map_or(&[], |(_, c)| c)
    }

    /// Calls `each` with every op in order; `None` when a column does not
    /// read, or an op is not one a first write makes (`each` may say so too).
    pub fn ops(&self, mut each: impl FnMut(Op<'a>) -> Option<()>) -> Option<()> {
        const KNOWN: [u64; 14] = [
            OBJ_ACTOR, OBJ_CTR, KEY_ACTOR, KEY_CTR, KEY_STR, INSERT, ACTION, VAL_META, VAL_RAW, PRED_GROUP, PRED_ACTOR,
            PRED_CTR, EXPAND, MARK_NAME,
        ];
        let mut last = None;
        for (spec, _) in &self.columns {
            // Deflated, unknown, or out of order: leave it to Automerge.
            if spec & DEFLATED != 0 || !KNOWN.contains(spec) || last >= Some(*spec) {
                return None;
            }
            // Raw values without their metadata just before: Automerge
            // refuses the layout (`LoneRawValueColumn`), so this does too.
            if *spec == VAL_RAW && last != Some(VAL_META) {
                return None;
            }
            last = Some(*spec);
        }
        // Predecessors and marks: not in a first write.
        if self.columns.iter().any(|(spec, _)| [PRED_ACTOR, PRED_CTR, MARK_NAME].contains(spec)) {
            return None;
        }
        let actors = self.actors.len() as u64;
        let mut obj_actor = Rle::new(self.column(OBJ_ACTOR), uleb);
        let mut obj_ctr = Rle::new(self.column(OBJ_CTR), uleb);
        let mut key_actor = Rle::new(self.column(KEY_ACTOR), uleb);
        let mut key_ctr = Delta::new(self.column(KEY_CTR));
        let mut key_str = Rle::new(self.column(KEY_STR), string);
        let mut insert = Bools::new(self.column(INSERT));
        let mut action = Rle::new(self.column(ACTION), uleb);
        let mut meta = Rle::new(self.column(VAL_META), uleb);
        let mut raw = Reader(self.column(VAL_RAW));
        let mut preds = Rle::new(self.column(PRED_GROUP), uleb);
        let mut expand = Bools::new(self.column(EXPAND));
        let actor = |a: u64| (a < actors).then_some(a as usize);
        // Run lengths can claim billions of ops in a few bytes; a real
        // change spends at least a bit on each.
        let (mut ops, limit) = (0usize, 8 * self.len + 64);
        while !action.done() {
            let code = action.next()??;
            ops += 1;
            if ops > limit {
                return None;
            }
            // Absent or ended object and key columns read as nulls, as in
            // Automerge; a null object is the root.
            let obj = match (obj_actor.next_or_null()?, obj_ctr.next_or_null()?) {
                (None, None) | (None | Some(0), Some(0)) => None,
                (Some(a), Some(c)) if c > 0 => Some(Id { counter: c, actor: actor(a)? }),
                _ => return None,
            };
            let key = match (key_actor.next_or_null()?, key_ctr.next_or_null()?, key_str.next_or_null()?) {
                (None, None, Some(k)) => Key::Map(k),
                (None, Some(0), None) => Key::After(None),
                (Some(a), Some(c), None) if c > 0 => Key::After(Some(Id { counter: c as u64, actor: actor(a)? })),
                _ => return None,
            };
            let insert = insert.next()?;
            let value = value(meta.next()??, &mut raw)?;
            if preds.next()?? != 0 || expand.next_or_false()? {
                return None;
            }
            let action = match (code, value) {
                (0, _) => Action::MakeMap,
                (1, v) => Action::Put(v),
                (2, _) => Action::MakeList,
                (4, _) => Action::MakeText,
                // Deletes, increments, marks; and tables, which records do
                // not use and Automerge 0.12 panics loading (the
                // `change_view` fuzz target found it).
                _ => return None,
            };
            each(Op { obj, key, insert, action })?;
        }
        Some(())
    }
}

/// Rewrites a change chunk's checksum to match its bytes (for fuzzing: so
/// that mutations reach the columns). Leaves anything else alone.
#[cfg(feature = "fuzzing")]
pub(crate) fn fix_checksum(chunk: &mut [u8]) {
    let mut r = Reader(chunk);
    let framed = r.take(4) == Some(&MAGIC[..]) && r.take(5).is_some();
    if framed {
        let sum = Sha256::digest(&chunk[8..]);
        chunk[4..8].copy_from_slice(&sum[..4]);
    }
}

/// A value from its metadata (`length << 4 | type`) and the raw column.
fn value(meta: u64, raw: &mut Reader<'_>) -> Option<ScalarValue> {
    let bytes = raw.take(usize::try_from(meta >> 4).ok()?)?;
    Some(match meta & 0x0f {
        0 if bytes.is_empty() => ScalarValue::Null,
        1 if bytes.is_empty() => ScalarValue::Boolean(false),
        2 if bytes.is_empty() => ScalarValue::Boolean(true),
        3 => ScalarValue::Uint(uleb_exact(bytes)?),
        4 => ScalarValue::Int(sleb_exact(bytes)?),
        5 => ScalarValue::F64(f64::from_le_bytes(bytes.try_into().ok()?)),
        6 => ScalarValue::Str(std::str::from_utf8(bytes).ok()?.into()),
        7 => ScalarValue::Bytes(bytes.to_vec()),
        9 => ScalarValue::Timestamp(sleb_exact(bytes)?),
        // Counters and unknown types: leave them to Automerge.
        _ => return None,
    })
}

/// `bytes` as exactly one ULEB128 number.
fn uleb_exact(bytes: &[u8]) -> Option<u64> {
    let mut r = Reader(bytes);
    let v = r.uleb()?;
    r.0.is_empty().then_some(v)
}

/// `bytes` as exactly one signed LEB128 number.
fn sleb_exact(bytes: &[u8]) -> Option<i64> {
    let mut r = Reader(bytes);
    let v = r.sleb()?;
    r.0.is_empty().then_some(v)
}

fn uleb(r: &mut Reader<'_>) -> Option<u64> {
    r.uleb()
}

fn sleb(r: &mut Reader<'_>) -> Option<i64> {
    r.sleb()
}

fn string<'a>(r: &mut Reader<'a>) -> Option<&'a str> {
    std::str::from_utf8(r.prefixed()?).ok()
}

/// A run-length encoded column: a signed count `n`, then one value repeated
/// `n` times (`n > 0`), `-n` values (`n < 0`), or (`n = 0`) a count of nulls.
struct Rle<'a, T> {
    r: Reader<'a>,
    read: fn(&mut Reader<'a>) -> Option<T>,
    run: Run<T>,
}

enum Run<T> {
    Repeat(T, u64),
    Literal(u64),
    Nulls(u64),
}

impl<'a, T: Clone> Rle<'a, T> {
    fn new(column: &'a [u8], read: fn(&mut Reader<'a>) -> Option<T>) -> Self {
        Rle { r: Reader(column), read, run: Run::Nulls(0) }
    }

    fn done(&self) -> bool {
        self.r.0.is_empty() && matches!(self.run, Run::Repeat(_, 0) | Run::Literal(0) | Run::Nulls(0))
    }

    /// The next value (`Some(None)`: a null); `None` when the column ended
    /// or does not read.
    fn next(&mut self) -> Option<Option<T>> {
        loop {
            match &mut self.run {
                Run::Repeat(v, n) if *n > 0 => {
                    *n -= 1;
                    return Some(Some(v.clone()));
                }
                Run::Literal(n) if *n > 0 => {
                    *n -= 1;
                    return Some(Some((self.read)(&mut self.r)?));
                }
                Run::Nulls(n) if *n > 0 => {
                    *n -= 1;
                    return Some(None);
                }
                _ => {}
            }
            let count = self.r.sleb()?;
            self.run = match count {
                0 => Run::Nulls(self.r.uleb().filter(|n| *n > 0)?),
                n if n > 0 => Run::Repeat((self.read)(&mut self.r)?, n as u64),
                n => Run::Literal(n.unsigned_abs()),
            };
        }
    }

    /// Like `next`, an ended (or absent) column reading as nulls.
    fn next_or_null(&mut self) -> Option<Option<T>> {
        if self.done() {
            return Some(None);
        }
        self.next()
    }
}

/// A delta-encoded column: run-length encoded differences from the last value.
struct Delta<'a> {
    rle: Rle<'a, i64>,
    last: i64,
}

impl<'a> Delta<'a> {
    fn new(column: &'a [u8]) -> Self {
        Delta { rle: Rle::new(column, sleb), last: 0 }
    }

    /// Like [`Rle::next_or_null`].
    fn next_or_null(&mut self) -> Option<Option<i64>> {
        if self.rle.done() {
            return Some(None);
        }
        self.next()
    }

    fn next(&mut self) -> Option<Option<i64>> {
        Some(match self.rle.next()? {
            Some(d) => {
                self.last = self.last.checked_add(d)?;
                Some(self.last)
            }
            None => None,
        })
    }
}

/// A boolean column: alternating run lengths, starting with `false`.
struct Bools<'a> {
    r: Reader<'a>,
    value: bool,
    left: u64,
}

impl<'a> Bools<'a> {
    fn new(column: &'a [u8]) -> Self {
        // The first run counts falses; flipped on reading it.
        Bools { r: Reader(column), value: true, left: 0 }
    }

    fn next(&mut self) -> Option<bool> {
        while self.left == 0 {
            self.left = self.r.uleb()?;
            self.value = !self.value;
        }
        self.left -= 1;
        Some(self.value)
    }

    /// Like `next`, an ended (or absent) column reading as `false`.
    fn next_or_false(&mut self) -> Option<bool> {
        if self.left == 0 && self.r.0.is_empty() {
            return Some(false);
        }
        self.next()
    }
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

    /// An unsigned LEB128 number in its shortest form (as Automerge
    /// requires in headers; stricter than it is in columns).
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
                // A last byte of 0 after others is an overlong encoding.
                return (shift == 0 || b != 0).then_some(value);
            }
        }
        None
    }

    /// A signed LEB128 number in its shortest form.
    fn sleb(&mut self) -> Option<i64> {
        let (mut value, mut shift, mut prev) = (0i64, 0u32, 0u8);
        loop {
            let b = self.byte()?;
            if shift >= 63 && !(b == 0 || b == 0x7f) {
                return None;
            }
            value |= i64::from(b & 0x7f).checked_shl(shift)?;
            shift += 7;
            if b & 0x80 == 0 {
                // Overlong: a last byte that only repeats the sign.
                if shift > 7 && ((b == 0 && prev & 0x40 == 0) || (b == 0x7f && prev & 0x40 != 0)) {
                    return None;
                }
                if shift < 64 && b & 0x40 != 0 {
                    value |= -1i64 << shift;
                }
                return Some(value);
            }
            prev = b;
        }
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

    fn ops_of(chunk: &[u8]) -> Option<Vec<String>> {
        let mut out = vec![];
        header(chunk)?.ops(|op| {
            out.push(format!("{op:?}"));
            Some(())
        })?;
        Some(out)
    }

    #[test]
    fn a_first_write_reads_op_by_op_and_an_overwrite_does_not() {
        let mut a = AutoCommit::new().with_actor(ActorId::from([1u8; 16]));
        let list = a.put_object(ROOT, "tags", automerge::ObjType::List).unwrap();
        a.insert(&list, 0, "kvensk").unwrap();
        a.put(ROOT, "name", "Vadsø").unwrap();
        a.commit();
        let mut b = a.fork().with_actor(ActorId::from([2u8; 16]));
        b.put(ROOT, "name", "Vadsø husflidslag").unwrap();
        b.commit();
        let changes = b.get_changes(&[]);
        // Overwritten within the first change: the second op names the first.
        let mut c = AutoCommit::new();
        c.put(ROOT, "name", "Vadsø").unwrap();
        c.put(ROOT, "name", "Vardø").unwrap();
        let overwrite = c.save_after(&[]);
        assert_eq!(
            ops_of(changes[0].raw_bytes()).unwrap(),
            [
                r#"Op { obj: None, key: Map("tags"), insert: false, action: MakeList }"#,
                r#"Op { obj: Some(Id { counter: 1, actor: 0 }), key: After(None), insert: true, action: Put(Str("kvensk")) }"#,
                r#"Op { obj: None, key: Map("name"), insert: false, action: Put(Str("Vadsø")) }"#,
            ]
        );
        assert!(header(changes[1].raw_bytes()).is_none(), "a change with dependencies");
        assert_eq!(ops_of(&overwrite), None, "an op with a predecessor");
        let mut flipped = changes[0].raw_bytes().to_vec();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(header(&flipped).is_none(), "a checksum that does not match");
    }

    #[test]
    fn columns_decode_run_by_run() {
        let all = |mut next: Box<dyn FnMut() -> Option<Option<i64>>>| std::iter::from_fn(&mut next).collect::<Vec<_>>();
        let rle = |c: &'static [u8]| {
            let mut r = Rle::new(c, uleb);
            all(Box::new(move || r.next().map(|v| v.map(|v| v as i64))))
        };
        assert_eq!(rle(&[3, 1]), [Some(1); 3], "a run of three 1s");
        assert_eq!(rle(&[0x7e, 0, 5]), [Some(0), Some(5)], "two literals");
        assert_eq!(rle(&[0, 2, 1, 7]), [None, None, Some(7)], "two nulls, one 7");
        assert_eq!(rle(&[0x7e, 0]), [Some(0)], "a literal run cut short ends there");
        let mut d = Delta::new(&[3, 1, 0x7f, 0x7c]);
        assert_eq!(all(Box::new(move || d.next())), [Some(1), Some(2), Some(3), Some(-1)]);
        let mut b = Bools::new(&[2, 1, 1]);
        assert_eq!(std::iter::from_fn(|| b.next()).collect::<Vec<_>>(), [false, false, true, false]);
        assert_eq!(Bools::new(&[]).next_or_false(), Some(false));
        assert_eq!(Reader(&[0x81, 0]).uleb(), None, "overlong");
        assert_eq!(Reader(&[0xff, 0x7f]).sleb(), None, "overlong");
        assert_eq!(Reader(&[0x80, 0x7f]).sleb(), Some(-128));
        assert_eq!(Reader(&[0x7f]).sleb(), Some(-1));
        assert_eq!(Reader(&[0x80, 0x7f]).uleb(), Some(0x3f80));
        assert_eq!(Rle::new(&[0, 0], uleb).next(), None, "a run of no nulls");
    }

    /// A change chunk from its parts.
    fn chunk(actors: &[&[u8]], columns: &[(u64, &[u8])]) -> Vec<u8> {
        let leb = |out: &mut Vec<u8>, mut v: u64| loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        };
        let mut body = vec![0]; // no dependencies
        leb(&mut body, actors[0].len() as u64);
        body.extend_from_slice(actors[0]);
        body.extend_from_slice(&[1, 1, 0, 0]); // seq, start op, time, no message
        leb(&mut body, actors.len() as u64 - 1);
        for a in &actors[1..] {
            leb(&mut body, a.len() as u64);
            body.extend_from_slice(a);
        }
        leb(&mut body, columns.len() as u64);
        for (spec, data) in columns {
            leb(&mut body, *spec);
            leb(&mut body, data.len() as u64);
        }
        for (_, data) in columns {
            body.extend_from_slice(data);
        }
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&[0; 4]);
        out.push(CHANGE_CHUNK);
        leb(&mut out, body.len() as u64);
        out.extend(body);
        fix_checksum(&mut out);
        out
    }

    #[test]
    fn anything_but_a_plain_first_write_is_left_to_automerge() {
        // One op: root["n"] = true.
        let put: &[(u64, &[u8])] =
            &[(KEY_STR, &[1, 1, b'n']), (INSERT, &[1]), (ACTION, &[1, 1]), (VAL_META, &[1, 2]), (PRED_GROUP, &[1, 0])];
        let one = [1u8; 16];
        assert_eq!(ops_of(&chunk(&[&one], put)).unwrap().len(), 1);
        // The same op in a map made by actor 5 of 1.
        let mut far = put.to_vec();
        far.insert(0, (OBJ_ACTOR, &[1, 5]));
        far.insert(1, (OBJ_CTR, &[1, 1]));
        assert_eq!(ops_of(&chunk(&[&one], &far)), None);
        // A deflated column, an unknown one, columns out of order.
        let mut deflated = put.to_vec();
        deflated[0].0 |= DEFLATED;
        assert_eq!(ops_of(&chunk(&[&one], &deflated)), None);
        let mut unknown = put.to_vec();
        unknown.push((0xf2, &[1, 1]));
        assert_eq!(ops_of(&chunk(&[&one], &unknown)), None);
        let mut swapped = put.to_vec();
        swapped.swap(0, 1);
        assert_eq!(ops_of(&chunk(&[&one], &swapped)), None);
        // root["n"] = "x", then its raw value with no metadata before it.
        let text: &[(u64, &[u8])] = &[
            (KEY_STR, &[1, 1, b'n']),
            (INSERT, &[1]),
            (ACTION, &[1, 1]),
            (VAL_META, &[1, 0x16]),
            (VAL_RAW, b"x"),
            (PRED_GROUP, &[1, 0]),
        ];
        assert_eq!(ops_of(&chunk(&[&one], text)).unwrap().len(), 1);
        let lone: Vec<_> = text.iter().copied().filter(|(spec, _)| *spec != VAL_META).collect();
        assert_eq!(ops_of(&chunk(&[&one], &lone)), None);
        // Even in a change of no ops, where no value reads them (the
        // `change_view` fuzz target found it).
        assert_eq!(ops_of(&chunk(&[&one], &[(KEY_STR, &[])])).unwrap().len(), 0);
        assert_eq!(ops_of(&chunk(&[&one], &[(KEY_STR, &[]), (VAL_RAW, b"xy")])), None);
        // A value column shorter than its metadata says; a delete.
        let mut short = put.to_vec();
        short[3] = (VAL_META, &[1, 0x16]);
        assert_eq!(ops_of(&chunk(&[&one], &short)), None);
        let mut delete = put.to_vec();
        delete[2] = (ACTION, &[1, 3]);
        assert_eq!(ops_of(&chunk(&[&one], &delete)), None);
        // Runs that claim four billion ops.
        let bomb: &[(u64, &[u8])] = &[
            (KEY_STR, &[0x80, 0x80, 0x80, 0x80, 0x10, 1, b'n']),
            (INSERT, &[0x80, 0x80, 0x80, 0x80, 0x10]),
            (ACTION, &[0x80, 0x80, 0x80, 0x80, 0x10, 1]),
            (VAL_META, &[0x80, 0x80, 0x80, 0x80, 0x10, 0]),
            (PRED_GROUP, &[0x80, 0x80, 0x80, 0x80, 0x10, 0]),
        ];
        assert_eq!(ops_of(&chunk(&[&one], bomb)), None);
        assert!(header(b"not a chunk").is_none());
        assert!(header(&[0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 0, 0]).is_none(), "a document chunk");
    }
}
