//! Records and report figures as tables.

use super::table::{list, Cell, Table};
use super::words::word;
use super::{ExportError, ExportOptions, Format, What};
use crate::i18n::Language;
use crate::model::*;
use crate::report::{self, Report, ReportFilter};
use crate::store::{export_rows, PartnerRef, ReportScope, Store};
use crate::tr;

/// How a private person (partner kind `citizen`) is named unless personal data is asked for.
pub const PRIVATE_PERSON: &str = "(private person)";

/// The scope of a records export: the filters, and the period only when given.
pub fn records_scope(f: &ReportFilter) -> Result<ReportScope, ExportError> {
    let from = match f.from {
        Some(d) => crate::report::Period { from: d, to: d }.from_ms(),
        None => i64::MIN,
    };
    let to = match f.to {
        Some(d) => crate::report::Period { from: d, to: d }.to_ms(),
        None => i64::MAX,
    };
    if from > to {
        f.period()?;
    }
    Ok(ReportScope {
        from_ms: from,
        to_ms: to,
        branch: f.branch.clone().filter(|b| !b.trim().is_empty()),
        staff: f.staff,
        partner_kind: f.partner_kind,
        checkpoints: vec![],
    })
}

/// Whether a partner's name is held back: a private person's, unless personal data is asked for.
fn hidden(kind: PartnerKind, personal: bool) -> bool {
    kind == PartnerKind::Citizen && !personal
}

fn names(v: &[PartnerRef], personal: bool) -> Cell {
    list(v.iter().map(|p| if hidden(p.kind, personal) { PRIVATE_PERSON } else { &p.name }))
}

/// Words in the reader's language for spreadsheets, slugs for JSON and `--slugs`.
fn words(opts: &ExportOptions) -> Option<Language> {
    (matches!(opts.format, Format::Csv | Format::Xlsx) && !opts.slugs).then_some(opts.language)
}

/// A value as a cell: its word, or its slug.
fn val<T: Slug + 'static>(v: T, w: Option<Language>) -> Cell {
    Cell::word(match w {
        Some(lang) => word(v, lang),
        None => v.slug(),
    })
}

/// The records' scope: a whole workbook covers the report's period, so
/// every sheet counts the same months; one table, and JSON (which is for
/// moving data), cover what the filter says (everything when no period is given).
fn scope(opts: &ExportOptions) -> Result<ReportScope, ExportError> {
    if opts.what.is_some() || opts.format != Format::Xlsx {
        return records_scope(&opts.filter);
    }
    let p = opts.filter.period()?;
    records_scope(&ReportFilter { from: Some(p.from), to: Some(p.to), ..opts.filter.clone() })
}

/// The period the export covers, as a sentence for the top of every sheet.
pub fn period_words(opts: &ExportOptions, lang: Language) -> Result<String, ExportError> {
    let f = &opts.filter;
    let (from, to) = if (opts.what.is_none() && opts.format == Format::Xlsx) || opts.what == Some(What::Report) {
        let p = f.period()?;
        (Some(p.from), Some(p.to))
    } else {
        (f.from, f.to)
    };
    Ok(match (from, to) {
        (Some(a), Some(b)) => tr!(lang, nb: "Periode: {a} – {b}", da: "Periode: {a} – {b}", en: "Period: {a} – {b}"),
        (Some(a), None) => tr!(lang, nb: "Periode: fra {a}", da: "Periode: fra {a}", en: "Period: from {a}"),
        (None, Some(b)) => {
            tr!(lang, nb: "Periode: til og med {b}", da: "Periode: til og med {b}", en: "Period: up to {b}")
        }
        (None, None) => {
            tr!(lang, nb: "Periode: alt som er registrert", da: "Periode: alt, der er registreret", en: "Period: everything recorded")
        }
    })
}

pub fn table(store: &Store, what: What, opts: &ExportOptions) -> Result<Table, ExportError> {
    match what {
        What::Encounters => encounters(store, opts),
        What::Partners => partners(store, opts),
        What::Activities => activities(store, opts),
        What::Report => Ok(report_table(&report::build(store, &opts.filter)?, opts.per_staff, words(opts))),
    }
}

fn encounters(store: &Store, opts: &ExportOptions) -> Result<Table, ExportError> {
    let rows = export_rows::encounters(store.reader(), &scope(opts)?)?;
    let w = words(opts);
    // JSON is for moving data: the whole note. The spreadsheets show its
    // start, as the timeline does (64 characters).
    let full_note = opts.format == Format::Json;
    Ok(Table {
        name: "encounters",
        columns: vec![
            "id",
            "when_utc",
            "place",
            "outside",
            "branch",
            "staff",
            "perspective",
            "counterpart",
            "initiative",
            "role",
            "outcomes",
            "partners",
            "tags",
            if full_note { "note" } else { "note_start" },
        ],
        rows: rows
            .into_iter()
            .map(|e| {
                let note: Cell =
                    if full_note { store.get::<Encounter>(e.id)?.record.note.into() } else { e.preview.into() };
                Ok(vec![
                    e.id.to_string().into(),
                    Cell::Time(e.when.naive_utc()),
                    e.place.into(),
                    e.outside.into(),
                    e.branch.into(),
                    e.staff_name.into(),
                    val(e.perspective, w),
                    val(e.counterpart, w),
                    e.initiative.map_or(Cell::Empty, |v| val(v, w)),
                    e.role.map_or(Cell::Empty, |v| val(v, w)),
                    list(e.outcomes.iter().map(|o| w.map_or(o.slug(), |l| word(*o, l)))),
                    names(&e.partners, opts.personal),
                    list(&e.tags),
                    note,
                ])
            })
            .collect::<Result<_, ExportError>>()?,
    })
}

/// A contact person as one line: `name / role / phone / e-mail`, every
/// place kept (empty ones too), so the importer reads the line back as written.
pub fn contact_line(c: &Contact) -> String {
    [c.name.as_str(), c.role.as_str(), c.phone.as_deref().unwrap_or(""), c.email.as_deref().unwrap_or("")].join(" / ")
}

fn partners(store: &Store, opts: &ExportOptions) -> Result<Table, ExportError> {
    let rows = export_rows::partners(store.reader(), &scope(opts)?)?;
    let w = words(opts);
    let mut columns =
        vec!["id", "name", "kind", "level", "place", "tags", "note", "created", "encounters", "level_moves"];
    if opts.personal {
        columns.extend(["phone", "email", "contacts", "personal_note"]);
    }
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        // The note and the contact details are in the partner's document.
        let full = store.get::<Partner>(p.id)?.record;
        let mut row: Vec<Cell> = vec![
            p.id.to_string().into(),
            if hidden(p.kind, opts.personal) { Cell::word(PRIVATE_PERSON) } else { p.name.into() },
            val(p.kind, w),
            val(p.level, w),
            p.place.into(),
            list(&p.tags),
            Some(full.note).filter(|n| !n.is_empty()).into(),
            Cell::Date(p.created_at.date_naive()),
            p.encounters.into(),
            p.moves.into(),
        ];
        if opts.personal {
            let contacts: Vec<String> = full.contacts.iter().map(contact_line).collect();
            row.extend([
                full.phone.into(),
                full.email.into(),
                Some(contacts.join("\n")).filter(|c| !c.is_empty()).into(),
                Some(full.personal_note).filter(|n| !n.is_empty()).into(),
            ]);
        }
        out.push(row);
    }
    Ok(Table { name: "partners", columns, rows: out })
}

fn activities(store: &Store, opts: &ExportOptions) -> Result<Table, ExportError> {
    let rows = export_rows::activities(store.reader(), &scope(opts)?)?;
    let w = words(opts);
    Ok(Table {
        name: "activities",
        columns: vec![
            "id",
            "title",
            "status",
            "outside",
            "extra_resources",
            "place",
            "tags",
            "created",
            "partners",
            "origin_encounters",
        ],
        rows: rows
            .into_iter()
            .map(|e| {
                let a = e.activity;
                vec![
                    a.id.to_string().into(),
                    a.title.into(),
                    val(a.status, w),
                    a.outside.into(),
                    a.extra_resources.into(),
                    a.place.into(),
                    list(&a.tags),
                    Cell::Date(a.created_at.date_naive()),
                    names(&e.partners, opts.personal),
                    e.origin_encounters.into(),
                ]
            })
            .collect(),
    })
}

/// The four levels of effect (and the period) as the reader calls them.
fn level_name(level: &str, lang: Language) -> String {
    match level {
        "period" => tr!(lang, nb: "Periode", da: "Periode", en: "Period"),
        "personal" => tr!(lang, nb: "1 Personlig", da: "1 Personligt", en: "1 Personal"),
        "institutional" => tr!(lang, nb: "2 Institusjonelt", da: "2 Institutionelt", en: "2 Institutional"),
        "relevance" => tr!(lang, nb: "3 Relevans", da: "3 Relevans", en: "3 Relevance"),
        "visibility" => tr!(lang, nb: "4 Synlighet", da: "4 Synlighed", en: "4 Visibility"),
        other => other.to_string(),
    }
}

/// Every figure of a report as rows of (level, figure, key, value); figures
/// per named staff member only when asked for. With `w`, levels and
/// values' keys are words in that language.
pub fn report_table(r: &Report, per_staff: bool, w: Option<Language>) -> Table {
    let mut rows: Vec<Vec<Cell>> = vec![];
    let mut put = |level: &str, figure: &str, key: &str, value: Cell| {
        let level = w.map_or(level.to_string(), |l| level_name(level, l));
        rows.push(vec![level.into(), figure.into(), if key.is_empty() { Cell::Empty } else { key.into() }, value]);
    };
    let key = |s: &'static str, word: &'static str| if w.is_some() { word } else { s };
    put("period", "from", "", Cell::Date(r.period.from));
    put("period", "to", "", Cell::Date(r.period.to));
    let p = &r.personal;
    put("personal", "encounters", "", p.encounters.into());
    for v in Perspective::ALL {
        put(
            "personal",
            "by_perspective",
            key(v.slug(), w.map_or("", |l| word(*v, l))),
            p.by_perspective.get(*v).into(),
        );
    }
    put("personal", "co_creative_share", "", Cell::Num(p.co_creative_share));
    put("personal", "initiative", "citizen", p.initiative.citizen.into());
    put("personal", "initiative", "library", p.initiative.library.into());
    put("personal", "initiative", "unknown", p.initiative.unknown.into());
    put("personal", "role_in_co_creative", "active", p.role.active.into());
    put("personal", "role_in_co_creative", "facilitating", p.role.facilitating.into());
    put("personal", "role_in_co_creative", "unknown", p.role.unknown.into());
    for s in p.per_staff.iter().filter(|_| per_staff) {
        let who = if s.name.is_empty() { "(none)" } else { &s.name };
        put("personal", "staff_encounters", who, s.encounters.into());
        put("personal", "staff_co_creative", who, s.by_perspective.co_creative.into());
    }
    for m in &p.per_month {
        put("personal", "month_encounters", &m.month, m.encounters.into());
        put("personal", "month_co_creative", &m.month, m.by_perspective.co_creative.into());
    }
    let n = &r.institutional;
    put("institutional", "team_size", "", n.team_size.into());
    put("institutional", "staff_logging", "", n.staff_logging.into());
    put("institutional", "staff_co_creative", "", n.staff_co_creative.into());
    for m in &n.per_month {
        put("institutional", "month_staff_logging", &m.month, m.staff_logging.into());
        put("institutional", "month_staff_co_creative", &m.month, m.staff_co_creative.into());
    }
    for b in &n.branches {
        let name = if b.branch.is_empty() { "(none)" } else { &b.branch };
        put("institutional", "branch_encounters", name, b.encounters.into());
        put("institutional", "branch_co_creative", name, b.co_creative.into());
        put("institutional", "branch_staff_co_creative", name, b.staff_co_creative.into());
    }
    let v = &r.relevance;
    put("relevance", "new_activities", "", v.new_activities.into());
    for s in ActivityStatus::ALL {
        put("relevance", "by_status", key(s.slug(), w.map_or("", |l| word(*s, l))), v.by_status.get(*s).into());
    }
    put("relevance", "inside", "", v.inside.into());
    put("relevance", "outside", "", v.outside.into());
    put("relevance", "without_extra_resources", "", v.without_extra_resources.into());
    put("relevance", "with_extra_resources", "", v.with_extra_resources.into());
    put("relevance", "resources_unknown", "", v.resources_unknown.into());
    for m in &v.per_month {
        put("relevance", "month_inside", &m.month, m.inside.into());
        put("relevance", "month_outside", &m.month, m.outside.into());
    }
    put("relevance", "encounters_marked_new_activity", "", v.encounters_marked_new_activity.into());
    put("relevance", "encounters_origin_of_activity", "", v.encounters_origin_of_activity.into());
    put("relevance", "encounters_outside", "", v.encounters_outside.into());
    let s = &r.visibility;
    for l in Level::ALL {
        let lw = key(l.slug(), w.map_or("", |g| word(*l, g)));
        put("visibility", "level_at_start", lw, s.levels_at_start.get(*l).into());
        put("visibility", "level_at_end", lw, s.levels_at_end.get(*l).into());
    }
    for m in &s.levels_per_month {
        for l in Level::ALL {
            put("visibility", &format!("month_{}", l.slug()), &m.month, m.levels.get(*l).into());
        }
    }
    put("visibility", "new_partners", "", s.new_partners.into());
    put("visibility", "moves_up", "", s.moves_up.into());
    put("visibility", "moves_down", "", s.moves_down.into());
    for k in &s.kinds {
        let kw = key(k.kind.slug(), w.map_or("", |g| word(k.kind, g)));
        put("visibility", "kind_partners", kw, k.partners.into());
        put("visibility", "kind_new", kw, k.new.into());
        put("visibility", "kind_met", kw, k.met.into());
    }
    let d = &s.departments;
    put("visibility", "department_encounters", "", d.encounters.into());
    put("visibility", "from_departments", "", d.from_departments.into());
    put("visibility", "to_departments", "", d.to_departments.into());
    put("visibility", "department_invitations", "", d.invitations.into());
    Table { name: "report", columns: vec!["level", "figure", "key", "value"], rows }
}
