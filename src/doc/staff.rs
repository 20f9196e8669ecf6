use automerge::{ReadDoc, ROOT};

use super::{DocError, Reader, Record, Writer};
use crate::model::*;

impl Record for StaffMember {
    const KIND: RecordKind = RecordKind::Staff;
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
        w.str(&ROOT, "name", &self.name)?;
        w.str(&ROOT, "branch", &self.branch)?;
        w.bool(&ROOT, "deleted", self.deleted)
    }

    fn read<D: ReadDoc>(id: RecordId, r: &mut Reader<'_, D>) -> Result<Self, DocError> {
        Ok(StaffMember {
            id,
            name: r.str("name", &ROOT, "name")?,
            branch: r.str("branch", &ROOT, "branch")?,
            deleted: r.bool("deleted", &ROOT, "deleted")?,
        })
    }
}
