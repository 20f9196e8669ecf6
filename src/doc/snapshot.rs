//! A record's current state without its history, to read a record whose
//! history is long without replaying it.
//!
//! Loading an Automerge document replays every op it ever held: a partner
//! note edited 2,000 times (a line added, an old one dropped) holds about
//! 100,000 text ops and takes ~50 ms to load, 10,000 edits ~300 ms. Reading
//! the record needs only what is visible now — every concurrent value of a
//! field included, so conflicts still show — which is a few kilobytes. The
//! store keeps a [`Snapshot`] beside each document it has compacted
//! (`store::chunk_log`), rewritten in the same transaction as every change
//! to it, and reads through it. Sealed personal fields stay sealed in it:
//! erasing the record key makes them unreadable here as in the document.

use std::borrow::Cow;

use automerge::{ActorId, AutomergeError, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use serde::{Deserialize, Serialize};

use super::view::DocView;

/// A scalar as stored; counters and unknown types are not kept (a document
/// holding one is read from its history instead).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Scalar {
    Str(String),
    Bytes(Vec<u8>),
    Int(i64),
    Uint(u64),
    F64(f64),
    Timestamp(i64),
    Boolean(bool),
    Null,
}

/// One value of a map key or list element: a scalar, or an object by index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Item {
    Scalar(Scalar),
    Map(u32),
    List(u32),
    Text(u32),
}

/// Every concurrent value, oldest first (the last one wins, as in Automerge).
type Values = Vec<Item>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Obj {
    /// Keys in Automerge's order.
    Map(Vec<(String, Values)>),
    List(Vec<Values>),
    Text(String),
}

/// The visible state of a document: objects by index, the root first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    objs: Vec<Obj>,
}

impl Snapshot {
    /// The current state of `doc`; `None` when it holds something a
    /// snapshot does not keep (a counter, a table, an unknown scalar).
    pub fn of(doc: &impl ReadDoc) -> Option<Snapshot> {
        let mut objs = vec![];
        walk(doc, &ROOT, ObjType::Map, &mut objs)?;
        Some(Snapshot { objs })
    }

    pub fn encode(&self) -> Vec<u8> {
        postcard::to_stdvec(self).expect("a snapshot serializes in memory")
    }

    /// `None` for bytes that are not a snapshot (the caller reads the history).
    pub fn decode(bytes: &[u8]) -> Option<Snapshot> {
        let s: Snapshot = postcard::from_bytes(bytes).ok()?;
        // Every object index must point inside: a damaged blob never panics.
        let n = s.objs.len() as u32;
        let inside = |v: &Values| v.iter().all(|i| matches!(i, Item::Scalar(_)) || item_index(i) < n);
        let sound = matches!(s.objs.first(), Some(Obj::Map(_)))
            && s.objs.iter().all(|o| match o {
                Obj::Map(m) => m.iter().all(|(_, v)| inside(v)),
                Obj::List(l) => l.iter().all(inside),
                Obj::Text(_) => true,
            });
        sound.then_some(s)
    }

    fn obj(&self, id: &ObjId) -> Option<&Obj> {
        match id {
            ObjId::Root => self.objs.first(),
            ObjId::Id(i, _, _) => self.objs.get(usize::try_from(*i).ok()?),
        }
    }

    fn value<'a>(&self, item: &'a Item) -> (Value<'a>, ObjId) {
        let id = |i: u32| ObjId::Id(u64::from(i), ActorId::from(&[][..]), 0);
        match item {
            Item::Scalar(s) => (Value::Scalar(Cow::Owned(s.to_value())), ObjId::Root),
            Item::Map(i) => (Value::Object(ObjType::Map), id(*i)),
            Item::List(i) => (Value::Object(ObjType::List), id(*i)),
            Item::Text(i) => (Value::Object(ObjType::Text), id(*i)),
        }
    }

    fn values(&self, obj: &ObjId, key: &str) -> Option<&Values> {
        match self.obj(obj)? {
            Obj::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

fn item_index(i: &Item) -> u32 {
    match i {
        Item::Map(i) | Item::List(i) | Item::Text(i) => *i,
        Item::Scalar(_) => 0,
    }
}

impl Scalar {
    fn of(v: &ScalarValue) -> Option<Scalar> {
        Some(match v {
            ScalarValue::Str(s) => Scalar::Str(s.to_string()),
            ScalarValue::Bytes(b) => Scalar::Bytes(b.clone()),
            ScalarValue::Int(i) => Scalar::Int(*i),
            ScalarValue::Uint(u) => Scalar::Uint(*u),
            ScalarValue::F64(f) => Scalar::F64(*f),
            ScalarValue::Timestamp(t) => Scalar::Timestamp(*t),
            ScalarValue::Boolean(b) => Scalar::Boolean(*b),
            ScalarValue::Null => Scalar::Null,
            _ => return None,
        })
    }

    fn to_value(&self) -> ScalarValue {
        match self {
            Scalar::Str(s) => ScalarValue::Str(s.as_str().into()),
            Scalar::Bytes(b) => ScalarValue::Bytes(b.clone()),
            Scalar::Int(i) => ScalarValue::Int(*i),
            Scalar::Uint(u) => ScalarValue::Uint(*u),
            Scalar::F64(f) => ScalarValue::F64(*f),
            Scalar::Timestamp(t) => ScalarValue::Timestamp(*t),
            Scalar::Boolean(b) => ScalarValue::Boolean(*b),
            Scalar::Null => ScalarValue::Null,
        }
    }
}

/// Copies object `obj` (and what it holds) into `objs`; returns its index.
fn walk(doc: &impl ReadDoc, obj: &ObjId, typ: ObjType, objs: &mut Vec<Obj>) -> Option<u32> {
    let at = objs.len();
    objs.push(Obj::Text(String::new()));
    let items = |all: Vec<(Value<'_>, ObjId)>, objs: &mut Vec<Obj>| -> Option<Values> {
        all.into_iter()
            .map(|(v, id)| match v {
                Value::Scalar(s) => Scalar::of(&s).map(Item::Scalar),
                Value::Object(t @ ObjType::Map) => walk(doc, &id, t, objs).map(Item::Map),
                Value::Object(t @ ObjType::List) => walk(doc, &id, t, objs).map(Item::List),
                Value::Object(t @ ObjType::Text) => walk(doc, &id, t, objs).map(Item::Text),
                Value::Object(ObjType::Table) => None,
            })
            .collect()
    };
    let this = match typ {
        ObjType::Map => {
            let mut m = vec![];
            for key in doc.keys(obj) {
                let all = doc.get_all(obj, key.as_str()).ok()?;
                m.push((key, items(all, objs)?));
            }
            Obj::Map(m)
        }
        ObjType::List => {
            let mut l = vec![];
            for i in 0..doc.length(obj) {
                l.push(items(doc.get_all(obj, i).ok()?, objs)?);
            }
            Obj::List(l)
        }
        ObjType::Text => Obj::Text(doc.text(obj).ok()?),
        ObjType::Table => return None,
    };
    objs[at] = this;
    u32::try_from(at).ok()
}

impl DocView for Snapshot {
    fn get_all(&self, obj: &ObjId, key: &str) -> Result<Vec<(Value<'_>, ObjId)>, AutomergeError> {
        Ok(self.values(obj, key).map(|v| v.iter().map(|i| self.value(i)).collect()).unwrap_or_default())
    }
    fn get(&self, obj: &ObjId, key: &str) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError> {
        Ok(self.values(obj, key).and_then(|v| v.last()).map(|i| self.value(i)))
    }
    fn get_at(&self, list: &ObjId, index: usize) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError> {
        Ok(match self.obj(list) {
            Some(Obj::List(l)) => l.get(index).and_then(|v| v.last()).map(|i| self.value(i)),
            _ => None,
        })
    }
    fn text(&self, obj: &ObjId) -> Result<String, AutomergeError> {
        Ok(match self.obj(obj) {
            Some(Obj::Text(t)) => t.clone(),
            _ => String::new(),
        })
    }
    fn keys(&self, obj: &ObjId) -> Vec<String> {
        match self.obj(obj) {
            Some(Obj::Map(m)) => m.iter().map(|(k, _)| k.clone()).collect(),
            _ => vec![],
        }
    }
    fn length(&self, obj: &ObjId) -> usize {
        match self.obj(obj) {
            Some(Obj::Map(m)) => m.len(),
            Some(Obj::List(l)) => l.len(),
            Some(Obj::Text(t)) => t.chars().count(),
            None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::AutoCommit;

    /// Two actors set the same fields concurrently: the snapshot shows the
    /// same winner and the same conflicting values as the document.
    #[test]
    fn reads_the_same_as_the_document_conflicts_included() {
        let mut a = AutoCommit::new();
        let note = a.put_object(ROOT, "note", ObjType::Text).unwrap();
        a.splice_text(&note, 0, 0, "Strikkekafé på lørdager.").unwrap();
        let tags = a.put_object(ROOT, "tags", ObjType::Map).unwrap();
        a.put(&tags, "frivillig", true).unwrap();
        let list = a.put_object(ROOT, "history", ObjType::List).unwrap();
        a.insert(&list, 0, 3_i64).unwrap();
        a.commit();
        let mut b = a.fork();
        a.put(ROOT, "phone", "+47 400 00 000").unwrap();
        b.put(ROOT, "phone", "+47 411 11 111").unwrap();
        b.put(ROOT, "sealed", ScalarValue::Bytes(vec![1, 2, 3])).unwrap();
        a.merge(&mut b).unwrap();

        let s = Snapshot::decode(&Snapshot::of(&a).unwrap().encode()).unwrap();
        assert_eq!(DocView::keys(&s, &ROOT), DocView::keys(&a, &ROOT));
        for key in DocView::keys(&a, &ROOT) {
            let doc: Vec<String> =
                DocView::get_all(&a, &ROOT, &key).unwrap().iter().map(|(v, _)| v.to_string()).collect();
            let snap: Vec<String> =
                DocView::get_all(&s, &ROOT, &key).unwrap().iter().map(|(v, _)| v.to_string()).collect();
            assert_eq!(doc, snap, "{key}");
            let won_doc = DocView::get(&a, &ROOT, &key).unwrap().map(|(v, _)| v.to_string());
            let won_snap = DocView::get(&s, &ROOT, &key).unwrap().map(|(v, _)| v.to_string());
            assert_eq!(won_doc, won_snap, "{key}");
        }
        let (_, note_s) = DocView::get(&s, &ROOT, "note").unwrap().unwrap();
        assert_eq!(DocView::text(&s, &note_s).unwrap(), "Strikkekafé på lørdager.");
        let (_, list_s) = DocView::get(&s, &ROOT, "history").unwrap().unwrap();
        assert_eq!(DocView::length(&s, &list_s), 1);
        assert_eq!(DocView::get_at(&s, &list_s, 0).unwrap().unwrap().0.to_string(), "3");
        assert_eq!(DocView::get_all(&s, &ROOT, "phone").unwrap().len(), 2, "the conflict is kept");
    }

    #[test]
    fn damaged_bytes_are_no_snapshot() {
        let mut a = AutoCommit::new();
        let m = a.put_object(ROOT, "tags", ObjType::Map).unwrap();
        a.put(&m, "x", 1_i64).unwrap();
        let bytes = Snapshot::of(&a).unwrap().encode();
        for cut in 0..bytes.len() {
            let _ = Snapshot::decode(&bytes[..cut]);
        }
        let mut bad = bytes.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0xff;
        let _ = Snapshot::decode(&bad);
        assert!(Snapshot::decode(&[0xff; 8]).is_none());
    }
}
