//! The names errors give to fields, kinds of value and kinds of record.
//! The core names them in English (`ValidationError::Empty { field: "name" }`);
//! these tables say them in Bokmål and Danish. A name not listed here is shown
//! as it is, so a new field still gives a readable, if English, word.

use super::Language;

/// (English, Bokmål, Danish), lower case as they sit inside a sentence.
const NOUNS: &[(&str, &str, &str)] = &[
    // Fields that are checked before a record is written.
    ("name", "navn", "navn"),
    ("place", "sted", "sted"),
    ("branch", "avdeling", "afdeling"),
    ("idea", "idé", "idé"),
    ("note", "notat", "note"),
    ("personal note", "personlig notat", "personlig note"),
    ("tag", "stikkord", "nøgleord"),
    ("title", "tittel", "titel"),
    ("follow-up text", "oppfølgingstekst", "opfølgningstekst"),
    ("contact", "kontaktperson", "kontaktperson"),
    ("contact person", "kontaktperson", "kontaktperson"),
    ("agreement", "avtale", "aftale"),
    ("evaluation", "evaluering", "evaluering"),
    ("contact name", "navn på kontaktperson", "kontaktpersonens navn"),
    ("contact role", "rollen til kontaktpersonen", "kontaktpersonens rolle"),
    ("agreement title", "tittel på avtalen", "aftalens titel"),
    ("staff name", "navn på den ansatte", "medarbejderens navn"),
    ("retention period", "lagringstid", "opbevaringsperiode"),
    // Kinds of value (the `WHAT` of every slug enum).
    ("perspective", "perspektiv", "perspektiv"),
    ("counterpart", "hvem du møtte", "hvem du mødte"),
    ("partner kind", "type partner", "partnertype"),
    ("level", "nivå", "niveau"),
    ("initiative", "initiativ", "initiativ"),
    ("role", "rolle", "rolle"),
    ("status", "status", "status"),
    ("outcome", "resultat", "resultat"),
    ("degree", "grad", "grad"),
    ("consent basis", "behandlingsgrunnlag", "behandlingsgrundlag"),
    ("record kind", "posttype", "posttype"),
    ("language", "språk", "sprog"),
    // Fields a record document must hold.
    ("when", "tidspunkt", "tidspunkt"),
    ("kind", "type", "type"),
    ("type", "type", "type"),
    // What a document field should hold.
    ("a value", "en verdi", "en værdi"),
    ("text", "tekst", "tekst"),
    ("a number", "et tall", "et tal"),
    ("yes or no", "ja eller nei", "ja eller nej"),
    ("a sealed value", "en forseglet verdi", "en forseglet værdi"),
    ("a map", "en samling felt", "en samling felter"),
    // Formats.
    ("NAME;ROLE;PHONE;EMAIL", "NAVN;ROLLE;TELEFON;E-POST", "NAVN;ROLLE;TELEFON;E-MAIL"),
    ("at least 1 month", "minst 1 måned", "mindst 1 måned"),
];

/// A field or value name in `lang`; unknown names come back unchanged.
pub fn noun(english: &str, lang: Language) -> String {
    let found = NOUNS.iter().find(|(en, _, _)| *en == english);
    match (found, lang) {
        (Some((_, nb, _)), Language::Nb) => nb.to_string(),
        (Some((_, _, da)), Language::Da) => da.to_string(),
        _ => english.to_string(),
    }
}

/// "an encounter", "a partner": for English messages.
pub fn with_article(noun: &str) -> String {
    let vowel = noun.chars().next().is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

/// A kind of record with its article ("et møte", "en partner"), for
/// sentences such as "the record is an encounter, not a partner".
pub fn record_with_article(kind: &str, lang: Language) -> String {
    let said = match (kind, lang) {
        ("encounter", Language::Nb) => "et møte",
        ("encounter", Language::Da) => "et møde",
        ("partner", Language::Nb | Language::Da) => "en partner",
        ("activity", Language::Nb | Language::Da) => "en aktivitet",
        ("staff", Language::Nb) => "en ansatt",
        ("staff", Language::Da) => "en medarbejder",
        (other, Language::En) => return with_article(other),
        (other, _) => other,
    };
    said.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    /// Every kind of value the core can name in an error has its words.
    #[test]
    fn every_value_kind_has_words() {
        for what in [
            Perspective::WHAT,
            CounterpartKind::WHAT,
            PartnerKind::WHAT,
            Level::WHAT,
            Initiative::WHAT,
            Role::WHAT,
            ActivityStatus::WHAT,
            Outcome::WHAT,
            Degree::WHAT,
            ConsentBasis::WHAT,
            RecordKind::WHAT,
            Language::WHAT,
        ] {
            assert!(NOUNS.iter().any(|(en, _, _)| *en == what), "no words for {what}");
        }
        for kind in RecordKind::ALL {
            assert_ne!(record_with_article(kind.slug(), Language::Nb), kind.slug());
            assert_ne!(record_with_article(kind.slug(), Language::Da), kind.slug());
        }
        assert_eq!(record_with_article("encounter", Language::En), "an encounter");
    }
}
