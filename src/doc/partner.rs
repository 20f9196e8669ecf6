use automerge::{ObjId, ROOT};

use super::view::DocView;

use super::{from_ms, opt_date, parse_date, DocError, Reader, Record, Sink};
use crate::model::*;

impl Record for Partner {
    const KIND: RecordKind = RecordKind::Partner;
    const PERSONAL: bool = true;

    fn id(&self) -> RecordId {
        self.id
    }
    fn deleted(&self) -> bool {
        self.deleted
    }
    fn set_deleted(&mut self, deleted: bool) {
        self.deleted = deleted;
    }

    fn write<W: Sink>(&self, w: &mut W) -> Result<(), DocError> {
        let root = w.root();
        w.sealed(&root, "name", Some(&self.name))?;
        w.slug(&root, "kind", Some(self.kind))?;
        append_level_moves(w, self)?;
        w.slug(&root, "level", Some(self.level))?;
        let objs = w.items(&root, "contacts", &self.contacts.iter().map(|c| c.id.as_str()).collect::<Vec<_>>())?;
        for (c, obj) in self.contacts.iter().zip(objs) {
            w.sealed(&obj, "name", Some(&c.name))?;
            w.str(&obj, "role", &c.role)?;
            w.sealed(&obj, "phone", c.phone.as_deref())?;
            w.sealed(&obj, "email", c.email.as_deref())?;
            w.slug(&obj, "basis", c.basis)?;
        }
        w.sealed(&root, "phone", self.phone.as_deref())?;
        w.sealed(&root, "email", self.email.as_deref())?;
        w.str(&root, "place", &self.place)?;
        w.set(&root, "tags", &self.tags)?;
        w.text(&root, "note", &self.note)?;
        let personal = (!self.personal_note.is_empty()).then_some(self.personal_note.as_str());
        w.sealed(&root, "personal_note", personal)?;
        let objs = w.items(&root, "agreements", &self.agreements.iter().map(|a| a.id.as_str()).collect::<Vec<_>>())?;
        for (a, obj) in self.agreements.iter().zip(objs) {
            w.str(&obj, "title", &a.title)?;
            w.text(&obj, "expectations", &a.expectations)?;
            w.text(&obj, "roles", &a.roles)?;
            w.text(&obj, "resources", &a.resources)?;
            w.text(&obj, "results", &a.results)?;
            w.text(&obj, "library_gets", &a.library_gets)?;
            w.text(&obj, "partner_gets", &a.partner_gets)?;
            w.opt_str(&obj, "agreed_on", opt_date(a.agreed_on).as_deref())?;
            w.opt_str(&obj, "review_on", opt_date(a.review_on).as_deref())?;
        }
        let objs =
            w.items(&root, "evaluations", &self.evaluations.iter().map(|e| e.id.as_str()).collect::<Vec<_>>())?;
        for (e, obj) in self.evaluations.iter().zip(objs) {
            w.opt_str(&obj, "on", opt_date(Some(e.on)).as_deref())?;
            w.opt_str(&obj, "by", e.by.map(|b| b.to_string()).as_deref())?;
            w.slug(&obj, "rating", Some(e.rating))?;
            w.text(&obj, "note", &e.note)?;
        }
        w.i64(&root, "created_at", Some(self.created_at.timestamp_millis()))?;
        w.bool(&root, "deleted", self.deleted)
    }

    fn read<D: DocView>(id: RecordId, r: &mut Reader<'_, D>) -> Result<Self, DocError> {
        let mut contacts = vec![];
        for (cid, obj) in r.items(&ROOT, "contacts")? {
            let p = format!("contacts.{cid}");
            contacts.push(Contact {
                name: r.sealed(&format!("{p}.name"), &obj, "name")?.unwrap_or_default(),
                role: r.str(&format!("{p}.role"), &obj, "role")?,
                phone: r.sealed(&format!("{p}.phone"), &obj, "phone")?,
                email: r.sealed(&format!("{p}.email"), &obj, "email")?,
                basis: r.parsed(&format!("{p}.basis"), &obj, "basis")?,
                id: cid,
            });
        }
        let mut agreements = vec![];
        for (aid, obj) in r.items(&ROOT, "agreements")? {
            let p = format!("agreements.{aid}");
            let agreed = r.opt_str(&p, &obj, "agreed_on")?;
            let review = r.opt_str(&p, &obj, "review_on")?;
            agreements.push(Agreement {
                title: r.str(&format!("{p}.title"), &obj, "title")?,
                expectations: r.text(&p, &obj, "expectations")?,
                roles: r.text(&p, &obj, "roles")?,
                resources: r.text(&p, &obj, "resources")?,
                results: r.text(&p, &obj, "results")?,
                library_gets: r.text(&p, &obj, "library_gets")?,
                partner_gets: r.text(&p, &obj, "partner_gets")?,
                agreed_on: parse_date(&p, agreed)?,
                review_on: parse_date(&p, review)?,
                id: aid,
            });
        }
        let mut evaluations = vec![];
        for (eid, obj) in r.items(&ROOT, "evaluations")? {
            let p = format!("evaluations.{eid}");
            let on = r.opt_str(&p, &obj, "on")?;
            evaluations.push(Evaluation {
                on: parse_date(&p, on)?.ok_or(DocError::Missing { field: format!("{p}.on") })?,
                by: r.parsed(&format!("{p}.by"), &obj, "by")?,
                rating: r.required(&format!("{p}.rating"), &obj, "rating")?,
                note: r.text(&p, &obj, "note")?,
                id: eid,
            });
        }
        let level_history =
            r.list_maps(&ROOT, "level_history")?.into_iter().map(|obj| read_move(r, &obj)).collect::<Result<_, _>>()?;
        Ok(Partner {
            id,
            name: r.sealed("name", &ROOT, "name")?.unwrap_or_default(),
            kind: r.required("kind", &ROOT, "kind")?,
            level: r.required("level", &ROOT, "level")?,
            level_history,
            contacts,
            phone: r.sealed("phone", &ROOT, "phone")?,
            email: r.sealed("email", &ROOT, "email")?,
            place: r.str("place", &ROOT, "place")?,
            tags: r.set(&ROOT, "tags")?,
            note: r.text("note", &ROOT, "note")?,
            personal_note: r.sealed("personal_note", &ROOT, "personal_note")?.unwrap_or_default(),
            agreements,
            evaluations,
            created_at: from_ms(r.i64("created_at", &ROOT, "created_at")?.unwrap_or(0)),
            deleted: r.bool("deleted", &ROOT, "deleted")?,
        })
    }
}

/// Appends the moves the document does not hold yet. Appends to a list
/// merge, so two colleagues' concurrent moves both stay in the history.
fn append_level_moves<W: Sink>(w: &mut W, p: &Partner) -> Result<(), DocError> {
    let root = w.root();
    let stored = w.list_len(&root, "level_history")?;
    for m in p.level_history.iter().skip(stored) {
        let obj = w.append_map(&root, "level_history")?;
        w.i64(&obj, "at", Some(m.at.timestamp_millis()))?;
        w.slug(&obj, "from", m.from)?;
        w.slug(&obj, "to", Some(m.to))?;
        w.opt_str(&obj, "by", m.by.map(|b| b.to_string()).as_deref())?;
    }
    Ok(())
}

fn read_move<D: DocView>(r: &mut Reader<'_, D>, obj: &ObjId) -> Result<LevelMove, DocError> {
    Ok(LevelMove {
        at: from_ms(r.i64("level_history.at", obj, "at")?.unwrap_or(0)),
        from: r.parsed("level_history.from", obj, "from")?,
        to: r.required("level_history.to", obj, "to")?,
        by: r.parsed("level_history.by", obj, "by")?,
    })
}
