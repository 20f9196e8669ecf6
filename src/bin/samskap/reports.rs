//! `samskap report`, `export` and `import`: parse, call the core, render.

use anyhow::Result;
use samskap::export::{self, ExportOptions};
use samskap::i18n::{Language, Localize};
use samskap::import;
use samskap::report::{self, parse_date, ReportFilter};
use samskap::store::Store;

use crate::args::{ExportArgs, ImportCmd, ReportArgs};
use crate::render;

pub fn filter(a: &ReportArgs) -> Result<ReportFilter> {
    Ok(ReportFilter {
        from: a.from.as_deref().map(parse_date).transpose()?,
        to: a.to.as_deref().map(parse_date).transpose()?,
        branch: a.branch.clone(),
        staff: a.staff,
        partner_kind: a.partner_kind,
    })
}

pub fn report(store: &Store, a: &ReportArgs, json: bool) -> Result<()> {
    let r = report::build(store, &filter(a)?)?;
    if json {
        render::json(&r)
    } else {
        render::report(&r)
    }
}

pub fn export(store: &Store, a: ExportArgs, json: bool) -> Result<()> {
    let opts = ExportOptions {
        format: a.format,
        what: a.what,
        separator: export::separator(a.separator)?,
        personal: a.personal,
        per_staff: a.per_staff,
        slugs: a.slugs,
        language: Language::from_env(),
        filter: filter(&a.report)?,
    };
    let lang = opts.language;
    let written = export::write_file(store, &opts, &a.out).map_err(|e| anyhow::anyhow!(e.localize(lang)))?;
    if json {
        render::json(&written)
    } else {
        render::written(&written, lang);
        Ok(())
    }
}

pub fn import(store: &mut Store, cmd: ImportCmd, json: bool) -> Result<()> {
    match cmd {
        ImportCmd::Partners { file, dry_run, sheet, maps } => {
            let lang = Language::from_env();
            let opts = import::partners::ImportOptions { sheet, maps, language: lang };
            let local = |e: import::ImportError| anyhow::anyhow!(e.localize(lang));
            let plan = import::partners::plan_path(store, &file, &opts).map_err(local)?;
            let done = if dry_run { None } else { Some(import::partners::apply(store, &plan).map_err(local)?) };
            if json {
                render::json(&serde_json::json!({ "dry_run": dry_run, "plan": plan, "created": done }))
            } else {
                render::import_plan(&plan, dry_run, lang)
            }
        }
    }
}
