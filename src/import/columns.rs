//! Matching column headers by name, in bokmål, nynorsk, Danish, Swedish
//! or English, ignoring case, spaces and punctuation.

use serde::Serialize;

use super::ImportError;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The record's id, as Samskap's own exports write it.
    Id,
    Name,
    Kind,
    Level,
    Phone,
    /// A second number ("Mobil" beside "Telefon").
    Mobile,
    Email,
    Place,
    Contact,
    ContactRole,
    Tags,
    Note,
    PersonalNote,
}

/// Accepted header names per field, already normalised (see [`normalise`]).
const NAMES: &[(Field, &[&str])] = &[
    (Field::Id, &["id", "samskapid"]),
    (
        Field::Name,
        &[
            "navn",
            "namn",
            "name",
            "organisasjon",
            "organisation",
            "organization",
            "partner",
            "samarbeidspartner",
            "samarbeidspartnar",
            "samarbejdspartner",
            "samarbetspartner",
            "partnernavn",
            "partnernamn",
            "forening",
            "foreining",
            "förening",
            "virksomhed",
            "verksemd",
            "aktør",
            "aktørar",
        ],
    ),
    (
        Field::Kind,
        &[
            "type",
            "typ",
            "kind",
            "art",
            "kategori",
            "category",
            "partnertype",
            "partnertyp",
            "slags",
            "slag",
            "sort",
            "organisasjonstype",
            "organisationstype",
            "organisationsform",
            "organisasjonsform",
        ],
    ),
    (
        Field::Level,
        &[
            "nivå",
            "niveau",
            "level",
            "nettverksnivå",
            "netværksniveau",
            "nätverksnivå",
            "relasjon",
            "relation",
            "relasjonsnivå",
            "samarbeidsnivå",
            "samarbejdsniveau",
        ],
    ),
    (
        Field::Phone,
        &[
            "telefon",
            "tlf",
            "tlfnr",
            "telefonnummer",
            "telefonnr",
            "tel",
            "phone",
            "telephone",
            "telefonnummer",
            "fasttelefon",
            "sentralbord",
            "växel",
        ],
    ),
    (
        Field::Mobile,
        &["mobil", "mobile", "mobiltelefon", "mobilnummer", "mobilnr", "mobiltlf", "cellphone", "mobilephone"],
    ),
    (
        Field::Email,
        &[
            "epost",
            "epostadresse",
            "email",
            "emailadresse",
            "mail",
            "mailadresse",
            "emailaddress",
            "epostadress",
            "mejl",
            "mejladress",
            "epostadr",
        ],
    ),
    (
        Field::Place,
        &[
            "sted",
            "stad",
            "ort",
            "postort",
            "by",
            "kommune",
            "kommun",
            "place",
            "location",
            "city",
            "adresse",
            "adress",
            "address",
            "poststed",
            "postnummerogsted",
            "postnrogsted",
        ],
    ),
    (
        Field::Contact,
        &[
            "kontaktperson",
            "kontaktpersoner",
            "kontaktpersonar",
            "kontaktpersonen",
            "kontakt",
            "contact",
            "contacts",
            "contactperson",
            "contactpersons",
            "contactpeople",
        ],
    ),
    (Field::ContactRole, &["rolle", "roll", "role", "stilling", "title", "tittel", "titel"]),
    (
        Field::Tags,
        &[
            "stikkord",
            "stikkord",
            "emneord",
            "nøkkelord",
            "nøkkelord",
            "nyckelord",
            "tags",
            "tag",
            "etiketter",
            "etikett",
        ],
    ),
    (
        Field::Note,
        &[
            "notat",
            "notater",
            "merknad",
            "merknader",
            "bemærkning",
            "bemærkninger",
            "bemerkning",
            "kommentar",
            "kommentarer",
            "note",
            "noter",
            "notes",
            "comment",
            "comments",
            "anteckning",
            "anteckningar",
        ],
    ),
    (Field::PersonalNote, &["personalnote", "personlignotat", "personlignote", "personliganteckning"]),
];

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Kind => "kind",
            Field::Level => "level",
            Field::Phone => "phone",
            Field::Mobile => "mobile",
            Field::Email => "e-mail",
            Field::Place => "place",
            Field::Contact => "contact person",
            Field::ContactRole => "contact role",
            Field::Tags => "tags",
            Field::Note => "note",
            Field::PersonalNote => "personal note",
        }
    }

    pub fn accepted(self) -> &'static [&'static str] {
        NAMES.iter().find(|(f, _)| *f == self).map_or(&[], |(_, n)| n)
    }
}

pub use super::vocab::normalise;

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
                            field: *f,
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
                    missing: *f,
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
