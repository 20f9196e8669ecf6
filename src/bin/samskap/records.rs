//! Record commands: turn arguments into an edit, hand it to the store, render.

use anyhow::Result;
use samskap::forms::PartnerItem;
use samskap::model::*;
use samskap::store::*;

use crate::args::*;
use crate::render;

fn add_unique<T: PartialEq + Clone>(list: &mut Vec<T>, add: &[T], remove: &[T]) {
    list.retain(|x| !remove.contains(x));
    for a in add {
        if !list.contains(a) {
            list.push(a.clone());
        }
    }
}

fn outside(current: bool, outside: bool, inside: bool) -> bool {
    if outside {
        true
    } else if inside {
        false
    } else {
        current
    }
}

fn apply_partner(p: &mut Partner, f: &PartnerFields) -> Result<()> {
    for c in &f.contact {
        p.contacts.push(Contact::parse_line(c)?);
    }
    if let Some(v) = &f.phone {
        p.phone = Some(v.clone()).filter(|v| !v.is_empty());
    }
    if let Some(v) = &f.email {
        p.email = Some(v.clone()).filter(|v| !v.is_empty());
    }
    if let Some(v) = &f.place {
        p.place = v.clone();
    }
    if let Some(v) = &f.note {
        p.note = v.clone();
    }
    if let Some(v) = &f.personal_note {
        p.personal_note = v.clone();
    }
    for id in &f.remove_agreement {
        if !PartnerItem::Agreement.remove(p, id) {
            anyhow::bail!("the partner has no agreement {id}");
        }
    }
    for id in &f.remove_evaluation {
        if !PartnerItem::Evaluation.remove(p, id) {
            anyhow::bail!("the partner has no evaluation {id}");
        }
    }
    add_unique(&mut p.tags, &f.tag, &f.remove_tag);
    Ok(())
}

fn apply_encounter(e: &mut Encounter, f: &EncounterFields) -> Result<()> {
    add_unique(&mut e.partners, &f.partner, &f.remove_partner);
    if let Some(v) = &f.place {
        e.place = v.clone();
    }
    e.outside = outside(e.outside, f.outside, f.inside);
    if f.initiative.is_some() {
        e.initiative = f.initiative;
    }
    if f.role.is_some() {
        e.role = f.role;
    }
    if let Some(w) = &f.when {
        e.when = parse_time(w)?;
    }
    if let Some(v) = &f.idea {
        e.idea = v.clone();
    }
    if let Some(v) = &f.note {
        e.note = v.clone();
    }
    add_unique(&mut e.tags, &f.tag, &f.remove_tag);
    for line in &f.follow_up {
        e.follow_ups.push(FollowUp::parse_line(line)?);
    }
    add_unique(&mut e.outcomes, &f.outcome, &[]);
    Ok(())
}

fn apply_activity(a: &mut Activity, f: &ActivityFields) -> Result<()> {
    a.outside = outside(a.outside, f.outside, f.inside);
    if let Some(v) = &f.place {
        a.place = v.clone();
    }
    add_unique(&mut a.partners, &f.partner, &[]);
    add_unique(&mut a.from_encounters, &f.from_encounter, &[]);
    if let Some(v) = &f.extra_resources {
        a.extra_resources = Some(parse_yes_no(v)?);
    }
    if let Some(v) = &f.note {
        a.note = v.clone();
    }
    add_unique(&mut a.tags, &f.tag, &[]);
    Ok(())
}

/// Applies an edit that may fail on bad input to a copy first, so a
/// rejected command writes nothing.
fn update<R: samskap::doc::Record + Indexed>(
    store: &mut Store,
    id: RecordId,
    edit: impl FnOnce(&mut R) -> Result<()>,
) -> Result<samskap::doc::Loaded<R>> {
    let mut draft = store.get::<R>(id)?.record;
    edit(&mut draft)?;
    Ok(store.update::<R>(id, move |r| *r = draft)?)
}

pub fn partner(store: &mut Store, cmd: PartnerCmd, json: bool) -> Result<()> {
    match cmd {
        PartnerCmd::Add { name, kind, level, fields } => {
            let mut p = Partner::new(name, kind, level);
            p.level_history[0].by = store.me();
            apply_partner(&mut p, &fields)?;
            render::created(store.create(&p)?, json)
        }
        PartnerCmd::Update { id, name, kind, level, fields } => {
            let me = store.me();
            let p = update::<Partner>(store, id, |p| {
                if let Some(n) = name {
                    p.name = n;
                }
                if let Some(k) = kind {
                    p.kind = k;
                }
                if let Some(l) = level {
                    p.move_to(l, me, now());
                }
                apply_partner(p, &fields)
            })?;
            if json {
                render::json(&p)
            } else {
                render::partner(store, &p)
            }
        }
        PartnerCmd::Show { id } => {
            let p = store.get::<Partner>(id)?;
            if json {
                render::json(&p)
            } else {
                render::partner(store, &p)
            }
        }
        PartnerCmd::Merge { keep, drop } => {
            let moved = store.merge_partners(keep, drop)?;
            if json {
                render::json(&moved)
            } else {
                println!(
                    "Merged {drop} into {keep}: {} encounters, {} activities, {} agreements and {} evaluations moved.",
                    moved.encounters, moved.activities, moved.agreements, moved.evaluations
                );
                Ok(())
            }
        }
        PartnerCmd::List { level, kind, find, limit } => {
            let rows = store.list_partners(&PartnerQuery { level, kind, text: find, limit: Some(limit), offset: 0 })?;
            if json {
                render::json(&rows)
            } else {
                render::partner_rows(&rows)
            }
        }
    }
}

pub fn encounter(store: &mut Store, cmd: EncounterCmd, json: bool) -> Result<()> {
    match cmd {
        EncounterCmd::Add { perspective, counterpart, fields } => {
            let mut e = Encounter::new(perspective, counterpart);
            apply_encounter(&mut e, &fields)?;
            render::created(store.create(&e)?, json)
        }
        EncounterCmd::Update { id, perspective, counterpart, fields } => {
            let e = update::<Encounter>(store, id, |e| {
                if let Some(p) = perspective {
                    e.perspective = p;
                }
                if let Some(c) = counterpart {
                    e.counterpart = c;
                }
                apply_encounter(e, &fields)
            })?;
            if json {
                render::json(&e)
            } else {
                render::encounter(&e)
            }
        }
        EncounterCmd::Show { id } => {
            let e = store.get::<Encounter>(id)?;
            if json {
                render::json(&e)
            } else {
                render::encounter(&e)
            }
        }
        EncounterCmd::List { since, perspective, partner, place, find, limit } => {
            let since = since.as_deref().map(parse_time).transpose()?;
            let q = EncounterQuery {
                since,
                perspective,
                partner,
                place,
                text: find,
                limit: Some(limit),
                ..Default::default()
            };
            let rows = store.list_encounters(&q)?;
            if json {
                render::json(&rows)
            } else {
                render::encounter_rows(&rows)
            }
        }
    }
}

pub fn activity(store: &mut Store, cmd: ActivityCmd, json: bool) -> Result<()> {
    match cmd {
        ActivityCmd::Add { title, status, fields } => {
            let mut a = Activity::new(title, status);
            apply_activity(&mut a, &fields)?;
            render::created(store.create(&a)?, json)
        }
        ActivityCmd::Update { id, title, status, fields } => {
            let a = update::<Activity>(store, id, |a| {
                if let Some(t) = title {
                    a.title = t;
                }
                if let Some(s) = status {
                    a.status = s;
                }
                apply_activity(a, &fields)
            })?;
            if json {
                render::json(&a)
            } else {
                render::activity(&a)
            }
        }
        ActivityCmd::Show { id } => {
            let a = store.get::<Activity>(id)?;
            if json {
                render::json(&a)
            } else {
                render::activity(&a)
            }
        }
        ActivityCmd::List { status, partner, limit } => {
            let rows = store.list_activities(&ActivityQuery { status, partner, limit: Some(limit), offset: 0 })?;
            if json {
                render::json(&rows)
            } else {
                render::activity_rows(&rows)
            }
        }
    }
}

pub fn history(store: &Store, id: RecordId, json: bool) -> Result<()> {
    let history = match store.history(id) {
        // An erased record has no history left to show; say so plainly.
        Err(StoreError::Erased(_)) => return Err(crate::words::CliError::HistoryErased(id).into()),
        other => other?,
    };
    if json {
        render::json(&history)
    } else {
        render::history(&history)
    }
}

pub fn search(store: &Store, text: &str, limit: usize, json: bool) -> Result<()> {
    let hits = store.search(text, limit)?;
    if json {
        render::json(&hits)
    } else {
        render::search(&hits)
    }
}
