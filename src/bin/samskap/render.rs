//! Text and JSON output.

use anyhow::Result;
use samskap::doc::{Conflict, Loaded};
use samskap::model::*;
use samskap::store::*;

pub fn json<T: serde::Serialize + ?Sized>(v: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// `add` prints the new id alone, in text and JSON mode alike.
pub fn created(id: RecordId, json_mode: bool) -> Result<()> {
    if json_mode {
        json(&serde_json::json!({ "id": id }))
    } else {
        println!("{id}");
        Ok(())
    }
}

fn line(label: &str, value: impl std::fmt::Display) {
    let v = value.to_string();
    if !v.is_empty() {
        println!("  {label:<14}{v}");
    }
}

fn conflicts(c: &[Conflict]) {
    for c in c {
        println!("  ! conflict in {}: {}", c.field, c.values.join("  |  "));
    }
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

pub fn partner(store: &Store, p: &Loaded<Partner>) -> Result<()> {
    let r = &p.record;
    println!("{}{}", r.name, if r.deleted { "  (deleted)" } else { "" });
    line("id", r.id);
    line("kind", r.kind);
    line("level", r.level);
    line("place", &r.place);
    line("phone", opt(&r.phone));
    line("e-mail", opt(&r.email));
    line("tags", r.tags.join(", "));
    for c in &r.contacts {
        let parts: Vec<&str> = [Some(c.role.as_str()), c.phone.as_deref(), c.email.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        line("contact", format!("{} ({})", c.name, parts.join(", ")));
    }
    line("note", &r.note);
    for m in &r.level_history {
        let from = m.from.map(|f| format!("{f} → ")).unwrap_or_default();
        line("moved", format!("{} {from}{}", m.at.format("%Y-%m-%d"), m.to));
    }
    for a in &r.agreements {
        line("agreement", &a.title);
    }
    if p.redacted {
        println!("  (personal fields were erased)");
    }
    conflicts(&p.conflicts);
    let linked =
        store.list_encounters(&EncounterQuery { partner: Some(r.id), limit: Some(5), ..Default::default() })?;
    for e in linked {
        line("encounter", format!("{} {} {}", e.when.format("%Y-%m-%d"), e.perspective, e.place));
    }
    Ok(())
}

pub fn encounter(e: &Loaded<Encounter>) -> Result<()> {
    let r = &e.record;
    println!(
        "{} · {} · {}{}",
        r.when.format("%Y-%m-%d %H:%M"),
        r.perspective,
        r.counterpart,
        if r.deleted { "  (deleted)" } else { "" }
    );
    line("id", r.id);
    line("place", format!("{}{}", r.place, if r.outside { " (outside the library)" } else { "" }));
    line("branch", &r.branch);
    line("initiative", opt(&r.initiative));
    line("role", opt(&r.role));
    line("idea", &r.idea);
    line("note", &r.note);
    line("tags", r.tags.join(", "));
    for f in &r.follow_ups {
        line("follow-up", format!("{}{}", f.text, f.due.map(|d| format!(" (by {d})")).unwrap_or_default()));
    }
    for p in &r.partners {
        line("partner", p);
    }
    conflicts(&e.conflicts);
    Ok(())
}

pub fn activity(a: &Loaded<Activity>) -> Result<()> {
    let r = &a.record;
    println!("{} [{}]{}", r.title, r.status, if r.deleted { "  (deleted)" } else { "" });
    line("id", r.id);
    line("place", format!("{}{}", r.place, if r.outside { " (outside the library)" } else { "" }));
    line("extra resources", r.extra_resources.map(|b| if b { "yes" } else { "no" }).unwrap_or(""));
    line("note", &r.note);
    line("tags", r.tags.join(", "));
    conflicts(&a.conflicts);
    Ok(())
}

pub fn encounter_rows(rows: &[EncounterRow]) -> Result<()> {
    for r in rows {
        println!(
            "{}  {}  {:<13} {:<20} {}  {}",
            r.id,
            r.when.format("%Y-%m-%d"),
            r.perspective.to_string(),
            r.counterpart.to_string(),
            r.place,
            r.preview
        );
    }
    Ok(())
}

pub fn partner_rows(rows: &[PartnerRow]) -> Result<()> {
    for r in rows {
        println!("{}  {:<13} {:<20} {}  {}", r.id, r.level.to_string(), r.kind.to_string(), r.name, r.place);
    }
    Ok(())
}

pub fn activity_rows(rows: &[ActivityRow]) -> Result<()> {
    for r in rows {
        println!("{}  {:<8} {}{}", r.id, r.status.to_string(), r.title, if r.outside { " (outside)" } else { "" });
    }
    Ok(())
}

pub fn search(hits: &[SearchHit]) -> Result<()> {
    if hits.is_empty() {
        eprintln!("No matches.");
    }
    for h in hits {
        println!("{}  {:<9} {}  {}", h.id, h.kind.to_string(), h.title, h.detail);
    }
    Ok(())
}

pub fn bench(r: &samskap::bench::BenchReport) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(r)?);
    Ok(())
}
