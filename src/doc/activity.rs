use automerge::{ReadDoc, ROOT};

use super::{from_ms, ids, opt_date, parse_date, parse_ids, DocError, Reader, Record, Writer};
use crate::model::*;

impl Record for Activity {
    const KIND: RecordKind = RecordKind::Activity;
    const PERSONAL: bool = false;

    fn id(&self) -> RecordId {
        self.id
    }
    fn deleted(&self) -> bool {
        self.deleted
    }
    fn set_deleted(&mut self, deleted: bool) {
        self.deleted = deleted;
    }

    fn write(&self, w: &mut Writer<'_, '_>) -> Result<(), DocError> {
        w.str(&ROOT, "title", &self.title)?;
        w.slug(&ROOT, "status", Some(self.status))?;
        w.bool(&ROOT, "outside", self.outside)?;
        w.str(&ROOT, "place", &self.place)?;
        w.set(&ROOT, "partners", &ids(&self.partners))?;
        w.set(&ROOT, "from_encounters", &ids(&self.from_encounters))?;
        w.opt_bool(&ROOT, "extra_resources", self.extra_resources)?;
        w.text(&ROOT, "note", &self.note)?;
        w.set(&ROOT, "tags", &self.tags)?;
        w.opt_str(&ROOT, "starts_on", opt_date(self.starts_on).as_deref())?;
        w.i64(&ROOT, "created_at", Some(self.created_at.timestamp_millis()))?;
        w.bool(&ROOT, "deleted", self.deleted)
    }

    fn read<D: ReadDoc>(id: RecordId, r: &mut Reader<'_, D>) -> Result<Self, DocError> {
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
