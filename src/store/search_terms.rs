//! What a person typed, as a query of the search index: every word must
//! begin a word of the record, in any order.
//!
//! The index keeps no positions (`detail=none`, layout 13). FTS5 answers a
//! prefix query (`"bibliotek"*`) on such an index by merging the lists of
//! every term the prefix begins, two at a time and in full, before the
//! first row: 57 ms for a word in half the notes at a million records
//! (27 ms with positions). Naming the terms instead (`("bibliotek" OR
//! "biblioteket" OR …)`) lets it read their lists newest first and stop
//! after the page: under 1 ms, plus about 9 ms to find the terms in the
//! index's vocabulary (`fts5vocab`).
//!
//! The typed text is cut into words and folded (case, diacritics) by the
//! index's own tokenizer, through a table in the connection's memory, so
//! "Kafé" looks for the terms the index wrote for "kafe", and quotes or
//! operators typed are only text.

use rusqlite::{params, Connection};

use super::Result;

/// A word that begins more terms than this (one or two letters) is left
/// to FTS5's own prefix query.
const MAX_TERMS: usize = 64;

/// The tokenizer, exactly as the search index is made with (schema.rs).
const SETUP: &str = r#"
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.typed USING fts5(body, tokenize="unicode61 remove_diacritics 2");
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.typed_words USING fts5vocab(temp, typed, 'instance');
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, search, 'row');"#;

/// The MATCH expression for `text`; `None` when it holds no word, or a
/// word that begins no term in the index (nothing can match).
pub(crate) fn match_expr(conn: &Connection, text: &str) -> Result<Option<String>> {
    let words = typed_words(conn, text)?;
    if words.is_empty() {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT term FROM temp.search_terms WHERE term >= ?1 AND term <= ?1 || char(1114111) LIMIT ?2",
    )?;
    let mut parts = Vec::with_capacity(words.len());
    for word in &words {
        let terms: Vec<String> =
            stmt.query_map(params![word, MAX_TERMS as i64 + 1], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        parts.push(match terms.len() {
            0 => return Ok(None),
            n if n > MAX_TERMS => format!("{}*", quoted(word)),
            _ => format!("({})", terms.iter().map(|t| quoted(t)).collect::<Vec<_>>().join(" OR ")),
        });
    }
    Ok(Some(parts.join(" AND ")))
}

/// The words of `text` as the index's tokenizer makes them, in order, each once.
fn typed_words(conn: &Connection, text: &str) -> Result<Vec<String>> {
    conn.execute_batch(SETUP)?;
    conn.prepare_cached("INSERT INTO temp.typed(rowid, body) VALUES (1, ?1)")?.execute([text])?;
    let words: rusqlite::Result<Vec<String>> = conn
        .prepare_cached("SELECT term FROM temp.typed_words ORDER BY offset")?
        .query_map([], |r| r.get(0))?
        .collect();
    // Not kept: the next search starts empty, and typed names stay nowhere.
    conn.prepare_cached("DELETE FROM temp.typed")?.execute([])?;
    let mut words = words?;
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| seen.insert(w.clone()));
    Ok(words)
}

fn quoted(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::match_expr;
    use crate::model::*;

    #[test]
    fn typed_words_become_the_terms_they_begin() {
        let (_d, mut s) = crate::testing::temp_store("Ingrid Haugen", "Vadsø");
        for note in ["Biblioteket og bibliotekaren", "Strikkekafé", "E-post til \"OR\" NEAR laget"] {
            let mut e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
            e.note = note.into();
            s.create(&e).unwrap();
        }
        let m = |t: &str| match_expr(s.conn(), t).unwrap();
        // Folded by the index's tokenizer: case, diacritics, and cut at hyphens.
        assert_eq!(
            m("BIBLIO strikkekafé").as_deref(),
            Some(r#"("bibliotekaren" OR "biblioteket") AND ("strikkekafe")"#)
        );
        // A word must begin a word of the note.
        assert_eq!(m("kafé"), None);
        assert_eq!(m("strikke").as_deref(), Some(r#"("strikkekafe")"#));
        assert_eq!(m("e-po").as_deref(), Some(r#"("e") AND ("post")"#));
        // Operators typed are words; a word no term begins matches nothing.
        assert_eq!(m("\"or\" near(").as_deref(), Some(r#"("or") AND ("near")"#));
        assert_eq!(m("bibliotek sjokolade"), None);
        assert_eq!(m("  - * "), None);
        // The expression finds what FTS5's own prefix query finds.
        let rows = |q: &str| {
            let mut stmt = s.conn().prepare("SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid").unwrap();
            stmt.query_map([q], |r| r.get::<_, i64>(0)).unwrap().collect::<rusqlite::Result<Vec<_>>>().unwrap()
        };
        for (typed, prefix) in
            [("biblio", "\"biblio\"*"), ("e-p", "\"e\"* \"p\"*"), ("strikkekafe", "\"strikkekafe\"*")]
        {
            assert_eq!(rows(&m(typed).unwrap()), rows(prefix), "{typed}");
        }
        assert!(s.conn().query_row("SELECT count(*) FROM temp.typed", [], |r| r.get::<_, i64>(0)).unwrap() == 0);
    }

    #[test]
    fn a_word_that_begins_very_many_terms_is_left_to_fts5() {
        let (_d, mut s) = crate::testing::temp_store("Ingrid Haugen", "Vadsø");
        let mut e = Encounter::new(Perspective::Service, CounterpartKind::Citizen);
        e.note = (0..super::MAX_TERMS + 1).map(|i| format!("ord{i}")).collect::<Vec<_>>().join(" ");
        s.create(&e).unwrap();
        assert_eq!(match_expr(s.conn(), "ord").unwrap().as_deref(), Some(r#""ord"*"#));
        assert_eq!(
            match_expr(s.conn(), "ord6").unwrap().as_deref(),
            Some(r#"("ord6" OR "ord60" OR "ord61" OR "ord62" OR "ord63" OR "ord64")"#)
        );
    }
}
