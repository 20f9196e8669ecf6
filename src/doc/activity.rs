use automerge::ROOT;

use super::view::DocView;

use super::{from_ms, ids, opt_date, parse_date, parse_ids, DocError, Reader, Record, Sink};
use crate::model::*;

impl Record for Activity {
    const KIND: RecordKind = RecordKind::Activity;
    const PERSONAL: bool = false;

    id_and_deleted_fields!();

    fn refs(&self) -> Vec<(RecordId, RecordKind)> {
        let partners = self.partners.iter().map(|p| (*p, RecordKind::Partner));
        partners.chain(self.from_encounters.iter().map(|e| (*e, RecordKind::Encounter))).collect()
    }

    fn write<W: Sink>(&self, w: &mut W) -> Result<(), DocError> {
        let root = w.root();
        w.str(&root, "title", &self.title)?;
        w.slug(&root, "status", Some(self.status))?;
        w.bool(&root, "outside", self.outside)?;
        w.str(&root, "place", &self.place)?;
        w.set(&root, "partners", &ids(&self.partners))?;
        w.set(&root, "from_encounters", &ids(&self.from_encounters))?;
        w.opt_bool(&root, "extra_resources", self.extra_resources)?;
        w.text(&root, "note", &self.note)?;
        w.set(&root, "tags", &self.tags)?;
        w.opt_str(&root, "starts_on", opt_date(self.starts_on).as_deref())?;
        w.i64(&root, "created_at", Some(self.created_at.timestamp_millis()))?;
        w.bool(&root, "deleted", self.deleted)
    }

    fn read<D: DocView>(id: RecordId, r: &mut Reader<'_, D>) -> Result<Self, DocError> {
        let starts_on = r.opt_str("starts_on", &ROOT, "starts_on")?;
        Ok(Activity {
            id,
            title: r.str("title", &ROOT, "title")?,
            status: r.required("status", &ROOT, "status")?,
            outside: r.bool("outside", &ROOT, "outside")?,
            place: r.str("place", &ROOT, "place")?,
            partners: parse_ids(r.set(&ROOT, "partners")?, "partners")?,
            from_encounters: parse_ids(r.set(&ROOT, "from_encounters")?, "from_encounters")?,
            extra_resources: r.opt_bool("extra_resources", &ROOT, "extra_resources")?,
            note: r.text("note", &ROOT, "note")?,
            tags: r.set(&ROOT, "tags")?,
            starts_on: parse_date("starts_on", starts_on)?,
            created_at: from_ms(r.i64("created_at", &ROOT, "created_at")?.unwrap_or(0)),
            deleted: r.bool("deleted", &ROOT, "deleted")?,
        })
    }
}
