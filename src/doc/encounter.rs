use automerge::ROOT;

use super::view::DocView;

use super::{from_ms, ids, opt_date, parse_date, parse_ids, DocError, Reader, Record, Sink};
use crate::model::*;

impl Record for Encounter {
    const KIND: RecordKind = RecordKind::Encounter;
    const PERSONAL: bool = false;

    id_and_deleted_fields!();

    fn refs(&self) -> Vec<(RecordId, RecordKind)> {
        let partners = self.partners.iter().map(|p| (*p, RecordKind::Partner));
        let staff = self.colleagues.iter().chain(&self.staff).map(|s| (*s, RecordKind::Staff));
        partners.chain(staff).collect()
    }

    fn stamp(&mut self, me: &StaffMember) {
        if self.staff.is_none() {
            self.staff = Some(me.id);
        }
        if self.branch.is_empty() {
            self.branch = me.branch.clone();
        }
    }

    fn write<W: Sink>(&self, w: &mut W) -> Result<(), DocError> {
        let root = w.root();
        w.i64(&root, "when", Some(self.when.timestamp_millis()))?;
        w.str(&root, "place", &self.place)?;
        w.bool(&root, "outside", self.outside)?;
        w.opt_str(&root, "staff", self.staff.map(|s| s.to_string()).as_deref())?;
        w.str(&root, "branch", &self.branch)?;
        w.set(&root, "colleagues", &ids(&self.colleagues))?;
        w.slug(&root, "counterpart", Some(self.counterpart))?;
        w.set(&root, "partners", &ids(&self.partners))?;
        w.slug(&root, "perspective", Some(self.perspective))?;
        w.slug(&root, "initiative", self.initiative)?;
        w.slug(&root, "role", self.role)?;
        w.str(&root, "idea", &self.idea)?;
        w.str(&root, "note", &self.note)?;
        w.set(&root, "tags", &self.tags)?;
        let objs = w.items(&root, "follow_ups", &self.follow_ups.iter().map(|f| f.id.as_str()).collect::<Vec<_>>())?;
        for (f, obj) in self.follow_ups.iter().zip(objs) {
            w.str(&obj, "text", &f.text)?;
            w.opt_str(&obj, "due", opt_date(f.due).as_deref())?;
            w.opt_str(&obj, "owner", f.owner.map(|o| o.to_string()).as_deref())?;
            w.bool(&obj, "done", f.done)?;
        }
        let outcomes: Vec<String> = self.outcomes.iter().map(|o| o.slug().to_string()).collect();
        w.set(&root, "outcomes", &outcomes)?;
        w.opt_str(&root, "photo", self.photo.as_deref())?;
        w.bool(&root, "deleted", self.deleted)
    }

    fn read<D: DocView>(id: RecordId, r: &mut Reader<'_, D>) -> Result<Self, DocError> {
        let mut follow_ups = vec![];
        for (fid, obj) in r.items(&ROOT, "follow_ups")? {
            let p = format!("follow_ups.{fid}");
            let due = r.opt_str(&format!("{p}.due"), &obj, "due")?;
            follow_ups.push(FollowUp {
                text: r.str(&format!("{p}.text"), &obj, "text")?,
                due: parse_date(&p, due)?,
                owner: r.parsed(&format!("{p}.owner"), &obj, "owner")?,
                done: r.bool(&format!("{p}.done"), &obj, "done")?,
                id: fid,
            });
        }
        let outcomes = r
            .set(&ROOT, "outcomes")?
            .into_iter()
            .filter_map(|s| s.parse().ok()) // an outcome from a newer version is skipped, not fatal
            .collect();
        Ok(Encounter {
            id,
            when: from_ms(r.i64("when", &ROOT, "when")?.ok_or(DocError::Missing { field: "when".into() })?),
            place: r.str("place", &ROOT, "place")?,
            outside: r.bool("outside", &ROOT, "outside")?,
            staff: r.parsed("staff", &ROOT, "staff")?,
            branch: r.str("branch", &ROOT, "branch")?,
            colleagues: parse_ids(r.set(&ROOT, "colleagues")?, "colleagues")?,
            counterpart: r.required("counterpart", &ROOT, "counterpart")?,
            partners: parse_ids(r.set(&ROOT, "partners")?, "partners")?,
            perspective: r.required("perspective", &ROOT, "perspective")?,
            initiative: r.parsed("initiative", &ROOT, "initiative")?,
            role: r.parsed("role", &ROOT, "role")?,
            idea: r.str("idea", &ROOT, "idea")?,
            note: r.str("note", &ROOT, "note")?,
            tags: r.set(&ROOT, "tags")?,
            follow_ups,
            outcomes,
            photo: r.opt_str("photo", &ROOT, "photo")?,
            deleted: r.bool("deleted", &ROOT, "deleted")?,
        })
    }
}
