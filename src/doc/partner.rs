use automerge::{ObjId, ROOT};

use super::view::DocView;

use super::{from_ms, opt_date, parse_date, DocError, Reader, Record, Sink};
use crate::model::*;

impl Record for Partner {
    const KIND: RecordKind = RecordKind::Partner;
    const PERSONAL: bool = true;

    id_and_deleted_fields!();

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
        // A set, written only once merged: two tablets merging the same pair
        // add the same member instead of conflicting over one value, and
        // partners that were never merged keep their documents as they were.
        if let Some(into) = self.merged_into {
            w.set(&root, "merged_into", &[into.to_string()])?;
        }
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
            let agreed = r.opt_str(&format!("{p}.agreed_on"), &obj, "agreed_on")?;
            let review = r.opt_str(&format!("{p}.review_on"), &obj, "review_on")?;
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
            let on = r.opt_str(&format!("{p}.on"), &obj, "on")?;
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
            // Merged into two partners at once (two tablets): the smallest id, on every replica.
            merged_into: r.set(&ROOT, "merged_into")?.iter().filter_map(|s| s.parse().ok()).min(),
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

#[cfg(test)]
mod tests {
    use automerge::{ActorId, Automerge};
    use chrono::NaiveDate;

    use crate::conflicts::{apply, Choice};
    use crate::doc::{new_doc, read, write, ChangeMeta, Loaded, RecordKey, Sealer};
    use crate::model::*;

    fn day(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    fn edit(doc: &mut Automerge, id: RecordId, sealer: &Sealer, f: impl FnOnce(&mut Partner)) {
        let mut p: Partner = read(doc, id, Some(sealer)).unwrap().record;
        f(&mut p);
        write(doc, &p, Some(sealer), &ChangeMeta::now(None), false).unwrap();
    }

    #[test]
    fn concurrent_agreement_dates_conflict_under_their_own_paths_and_settle() {
        let mut p = Partner::new("Čáhcesuolu bygdelag", PartnerKind::Association, Level::Partnership);
        p.agreements.push(Agreement {
            id: item_id(),
            title: "Språkkafé".into(),
            expectations: String::new(),
            roles: String::new(),
            resources: String::new(),
            results: String::new(),
            library_gets: String::new(),
            partner_gets: String::new(),
            agreed_on: day("2026-01-10"),
            review_on: day("2026-06-10"),
        });
        p.evaluations.push(Evaluation {
            id: item_id(),
            on: "2026-02-01".parse().unwrap(),
            by: None,
            rating: Degree::High,
            note: String::new(),
        });
        let (aid, eid) = (p.agreements[0].id.clone(), p.evaluations[0].id.clone());
        let key = RecordKey::generate();
        let sealer = Sealer::new(&key, p.id);
        let mut a = new_doc(&ActorId::from([1; 16]));
        write(&mut a, &p, Some(&sealer), &ChangeMeta::now(None), false).unwrap();
        let mut b = a.fork().with_actor(ActorId::from([2; 16]));

        edit(&mut a, p.id, &sealer, |p| {
            p.agreements[0].agreed_on = day("2026-01-11");
            p.agreements[0].review_on = day("2026-06-11");
            p.evaluations[0].on = "2026-02-02".parse().unwrap();
        });
        edit(&mut b, p.id, &sealer, |p| {
            p.agreements[0].agreed_on = day("2026-01-12");
            p.agreements[0].review_on = day("2026-06-12");
            p.evaluations[0].on = "2026-02-03".parse().unwrap();
        });
        a.merge(&mut b).unwrap();

        let merged: Loaded<Partner> = read(&a, p.id, Some(&sealer)).unwrap();
        let mut fields: Vec<&str> = merged.conflicts.iter().map(|c| c.field.as_str()).collect();
        fields.sort();
        let agreed = format!("agreements.{aid}.agreed_on");
        let review = format!("agreements.{aid}.review_on");
        let on = format!("evaluations.{eid}.on");
        let mut want = vec![agreed.as_str(), review.as_str(), on.as_str()];
        want.sort();
        assert_eq!(fields, want, "each date conflicts under its own path");
        for c in &merged.conflicts {
            let mut v = c.values.clone();
            v.sort();
            assert_eq!(v.len(), 2, "{c:?}");
        }

        // Choosing one value per date (different replicas' values) settles all three.
        let mut chosen = merged.record.clone();
        let choices = [
            Choice { field: agreed.clone(), value: "2026-01-11".into() },
            Choice { field: review.clone(), value: "2026-06-12".into() },
            Choice { field: on.clone(), value: "2026-02-03".into() },
        ];
        apply(&mut chosen, &choices).unwrap();
        write(&mut a, &chosen, Some(&sealer), &ChangeMeta::now(None), true).unwrap();
        let settled: Loaded<Partner> = read(&a, p.id, Some(&sealer)).unwrap();
        assert!(settled.conflicts.is_empty(), "{:?}", settled.conflicts);
        assert_eq!(settled.record.agreements[0].agreed_on, day("2026-01-11"));
        assert_eq!(settled.record.agreements[0].review_on, day("2026-06-12"));
        assert_eq!(settled.record.evaluations[0].on, "2026-02-03".parse::<NaiveDate>().unwrap());
    }
}
