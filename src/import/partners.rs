//! Partners from a spreadsheet: a plan first (what would be created, what
//! is already there, every bad row with its line and reason), then one
//! transaction that creates all the good rows, or nothing.
//!
//! Identity: a partner is the same as another when their names match
//! ignoring case and spacing, and their kinds match. Rows already in the
//! store, or repeated in the file, are skipped, so importing the same file
//! twice creates nothing the second time.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::columns::{normalise, Columns, Field};
use super::{read_file, ImportError, Sheet};
use crate::model::*;
use crate::store::Store;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct ImportPlan {
    /// What the file turned out to be, e.g. "csv (;, windows-1252)".
    pub detected: String,
    /// Header → field, for every column used.
    pub columns: Vec<ColumnUse>,
    /// Headers no field matched (their values are not imported).
    pub ignored_columns: Vec<String>,
    /// Data rows read (blank rows left out).
    pub rows: u64,
    pub create: Vec<PlannedPartner>,
    pub skipped: Vec<SkippedRow>,
    pub bad: Vec<BadRow>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct ColumnUse {
    pub header: String,
    pub field: Field,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct PlannedPartner {
    pub line: u64,
    pub name: String,
    pub kind: PartnerKind,
    pub level: Level,
    pub place: String,
    pub has_phone: bool,
    pub has_email: bool,
    pub contact: Option<String>,
    pub tags: Vec<String>,
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    partner: Option<Partner>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct SkippedRow {
    pub line: u64,
    pub name: String,
    /// "already in Samskap" or "same as line 4".
    pub reason: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub created: u64,
    pub ids: Vec<RecordId>,
}

/// What a partner's identity is made of: its name ignoring case and spacing, and its kind.
pub fn identity(name: &str, kind: PartnerKind) -> (String, PartnerKind) {
    (name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase(), kind)
}

const KINDS: &[(PartnerKind, &[&str])] = &[
    (
        PartnerKind::Association,
        &[
            "forening",
            "lag",
            "lagogforening",
            "lag/forening",
            "laogforeining",
            "klubb",
            "klub",
            "foreining",
            "association",
            "club",
        ],
    ),
    (
        PartnerKind::Business,
        &[
            "bedrift",
            "virksomhet",
            "virksomhed",
            "firma",
            "næringsliv",
            "erhverv",
            "butikk",
            "butik",
            "business",
            "company",
        ],
    ),
    (
        PartnerKind::PublicBody,
        &[
            "offentlig",
            "offentligetat",
            "offentliginstans",
            "offentligmyndighet",
            "myndighet",
            "myndighed",
            "statlig",
            "publicbody",
            "public",
        ],
    ),
    (
        PartnerKind::MunicipalDepartment,
        &[
            "kommunal",
            "kommunalenhet",
            "kommunaletat",
            "kommunalafdeling",
            "kommunaltjeneste",
            "kommunalforvaltning",
            "kommune",
            "municipal",
            "municipaldepartment",
        ],
    ),
    (
        PartnerKind::School,
        &["skole", "skule", "barnehage", "børnehave", "gymnasium", "videregående", "universitet", "school"],
    ),
    (
        PartnerKind::VolunteerGroup,
        &[
            "frivillig",
            "frivillige",
            "frivilliggruppe",
            "frivilligsentral",
            "frivilligcenter",
            "volunteer",
            "volunteers",
            "volunteergroup",
        ],
    ),
    (PartnerKind::Citizen, &["innbygger", "borger", "privatperson", "privat", "person", "citizen", "individual"]),
];

const LEVELS: &[(Level, &[&str])] = &[
    (Level::Network, &["nettverk", "netværk", "nettverkspartner", "network", "kontakt"]),
    (Level::Collaboration, &["samarbeid", "samarbejde", "samarbeidspartner", "collaboration"]),
    (Level::Partnership, &["partnerskap", "partnerskab", "partnership", "partner", "avtale", "aftale"]),
];

fn lookup<T: Slug>(table: &[(T, &[&str])], given: &str) -> Option<T> {
    let n = normalise(given);
    table
        .iter()
        .find(|(_, names)| names.iter().any(|x| normalise(x) == n))
        .map(|(v, _)| *v)
        .or_else(|| T::from_slug(given))
}

fn kind_words() -> String {
    KINDS.iter().map(|(k, names)| format!("{} ({})", names[0], k.slug())).collect::<Vec<_>>().join(", ")
}

/// Reads the file and plans the import against what the store holds.
pub fn plan_file(store: &Store, path: &Path) -> Result<ImportPlan, ImportError> {
    plan(store, &read_file(path)?)
}

pub fn plan(store: &Store, sheet: &Sheet) -> Result<ImportPlan, ImportError> {
    let cols = Columns::match_header(&sheet.header, &[Field::Name, Field::Kind])?;
    let mut known: HashMap<(String, PartnerKind), Option<u64>> =
        store.partner_names()?.into_iter().map(|(n, k)| (identity(&n, k), None)).collect();
    let mut plan = ImportPlan {
        detected: sheet.detected.clone(),
        columns: cols.found.iter().map(|(f, i)| ColumnUse { header: sheet.header[*i].clone(), field: *f }).collect(),
        ignored_columns: cols.ignored.clone(),
        rows: sheet.rows.len() as u64,
        create: vec![],
        skipped: vec![],
        bad: vec![],
    };
    for row in &sheet.rows {
        let get = |f: Field| -> String {
            cols.get(f).and_then(|i| row.cells.get(i)).map(|s| s.trim().to_string()).unwrap_or_default()
        };
        let partner = match partner_of(&get) {
            Ok(p) => p,
            Err(reason) => {
                plan.bad.push(BadRow { line: row.line, reason });
                continue;
            }
        };
        let key = identity(&partner.name, partner.kind);
        if let Some(seen) = known.get(&key) {
            let reason = match seen {
                Some(line) => format!("same as line {line}"),
                None => "already in Samskap".to_string(),
            };
            plan.skipped.push(SkippedRow { line: row.line, name: partner.name, reason });
            continue;
        }
        known.insert(key, Some(row.line));
        plan.create.push(PlannedPartner {
            line: row.line,
            name: partner.name.clone(),
            kind: partner.kind,
            level: partner.level,
            place: partner.place.clone(),
            has_phone: partner.phone.is_some(),
            has_email: partner.email.is_some(),
            contact: partner.contacts.first().map(|c| c.name.clone()),
            tags: partner.tags.clone(),
            partner: Some(partner),
        });
    }
    Ok(plan)
}

/// One row as a partner, or why it cannot be one.
fn partner_of(get: &dyn Fn(Field) -> String) -> Result<Partner, String> {
    let name = get(Field::Name);
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    let kind_text = get(Field::Kind);
    if kind_text.is_empty() {
        return Err(format!("no kind for '{name}'; write one of: {}", kind_words()));
    }
    let kind = lookup(KINDS, &kind_text)
        .ok_or_else(|| format!("'{kind_text}' is not a kind of partner; write one of: {}", kind_words()))?;
    let level_text = get(Field::Level);
    let level = if level_text.is_empty() {
        Level::Network
    } else {
        lookup(LEVELS, &level_text).ok_or_else(|| {
            format!("'{level_text}' is not a level of the network circle; write nettverk, samarbeid or partnerskap")
        })?
    };
    let mut p = Partner::new(name, kind, level);
    p.place = get(Field::Place);
    p.phone = Some(get(Field::Phone)).filter(|s| !s.is_empty());
    p.email = Some(get(Field::Email)).filter(|s| !s.is_empty());
    p.note = get(Field::Note);
    p.tags = get(Field::Tags)
        .split([',', ';', '#'])
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join("-"))
        .filter(|t| !t.is_empty())
        .collect();
    p.tags.dedup();
    let contact = get(Field::Contact);
    if !contact.is_empty() {
        p.contacts.push(Contact {
            id: item_id(),
            name: contact,
            role: get(Field::ContactRole),
            phone: None,
            email: None,
            basis: None,
        });
    }
    p.validate().map_err(|e| e.to_string())?;
    Ok(p)
}

/// Creates every planned partner in one transaction: all or none.
pub fn apply(store: &mut Store, plan: &ImportPlan) -> Result<Imported, ImportError> {
    let partners: Vec<Partner> = plan.create.iter().filter_map(|p| p.partner.clone()).collect();
    let ids = partners.iter().map(|p| p.id).collect();
    store.create_many(partners)?;
    Ok(Imported { created: plan.create.len() as u64, ids })
}
