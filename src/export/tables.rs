//! Records and report figures as tables.

use super::table::{list, Cell, Table};
use super::{ExportError, ExportOptions, What};
use crate::model::*;
use crate::report::{self, Report, ReportFilter};
use crate::store::{PartnerRef, ReportScope, Store};

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

fn slug<T: Slug>(v: T) -> Cell {
    Cell::word(v.slug())
}

pub fn table(store: &Store, what: What, opts: &ExportOptions) -> Result<Table, ExportError> {
    match what {
        What::Encounters => encounters(store, opts),
        What::Partners => partners(store, opts),
        What::Activities => activities(store, opts),
        What::Report => Ok(report_table(&report::build(store, &opts.filter)?)),
    }
}

fn encounters(store: &Store, opts: &ExportOptions) -> Result<Table, ExportError> {
    let rows = store.export_encounters(&records_scope(&opts.filter)?)?;
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
            "note_start",
        ],
        rows: rows
            .into_iter()
            .map(|e| {
                vec![
                    e.id.to_string().into(),
                    Cell::Time(e.when.naive_utc()),
                    e.place.into(),
                    e.outside.into(),
                    e.branch.into(),
                    e.staff_name.into(),
                    slug(e.perspective),
                    slug(e.counterpart),
                    e.initiative.map_or(Cell::Empty, slug),
                    e.role.map_or(Cell::Empty, slug),
                    list(e.outcomes.iter().map(|o| o.slug())),
                    names(&e.partners, opts.personal),
                    list(&e.tags),
                    e.preview.into(),
                ]
            })
            .collect(),
    })
}

fn partners(store: &Store, opts: &ExportOptions) -> Result<Table, ExportError> {
    let rows = store.export_partners(&records_scope(&opts.filter)?)?;
    let mut columns = vec!["id", "name", "kind", "level", "place", "tags", "created", "encounters", "level_moves"];
    if opts.personal {
        columns.extend(["phone", "email", "contacts"]);
    }
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        let mut row: Vec<Cell> = vec![
            p.id.to_string().into(),
            if hidden(p.kind, opts.personal) { Cell::word(PRIVATE_PERSON) } else { p.name.into() },
            slug(p.kind),
            slug(p.level),
            p.place.into(),
            list(&p.tags),
            Cell::Date(p.created_at.date_naive()),
            p.encounters.into(),
            p.moves.into(),
        ];
        if opts.personal {
            // Contact details are sealed in the partner's document.
            let full = store.get::<Partner>(p.id)?.record;
            let contacts = full.contacts.iter().map(|c| {
                let parts: Vec<&str> =
                    [Some(c.name.as_str()), Some(c.role.as_str()), c.phone.as_deref(), c.email.as_deref()]
                        .into_iter()
                        .flatten()
                        .filter(|s| !s.is_empty())
                        .collect();
                parts.join(" / ")
            });
            row.extend([full.phone.into(), full.email.into(), list(contacts.collect::<Vec<_>>())]);
        }
        out.push(row);
    }
    Ok(Table { name: "partners", columns, rows: out })
}

fn activities(store: &Store, opts: &ExportOptions) -> Result<Table, ExportError> {
    let rows = store.export_activities(&records_scope(&opts.filter)?)?;
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
            .map(|a| {
                vec![
                    a.id.to_string().into(),
                    a.title.into(),
                    slug(a.status),
                    a.outside.into(),
                    a.extra_resources.into(),
                    a.place.into(),
                    list(&a.tags),
                    Cell::Date(a.created_at.date_naive()),
                    names(&a.partners, opts.personal),
                    a.origin_encounters.into(),
                ]
            })
            .collect(),
    })
}

/// Every figure of a report as rows of (level, figure, key, value).
pub fn report_table(r: &Report) -> Table {
    let mut rows: Vec<Vec<Cell>> = vec![];
    let mut put = |level: &str, figure: &str, key: &str, value: Cell| {
        rows.push(vec![level.into(), figure.into(), if key.is_empty() { Cell::Empty } else { key.into() }, value]);
    };
    put("period", "from", "", Cell::Date(r.period.from));
    put("period", "to", "", Cell::Date(r.period.to));
    let p = &r.personal;
    put("personal", "encounters", "", p.encounters.into());
    for v in Perspective::ALL {
        put("personal", "by_perspective", v.slug(), p.by_perspective.get(*v).into());
    }
    put("personal", "co_creative_share", "", Cell::Num(p.co_creative_share));
    put("personal", "initiative", "citizen", p.initiative.citizen.into());
    put("personal", "initiative", "library", p.initiative.library.into());
    put("personal", "initiative", "unknown", p.initiative.unknown.into());
    put("personal", "role_in_co_creative", "active", p.role.active.into());
    put("personal", "role_in_co_creative", "facilitating", p.role.facilitating.into());
    put("personal", "role_in_co_creative", "unknown", p.role.unknown.into());
    for s in &p.per_staff {
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
        put("relevance", "by_status", s.slug(), v.by_status.get(*s).into());
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
        put("visibility", "level_at_start", l.slug(), s.levels_at_start.get(*l).into());
        put("visibility", "level_at_end", l.slug(), s.levels_at_end.get(*l).into());
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
        put("visibility", "kind_partners", k.kind.slug(), k.partners.into());
        put("visibility", "kind_new", k.kind.slug(), k.new.into());
        put("visibility", "kind_met", k.kind.slug(), k.met.into());
    }
    let d = &s.departments;
    put("visibility", "department_encounters", "", d.encounters.into());
    put("visibility", "from_departments", "", d.from_departments.into());
    put("visibility", "to_departments", "", d.to_departments.into());
    put("visibility", "department_invitations", "", d.invitations.into());
    Table { name: "report", columns: vec!["level", "figure", "key", "value"], rows }
}
