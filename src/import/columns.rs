//! Matching column headers by name, in Norwegian, Danish or English,
//! ignoring case, spaces, dots, dashes and underscores.

use serde::Serialize;

use super::ImportError;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Kind,
    Level,
    Phone,
    Email,
    Place,
    Contact,
    ContactRole,
    Tags,
    Note,
}

/// Accepted header names per field, already normalised (see [`normalise`]).
const NAMES: &[(Field, &[&str])] = &[
    (
        Field::Name,
        &[
            "navn",
            "name",
            "organisasjon",
            "organisation",
            "organization",
            "partner",
            "samarbeidspartner",
            "samarbejdspartner",
            "partnernavn",
            "forening",
        ],
    ),
    (Field::Kind, &["type", "kind", "art", "kategori", "category", "partnertype", "slags"]),
    (Field::Level, &["nivå", "niveau", "level", "nettverksnivå", "netværksniveau", "relasjon", "relation"]),
    (Field::Phone, &["telefon", "tlf", "telefonnummer", "telefonnr", "phone", "telephone", "mobil", "mobile"]),
    (Field::Email, &["epost", "epostadresse", "email", "emailadresse", "mail", "mailadresse", "emailaddress"]),
    (Field::Place, &["sted", "by", "kommune", "place", "location", "city", "adresse", "address", "poststed"]),
    (Field::Contact, &["kontaktperson", "kontakt", "contact", "contactperson"]),
    (Field::ContactRole, &["rolle", "role", "stilling", "title", "tittel"]),
    (Field::Tags, &["stikkord", "emneord", "nøkkelord", "tags", "tag", "etiketter"]),
    (Field::Note, &["notat", "merknad", "bemærkning", "bemerkning", "kommentar", "note", "notes", "comment"]),
];

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Kind => "kind",
            Field::Level => "level",
            Field::Phone => "phone",
            Field::Email => "e-mail",
            Field::Place => "place",
            Field::Contact => "contact person",
            Field::ContactRole => "contact role",
            Field::Tags => "tags",
            Field::Note => "note",
        }
    }

    fn accepted(self) -> &'static [&'static str] {
        NAMES.iter().find(|(f, _)| *f == self).map_or(&[], |(_, n)| n)
    }
}

pub fn normalise(header: &str) -> String {
    header.trim().to_lowercase().chars().filter(|c| !matches!(c, ' ' | '-' | '_' | '.' | ':' | '*')).collect()
}

/// Which column holds each field; unknown columns are listed, not fatal.
#[derive(Clone, Debug, PartialEq)]
pub struct Columns {
    pub found: Vec<(Field, usize)>,
    pub ignored: Vec<String>,
}

impl Columns {
    pub fn get(&self, f: Field) -> Option<usize> {
        self.found.iter().find(|(g, _)| *g == f).map(|(_, i)| *i)
    }

    pub fn match_header(header: &[String], required: &[Field]) -> Result<Columns, ImportError> {
        let mut found: Vec<(Field, usize)> = vec![];
        let mut ignored = vec![];
        for (i, h) in header.iter().enumerate() {
            let n = normalise(h);
            match NAMES.iter().find(|(_, names)| names.contains(&n.as_str())) {
                Some((f, _)) => {
                    if let Some((_, j)) = found.iter().find(|(g, _)| g == f) {
                        return Err(ImportError::DuplicateColumn {
                            field: f.label(),
                            first: header[*j].clone(),
                            second: h.clone(),
                        });
                    }
                    found.push((*f, i));
                }
                None if !h.trim().is_empty() => ignored.push(h.clone()),
                None => {}
            }
        }
        for f in required {
            if !found.iter().any(|(g, _)| g == f) {
                return Err(ImportError::MissingColumn {
                    missing: f.label(),
                    found: header.iter().filter(|h| !h.trim().is_empty()).cloned().collect::<Vec<_>>().join(", "),
                    accepted: f.accepted().join(", "),
                });
            }
        }
        Ok(Columns { found, ignored })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_match_in_three_languages() {
        let c =
            Columns::match_header(&h(&["Navn", "TYPE", "E-post", "Tlf.", "Nivå", "Farge"]), &[Field::Name]).unwrap();
        assert_eq!(c.get(Field::Name), Some(0));
        assert_eq!(c.get(Field::Kind), Some(1));
        assert_eq!(c.get(Field::Email), Some(2));
        assert_eq!(c.get(Field::Phone), Some(3));
        assert_eq!(c.get(Field::Level), Some(4));
        assert_eq!(c.ignored, ["Farge"]);
        let c = Columns::match_header(&h(&["Niveau", "Art", "E-mail", "Bemærkning", "name"]), &[]).unwrap();
        assert_eq!((c.get(Field::Level), c.get(Field::Kind), c.get(Field::Note)), (Some(0), Some(1), Some(3)));
    }

    #[test]
    fn missing_and_doubled_columns_are_clear_errors() {
        let e = Columns::match_header(&h(&["Telefon", "Type"]), &[Field::Name, Field::Kind]).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("no name column") && msg.contains("navn") && msg.contains("Telefon, Type"), "{msg}");
        let e = Columns::match_header(&h(&["Navn", "Name"]), &[]).unwrap_err();
        assert_eq!(e.code(), "duplicate_column");
    }
}
