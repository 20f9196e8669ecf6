//! Field-level reading and writing of record documents.
//!
//! The writer compares each field with the document's current value and
//! writes only what changed, so an edit to the phone number never touches
//! the note, and concurrent edits of different fields never conflict.
//! The reader reports fields that hold concurrent values as [`Conflict`]s.

use std::collections::{BTreeMap, HashMap};

use automerge::transaction::{Transactable, Transaction};
use automerge::{hydrate, ObjId, ObjType, ReadDoc, ScalarValue, TextEncoding, Value, ROOT};
use serde::{Deserialize, Serialize};

use super::seal::Sealer;
use super::DocError;

/// A field that holds two or more concurrent values.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// Dotted path, e.g. `phone` or `contacts.0191….email`.
    pub field: String,
    /// The values as text; the first is the one shown by default.
    pub values: Vec<String>,
}

/// A decoded scalar, before interpretation.
fn scalar_text(v: &Value<'_>, sealer: Option<&Sealer>) -> String {
    match v {
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Str(s) => s.to_string(),
            ScalarValue::Bytes(b) => match sealer.and_then(|s| s.open(b)) {
                Some(p) => p,
                None => "[sealed]".to_string(),
            },
            ScalarValue::Int(i) => i.to_string(),
            ScalarValue::Uint(i) => i.to_string(),
            ScalarValue::Boolean(b) => b.to_string(),
            ScalarValue::Null => String::new(),
            other => other.to_string(),
        },
        Value::Object(t) => format!("[{t}]"),
    }
}

pub struct Reader<'a, D: super::view::DocView> {
    pub doc: &'a D,
    sealer: Option<&'a Sealer>,
    pub conflicts: Vec<Conflict>,
    /// Set when a sealed field could not be opened (the key was erased).
    pub redacted: bool,
    /// Look for concurrent values (off for documents with one change).
    pub detect_conflicts: bool,
}

impl<'a, D: super::view::DocView> Reader<'a, D> {
    pub fn new(doc: &'a D, sealer: Option<&'a Sealer>) -> Self {
        Reader { doc, sealer, conflicts: vec![], redacted: false, detect_conflicts: true }
    }

    fn note_conflict(&mut self, path: &str, obj: &ObjId, key: &str) -> Result<(), DocError> {
        if !self.detect_conflicts {
            return Ok(());
        }
        let all = self.doc.get_all(obj, key)?;
        if all.len() > 1 {
            // get_all lists the winner last; show it first.
            let values = all.iter().rev().map(|(v, _)| scalar_text(v, self.sealer)).collect();
            self.conflicts.push(Conflict { field: path.to_string(), values });
        }
        Ok(())
    }

    fn scalar(&mut self, path: &str, obj: &ObjId, key: &str) -> Result<Option<ScalarValue>, DocError> {
        match self.doc.get(obj, key)? {
            Some((Value::Scalar(s), _)) => {
                let s = s.into_owned();
                self.note_conflict(path, obj, key)?;
                Ok(Some(s))
            }
            Some((Value::Object(_), _)) => Err(DocError::Shape { field: path.to_string(), expected: "a value" }),
            None => Ok(None),
        }
    }

    pub fn opt_str(&mut self, path: &str, obj: &ObjId, key: &str) -> Result<Option<String>, DocError> {
        Ok(match self.scalar(path, obj, key)? {
            Some(ScalarValue::Str(s)) => Some(s.to_string()),
            Some(ScalarValue::Null) | None => None,
            Some(_) => return Err(DocError::Shape { field: path.to_string(), expected: "text" }),
        })
    }

    pub fn str(&mut self, path: &str, obj: &ObjId, key: &str) -> Result<String, DocError> {
        Ok(self.opt_str(path, obj, key)?.unwrap_or_default())
    }

    pub fn i64(&mut self, path: &str, obj: &ObjId, key: &str) -> Result<Option<i64>, DocError> {
        Ok(match self.scalar(path, obj, key)? {
            Some(ScalarValue::Int(i)) => Some(i),
            Some(ScalarValue::Uint(i)) => Some(i as i64),
            Some(ScalarValue::Null) | None => None,
            Some(_) => return Err(DocError::Shape { field: path.to_string(), expected: "a number" }),
        })
    }

    pub fn bool(&mut self, path: &str, obj: &ObjId, key: &str) -> Result<bool, DocError> {
        Ok(match self.scalar(path, obj, key)? {
            Some(ScalarValue::Boolean(b)) => b,
            Some(ScalarValue::Null) | None => false,
            Some(_) => return Err(DocError::Shape { field: path.to_string(), expected: "yes or no" }),
        })
    }

    pub fn opt_bool(&mut self, path: &str, obj: &ObjId, key: &str) -> Result<Option<bool>, DocError> {
        Ok(match self.scalar(path, obj, key)? {
            Some(ScalarValue::Boolean(b)) => Some(b),
            Some(ScalarValue::Null) | None => None,
            Some(_) => return Err(DocError::Shape { field: path.to_string(), expected: "yes or no" }),
        })
    }

    /// A personal value: stored sealed, read in the clear only with the key.
    pub fn sealed(&mut self, path: &str, obj: &ObjId, key: &str) -> Result<Option<String>, DocError> {
        Ok(match self.scalar(path, obj, key)? {
            Some(ScalarValue::Bytes(b)) => match self.sealer.and_then(|s| s.open(&b)) {
                Some(p) => Some(p),
                None => {
                    self.redacted = true;
                    None
                }
            },
            Some(ScalarValue::Null) | None => None,
            Some(_) => return Err(DocError::Shape { field: path.to_string(), expected: "a sealed value" }),
        })
    }

    pub fn parsed<T: std::str::FromStr>(&mut self, path: &str, obj: &ObjId, key: &str) -> Result<Option<T>, DocError> {
        match self.opt_str(path, obj, key)? {
            None => Ok(None),
            Some(s) if s.is_empty() => Ok(None),
            Some(s) => s.parse().map(Some).map_err(|_| DocError::Invalid { field: path.to_string(), value: s }),
        }
    }

    pub fn required<T: std::str::FromStr>(&mut self, path: &str, obj: &ObjId, key: &str) -> Result<T, DocError> {
        self.parsed(path, obj, key)?.ok_or_else(|| DocError::Missing { field: path.to_string() })
    }

    pub fn child(&self, obj: &ObjId, key: &str) -> Result<Option<ObjId>, DocError> {
        Ok(match self.doc.get(obj, key)? {
            Some((Value::Object(_), id)) => Some(id),
            _ => None,
        })
    }

    pub fn text(&mut self, path: &str, obj: &ObjId, key: &str) -> Result<String, DocError> {
        match self.doc.get(obj, key)? {
            Some((Value::Object(ObjType::Text), id)) => Ok(self.doc.text(&id)?),
            Some((Value::Scalar(_), _)) => self.str(path, obj, key),
            Some(_) => Err(DocError::Shape { field: path.to_string(), expected: "text" }),
            None => Ok(String::new()),
        }
    }

    /// The members of a set (a map of `member -> true`), sorted.
    pub fn set(&self, obj: &ObjId, key: &str) -> Result<Vec<String>, DocError> {
        Ok(match self.child(obj, key)? {
            Some(id) => {
                let mut v: Vec<String> = self.doc.keys(&id);
                v.sort();
                v
            }
            None => vec![],
        })
    }

    /// The items of a map keyed by item id, sorted by id (ids are time-ordered).
    pub fn items(&self, obj: &ObjId, key: &str) -> Result<Vec<(String, ObjId)>, DocError> {
        let Some(map) = self.child(obj, key)? else { return Ok(vec![]) };
        let mut out = vec![];
        for k in self.doc.keys(&map) {
            if let Some((Value::Object(ObjType::Map), id)) = self.doc.get(&map, k.as_str())? {
                out.push((k, id));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// The maps of an append-only list, in order.
    pub fn list_maps(&self, obj: &ObjId, key: &str) -> Result<Vec<ObjId>, DocError> {
        let Some(list) = self.child(obj, key)? else { return Ok(vec![]) };
        let mut out = vec![];
        for i in 0..self.doc.length(&list) {
            if let Some((Value::Object(ObjType::Map), id)) = self.doc.get_at(&list, i)? {
                out.push(id);
            }
        }
        Ok(out)
    }
}

/// Where record fields are written: a diffing [`Writer`] for edits, or a
/// [`Builder`] that assembles a new record's first change in one batch.
/// Record kinds map their fields once, against this trait.
pub trait Sink {
    type Obj: Clone;
    fn root(&self) -> Self::Obj;
    fn scalar(&mut self, obj: &Self::Obj, key: &str, new: Option<ScalarValue>) -> Result<(), DocError>;
    /// A personal value, stored sealed.
    fn sealed(&mut self, obj: &Self::Obj, key: &str, new: Option<&str>) -> Result<(), DocError>;
    /// Text that merges character by character.
    fn text(&mut self, obj: &Self::Obj, key: &str, new: &str) -> Result<(), DocError>;
    /// A set as a map of `member -> true`: concurrent adds of the same member
    /// merge into one, removals remove.
    fn set(&mut self, obj: &Self::Obj, key: &str, new: &[String]) -> Result<(), DocError>;
    /// A map of items keyed by id: removes items no longer present and
    /// returns each item's map object, in the order of `ids`.
    fn items(&mut self, obj: &Self::Obj, key: &str, ids: &[&str]) -> Result<Vec<Self::Obj>, DocError>;
    /// How many entries an append-only list holds.
    fn list_len(&mut self, obj: &Self::Obj, key: &str) -> Result<usize, DocError>;
    /// Appends a map to an append-only list.
    fn append_map(&mut self, obj: &Self::Obj, key: &str) -> Result<Self::Obj, DocError>;

    fn str(&mut self, obj: &Self::Obj, key: &str, new: &str) -> Result<(), DocError> {
        self.scalar(obj, key, Some(ScalarValue::Str(new.into())))
    }
    fn opt_str(&mut self, obj: &Self::Obj, key: &str, new: Option<&str>) -> Result<(), DocError> {
        self.scalar(obj, key, new.map(|s| ScalarValue::Str(s.into())))
    }
    fn slug<T: crate::model::Slug>(&mut self, obj: &Self::Obj, key: &str, new: Option<T>) -> Result<(), DocError> {
        self.opt_str(obj, key, new.map(|v| v.slug()))
    }
    fn i64(&mut self, obj: &Self::Obj, key: &str, new: Option<i64>) -> Result<(), DocError> {
        self.scalar(obj, key, new.map(ScalarValue::Int))
    }
    fn bool(&mut self, obj: &Self::Obj, key: &str, new: bool) -> Result<(), DocError> {
        self.scalar(obj, key, Some(ScalarValue::Boolean(new)))
    }
    fn opt_bool(&mut self, obj: &Self::Obj, key: &str, new: Option<bool>) -> Result<(), DocError> {
        self.scalar(obj, key, new.map(ScalarValue::Boolean))
    }
}

/// Writes changed fields into an existing record document, inside one
/// Automerge transaction. Unchanged fields produce no operations.
pub struct Writer<'t, 'a> {
    pub tx: &'t mut Transaction<'a>,
    sealer: Option<&'t Sealer>,
    /// Write even when the value is unchanged; resolves conflicts.
    pub force: bool,
}

impl<'t, 'a> Writer<'t, 'a> {
    pub fn new(tx: &'t mut Transaction<'a>, sealer: Option<&'t Sealer>) -> Self {
        Writer { tx, sealer, force: false }
    }

    fn current(&self, obj: &ObjId, key: &str) -> Result<Option<ScalarValue>, DocError> {
        let all = self.tx.get_all(obj, key)?;
        if all.len() > 1 && self.force {
            return Ok(None);
        }
        Ok(match all.last() {
            Some((Value::Scalar(s), _)) => Some(s.clone().into_owned()),
            _ => None,
        })
    }

    fn delete_if_present(&mut self, obj: &ObjId, key: &str) -> Result<(), DocError> {
        if !self.tx.get_all(obj, key)?.is_empty() {
            self.tx.delete(obj, key)?;
        }
        Ok(())
    }

    /// Ensures a container exists. Record documents create all their
    /// top-level containers in their first change, because two replicas
    /// that each create the same container would conflict and one would win.
    fn container(&mut self, obj: &ObjId, key: &str, ty: ObjType) -> Result<ObjId, DocError> {
        match self.tx.get(obj, key)? {
            Some((Value::Object(t), id)) if t == ty => Ok(id),
            _ => Ok(self.tx.put_object(obj, key, ty)?),
        }
    }
}

impl Sink for Writer<'_, '_> {
    type Obj = ObjId;

    fn root(&self) -> ObjId {
        ROOT
    }

    fn scalar(&mut self, obj: &ObjId, key: &str, new: Option<ScalarValue>) -> Result<(), DocError> {
        match new {
            Some(v) => {
                if self.current(obj, key)?.as_ref() != Some(&v) {
                    self.tx.put(obj, key, v)?;
                }
                Ok(())
            }
            None => self.delete_if_present(obj, key),
        }
    }

    fn sealed(&mut self, obj: &ObjId, key: &str, new: Option<&str>) -> Result<(), DocError> {
        let sealer = self.sealer.ok_or(DocError::NoKey)?;
        let current = match self.current(obj, key)? {
            Some(ScalarValue::Bytes(b)) => sealer.open(&b),
            _ => None,
        };
        let present = !self.tx.get_all(obj, key)?.is_empty();
        if current.as_deref() == new && (new.is_some() || !present) {
            return Ok(());
        }
        match new {
            // A fresh nonce on every write, so equal values never look equal.
            Some(s) => Ok(self.tx.put(obj, key, ScalarValue::Bytes(sealer.seal(s))).map(drop)?),
            None => self.delete_if_present(obj, key),
        }
    }

    fn text(&mut self, obj: &ObjId, key: &str, new: &str) -> Result<(), DocError> {
        let id = self.container(obj, key, ObjType::Text)?;
        if self.tx.text(&id)? != new {
            self.tx.update_text(&id, new)?;
        }
        Ok(())
    }

    fn set(&mut self, obj: &ObjId, key: &str, new: &[String]) -> Result<(), DocError> {
        let id = self.container(obj, key, ObjType::Map)?;
        let current: Vec<String> = self.tx.keys(&id).collect();
        for k in &current {
            if !new.contains(k) {
                self.tx.delete(&id, k.as_str())?;
            }
        }
        for k in new {
            if !current.contains(k) {
                self.tx.put(&id, k.as_str(), true)?;
            }
        }
        Ok(())
    }

    fn items(&mut self, obj: &ObjId, key: &str, ids: &[&str]) -> Result<Vec<ObjId>, DocError> {
        let map = self.container(obj, key, ObjType::Map)?;
        let current: Vec<String> = self.tx.keys(&map).collect();
        for k in &current {
            if !ids.contains(&k.as_str()) {
                self.tx.delete(&map, k.as_str())?;
            }
        }
        ids.iter().map(|id| self.container(&map, id, ObjType::Map)).collect()
    }

    fn list_len(&mut self, obj: &ObjId, key: &str) -> Result<usize, DocError> {
        let list = self.container(obj, key, ObjType::List)?;
        Ok(self.tx.length(&list))
    }

    fn append_map(&mut self, obj: &ObjId, key: &str) -> Result<ObjId, DocError> {
        let list = self.container(obj, key, ObjType::List)?;
        let len = self.tx.length(&list);
        Ok(self.tx.insert_object(&list, len, ObjType::Map)?)
    }
}

/// A step from a parent object to a child: a map key or a list index.
#[derive(Clone, Debug)]
pub enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug)]
enum Node {
    Scalar(ScalarValue),
    Map(BTreeMap<String, Node>),
    List(Vec<Node>),
    Text(String),
}

/// Builds a new record's whole tree in memory; [`Builder::finish`] turns it
/// into one batch insert, about three times faster than field-by-field puts.
pub struct Builder<'s> {
    root: BTreeMap<String, Node>,
    sealer: Option<&'s Sealer>,
    encoding: TextEncoding,
}

impl<'s> Builder<'s> {
    pub fn new(sealer: Option<&'s Sealer>, encoding: TextEncoding) -> Self {
        Builder { root: BTreeMap::new(), sealer, encoding }
    }

    /// The map at `path`; list entries are `Key(list), Index(i)`.
    fn map(&mut self, path: &[Step]) -> Result<&mut BTreeMap<String, Node>, DocError> {
        let mut node = &mut self.root;
        let mut i = 0;
        while i < path.len() {
            let Step::Key(k) = &path[i] else { return Err(shape(path)) };
            node = match (node.get_mut(k), path.get(i + 1)) {
                (Some(Node::Map(m)), _) => {
                    i += 1;
                    m
                }
                (Some(Node::List(l)), Some(Step::Index(j))) => match l.get_mut(*j) {
                    Some(Node::Map(m)) => {
                        i += 2;
                        m
                    }
                    _ => return Err(shape(path)),
                },
                _ => return Err(shape(path)),
            };
        }
        Ok(node)
    }

    fn put(&mut self, obj: &[Step], key: &str, node: Node) -> Result<(), DocError> {
        self.map(obj)?.insert(key.to_string(), node);
        Ok(())
    }

    /// The tree as Automerge's hydrate map.
    pub fn finish(self) -> hydrate::Map {
        fn conv(n: Node, enc: TextEncoding) -> hydrate::Value {
            match n {
                Node::Scalar(s) => hydrate::Value::Scalar(s),
                Node::Map(m) => {
                    let m: HashMap<String, hydrate::Value> = m.into_iter().map(|(k, v)| (k, conv(v, enc))).collect();
                    hydrate::Value::Map(m.into())
                }
                Node::List(l) => hydrate::Value::List(l.into_iter().map(|v| conv(v, enc)).collect::<Vec<_>>().into()),
                Node::Text(t) => hydrate::Value::text(enc, &t),
            }
        }
        let enc = self.encoding;
        let m: HashMap<String, hydrate::Value> = self.root.into_iter().map(|(k, v)| (k, conv(v, enc))).collect();
        m.into()
    }
}

fn shape(path: &[Step]) -> DocError {
    DocError::Shape { field: format!("{path:?}"), expected: "a map" }
}

impl Sink for Builder<'_> {
    type Obj = Vec<Step>;

    fn root(&self) -> Vec<Step> {
        vec![]
    }

    fn scalar(&mut self, obj: &Vec<Step>, key: &str, new: Option<ScalarValue>) -> Result<(), DocError> {
        match new {
            Some(v) => self.put(obj, key, Node::Scalar(v)),
            None => Ok(()),
        }
    }

    fn sealed(&mut self, obj: &Vec<Step>, key: &str, new: Option<&str>) -> Result<(), DocError> {
        let sealer = self.sealer.ok_or(DocError::NoKey)?;
        match new {
            Some(s) => self.put(obj, key, Node::Scalar(ScalarValue::Bytes(sealer.seal(s)))),
            None => Ok(()),
        }
    }

    fn text(&mut self, obj: &Vec<Step>, key: &str, new: &str) -> Result<(), DocError> {
        self.put(obj, key, Node::Text(new.to_string()))
    }

    fn set(&mut self, obj: &Vec<Step>, key: &str, new: &[String]) -> Result<(), DocError> {
        let m = new.iter().map(|k| (k.clone(), Node::Scalar(ScalarValue::Boolean(true)))).collect();
        self.put(obj, key, Node::Map(m))
    }

    fn items(&mut self, obj: &Vec<Step>, key: &str, ids: &[&str]) -> Result<Vec<Vec<Step>>, DocError> {
        let m = ids.iter().map(|id| (id.to_string(), Node::Map(BTreeMap::new()))).collect();
        self.put(obj, key, Node::Map(m))?;
        Ok(ids
            .iter()
            .map(|id| {
                let mut p = obj.clone();
                p.push(Step::Key(key.to_string()));
                p.push(Step::Key(id.to_string()));
                p
            })
            .collect())
    }

    fn list_len(&mut self, obj: &Vec<Step>, key: &str) -> Result<usize, DocError> {
        let m = self.map(obj)?;
        match m.entry(key.to_string()).or_insert_with(|| Node::List(vec![])) {
            Node::List(l) => Ok(l.len()),
            _ => Err(shape(obj)),
        }
    }

    fn append_map(&mut self, obj: &Vec<Step>, key: &str) -> Result<Vec<Step>, DocError> {
        let len = self.list_len(obj, key)?;
        if let Some(Node::List(l)) = self.map(obj)?.get_mut(key) {
            l.push(Node::Map(BTreeMap::new()));
        }
        let mut p = obj.clone();
        p.push(Step::Key(key.to_string()));
        p.push(Step::Index(len));
        Ok(p)
    }
}
