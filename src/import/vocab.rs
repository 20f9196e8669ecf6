//! The words Nordic offices write for a partner's kind and level: bokmål,
//! nynorsk, Danish, Swedish and English, matched tolerantly.
//!
//! A term is normalised (case, spacing and punctuation ignored), then
//! tried as written and without its inflection ("foreningen", "skulen",
//! "museet"), first against whole words, then by the head of a compound
//! ("idrettslag" ends in "lag", "musikk- og kulturskolen" in "kulturskole")
//! and by a leading word ("kommunal …", "offentlig …", "frivillig …"), and a
//! company's legal form ("… AS", "A/S", "ApS", "AB"). When the head and the
//! leading word point at different kinds ("kommunal skole"), the term is
//! ambiguous and refused: a partner imported with the wrong kind is worse
//! than a row the office must fix.

use crate::model::{Level, PartnerKind, Slug};

use PartnerKind::*;

/// Lower case, letters and digits only: "Lag/Foreining" → "lagforeining".
pub fn normalise(term: &str) -> String {
    term.trim().to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Whole words (already normalised).
const KIND_WORDS: &[(PartnerKind, &[&str])] = &[
    (
        Association,
        &[
            "forening",
            "foreining",
            "förening",
            "lag",
            "lagogforening",
            "lagogforeining",
            "lagforening",
            "lagforeining",
            "lagogforeningar",
            "foreningar",
            "föreningar",
            "foreninger",
            "klubb",
            "klub",
            "klubben",
            "association",
            "club",
            "society",
            "idrettslag",
            "historielag",
            "sogelag",
            "velforening",
            "vel",
            "ungdomslag",
            "kor",
            "frivilligforening",
            "ideellforening",
            "ideelforening",
            "ideellorganisasjon",
            "ideellorganisation",
            "studieförbund",
            "menighet",
            "menigheit",
            "menighed",
            "menighetsråd",
            "menighedsråd",
            "sokn",
            "sokneråd",
            "sogn",
            "sogneråd",
            "församling",
            "kirke",
            "kyrkje",
            "kyrka",
            "kirken",
            "kyrkja",
            "kyrkan",
            "trossamfunn",
            "trossamfund",
            "parish",
            "congregation",
        ],
    ),
    (
        Business,
        &[
            "bedrift",
            "verksemd",
            "virksomhet",
            "virksomhed",
            "verksamhet",
            "firma",
            "foretak",
            "føretak",
            "företag",
            "næringsliv",
            "næringsdrivande",
            "næringsdrivende",
            "erhverv",
            "erhvervsliv",
            "näringsliv",
            "butikk",
            "butik",
            "forretning",
            "handel",
            "business",
            "company",
            "shop",
            "aksjeselskap",
            "aktieselskab",
            "anpartsselskab",
            "aktiebolag",
            "handelsbolag",
            "enkeltpersonforetak",
            "enkeltmannsforetak",
            "enkeltmandsvirksomhed",
            "enskildfirma",
            "enskildnäringsidkare",
            "forlag",
            "kafe",
            "kafé",
            "café",
            "restaurant",
            "hotell",
            "hotel",
            "bank",
            "kommunalbanken",
            "privatbedrift",
        ],
    ),
    (
        PublicBody,
        &[
            "offentlig",
            "offentleg",
            "offentligetat",
            "offentliginstans",
            "offentligmyndighet",
            "offentligmyndighed",
            "offentligverksemd",
            "myndighet",
            "myndigheit",
            "myndighed",
            "statlig",
            "statleg",
            "stat",
            "staten",
            "publicbody",
            "public",
            "publicauthority",
            "museum",
            "museet",
            "musea",
            "museer",
            "museum",
            "fylkeskommune",
            "fylkeskommunen",
            "fylkeskommunal",
            "fylkeskommunalt",
            "statsforvaltar",
            "statsforvalter",
            "statsforvaltaren",
            "statsforvalteren",
            "fylkesmann",
            "region",
            "regionen",
            "län",
            "länsstyrelse",
            "länsstyrelsen",
            "landsting",
            "regionförbund",
            "sametinget",
            "nav",
            "politi",
            "politiet",
            "polisen",
            "sykehus",
            "sjukehus",
            "hospital",
            "sygehus",
            "kommunaldepartementet",
            "kommunalogdistriktsdepartementet",
            "direktorat",
            "direktoratet",
            "helseforetak",
            "universitetssykehus",
            "nasjonalbiblioteket",
            "fylkesbibliotek",
            "fylkesbiblioteket",
        ],
    ),
    (
        MunicipalDepartment,
        &[
            "kommunal",
            "kommunalt",
            "kommunale",
            "kommunalavdeling",
            "kommunalavdeling",
            "kommunalafdeling",
            "kommunalforvaltning",
            "kommunaletat",
            "kommunalenhet",
            "kommunaleining",
            "kommunaltjeneste",
            "kommunalteneste",
            "kommunalverksemd",
            "kommunalverksamhet",
            "kommunalvirksomhed",
            "kommunalvirksomhet",
            "kommunalförvaltning",
            "kommunalavdelning",
            "kommune",
            "kommunen",
            "kommun",
            "kommunens",
            "municipal",
            "municipaldepartment",
            "municipality",
            "kulturskole",
            "kulturskule",
            "kulturskolen",
            "kulturskulen",
            "kulturskola",
            "kulturskolan",
            "musikskole",
            "musikskolen",
            "kommunalmusikskole",
            "kommunesektor",
        ],
    ),
    (
        School,
        &[
            "skole",
            "skule",
            "skola",
            "skolen",
            "skulen",
            "skolan",
            "barnehage",
            "barnehagen",
            "barnehagar",
            "børnehave",
            "børnehaven",
            "daginstitution",
            "förskola",
            "förskolan",
            "gymnasium",
            "gymnasiet",
            "gymnas",
            "videregående",
            "vidaregåande",
            "vgs",
            "universitet",
            "universitetet",
            "högskola",
            "høgskole",
            "høgskule",
            "højskole",
            "folkehøgskole",
            "folkehøgskule",
            "folkehøjskole",
            "folkhögskola",
            "sfo",
            "school",
            "kindergarten",
            "preschool",
            "university",
            "college",
        ],
    ),
    (
        VolunteerGroup,
        &[
            "frivillig",
            "frivillige",
            "frivilliggruppe",
            "frivilliggruppa",
            "frivilligsentral",
            "frivilligsentralen",
            "frivilligcenter",
            "frivilligcentret",
            "frivilligcentral",
            "frivilligcentralen",
            "frivilligorganisasjon",
            "frivilligorganisation",
            "frivilligeorganisasjonar",
            "frivilliggrupp",
            "dugnadsgruppe",
            "volunteer",
            "volunteers",
            "volunteergroup",
            "volunteerorganisation",
            "volunteerorganization",
            "volunteercentre",
            "volunteercenter",
        ],
    ),
    (
        Citizen,
        &[
            "innbygger",
            "innbyggjar",
            "innbyggar",
            "borger",
            "borgare",
            "invånare",
            "privatperson",
            "privat",
            "person",
            "citizen",
            "individual",
            "enkeltperson",
            "privatperson",
        ],
    ),
];

/// Heads of compounds: "idrettslag", "barneskolen", "fylkesmuseet". The
/// longest head found wins ("kulturskole" over "skole").
const KIND_HEADS: &[(PartnerKind, &[&str])] = &[
    (Association, &["lag", "forening", "foreining", "förening", "klubb", "klub", "menighet", "menighed", "forbund"]),
    (Business, &["bedrift", "butikk", "butik", "forlag", "foretak", "företag", "verksted", "værksted"]),
    (PublicBody, &["museum", "museet", "fylkeskommune", "direktorat", "direktoratet", "myndighet", "myndighed"]),
    (MunicipalDepartment, &["kulturskole", "kulturskule", "kulturskola", "musikskole"]),
    (School, &["skole", "skule", "skola", "barnehage", "gymnasium", "høgskole", "universitet"]),
    (VolunteerGroup, &["frivilligsentral", "frivilligcentral", "frivilligcenter"]),
];

/// Leading words: "kommunal enhet for kultur", "offentlig etat".
const KIND_STARTS: &[(PartnerKind, &[&str])] = &[
    (PublicBody, &["offentlig", "offentleg", "statlig", "statleg", "fylkeskommun", "region"]),
    (MunicipalDepartment, &["kommunal", "kommune"]),
    (VolunteerGroup, &["frivillig"]),
];

/// A company's legal form as the last word: "Coop Vadsø AS", "Brugsen A/S".
const LEGAL_FORMS: &[&str] =
    &["as", "asa", "aps", "ab", "ans", "da", "enk", "ivs", "ks", "hb", "kb", "oy", "ltd", "gmbh", "inc", "sa"];

const LEVEL_WORDS: &[(Level, &[&str])] = &[
    (
        Level::Network,
        &[
            "nettverk",
            "nettverket",
            "netverk",
            "netværk",
            "netværket",
            "nätverk",
            "nätverket",
            "network",
            "kontakt",
            "nettverkspartner",
            "nettverkspartnar",
            "netværkspartner",
            "nätverkspartner",
        ],
    ),
    (
        Level::Collaboration,
        &[
            "samarbeid",
            "samarbeidet",
            "samarbejde",
            "samarbejdet",
            "samarbete",
            "samarbetet",
            "samverkan",
            "collaboration",
            "cooperation",
            "samarbeidspartner",
            "samarbeidspartnar",
            "samarbejdspartner",
            "samarbetspartner",
        ],
    ),
    (
        Level::Partnership,
        &[
            "partnerskap",
            "partnerskapet",
            "partnarskap",
            "partnarskapet",
            "partnerskab",
            "partnerskabet",
            "partnership",
            "partner",
            "avtale",
            "avtalepartner",
            "aftale",
            "aftalepartner",
            "avtal",
            "avtalspartner",
            "strategiskpartner",
            "strategiskpartnerskap",
        ],
    ),
];

/// Inflections tried off a term's end, longest first; what is left must keep three letters.
const ENDINGS: &[&str] = &["erne", "arna", "orna", "ene", "ane", "ar", "er", "or", "en", "et", "na", "ne", "a", "n"];

/// The term and the forms it may be an inflection of.
fn forms(n: &str) -> Vec<String> {
    let mut v = vec![n.to_string()];
    for e in ENDINGS {
        if let Some(stem) = n.strip_suffix(e) {
            if stem.chars().count() >= 3 {
                v.push(stem.to_string());
            }
        }
    }
    v
}

/// What a term means, or why it cannot be known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Meaning<T> {
    Is(T),
    Unknown,
    /// Two readings, both plausible: refused rather than guessed.
    Ambiguous(T, T),
}

fn word<T: Copy>(table: &[(T, &[&str])], forms: &[String]) -> Option<T> {
    forms.iter().find_map(|f| table.iter().find(|(_, ws)| ws.contains(&f.as_str())).map(|(t, _)| *t))
}

/// The longest entry that `pick` finds in a form, and its length.
fn longest<T: Copy>(table: &[(T, &[&str])], forms: &[String], pick: fn(&str, &str) -> bool) -> Option<(T, usize)> {
    let mut best: Option<(T, usize)> = None;
    for f in forms {
        for (t, ws) in table {
            for w in *ws {
                if pick(f, w) && best.is_none_or(|(_, len)| w.len() > len) {
                    best = Some((*t, w.len()));
                }
            }
        }
    }
    best
}

pub fn kind_of(text: &str) -> Meaning<PartnerKind> {
    let n = normalise(text);
    if n.is_empty() {
        return Meaning::Unknown;
    }
    let fs = forms(&n);
    if let Some(k) = word(KIND_WORDS, &fs).or_else(|| PartnerKind::from_slug(text.trim())) {
        return Meaning::Is(k);
    }
    let last = text.replace("A/S", "AS").replace("a/s", "as");
    let last = last.split(|c: char| !c.is_alphanumeric()).rfind(|w| !w.is_empty()).unwrap_or("");
    if LEGAL_FORMS.contains(&last.to_lowercase().as_str()) {
        return Meaning::Is(Business);
    }
    let head = longest(KIND_HEADS, &fs, |f, w| f.ends_with(w) && f.len() > w.len());
    let start = longest(KIND_STARTS, &fs, |f, w| f.starts_with(w));
    match (head, start) {
        (Some((h, _)), Some((s, _))) if h != s => Meaning::Ambiguous(s, h),
        (Some((k, _)), _) | (None, Some((k, _))) => Meaning::Is(k),
        (None, None) => Meaning::Unknown,
    }
}

pub fn level_of(text: &str) -> Meaning<Level> {
    let n = normalise(text);
    match word(LEVEL_WORDS, &forms(&n)).or_else(|| Level::from_slug(text.trim())) {
        Some(l) => Meaning::Is(l),
        None => Meaning::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(t: &str) -> Meaning<PartnerKind> {
        kind_of(t)
    }

    #[test]
    fn everyday_kinds_in_four_languages() {
        let cases: &[(&str, PartnerKind)] = &[
            ("kommunal avdeling", MunicipalDepartment),
            ("Kommunal afdeling", MunicipalDepartment),
            ("Kommunal etat", MunicipalDepartment),
            ("kommunal förvaltning", MunicipalDepartment),
            ("Kulturskolen", MunicipalDepartment),
            ("Musikk- og kulturskolen", MunicipalDepartment),
            ("Coop Vadsø AS", Business),
            ("ASA", Business),
            ("Brugsen A/S", Business),
            ("ApS", Business),
            ("Handelsbolaget AB", Business),
            ("Museum", PublicBody),
            ("Varangermuseet", PublicBody),
            ("Fylkeskommunen", PublicBody),
            ("Region Sjælland", PublicBody),
            ("Sokn", Association),
            ("Menigheten", Association),
            ("Sogn", Association),
            ("Församlingen", Association),
            ("Frivilligsentralen", VolunteerGroup),
            ("frivillig organisasjon", VolunteerGroup),
            ("Lag og foreining", Association),
            ("lag/foreining", Association),
            ("Idrettslaget", Association),
            ("Föreningen", Association),
            ("foreininga", Association),
            ("Barneskulen", School),
            ("Förskolan", School),
            ("Vidaregåande skule", School),
            ("verksemd", Business),
            ("Forlaget", Business),
            ("Innbyggjar", Citizen),
            ("Invånare", Citizen),
            ("public-body", PublicBody),
            ("Volunteer group", VolunteerGroup),
            ("Offentlig instans", PublicBody),
            ("Næringsliv", Business),
            ("Erhvervsliv", Business),
        ];
        for (t, want) in cases {
            assert_eq!(k(t), Meaning::Is(*want), "{t}");
        }
    }

    #[test]
    fn ambiguous_and_unknown_terms_are_not_guessed() {
        assert_eq!(k("kommunal skole"), Meaning::Ambiguous(MunicipalDepartment, School));
        assert_eq!(k("romskip"), Meaning::Unknown);
        assert_eq!(k("as"), Meaning::Is(Business));
        assert_eq!(k(""), Meaning::Unknown);
        // "kommunikasjon" is not "kommune".
        assert_eq!(k("Kommunikasjonsbyrå"), Meaning::Unknown);
    }

    #[test]
    fn levels_in_four_languages() {
        for (t, want) in [
            ("Nettverk", Level::Network),
            ("nätverket", Level::Network),
            ("Samarbejde", Level::Collaboration),
            ("samarbete", Level::Collaboration),
            ("Partnerskapet", Level::Partnership),
            ("Partnerskab", Level::Partnership),
            ("avtal", Level::Partnership),
        ] {
            assert_eq!(level_of(t), Meaning::Is(want), "{t}");
        }
        assert_eq!(level_of("nivå 2"), Meaning::Unknown);
    }
}
