//! Partners from a spreadsheet: a plan first (what would be created, what
//! is already there, every bad row with its line and reason, in the
//! reader's language), then one transaction that creates all the good
//! rows, or nothing.
//!
//! Identity: a row with an `id` (Samskap's own export) is that record, and
//! is skipped when the store holds it. Otherwise a partner is the same as
//! another when their names match ignoring case and spacing, their kinds
//! match, and their places match or one is not given: "Frivilligsentralen"
//! in Vadsø and in Alta are two partners. Rows already in the store, or
//! repeated in the file, are skipped, so importing the same file twice
//! creates nothing the second time.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::columns::{Columns, Field};
use super::sheet::{pick, read_book, unguard};
use super::vocab::{self, normalise, Meaning};
use super::{ImportError, Sheet};
use crate::i18n::{Language, Localize};
use crate::model::*;
use crate::store::Store;
use crate::tr;

/// What the person chose: the sheet, their own words for kinds and levels, their language.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// The sheet to read; by default the one with partner columns.
    pub sheet: Option<String>,
    /// `term=kind-or-level`, e.g. `museum=public-body`, `fast samarbeid=partnership`.
    pub maps: Vec<String>,
    /// The language of reasons and warnings.
    pub language: Language,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct ImportPlan {
    /// What the file turned out to be, e.g. "csv (;, windows-1252)", "xlsx (Partnere)".
    pub detected: String,
    /// The row the column headers were found on.
    pub header_line: u64,
    /// Header → field, for every column used.
    pub columns: Vec<ColumnUse>,
    /// Headers no field matched (their values are not imported).
    pub ignored_columns: Vec<String>,
    /// Data rows read (blank rows left out).
    pub rows: u64,
    pub create: Vec<PlannedPartner>,
    pub skipped: Vec<SkippedRow>,
    pub bad: Vec<BadRow>,
    /// Rows imported, but with something the office should look at.
    pub warnings: Vec<RowWarning>,
    /// Kinds and levels no word matched: map them (`--map`, or in the app's preview) and plan again.
    pub unknown_terms: Vec<UnknownTerm>,
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
    /// "already in Samskap", "same as line 4", "a sum row", in the reader's language.
    pub reason: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct RowWarning {
    pub line: u64,
    pub message: String,
}

/// A word for a kind or level that Samskap does not know, and the rows that use it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnknownTerm {
    /// `kind` or `level`.
    pub field: Field,
    pub term: String,
    pub lines: Vec<u64>,
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

fn same_place(a: &str, b: &str) -> bool {
    a.is_empty() || b.is_empty() || normalise(a) == normalise(b)
}

/// A partner kind in the reader's words (as the app names it).
pub fn kind_word(k: PartnerKind, lang: Language) -> &'static str {
    use PartnerKind::*;
    match (k, lang) {
        (Association, Language::Nb) => "Lag og forening",
        (Association, Language::Da) => "Forening",
        (Association, Language::En) => "Association",
        (Business, Language::Nb) => "Næringsliv",
        (Business, Language::Da) => "Erhvervsliv",
        (Business, Language::En) => "Business",
        (PublicBody, Language::Nb) => "Offentlig instans",
        (PublicBody, Language::Da) => "Offentlig myndighed",
        (PublicBody, Language::En) => "Public body",
        (MunicipalDepartment, Language::Nb) => "Kommunal etat",
        (MunicipalDepartment, Language::Da) => "Kommunal forvaltning",
        (MunicipalDepartment, Language::En) => "Municipal department",
        (School, Language::Nb | Language::Da) => "Skole",
        (School, Language::En) => "School",
        (VolunteerGroup, Language::Nb | Language::Da) => "Frivilliggruppe",
        (VolunteerGroup, Language::En) => "Volunteer group",
        (Citizen, Language::Nb) => "Innbygger",
        (Citizen, Language::Da) => "Borger",
        (Citizen, Language::En) => "Citizen",
    }
}

/// A level of the network circle in the reader's words.
pub fn level_word(l: Level, lang: Language) -> &'static str {
    match (l, lang) {
        (Level::Network, Language::Nb) => "Nettverk",
        (Level::Network, Language::Da) => "Netværk",
        (Level::Network, Language::En) => "Network",
        (Level::Collaboration, Language::Nb) => "Samarbeid",
        (Level::Collaboration, Language::Da) => "Samarbejde",
        (Level::Collaboration, Language::En) => "Collaboration",
        (Level::Partnership, Language::Nb) => "Partnerskap",
        (Level::Partnership, Language::Da) => "Partnerskab",
        (Level::Partnership, Language::En) => "Partnership",
    }
}

fn kind_list(lang: Language) -> String {
    PartnerKind::ALL.iter().map(|k| format!("{} ({})", kind_word(*k, lang), k.slug())).collect::<Vec<_>>().join(", ")
}

fn level_list(lang: Language) -> String {
    Level::ALL.iter().map(|l| format!("{} ({})", level_word(*l, lang), l.slug())).collect::<Vec<_>>().join(", ")
}

/// Why a row cannot be a partner.
#[derive(Clone, Debug, PartialEq)]
pub enum RowProblem {
    EmptyName,
    NoKind {
        name: String,
    },
    UnknownKind {
        term: String,
    },
    AmbiguousKind {
        term: String,
        one: PartnerKind,
        other: PartnerKind,
    },
    UnknownLevel {
        term: String,
    },
    BadId {
        given: String,
    },
    /// A value the record refuses (a phone number, an e-mail address …).
    Invalid(String),
}

impl Localize for RowProblem {
    fn localize(&self, lang: Language) -> String {
        match self {
            RowProblem::EmptyName => tr!(lang, nb: "navnet er tomt", da: "navnet er tomt", en: "the name is empty"),
            RowProblem::NoKind { name } => {
                let kinds = kind_list(lang);
                tr!(lang,
                    nb: "«{name}» har ingen type; skriv en av: {kinds}",
                    da: "»{name}« har ingen type; skriv en af: {kinds}",
                    en: "«{name}» has no kind; write one of: {kinds}")
            }
            RowProblem::UnknownKind { term } => {
                let kinds = kind_list(lang);
                tr!(lang,
                    nb: "«{term}» er ikke en partnertype Samskap kjenner; typene er: {kinds}. Velg hva «{term}» betyr (i kommandolinjen: --map \"{term}=public-body\")",
                    da: "»{term}« er ikke en partnertype, Samskap kender; typerne er: {kinds}. Vælg, hvad »{term}« betyder (på kommandolinjen: --map \"{term}=public-body\")",
                    en: "«{term}» is not a kind of partner Samskap knows; the kinds are: {kinds}. Choose what «{term}» means (on the command line: --map \"{term}=public-body\")")
            }
            RowProblem::AmbiguousKind { term, one, other } => {
                let (a, b) = (kind_word(*one, lang), kind_word(*other, lang));
                tr!(lang,
                    nb: "«{term}» kan bety både {a} og {b}; Samskap gjetter ikke. Skriv en av dem, eller velg hva «{term}» betyr",
                    da: "»{term}« kan betyde både {a} og {b}; Samskap gætter ikke. Skriv en af dem, eller vælg, hvad »{term}« betyder",
                    en: "«{term}» could mean {a} or {b}; Samskap does not guess. Write one of them, or choose what «{term}» means")
            }
            RowProblem::UnknownLevel { term } => {
                let levels = level_list(lang);
                tr!(lang,
                    nb: "«{term}» er ikke et nivå i nettverkssirkelen; skriv en av: {levels}",
                    da: "»{term}« er ikke et niveau i netværkscirklen; skriv en af: {levels}",
                    en: "«{term}» is not a level of the network circle; write one of: {levels}")
            }
            RowProblem::BadId { given } => tr!(lang,
                nb: "«{given}» er ikke en id fra Samskap; la id-kolonnen stå tom for nye partnere",
                da: "»{given}« er ikke et id fra Samskap; lad id-kolonnen stå tom for nye partnere",
                en: "«{given}» is not a Samskap id; leave the id column empty for new partners"),
            RowProblem::Invalid(e) => e.clone(),
        }
    }
}

/// Why a row is left out though nothing is wrong with it.
#[derive(Clone, Debug, PartialEq)]
enum Skip {
    AlreadyThere,
    SameAsLine(u64),
    SumRow,
}

impl Localize for Skip {
    fn localize(&self, lang: Language) -> String {
        match self {
            Skip::AlreadyThere => {
                tr!(lang, nb: "finnes allerede i Samskap", da: "findes allerede i Samskap", en: "already in Samskap")
            }
            Skip::SameAsLine(line) => {
                tr!(lang, nb: "samme som rad {line}", da: "samme som række {line}", en: "same as line {line}")
            }
            Skip::SumRow => tr!(lang, nb: "en sumrad", da: "en sumrække", en: "a sum row"),
        }
    }
}

/// Text where letters were replaced by `?` on the way (Sámi letters saved
/// as Windows-1252): a run of `?` followed by a letter, and at the start of
/// a word or after one.
fn lost_letters(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < c.len() {
        if c[i] != '?' {
            i += 1;
            continue;
        }
        let start = i;
        while i < c.len() && c[i] == '?' {
            i += 1;
        }
        let before = start == 0 || c[start - 1].is_alphabetic() || c[start - 1].is_whitespace();
        if before && c.get(i).is_some_and(|n| n.is_alphabetic()) {
            return true;
        }
    }
    false
}

fn lossy_warning(text: &str, lang: Language) -> String {
    tr!(lang,
        nb: "«{text}» har «?» der det skulle stått en bokstav: filen er lagret i en tegnkoding som mistet bokstaver (f.eks. samiske). Rett navnet i Samskap, eller lagre filen som «CSV UTF-8» og importer på nytt",
        da: "»{text}« har »?«, hvor der skulle stå et bogstav: filen er gemt i en tegnkodning, der mistede bogstaver (f.eks. samiske). Ret navnet i Samskap, eller gem filen som »CSV UTF-8«, og importér igen",
        en: "«{text}» has «?» where a letter should be: the file was saved in an encoding that lost letters (e.g. Sámi ones). Correct it in Samskap, or save the file as «CSV UTF-8» and import again")
}

/// A name that marks a table's sum row, not a partner.
const SUM_WORDS: &[&str] =
    &["sum", "summa", "summer", "total", "totalt", "totalsum", "ialt", "tilsammen", "antall", "antal"];

/// The person's own words for kinds and levels (`museum=public-body`).
#[derive(Clone, Debug, Default)]
struct Maps {
    kinds: HashMap<String, PartnerKind>,
    levels: HashMap<String, Level>,
}

impl Maps {
    fn parse(given: &[String]) -> Result<Maps, ImportError> {
        let mut m = Maps::default();
        for g in given {
            let (term, target) = g.split_once('=').ok_or_else(|| ImportError::BadMap(g.clone()))?;
            let key = normalise(term);
            if key.is_empty() {
                return Err(ImportError::BadMap(g.clone()));
            }
            if let Some(k) = PartnerKind::from_slug(target.trim()) {
                m.kinds.insert(key, k);
            } else if let Some(l) = Level::from_slug(target.trim()) {
                m.levels.insert(key, l);
            } else if let Meaning::Is(k) = vocab::kind_of(target) {
                m.kinds.insert(key, k);
            } else if let Meaning::Is(l) = vocab::level_of(target) {
                m.levels.insert(key, l);
            } else {
                return Err(ImportError::BadMap(g.clone()));
            }
        }
        Ok(m)
    }
}

/// Reads the file and plans the import against what the store holds, with the default options.
pub fn plan_file(store: &Store, path: &Path) -> Result<ImportPlan, ImportError> {
    plan_path(store, path, &ImportOptions::default())
}

/// Reads the file (the sheet chosen, or the one with partners) and plans the import.
pub fn plan_path(store: &Store, path: &Path, opts: &ImportOptions) -> Result<ImportPlan, ImportError> {
    let sheet = pick(&read_book(path)?, opts.sheet.as_deref())?;
    plan_with(store, &sheet, opts)
}

pub fn plan(store: &Store, sheet: &Sheet) -> Result<ImportPlan, ImportError> {
    plan_with(store, sheet, &ImportOptions::default())
}

/// A known partner's place, and the file's line that named it (`None`: it
/// is in the store already).
type KnownPlace = (String, Option<u64>);

pub fn plan_with(store: &Store, sheet: &Sheet, opts: &ImportOptions) -> Result<ImportPlan, ImportError> {
    let lang = opts.language;
    let maps = Maps::parse(&opts.maps)?;
    let cols = Columns::match_header(&sheet.header, &[Field::Name, Field::Kind])?;
    let mut known: HashMap<(String, PartnerKind), Vec<KnownPlace>> = HashMap::new();
    let mut ids: HashMap<RecordId, Option<u64>> = HashMap::new();
    for (id, name, kind, place) in store.partner_keys()? {
        known.entry(identity(&name, kind)).or_default().push((place, None));
        ids.insert(id, None);
    }
    let mut plan = ImportPlan {
        detected: sheet.detected.clone(),
        header_line: sheet.header_line,
        columns: cols.found.iter().map(|(f, i)| ColumnUse { header: sheet.header[*i].clone(), field: *f }).collect(),
        ignored_columns: cols.ignored.clone(),
        rows: sheet.rows.len() as u64,
        create: vec![],
        skipped: vec![],
        bad: vec![],
        warnings: vec![],
        unknown_terms: vec![],
    };
    let mobile_header = cols.get(Field::Mobile).map(|i| sheet.header[i].clone()).unwrap_or_default();
    for row in &sheet.rows {
        let get = |f: Field| -> String {
            cols.get(f).and_then(|i| row.cells.get(i)).map(|s| unguard(s.trim()).to_string()).unwrap_or_default()
        };
        let name = get(Field::Name);
        if SUM_WORDS.contains(&normalise(&name).as_str()) && get(Field::Kind).is_empty() {
            plan.skipped.push(SkippedRow { line: row.line, name, reason: Skip::SumRow.localize(lang) });
            continue;
        }
        let partner = match partner_of(&get, &maps, &mobile_header) {
            Ok(p) => p,
            Err(problem) => {
                let unknown = match &problem {
                    RowProblem::UnknownKind { term } | RowProblem::AmbiguousKind { term, .. } => {
                        Some((Field::Kind, term))
                    }
                    RowProblem::UnknownLevel { term } => Some((Field::Level, term)),
                    _ => None,
                };
                if let Some((field, term)) = unknown {
                    match plan
                        .unknown_terms
                        .iter_mut()
                        .find(|u| u.field == field && normalise(&u.term) == normalise(term))
                    {
                        Some(u) => u.lines.push(row.line),
                        None => {
                            plan.unknown_terms.push(UnknownTerm { field, term: term.clone(), lines: vec![row.line] })
                        }
                    }
                }
                plan.bad.push(BadRow { line: row.line, reason: problem.localize(lang) });
                continue;
            }
        };
        let with_id = !get(Field::Id).is_empty();
        let key = identity(&partner.name, partner.kind);
        let seen = if with_id {
            ids.get(&partner.id).copied()
        } else {
            known.get(&key).and_then(|v| v.iter().find(|(place, _)| same_place(place, &partner.place))).map(|(_, l)| *l)
        };
        if let Some(seen) = seen {
            let reason = match seen {
                Some(line) => Skip::SameAsLine(line),
                None => Skip::AlreadyThere,
            };
            plan.skipped.push(SkippedRow { line: row.line, name: partner.name, reason: reason.localize(lang) });
            continue;
        }
        if store.is_erased(partner.id)? {
            plan.skipped.push(SkippedRow {
                line: row.line,
                name: partner.name,
                reason: tr!(lang,
                nb: "partneren er slettet etter krav om sletting og kan ikke importeres igjen",
                da: "partneren er slettet efter krav om sletning og kan ikke importeres igen",
                en: "the partner was erased on request and cannot be imported again"),
            });
            continue;
        }
        for text in [&partner.name, &partner.place, &partner.note] {
            if lost_letters(text) {
                plan.warnings.push(RowWarning { line: row.line, message: lossy_warning(text, lang) });
            }
        }
        for c in &partner.contacts {
            if lost_letters(&c.name) {
                plan.warnings.push(RowWarning { line: row.line, message: lossy_warning(&c.name, lang) });
            }
        }
        known.entry(key).or_default().push((partner.place.clone(), Some(row.line)));
        ids.insert(partner.id, Some(row.line));
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

fn kind_in(term: &str, maps: &Maps) -> Result<PartnerKind, RowProblem> {
    if let Some(k) = maps.kinds.get(&normalise(term)) {
        return Ok(*k);
    }
    match vocab::kind_of(term) {
        Meaning::Is(k) => Ok(k),
        Meaning::Unknown => Err(RowProblem::UnknownKind { term: term.to_string() }),
        Meaning::Ambiguous(one, other) => Err(RowProblem::AmbiguousKind { term: term.to_string(), one, other }),
    }
}

fn level_in(term: &str, maps: &Maps) -> Result<Level, RowProblem> {
    if let Some(l) = maps.levels.get(&normalise(term)) {
        return Ok(*l);
    }
    match vocab::level_of(term) {
        Meaning::Is(l) => Ok(l),
        _ => Err(RowProblem::UnknownLevel { term: term.to_string() }),
    }
}

/// Contact people: one a line; Samskap's exports write `name / role / phone / e-mail`.
fn contacts_of(cell: &str, role: String) -> Vec<Contact> {
    let lines: Vec<&str> = cell.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let one = lines.len() == 1;
    lines
        .into_iter()
        .map(|l| {
            let some = |s: &str| Some(unguard(s.trim()).to_string()).filter(|s| !s.is_empty());
            let parts: Vec<&str> = l.split('/').collect();
            if parts.len() == 4 && !parts[0].trim().is_empty() {
                Contact {
                    id: item_id(),
                    name: parts[0].trim().to_string(),
                    role: parts[1].trim().to_string(),
                    phone: some(parts[2]),
                    email: some(parts[3]),
                    basis: None,
                }
            } else {
                Contact {
                    id: item_id(),
                    name: l.to_string(),
                    role: if one { role.clone() } else { String::new() },
                    phone: None,
                    email: None,
                    basis: None,
                }
            }
        })
        .collect()
}

/// One row as a partner, or why it cannot be one.
fn partner_of(get: &dyn Fn(Field) -> String, maps: &Maps, mobile_header: &str) -> Result<Partner, RowProblem> {
    let name = get(Field::Name);
    if name.is_empty() {
        return Err(RowProblem::EmptyName);
    }
    let kind_text = get(Field::Kind);
    if kind_text.is_empty() {
        return Err(RowProblem::NoKind { name });
    }
    let kind = kind_in(&kind_text, maps)?;
    let level_text = get(Field::Level);
    let level = if level_text.is_empty() { Level::Network } else { level_in(&level_text, maps)? };
    let mut p = Partner::new(name, kind, level);
    let id = get(Field::Id);
    if !id.is_empty() {
        p.id = id.parse().map_err(|_| RowProblem::BadId { given: id })?;
    }
    p.place = get(Field::Place);
    p.email = Some(get(Field::Email)).filter(|s| !s.is_empty());
    p.note = get(Field::Note);
    p.personal_note = get(Field::PersonalNote);
    p.tags = get(Field::Tags)
        .split([',', ';', '#'])
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join("-"))
        .filter(|t| !t.is_empty())
        .collect();
    p.tags.dedup();
    p.contacts = contacts_of(&get(Field::Contact), get(Field::ContactRole));
    // Two numbers ("Telefon" and "Mobil"): the first is the partner's; the
    // mobile is the contact person's when there is one without a number,
    // else it is kept in the note under its own header.
    let (phone, mobile) = (get(Field::Phone), get(Field::Mobile));
    p.phone = Some(if phone.is_empty() { mobile.clone() } else { phone.clone() }).filter(|s| !s.is_empty());
    if !phone.is_empty() && !mobile.is_empty() && mobile != phone {
        match p.contacts.as_mut_slice() {
            [c] if c.phone.is_none() => c.phone = Some(mobile),
            _ => {
                if !p.note.is_empty() {
                    p.note.push('\n');
                }
                p.note.push_str(&format!("{mobile_header}: {mobile}"));
            }
        }
    }
    p.validate().map_err(|e| RowProblem::Invalid(e.to_string()))?;
    Ok(p)
}

/// Creates every planned partner in one transaction: all or none.
pub fn apply(store: &mut Store, plan: &ImportPlan) -> Result<Imported, ImportError> {
    let partners: Vec<Partner> = plan.create.iter().filter_map(|p| p.partner.clone()).collect();
    let ids = partners.iter().map(|p| p.id).collect();
    store.create_many(partners)?;
    Ok(Imported { created: plan.create.len() as u64, ids })
}
