//! Text and JSON output.

use anyhow::Result;
use samskap::doc::{Conflict, Loaded};
use samskap::model::*;
use samskap::store::*;

pub fn json<T: serde::Serialize + ?Sized>(v: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// `add` prints the new id alone, in text and JSON mode alike.
pub fn created(id: RecordId, json_mode: bool) -> Result<()> {
    if json_mode {
        json(&serde_json::json!({ "id": id }))
    } else {
        println!("{id}");
        Ok(())
    }
}

fn line(label: &str, value: impl std::fmt::Display) {
    let v = value.to_string();
    if !v.is_empty() {
        println!("  {label:<14}{v}");
    }
}

fn conflicts(c: &[Conflict]) {
    for c in c {
        println!("  ! conflict in {}: {}", c.field, c.values.join("  |  "));
    }
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

pub fn partner(store: &Store, p: &Loaded<Partner>) -> Result<()> {
    let r = &p.record;
    println!("{}{}", r.name, if r.deleted { "  (deleted)" } else { "" });
    line("id", r.id);
    line("kind", r.kind);
    line("level", r.level);
    line("place", &r.place);
    line("phone", opt(&r.phone));
    line("e-mail", opt(&r.email));
    line("tags", r.tags.join(", "));
    for c in &r.contacts {
        let parts: Vec<&str> = [Some(c.role.as_str()), c.phone.as_deref(), c.email.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        line("contact", format!("{} ({})", c.name, parts.join(", ")));
    }
    line("note", &r.note);
    for m in &r.level_history {
        let from = m.from.map(|f| format!("{f} → ")).unwrap_or_default();
        line("moved", format!("{} {from}{}", m.at.format("%Y-%m-%d"), m.to));
    }
    for a in &r.agreements {
        line("agreement", &a.title);
    }
    if p.redacted {
        println!("  (personal fields were erased)");
    }
    conflicts(&p.conflicts);
    let linked =
        store.list_encounters(&EncounterQuery { partner: Some(r.id), limit: Some(5), ..Default::default() })?;
    for e in linked {
        line("encounter", format!("{} {} {}", e.when.format("%Y-%m-%d"), e.perspective, e.place));
    }
    Ok(())
}

pub fn encounter(e: &Loaded<Encounter>) -> Result<()> {
    let r = &e.record;
    println!(
        "{} · {} · {}{}",
        r.when.format("%Y-%m-%d %H:%M"),
        r.perspective,
        r.counterpart,
        if r.deleted { "  (deleted)" } else { "" }
    );
    line("id", r.id);
    line("place", format!("{}{}", r.place, if r.outside { " (outside the library)" } else { "" }));
    line("branch", &r.branch);
    line("initiative", opt(&r.initiative));
    line("role", opt(&r.role));
    line("idea", &r.idea);
    line("note", &r.note);
    line("tags", r.tags.join(", "));
    for f in &r.follow_ups {
        line("follow-up", format!("{}{}", f.text, f.due.map(|d| format!(" (by {d})")).unwrap_or_default()));
    }
    for p in &r.partners {
        line("partner", p);
    }
    conflicts(&e.conflicts);
    Ok(())
}

pub fn activity(a: &Loaded<Activity>) -> Result<()> {
    let r = &a.record;
    println!("{} [{}]{}", r.title, r.status, if r.deleted { "  (deleted)" } else { "" });
    line("id", r.id);
    line("place", format!("{}{}", r.place, if r.outside { " (outside the library)" } else { "" }));
    line("extra resources", r.extra_resources.map(|b| if b { "yes" } else { "no" }).unwrap_or(""));
    line("note", &r.note);
    line("tags", r.tags.join(", "));
    conflicts(&a.conflicts);
    Ok(())
}

/// `samskap history`: one line per change, newest first.
pub fn history(h: &RecordHistory) -> Result<()> {
    use samskap::doc::HistoryAction;
    println!("History of {} {} ({} changes, newest first, times in UTC)", h.kind, h.id, h.entries.len());
    for l in &h.entries {
        let e = &l.entry;
        let who = l.staff_name.as_deref().unwrap_or("unknown staff member");
        let short: String = e.device.chars().take(8).collect();
        let device = if l.this_device { "this device".to_string() } else { format!("device {short}") };
        let what = match e.action {
            HistoryAction::Created => "created".to_string(),
            HistoryAction::Deleted => "deleted".to_string(),
            HistoryAction::Restored => "restored".to_string(),
            HistoryAction::Edited if e.fields.is_empty() => "saved without changes".to_string(),
            HistoryAction::Edited => format!("changed {}", e.fields.join(", ")),
        };
        let also = match e.action {
            HistoryAction::Deleted | HistoryAction::Restored if !e.fields.is_empty() => {
                format!("; changed {}", e.fields.join(", "))
            }
            _ => String::new(),
        };
        println!("  {}  {who} ({device})  {what}{also}", e.at.format("%Y-%m-%d %H:%M"));
    }
    Ok(())
}

pub fn encounter_rows(rows: &[EncounterRow]) -> Result<()> {
    for r in rows {
        println!(
            "{}  {}  {:<13} {:<20} {}  {}",
            r.id,
            r.when.format("%Y-%m-%d"),
            r.perspective.to_string(),
            r.counterpart.to_string(),
            r.place,
            r.preview
        );
    }
    Ok(())
}

pub fn partner_rows(rows: &[PartnerRow]) -> Result<()> {
    for r in rows {
        println!("{}  {:<13} {:<20} {}  {}", r.id, r.level.to_string(), r.kind.to_string(), r.name, r.place);
    }
    Ok(())
}

pub fn activity_rows(rows: &[ActivityRow]) -> Result<()> {
    for r in rows {
        println!("{}  {:<8} {}{}", r.id, r.status.to_string(), r.title, if r.outside { " (outside)" } else { "" });
    }
    Ok(())
}

pub fn search(hits: &[SearchHit]) -> Result<()> {
    if hits.is_empty() {
        eprintln!("No matches.");
    }
    for h in hits {
        println!("{}  {:<9} {}  {}", h.id, h.kind.to_string(), h.title, h.detail);
    }
    Ok(())
}

fn pct(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// `samskap report`: the four levels as a readable summary.
pub fn report(r: &samskap::report::Report) -> Result<()> {
    use samskap::report::share;
    let f = &r.filter;
    let mut scope = vec![];
    if let Some(b) = &f.branch {
        scope.push(format!("branch {b}"));
    }
    if let Some(s) = f.staff {
        scope.push(format!("staff {s}"));
    }
    if let Some(k) = f.partner_kind {
        scope.push(format!("partners of kind {k}"));
    }
    let scope = if scope.is_empty() { String::new() } else { format!("  ({})", scope.join(", ")) };
    println!("Effects {} – {}{scope}", r.period.from, r.period.to);

    let p = &r.personal;
    println!("\n1 Personal: how staff meet people");
    line("encounters", p.encounters);
    for v in Perspective::ALL {
        let n = p.by_perspective.get(*v);
        line(v.slug(), format!("{n} ({})", pct(share(n, p.encounters))));
    }
    let i = &p.initiative;
    line("initiative", format!("citizen/partner {} · library {} · not said {}", i.citizen, i.library, i.unknown));
    let ro = &p.role;
    line(
        "role",
        format!("active {} · facilitating {} · not said {} (co-creative)", ro.active, ro.facilitating, ro.unknown),
    );
    if !p.per_staff.is_empty() {
        println!("  per staff member");
        for s in &p.per_staff {
            let name = if s.name.is_empty() { "(no staff member)" } else { &s.name };
            println!("    {:<28}{:>7}  {} co-creative", name, s.encounters, pct(s.co_creative_share));
        }
    }
    println!("  per month              all  co-creative");
    for m in &p.per_month {
        println!(
            "    {}   {:>10}  {:>6} ({})",
            m.month,
            m.encounters,
            m.by_perspective.co_creative,
            pct(m.co_creative_share)
        );
    }

    let n = &r.institutional;
    println!("\n2 Institutional: co-creation across the team");
    line("team", format!("{} staff profiles", n.team_size));
    line(
        "logging",
        format!("{} staff logged encounters; {} logged co-creative ones", n.staff_logging, n.staff_co_creative),
    );
    println!("  per month      staff logging  co-creating");
    for m in &n.per_month {
        println!("    {}   {:>13}  {:>11}", m.month, m.staff_logging, m.staff_co_creative);
    }
    for b in &n.branches {
        let name = if b.branch.is_empty() { "(no branch)" } else { &b.branch };
        line(
            "branch",
            format!(
                "{name}: {} encounters, {} co-creative, {} staff co-creating",
                b.encounters,
                pct(b.co_creative_share),
                b.staff_co_creative
            ),
        );
    }

    let v = &r.relevance;
    println!("\n3 Relevance: what citizens get");
    line("new activities", v.new_activities);
    let st: Vec<String> = ActivityStatus::ALL.iter().map(|s| format!("{s} {}", v.by_status.get(*s))).collect();
    line("status now", st.join(" · "));
    line("where", format!("inside the library {} · outside {}", v.inside, v.outside));
    line(
        "resources",
        format!(
            "without extra {} · with extra {} · not said {}",
            v.without_extra_resources, v.with_extra_resources, v.resources_unknown
        ),
    );
    line(
        "led to activity",
        format!(
            "{} encounters marked so; {} named as an activity's origin",
            v.encounters_marked_new_activity, v.encounters_origin_of_activity
        ),
    );
    line("outside", format!("{} encounters outside the library room", v.encounters_outside));

    let s = &r.visibility;
    println!("\n4 Visibility: the network circle");
    for l in Level::ALL {
        line(l.slug(), format!("{} → {}", s.levels_at_start.get(*l), s.levels_at_end.get(*l)));
    }
    line("moves", format!("{} new partners · {} up · {} down", s.new_partners, s.moves_up, s.moves_down));
    for k in &s.kinds {
        line(k.kind.slug(), format!("{} partners, {} new, {} met", k.partners, k.new, k.met));
    }
    let d = &s.departments;
    line(
        "departments",
        format!(
            "{} encounters: {} on their initiative, {} on ours, {} invitations",
            d.encounters, d.from_departments, d.to_departments, d.invitations
        ),
    );
    Ok(())
}

/// `samskap export`: what was written, in the person's language.
pub fn written(w: &samskap::export::Written, lang: samskap::i18n::Language) {
    let (format, rows, path) = (w.format, w.rows, &w.path);
    println!(
        "{}",
        samskap::tr!(lang,
            nb: "Skrev {format} ({rows} rader) til {path}.",
            da: "Skrev {format} ({rows} rækker) til {path}.",
            en: "Wrote {format} ({rows} rows) to {path}.")
    );
}

/// `samskap import partners`: what was (or would be) created, skipped and refused, in the person's language.
pub fn import_plan(
    plan: &samskap::import::partners::ImportPlan,
    dry_run: bool,
    lang: samskap::i18n::Language,
) -> Result<()> {
    use samskap::import::partners::{kind_word, level_word};
    use samskap::tr;
    let (rows, detected, header) = (plan.rows, &plan.detected, plan.header_line);
    println!(
        "{}",
        tr!(lang,
            nb: "Leste {rows} rader fra en {detected}-fil (overskrifter på rad {header}).",
            da: "Læste {rows} rækker fra en {detected}-fil (overskrifter i række {header}).",
            en: "Read {rows} rows from a {detected} file (headers on row {header}).")
    );
    if !plan.ignored_columns.is_empty() {
        let cols = plan.ignored_columns.join(", ");
        println!(
            "{}",
            tr!(lang, nb: "Kolonner som ikke importeres: {cols}", da: "Kolonner, der ikke importeres: {cols}", en: "Columns not imported: {cols}")
        );
    }
    let n = plan.create.len();
    let head = if dry_run {
        tr!(lang, nb: "Ville opprette {n} partnere:", da: "Ville oprette {n} partnere:", en: "Would create {n} partners:")
    } else {
        tr!(lang, nb: "Opprettet {n} partnere:", da: "Oprettede {n} partnere:", en: "Created {n} partners:")
    };
    println!("{head}");
    let line_word = tr!(lang, nb: "rad", da: "række", en: "line");
    for p in &plan.create {
        println!(
            "  {line_word} {:>4}  {} ({}, {})",
            p.line,
            p.name,
            kind_word(p.kind, lang),
            level_word(p.level, lang)
        );
    }
    if !plan.skipped.is_empty() {
        let n = plan.skipped.len();
        println!("{}", tr!(lang, nb: "Hoppet over {n} rader:", da: "Sprang {n} rækker over:", en: "Skipped {n} rows:"));
        for s in &plan.skipped {
            println!("  {line_word} {:>4}  {}: {}", s.line, s.name, s.reason);
        }
    }
    if !plan.warnings.is_empty() {
        let n = plan.warnings.len();
        println!("{}", tr!(lang, nb: "{n} advarsler:", da: "{n} advarsler:", en: "{n} warnings:"));
        for w in &plan.warnings {
            println!("  {line_word} {:>4}  {}", w.line, w.message);
        }
    }
    if !plan.bad.is_empty() {
        let n = plan.bad.len();
        println!(
            "{}",
            if dry_run {
                tr!(lang, nb: "{n} rader med feil:", da: "{n} rækker med fejl:", en: "{n} bad rows:")
            } else {
                tr!(lang, nb: "{n} rader med feil (ikke importert):", da: "{n} rækker med fejl (ikke importeret):", en: "{n} bad rows (not imported):")
            }
        );
        for b in &plan.bad {
            println!("  {line_word} {:>4}  {}", b.line, b.reason);
        }
    }
    for u in &plan.unknown_terms {
        let term = &u.term;
        let example = if u.field == samskap::import::Field::Level { "partnership" } else { "public-body" };
        println!(
            "{}",
            tr!(lang,
                nb: "Ukjent ord «{term}»: importer på nytt med --map \"{term}={example}\" (eller en annen type/et annet nivå).",
                da: "Ukendt ord »{term}«: importér igen med --map \"{term}={example}\" (eller en anden type/et andet niveau).",
                en: "Unknown term «{term}»: import again with --map \"{term}={example}\" (or another kind or level).")
        );
    }
    if dry_run {
        println!(
            "{}",
            tr!(lang, nb: "Ingenting ble endret (prøvekjøring).", da: "Intet blev ændret (prøvekørsel).", en: "Nothing was changed (dry run).")
        );
    }
    Ok(())
}
