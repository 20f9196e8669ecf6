//! What the [`Reader`](super::Reader) needs from a document, and a fast
//! view of a record that is still a single change.
//!
//! Most records arriving in a first sync were written once: their whole
//! document is one Automerge change. Building a full `Automerge` from it
//! (an op set, indexes, a change graph) costs ~130 µs; replaying the
//! change's ops into a few maps costs a fraction of that. [`ChangeView`]
//! does the replay and gives up (returns `None`) on anything that is not a
//! plain first change — an op that overwrites or deletes (has predecessors),
//! counters, marks — so the caller falls back to loading the document.

use foldhash::HashMap;
use std::borrow::Cow;

use automerge::legacy::{ElementId, Key, ObjectId, OpId, OpType};
use automerge::{AutomergeError, Change, ObjId, ObjType, ReadDoc, ScalarValue, Value};

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
    Object(ObjType, OpId),
}

enum Obj {
    Map(HashMap<String, Entry>),
    /// List or text: elements in document order, each with the op that inserted it.
    Seq(Vec<(OpId, Entry)>),
}

/// A record document that is exactly one change, replayed without building
/// an Automerge document. No concurrency within one change, so no conflicts.
pub struct ChangeView {
    objs: HashMap<Option<OpId>, Obj>,
}

impl ChangeView {
    /// `None` when the change does anything a first write does not, or
    /// names an actor it does not list (which `Change::decode` cannot take).
    pub fn of(change: &Change) -> Option<ChangeView> {
        if !super::change_actors::actors_in_range(change) {
            return None;
        }
        let expanded = change.decode();
        let actor = change.actor_id();
        let start = change.start_op().get();
        let mut objs: HashMap<Option<OpId>, Obj> = HashMap::default();
        objs.insert(None, Obj::Map(HashMap::default()));
        for (i, op) in expanded.operations.into_iter().enumerate() {
            if !op.pred.is_empty() {
                return None;
            }
            let id = OpId(start + i as u64, actor.clone());
            let entry = match op.action {
                OpType::Make(t @ (ObjType::Map | ObjType::Table)) => {
                    objs.insert(Some(id.clone()), Obj::Map(HashMap::default()));
                    Entry::Object(t, id.clone())
                }
                OpType::Make(t @ (ObjType::List | ObjType::Text)) => {
                    objs.insert(Some(id.clone()), Obj::Seq(vec![]));
                    Entry::Object(t, id.clone())
                }
                OpType::Put(v) => Entry::Scalar(v),
                _ => return None,
            };
            let parent = match op.obj {
                ObjectId::Root => None,
                ObjectId::Id(o) => Some(o),
            };
            match (objs.get_mut(&parent)?, op.key, op.insert) {
                (Obj::Map(m), Key::Map(k), false) => {
                    if m.insert(k.to_string(), entry).is_some() {
                        return None;
                    }
                }
                (Obj::Seq(items), Key::Seq(after), true) => {
                    // One actor, rising counters: a new element goes right
                    // after the one it names (ahead of older siblings).
                    let at = match after {
                        ElementId::Head => 0,
                        ElementId::Id(after) => match items.last() {
                            Some((last, _)) if *last == after => items.len(),
                            _ => items.iter().position(|(e, _)| *e == after)? + 1,
                        },
                    };
                    items.insert(at, (id, entry));
                }
                _ => return None,
            }
        }
        Some(ChangeView { objs })
    }

    fn obj(&self, id: &ObjId) -> Option<&Obj> {
        match id {
            ObjId::Root => self.objs.get(&None),
            ObjId::Id(counter, actor, _) => self.objs.get(&Some(OpId(*counter, actor.clone()))),
        }
    }

    fn value(entry: &Entry) -> (Value<'_>, ObjId) {
        match entry {
            Entry::Scalar(s) => (Value::Scalar(Cow::Borrowed(s)), ObjId::Root),
            Entry::Object(t, id) => (Value::Object(*t), ObjId::Id(id.0, id.1.clone(), 0)),
        }
    }
}

impl DocView for ChangeView {
    fn get_all(&self, obj: &ObjId, key: &str) -> Result<Vec<(Value<'_>, ObjId)>, AutomergeError> {
        Ok(DocView::get(self, obj, key)?.into_iter().collect())
    }
    fn get(&self, obj: &ObjId, key: &str) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError> {
        Ok(match self.obj(obj) {
            Some(Obj::Map(m)) => m.get(key).map(Self::value),
            _ => None,
        })
    }
    fn get_at(&self, list: &ObjId, index: usize) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError> {
        Ok(match self.obj(list) {
            Some(Obj::Seq(items)) => items.get(index).map(|(_, e)| Self::value(e)),
            _ => None,
        })
    }
    fn text(&self, obj: &ObjId) -> Result<String, AutomergeError> {
        let mut out = String::new();
        if let Some(Obj::Seq(items)) = self.obj(obj) {
            for (_, e) in items {
                if let Entry::Scalar(ScalarValue::Str(s)) = e {
                    out.push_str(s);
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
