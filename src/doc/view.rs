//! What the [`Reader`](super::Reader) needs from a document, and a fast
//! view of a record that is still a single change.
//!
//! Most records arriving in a first sync were written once: their whole
//! document is one Automerge change. Building a full `Automerge` from it
//! (an op set, indexes, a change graph) costs ~130 µs; replaying the
//! change's op columns into a few maps costs a fraction of that.
//! [`ChangeView`] does the replay and gives up (returns `None`) on anything
//! that is not a plain first change — an op that overwrites or deletes (has
//! predecessors), counters, marks — so the caller falls back to loading the
//! document.

use foldhash::HashMap;
use std::borrow::Cow;

use automerge::{ActorId, AutomergeError, ObjId, ObjType, ReadDoc, ScalarValue, Value};

use super::change_bytes::{self, Action, Id, Key};

/// The reads the record mapping uses, over a full document or a [`ChangeView`].
pub trait DocView {
    fn get_all(&self, obj: &ObjId, key: &str) -> Result<Vec<(Value<'_>, ObjId)>, AutomergeError>;
    fn get(&self, obj: &ObjId, key: &str) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError>;
    fn get_at(&self, list: &ObjId, index: usize) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError>;
    fn text(&self, obj: &ObjId) -> Result<String, AutomergeError>;
    fn keys(&self, obj: &ObjId) -> Vec<String>;
    fn length(&self, obj: &ObjId) -> usize;
}

impl<D: ReadDoc> DocView for D {
    fn get_all(&self, obj: &ObjId, key: &str) -> Result<Vec<(Value<'_>, ObjId)>, AutomergeError> {
        ReadDoc::get_all(self, obj, key)
    }
    fn get(&self, obj: &ObjId, key: &str) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError> {
        ReadDoc::get(self, obj, key)
    }
    fn get_at(&self, list: &ObjId, index: usize) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError> {
        ReadDoc::get(self, list, index)
    }
    fn text(&self, obj: &ObjId) -> Result<String, AutomergeError> {
        ReadDoc::text(self, obj)
    }
    fn keys(&self, obj: &ObjId) -> Vec<String> {
        ReadDoc::keys(self, obj).collect()
    }
    fn length(&self, obj: &ObjId) -> usize {
        ReadDoc::length(self, obj)
    }
}

/// A value as the change put it: a scalar, or an object it made.
enum Entry {
    Scalar(ScalarValue),
    Object(ObjType, Id),
}

enum Obj {
    Map(HashMap<String, Entry>),
    /// List or text: elements in document order, each with the op that inserted it.
    Seq(Vec<(Id, Entry)>),
}

/// A record document that is exactly one change, replayed without building
/// an Automerge document. No concurrency within one change, so no conflicts.
pub struct ChangeView {
    /// Objects by the op that made them (`None`: the root map).
    objs: HashMap<Option<Id>, Obj>,
    /// The actors the change names, as `Id::actor` indexes them.
    actors: Vec<ActorId>,
}

impl ChangeView {
    /// Replays a record's first write straight from its chunk's columns,
    /// checking it on the way; `None` when the chunk is anything else or
    /// does not check out (see [`super::change_bytes`]).
    pub fn replay(chunk: &[u8]) -> Option<ChangeView> {
        let change = change_bytes::header(chunk)?;
        let actors: Vec<ActorId> = change.actors.iter().map(|a| ActorId::from(*a)).collect();
        let mut objs: HashMap<Option<Id>, Obj> = HashMap::default();
        objs.insert(None, Obj::Map(HashMap::default()));
        let mut counter = change.start_op;
        change.ops(|op| {
            let id = Id { counter, actor: 0 };
            counter = counter.checked_add(1).filter(|c| *c <= u64::from(u32::MAX) + 1)?;
            let entry = match op.action {
                Action::MakeMap => {
                    objs.insert(Some(id), Obj::Map(HashMap::default()));
                    Entry::Object(ObjType::Map, id)
                }
                Action::MakeList => {
                    objs.insert(Some(id), Obj::Seq(vec![]));
                    Entry::Object(ObjType::List, id)
                }
                Action::MakeText => {
                    objs.insert(Some(id), Obj::Seq(vec![]));
                    Entry::Object(ObjType::Text, id)
                }
                Action::Put(v) => Entry::Scalar(v),
            };
            match (objs.get_mut(&op.obj)?, op.key, op.insert) {
                (Obj::Map(m), Key::Map(k), false) => {
                    if m.insert(k.to_string(), entry).is_some() {
                        return None;
                    }
                }
                (Obj::Seq(items), Key::After(after), true) => {
                    // One actor, rising counters: a new element goes right
                    // after the one it names (ahead of older siblings).
                    let at = match after {
                        None => 0,
                        Some(after) => match items.last() {
                            Some((last, _)) if *last == after => items.len(),
                            _ => items.iter().position(|(e, _)| *e == after)? + 1,
                        },
                    };
                    items.insert(at, (id, entry));
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(ChangeView { objs, actors })
    }

    fn obj(&self, id: &ObjId) -> Option<&Obj> {
        match id {
            ObjId::Root => self.objs.get(&None),
            ObjId::Id(counter, actor, _) => {
                let actor = self.actors.iter().position(|a| a == actor)?;
                self.objs.get(&Some(Id { counter: *counter, actor }))
            }
        }
    }

    fn value<'a>(&self, entry: &'a Entry) -> (Value<'a>, ObjId) {
        match entry {
            Entry::Scalar(s) => (Value::Scalar(Cow::Borrowed(s)), ObjId::Root),
            Entry::Object(t, id) => (Value::Object(*t), ObjId::Id(id.counter, self.actors[id.actor].clone(), 0)),
        }
    }
}

impl DocView for ChangeView {
    fn get_all(&self, obj: &ObjId, key: &str) -> Result<Vec<(Value<'_>, ObjId)>, AutomergeError> {
        Ok(DocView::get(self, obj, key)?.into_iter().collect())
    }
    fn get(&self, obj: &ObjId, key: &str) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError> {
        Ok(match self.obj(obj) {
            Some(Obj::Map(m)) => m.get(key).map(|e| self.value(e)),
            _ => None,
        })
    }
    fn get_at(&self, list: &ObjId, index: usize) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError> {
        Ok(match self.obj(list) {
            Some(Obj::Seq(items)) => items.get(index).map(|(_, e)| self.value(e)),
            _ => None,
        })
    }
    fn text(&self, obj: &ObjId) -> Result<String, AutomergeError> {
        let mut out = String::new();
        if let Some(Obj::Seq(items)) = self.obj(obj) {
            for (_, e) in items {
                match e {
                    Entry::Scalar(ScalarValue::Str(s)) => out.push_str(s),
                    // What Automerge shows for anything else in a text
                    // (found by the `change_view` fuzz target).
                    _ => out.push('\u{fffc}'),
                }
            }
        }
        Ok(out)
    }
    fn keys(&self, obj: &ObjId) -> Vec<String> {
        match self.obj(obj) {
            Some(Obj::Map(m)) => {
                let mut k: Vec<String> = m.keys().cloned().collect();
                k.sort();
                k
            }
            _ => vec![],
        }
    }
    fn length(&self, obj: &ObjId) -> usize {
        match self.obj(obj) {
            Some(Obj::Map(m)) => m.len(),
            Some(Obj::Seq(items)) => items.len(),
            None => 0,
        }
    }
}
