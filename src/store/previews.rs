//! An encounter's preview line, the start of its note (or of its idea when
//! it has no note), read from its document when a list shows it.
//!
//! The index kept it in every encounter's row until layout 13: about 66
//! bytes, the row's largest column and a tenth of a store of a million
//! records. A timeline page reads its 50 documents instead, each one
//! change straight from its chunk (`ChangeView`); an export reads them all,
//! a few thousand at a time on every core.

use rusqlite::{params_from_iter, Connection};

use super::index::AnyRecord;
use super::replica::{pending_row, read_records};
use super::Result;

/// Characters of a note a list shows.
pub const PREVIEW_CHARS: usize = 64;

/// Documents read at a time by [`previews`] (their chunks are in memory together).
const BATCH: usize = 4096;

/// The start of `s`, cut on a character boundary, with "…" when cut.
pub(super) fn preview(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(PREVIEW_CHARS) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The previews of these encounters (by rowid), in the same order: empty
/// for one that is not an encounter this version can read.
pub(super) fn previews(conn: &Connection, dir: &std::path::Path, rowids: &[i64]) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(rowids.len());
    for batch in rowids.chunks(BATCH) {
        let marks = vec!["?"; batch.len()].join(",");
        let sql = format!(
            "SELECT d.rowid, d.id, d.kind, k.key FROM docs d LEFT JOIN record_keys k ON k.doc = d.rowid
             WHERE d.rowid IN ({marks})"
        );
        let rows = conn
            .prepare(&sql)?
            .query_map(params_from_iter(batch), pending_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut read: std::collections::HashMap<i64, String> = read_records(conn, dir, rows)?
            .into_iter()
            .filter_map(|(rowid, rec)| match rec {
                Some(AnyRecord::Encounter(e)) => {
                    Some((rowid, preview(if e.note.is_empty() { &e.idea } else { &e.note })))
                }
                _ => None,
            })
            .collect();
        out.extend(batch.iter().map(|r| read.remove(r).unwrap_or_default()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::model::*;

    #[test]
    fn previews_are_read_from_the_documents_many_at_once_or_one_by_one() {
        let (dir, mut s) = crate::testing::temp_store("Ingrid Haugen", "Vadsø");
        let notes: Vec<String> = (0..300).map(|i| format!("Møte nummer {i} {}", "ord ".repeat(i % 30))).collect();
        let encounters: Vec<Encounter> = notes
            .iter()
            .map(|n| {
                let mut e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
                e.note = n.clone();
                e
            })
            .collect();
        s.create_many(encounters).unwrap();
        let rowids: Vec<i64> = s
            .conn()
            .prepare("SELECT rowid FROM encounters ORDER BY rowid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let expected: Vec<String> = notes.iter().map(|n| super::preview(n)).collect();
        // 300 close together: one pass over their range.
        assert_eq!(super::previews(s.conn(), dir.path(), &rowids).unwrap(), expected);
        // Every tenth, newest first, and one that is no encounter: one by one.
        let mut some: Vec<i64> = rowids.iter().rev().step_by(10).copied().collect();
        some.push(-1);
        let mut want: Vec<String> = expected.iter().rev().step_by(10).cloned().collect();
        want.push(String::new());
        assert_eq!(super::previews(s.conn(), dir.path(), &some).unwrap(), want);
    }

    #[test]
    fn preview_cuts_on_character_boundaries() {
        let long = "å".repeat(200);
        let p = super::preview(&long);
        assert_eq!(p.chars().count(), super::PREVIEW_CHARS + 1);
        assert!(p.ends_with('…'));
        assert_eq!(super::preview(" kort "), "kort");
    }
}
