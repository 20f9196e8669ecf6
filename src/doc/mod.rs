//! Records <-> Automerge documents, one document per record.
//!
//! Layout of every record document: a root map with `type` (the record kind
//! slug), `v` (layout version) and the record's fields. All containers are
//! created in the record's first change. Personal fields are sealed (see
//! [`seal`]); long shared texts are Automerge `Text`; sets are maps of
//! `member -> true`; item collections are maps keyed by time-ordered item ids.

// `Record`'s accessors for a record with `id` and `deleted` fields (all four kinds).
macro_rules! id_and_deleted_fields {
    () => {
        fn id(&self) -> RecordId {
            self.id
        }
        fn deleted(&self) -> bool {
            self.deleted
        }
        fn set_deleted(&mut self, deleted: bool) {
            self.deleted = deleted;
        }
    };
}

mod activity;
pub(crate) mod change_bytes;
mod encounter;
pub mod field;
pub mod frames;
pub mod history;
mod partner;
pub mod seal;
pub mod snapshot;
mod staff;
pub mod view;

use automerge::transaction::CommitOptions;
use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, Change, ReadDoc, ROOT};
use serde::Serialize;
use thiserror::Error;

use crate::i18n::{noun, record_with_article, Language, Localize};
use crate::model::{RecordId, RecordKind, Slug, Validate};
use crate::tr;
pub use field::{Builder, Conflict, Reader, Sink, Writer};
pub use history::{HistoryAction, HistoryEntry};
pub use seal::{RecordKey, Sealer};
pub use view::{ChangeView, DocView};

/// Runs Automerge over a peer's bytes. Automerge 0.12 panics on some
/// changes it parses but cannot apply (one that names an actor the document
/// never registered: found by the `change_view` fuzz target); such bytes
/// are a bad batch, not a reason to take the device or the hub down.
pub fn untrusted<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

/// The layout version written into every record document.
pub const LAYOUT_VERSION: i64 = 1;

#[derive(Debug, Error)]
pub enum DocError {
    #[error("document error: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    #[error("the document holds {}, not {}", crate::i18n::with_article(found), crate::i18n::with_article(expected))]
    WrongKind { expected: &'static str, found: String },
    #[error("the document has no {field}")]
    Missing { field: String },
    #[error("field {field} holds '{value}', which this version does not understand")]
    Invalid { field: String, value: String },
    #[error("field {field} should hold {expected}")]
    Shape { field: String, expected: &'static str },
    #[error("this record's key is missing (was it erased?), so personal fields cannot be written")]
    NoKey,
}

impl DocError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            DocError::Automerge(_) => "document",
            DocError::WrongKind { .. } => "wrong_kind",
            DocError::Missing { .. } => "document_missing_field",
            DocError::Invalid { .. } => "document_unknown_value",
            DocError::Shape { .. } => "document_shape",
            DocError::NoKey => "no_key",
        }
    }
}

impl Localize for DocError {
    fn localize(&self, lang: Language) -> String {
        match self {
            DocError::Automerge(e) => tr!(lang,
                nb: "Dokumentet til posten kan ikke leses: {e}",
                da: "Postens dokument kan ikke læses: {e}",
                en: "document error: {e}"),
            DocError::WrongKind { expected, found } => tr!(lang,
                nb: "Dokumentet inneholder {}, ikke {}",
                da: "Dokumentet indeholder {}, ikke {}",
                en: "the document holds {}, not {}", record_with_article(found, lang), record_with_article(expected, lang)),
            DocError::Missing { field } => tr!(lang,
                nb: "Dokumentet mangler feltet {}",
                da: "Dokumentet mangler feltet {}",
                en: "the document has no {}", noun(field, lang)),
            DocError::Invalid { field, value } => tr!(lang,
                nb: "Feltet {} inneholder «{value}», som denne utgaven av Samskap ikke kjenner; oppdater Samskap",
                da: "Feltet {} indeholder »{value}«, som denne version af Samskap ikke kender; opdatér Samskap",
                en: "field {} holds '{value}', which this version does not understand", noun(field, lang)),
            DocError::Shape { field, expected } => tr!(lang,
                nb: "Feltet {} skulle inneholde {}",
                da: "Feltet {} skulle indeholde {}",
                en: "field {} should hold {}", noun(field, lang), noun(expected, lang)),
            DocError::NoKey => tr!(lang,
                nb: "Nøkkelen til denne posten mangler (ble den slettet for godt?), så personopplysninger kan ikke skrives",
                da: "Nøglen til denne post mangler (blev den slettet for altid?), så personoplysninger kan ikke skrives",
                en: "this record's key is missing (was it erased?), so personal fields cannot be written"),
        }
    }
}

/// A kind of record that lives in its own Automerge document.
pub trait Record: Sized + Clone + Send + Sync + Validate + Serialize {
    const KIND: RecordKind;
    /// Whether the record has personal fields and so needs a record key.
    const PERSONAL: bool;
    fn id(&self) -> RecordId;
    fn deleted(&self) -> bool;
    fn set_deleted(&mut self, deleted: bool);
    /// Writes every field, leaving unchanged ones untouched.
    fn write<W: Sink>(&self, w: &mut W) -> Result<(), DocError>;
    fn read<D: DocView>(id: RecordId, r: &mut Reader<'_, D>) -> Result<Self, DocError>;
    /// Records this one points to, with the kind each must be.
    fn refs(&self) -> Vec<(RecordId, RecordKind)> {
        vec![]
    }
    /// Fills in who made the record when the caller left it open.
    fn stamp(&mut self, _me: &crate::model::StaffMember) {}
}

/// A record as read from its document, with the fields in conflict.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct Loaded<R> {
    #[serde(flatten)]
    pub record: R,
    pub conflicts: Vec<Conflict>,
    /// True when personal fields could not be read (their key was erased).
    pub redacted: bool,
}

/// Who made a change and when; kept in Automerge's change metadata so
/// a record's history can say who changed what.
#[derive(Clone, Debug, Default)]
pub struct ChangeMeta {
    pub staff: Option<RecordId>,
    pub time_ms: i64,
}

impl ChangeMeta {
    /// A change by `staff` at the system clock (the store uses its own clock).
    #[cfg(test)]
    pub fn now(staff: Option<RecordId>) -> Self {
        ChangeMeta { staff, time_ms: chrono::Utc::now().timestamp_millis() }
    }
    fn options(&self) -> CommitOptions {
        let opts = CommitOptions::default().with_time(self.time_ms);
        match self.staff {
            Some(s) => opts.with_message(s.to_string()),
            None => opts,
        }
    }
}

pub fn new_doc(actor: &ActorId) -> Automerge {
    Automerge::new().with_actor(actor.clone())
}

/// The kind a document says it holds.
pub fn kind_of<D: DocView>(doc: &D) -> Result<RecordKind, DocError> {
    let mut r = Reader::new(doc, None);
    r.required("type", &ROOT, "type")
}

/// Writes `rec` into `doc` as one change. `force` rewrites unchanged
/// fields too, which settles conflicts in favour of `rec`'s values.
/// Returns the change, or `None` when nothing differed.
pub fn write<R: Record>(
    doc: &mut Automerge,
    rec: &R,
    sealer: Option<&Sealer>,
    meta: &ChangeMeta,
    force: bool,
) -> Result<Option<Change>, DocError> {
    // A new record is built in memory and inserted as one batch.
    let fresh = doc.get_heads().is_empty();
    let done = doc
        .transact_with(
            |_| meta.options(),
            |tx| {
                if fresh {
                    let mut b = Builder::new(sealer, tx.text_encoding());
                    header::<R, _>(&mut b)?;
                    rec.write(&mut b)?;
                    tx.init_root_from_hydrate(&b.finish())?;
                    Ok(())
                } else {
                    let mut w = Writer::new(tx, sealer);
                    w.force = force;
                    header::<R, _>(&mut w)?;
                    rec.write(&mut w)
                }
            },
        )
        .map_err(|f| f.error)?;
    Ok(done.hash.and_then(|_| doc.get_last_local_change()))
}

fn header<R: Record, W: Sink>(w: &mut W) -> Result<(), DocError> {
    let root = w.root();
    w.str(&root, "type", R::KIND.slug())?;
    w.i64(&root, "v", Some(LAYOUT_VERSION))
}

/// Reads a record from its document.
pub fn read<R: Record, D: DocView>(doc: &D, id: RecordId, sealer: Option<&Sealer>) -> Result<Loaded<R>, DocError> {
    read_opts(doc, id, sealer, true)
}

/// Like [`read`]; `conflicts: false` skips looking for concurrent values.
pub fn read_opts<R: Record, D: DocView>(
    doc: &D,
    id: RecordId,
    sealer: Option<&Sealer>,
    conflicts: bool,
) -> Result<Loaded<R>, DocError> {
    let kind = kind_of(doc)?;
    if kind != R::KIND {
        return Err(DocError::WrongKind { expected: R::KIND.slug(), found: kind.slug().to_string() });
    }
    let mut r = Reader::new(doc, sealer);
    r.detect_conflicts = conflicts;
    let record = R::read(id, &mut r)?;
    Ok(Loaded { record, conflicts: r.conflicts, redacted: r.redacted })
}

/// Millisecond timestamps in documents <-> chrono.
pub fn from_ms(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

pub(crate) fn ids(v: &[RecordId]) -> Vec<String> {
    v.iter().map(|i| i.to_string()).collect()
}

pub(crate) fn parse_ids(v: Vec<String>, field: &str) -> Result<Vec<RecordId>, DocError> {
    v.into_iter().map(|s| s.parse().map_err(|_| DocError::Invalid { field: field.to_string(), value: s })).collect()
}

pub(crate) fn opt_date(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

pub(crate) fn parse_date(field: &str, s: Option<String>) -> Result<Option<chrono::NaiveDate>, DocError> {
    match s {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| DocError::Invalid { field: field.to_string(), value: s }),
    }
}

#[cfg(test)]
mod tests;
