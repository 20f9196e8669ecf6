use automerge::ROOT;

use super::view::DocView;

use super::{DocError, Reader, Record, Sink};
use crate::model::*;

impl Record for StaffMember {
    const KIND: RecordKind = RecordKind::Staff;
    const PERSONAL: bool = false;

    id_and_deleted_fields!();

    fn write<W: Sink>(&self, w: &mut W) -> Result<(), DocError> {
        let root = w.root();
        w.str(&root, "name", &self.name)?;
        w.str(&root, "branch", &self.branch)?;
        w.bool(&root, "deleted", self.deleted)
    }

    fn read<D: DocView>(id: RecordId, r: &mut Reader<'_, D>) -> Result<Self, DocError> {
        Ok(StaffMember {
            id,
            name: r.str("name", &ROOT, "name")?,
            branch: r.str("branch", &ROOT, "branch")?,
            deleted: r.bool("deleted", &ROOT, "deleted")?,
        })
    }
}
