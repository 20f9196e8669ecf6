//! The words exports write for the domain's values and columns, in Norsk
//! bokmål, Dansk and English, as the app names them (ui/src/lib/i18n/labels.ts).
//! Slugs stay available (`--slugs`) for machines.

use crate::i18n::Language;
use crate::import::partners::{kind_word, level_word};
use crate::model::*;

/// (what, slug, nb, da, en) for every value that is not a partner kind or level.
const VALUES: &[(&str, &str, &str, &str, &str)] = &[
    ("perspective", "co-creative", "Samskapende", "Samskabende", "Co-creative"),
    ("perspective", "professional", "Faglig", "Fagligt", "Professional"),
    ("perspective", "authority", "Myndighet", "Myndighed", "Authority"),
    ("perspective", "service", "Service", "Servicerende", "Service"),
    ("counterpart", "citizen", "Innbygger", "Borger", "Citizen"),
    ("counterpart", "association", "Lag og forening", "Forening", "Association"),
    ("counterpart", "volunteer", "Frivillig", "Frivillig", "Volunteer"),
    ("counterpart", "business", "Næringsliv", "Erhvervsliv", "Business"),
    ("counterpart", "municipal-department", "Kommunal etat", "Kommunal forvaltning", "Municipal department"),
    ("counterpart", "school", "Skole", "Skole", "School"),
    ("counterpart", "public-body", "Offentlig instans", "Offentlig myndighed", "Public body"),
    ("initiative", "citizen", "Innbygger/partner", "Borger/partner", "Citizen/partner"),
    ("initiative", "library", "Biblioteket", "Biblioteket", "The library"),
    ("role", "active", "Aktiv medskaper", "Aktiv medskaber", "Active co-creator"),
    ("role", "facilitating", "Tilrettelegger", "Faciliterende", "Facilitating"),
    ("status", "idea", "Idé", "Idé", "Idea"),
    ("status", "planned", "Planlagt", "Planlagt", "Planned"),
    ("status", "running", "Pågår", "I gang", "Running"),
    ("status", "ended", "Avsluttet", "Afsluttet", "Ended"),
    ("status", "dropped", "Droppet", "Droppet", "Dropped"),
    ("outcome", "new-activity", "Ny aktivitet", "Ny aktivitet", "New activity"),
    ("outcome", "grew-network", "Større nettverk", "Større netværk", "Grew the network"),
    ("outcome", "visibility", "Synlighet", "Synlighed", "Visibility"),
    ("outcome", "invitation", "Invitasjon", "Invitation", "Invitation"),
    ("outcome", "new-volunteer", "Ny frivillig", "Ny frivillig", "New volunteer"),
];

fn pick(lang: Language, nb: &'static str, da: &'static str, en: &'static str) -> &'static str {
    match lang {
        Language::Nb => nb,
        Language::Da => da,
        Language::En => en,
    }
}

/// A value as the reader calls it ("Kommunal etat"), the slug if it has no word.
pub fn word<T: Slug + 'static>(v: T, lang: Language) -> &'static str {
    let any: &dyn std::any::Any = &v;
    if let Some(k) = any.downcast_ref::<PartnerKind>() {
        return kind_word(*k, lang);
    }
    if let Some(l) = any.downcast_ref::<Level>() {
        return level_word(*l, lang);
    }
    VALUES
        .iter()
        .find(|(what, slug, ..)| *what == T::WHAT && *slug == v.slug())
        .map_or(v.slug(), |(_, _, nb, da, en)| pick(lang, nb, da, en))
}

pub fn yes_no(b: bool, lang: Language) -> &'static str {
    match b {
        true => pick(lang, "Ja", "Ja", "Yes"),
        false => pick(lang, "Nei", "Nej", "No"),
    }
}

/// (key, nb, da, en) for every column an export writes. The partner
/// columns are words the importer reads back as the same fields.
const COLUMNS: &[(&str, &str, &str, &str)] = &[
    ("id", "ID", "ID", "ID"),
    ("when_utc", "Tidspunkt (UTC)", "Tidspunkt (UTC)", "When (UTC)"),
    ("place", "Sted", "Sted", "Place"),
    ("outside", "Utenfor biblioteksrommet", "Uden for biblioteksrummet", "Outside the library room"),
    ("branch", "Avdeling", "Afdeling", "Branch"),
    ("staff", "Ansatt", "Medarbejder", "Staff member"),
    ("perspective", "Perspektiv", "Perspektiv", "Perspective"),
    ("counterpart", "Møtte", "Mødte", "Met"),
    ("initiative", "Initiativ", "Initiativ", "Initiative"),
    ("role", "Bibliotekets rolle", "Bibliotekets rolle", "Library's role"),
    ("outcomes", "Førte til", "Førte til", "Led to"),
    ("partners", "Partnere", "Partnere", "Partners"),
    ("tags", "Stikkord", "Emneord", "Tags"),
    ("note_start", "Notat (begynnelse)", "Note (begyndelse)", "Note (start)"),
    ("note", "Notat", "Note", "Note"),
    ("name", "Navn", "Navn", "Name"),
    ("kind", "Type", "Type", "Kind"),
    ("level", "Nivå", "Niveau", "Level"),
    ("created", "Opprettet", "Oprettet", "Created"),
    ("encounters", "Møter", "Møder", "Encounters"),
    ("level_moves", "Flytt i nettverkssirkelen", "Skift i netværkscirklen", "Moves on the network circle"),
    ("phone", "Telefon", "Telefon", "Phone"),
    ("email", "E-post", "E-mail", "E-mail"),
    ("contacts", "Kontaktpersoner", "Kontaktpersoner", "Contacts"),
    ("personal_note", "Personlig notat", "Personlig note", "Personal note"),
    ("title", "Tittel", "Titel", "Title"),
    ("status", "Status", "Status", "Status"),
    ("extra_resources", "Ekstra ressurser", "Ekstra ressourcer", "Extra resources"),
    ("origin_encounters", "Møter det startet i", "Møder, det startede i", "Encounters it started in"),
    ("figure", "Tall", "Tal", "Figure"),
    ("key", "Nøkkel", "Nøgle", "Key"),
    ("value", "Verdi", "Værdi", "Value"),
];

/// A column's header in the reader's language (the key when unknown).
pub fn header(key: &'static str, lang: Language) -> &'static str {
    COLUMNS.iter().find(|(k, ..)| *k == key).map_or(key, |(_, nb, da, en)| pick(lang, nb, da, en))
}

/// A sheet's name in the reader's language.
pub fn sheet(name: &'static str, lang: Language) -> &'static str {
    match name {
        "encounters" => pick(lang, "Møter", "Møder", "Encounters"),
        "partners" => pick(lang, "Partnere", "Partnere", "Partners"),
        "activities" => pick(lang, "Aktiviteter", "Aktiviteter", "Activities"),
        "report" => pick(lang, "Rapport", "Rapport", "Report"),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::vocab::{kind_of, level_of, Meaning};

    #[test]
    fn every_value_has_a_word_in_every_language() {
        for lang in Language::ALL {
            for v in Perspective::ALL {
                assert_ne!(word(*v, *lang), v.slug(), "{v:?}");
            }
            for v in CounterpartKind::ALL {
                assert_ne!(word(*v, *lang), v.slug());
            }
            for v in ActivityStatus::ALL {
                assert_ne!(word(*v, *lang), v.slug());
            }
            for v in Outcome::ALL {
                assert_ne!(word(*v, *lang), v.slug());
            }
        }
    }

    #[test]
    fn the_importer_reads_the_words_exports_write() {
        for lang in Language::ALL {
            for k in PartnerKind::ALL {
                assert_eq!(kind_of(word(*k, *lang)), Meaning::Is(*k), "{k:?} in {lang:?}");
            }
            for l in Level::ALL {
                assert_eq!(level_of(word(*l, *lang)), Meaning::Is(*l));
            }
        }
    }
}
