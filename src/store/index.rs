//! Materializes index rows from a record document. Called inside the same
//! transaction that appended the document's chunk.

use automerge::Automerge;
use rusqlite::{params, Connection};

use super::Result;
use crate::doc::{self, RecordKey, Sealer};
use crate::model::*;

/// Characters of an encounter's note kept in the index for list rows.
const PREVIEW_CHARS: usize = 120;

/// Rebuilds every index row of one document.
pub fn reindex(conn: &Connection, rowid: i64, id: RecordId, d: &Automerge, key: Option<&RecordKey>) -> Result<()> {
    let sealer = key.map(|k| Sealer::new(k, id));
    let sealer = sealer.as_ref();
    conn.execute("DELETE FROM search WHERE rowid = ?1", [rowid])?;
    match doc::kind_of(d)? {
        RecordKind::Encounter => {
            conn.execute("DELETE FROM encounters WHERE rowid = ?1", [rowid])?;
            conn.execute("DELETE FROM encounter_partners WHERE encounter = ?1", [rowid])?;
            let e = doc::read::<Encounter, _>(d, id, sealer)?.record;
            if !e.deleted {
                index_encounter(conn, rowid, &e)?;
            }
        }
        RecordKind::Partner => {
            conn.execute("DELETE FROM partners WHERE rowid = ?1", [rowid])?;
            conn.execute("DELETE FROM partner_moves WHERE partner = ?1", [rowid])?;
            let p = doc::read::<Partner, _>(d, id, sealer)?.record;
            if !p.deleted {
                index_partner(conn, rowid, &p)?;
            }
        }
        RecordKind::Activity => {
            conn.execute("DELETE FROM activities WHERE rowid = ?1", [rowid])?;
            conn.execute("DELETE FROM activity_links WHERE activity = ?1", [rowid])?;
            let a = doc::read::<Activity, _>(d, id, sealer)?.record;
            if !a.deleted {
                index_activity(conn, rowid, &a)?;
            }
        }
        RecordKind::Staff => {
            conn.execute("DELETE FROM staff WHERE rowid = ?1", [rowid])?;
            let s = doc::read::<StaffMember, _>(d, id, sealer)?.record;
            if !s.deleted {
                conn.execute("INSERT INTO staff(rowid, name, branch) VALUES (?1, ?2, ?3)", params![rowid, s.name, s.branch])?;
            }
        }
    }
    Ok(())
}

fn search_row(conn: &Connection, rowid: i64, parts: &[&str]) -> Result<()> {
    let body = parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("\n");
    conn.prepare_cached("INSERT INTO search(rowid, body) VALUES (?1, ?2)")?.execute(params![rowid, body])?;
    Ok(())
}

fn preview(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(PREVIEW_CHARS) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn index_encounter(conn: &Connection, rowid: i64, e: &Encounter) -> Result<()> {
    let text = if e.note.is_empty() { &e.idea } else { &e.note };
    conn.prepare_cached(
        "INSERT INTO encounters(rowid, when_ms, staff, branch, place, outside, perspective, counterpart,
             initiative, role, new_activity, preview, tags)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        rowid,
        e.when.timestamp_millis(),
        e.staff.map(|s| s.as_bytes().to_vec()),
        e.branch,
        e.place,
        e.outside,
        e.perspective.code(),
        e.counterpart.code(),
        e.initiative.map(Slug::code),
        e.role.map(Slug::code),
        e.outcomes.contains(&Outcome::NewActivity),
        preview(text),
        e.tags.join(" "),
    ])?;
    let mut link = conn.prepare_cached("INSERT OR IGNORE INTO encounter_partners(partner, encounter) VALUES (?1, ?2)")?;
    for p in &e.partners {
        link.execute(params![p.as_bytes(), rowid])?;
    }
    let follow_ups: Vec<&str> = e.follow_ups.iter().map(|f| f.text.as_str()).collect();
    let tags = e.tags.join(" ");
    let follow_ups = follow_ups.join("\n");
    search_row(conn, rowid, &[&e.place, &e.idea, &e.note, &tags, &follow_ups, &e.branch])
}

fn index_partner(conn: &Connection, rowid: i64, p: &Partner) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO partners(rowid, name, kind, level, place, tags, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![rowid, p.name, p.kind.code(), p.level.code(), p.place, p.tags.join(" "), p.created_at.timestamp_millis()])?;
    let mut mv = conn.prepare_cached("INSERT INTO partner_moves(partner, at_ms, from_level, to_level) VALUES (?1, ?2, ?3, ?4)")?;
    for m in &p.level_history {
        mv.execute(params![rowid, m.at.timestamp_millis(), m.from.map(Slug::code), m.to.code()])?;
    }
    let contacts: Vec<String> = p.contacts.iter().map(|c| format!("{} {}", c.name, c.role)).collect();
    let agreements: Vec<&str> = p.agreements.iter().map(|a| a.title.as_str()).collect();
    let (tags, contacts, agreements) = (p.tags.join(" "), contacts.join("\n"), agreements.join("\n"));
    search_row(conn, rowid, &[&p.name, &p.place, &tags, &p.note, &contacts, &agreements])
}

fn index_activity(conn: &Connection, rowid: i64, a: &Activity) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO activities(rowid, title, status, outside, extra_resources, place, tags, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![rowid, a.title, a.status.code(), a.outside, a.extra_resources, a.place, a.tags.join(" "), a.created_at.timestamp_millis()])?;
    let mut link = conn.prepare_cached("INSERT OR IGNORE INTO activity_links(target, activity, kind) VALUES (?1, ?2, ?3)")?;
    for p in &a.partners {
        link.execute(params![p.as_bytes(), rowid, 1])?;
    }
    for e in &a.from_encounters {
        link.execute(params![e.as_bytes(), rowid, 2])?;
    }
    let tags = a.tags.join(" ");
    search_row(conn, rowid, &[&a.title, &a.place, &a.note, &tags])
}

#[cfg(test)]
mod tests {
    #[test]
    fn preview_cuts_on_character_boundaries() {
        let long = "å".repeat(200);
        let p = super::preview(&long);
        assert_eq!(p.chars().count(), super::PREVIEW_CHARS + 1);
        assert!(p.ends_with('…'));
        assert_eq!(super::preview(" kort "), "kort");
    }
}
