//! Exports written by the real binary and read back: XLSX with calamine,
//! CSV with the csv crate, JSON, and the printable HTML report.

use calamine::{Data, Reader, Xlsx};
use samskap::export::PRIVATE_PERSON;
use samskap::model::*;
use samskap::report::{self, ReportFilter};
use samskap::store::ReportScope;

use crate::report::scenario;
use crate::util::Tablet;

const QUARTER: [&str; 4] = ["--from", "2026-01-01", "--to", "2026-03-31"];

fn tablet() -> (Tablet, crate::report::Scenario) {
    let mut s = scenario();
    let dir = std::mem::replace(&mut s.dir, tempfile::tempdir().unwrap());
    {
        // A private person as partner: their name is personal data.
        let mut store = crate::report::open(dir.path());
        let mut p = Partner::new("Áile Somby", PartnerKind::Citizen, Level::Network);
        p.phone = Some("915 55 555".into());
        let id = store.create(&p).unwrap();
        store.update::<Encounter>(s.encounters[1], |e| e.partners.push(id)).unwrap();
    }
    (Tablet { dir }, s)
}

/// Runs the binary in a language (`SAMSKAP_LANG`) and expects success; returns stdout.
fn in_lang(t: &Tablet, lang: &str, args: &[&str]) -> String {
    let out = t.cmd().env("SAMSKAP_LANG", lang).args(args).output().unwrap();
    assert!(out.status.success(), "samskap {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn all_scope() -> ReportScope {
    ReportScope { from_ms: i64::MIN, to_ms: i64::MAX, ..Default::default() }
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn xlsx_reads_back_with_the_same_values() {
    let (t, _s) = tablet();
    let out = t.path().join("samskap.xlsx");
    let mut args = vec!["export", "--format", "xlsx", "--slugs", "--out", out.to_str().unwrap()];
    args.extend(QUARTER);
    let printed = in_lang(&t, "en", &args);
    assert!(printed.contains("Wrote xlsx"), "{printed}");

    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["encounters", "partners", "activities", "report"]);

    let store = crate::report::open(t.path());
    let scope = ReportScope {
        from_ms: crate::report::t("2026-01-01T00:00:00Z").timestamp_millis(),
        to_ms: crate::report::t("2026-04-01T00:00:00Z").timestamp_millis(),
        ..Default::default()
    };
    let encounters = samskap::store::export_rows::encounters(store.reader(), &scope).unwrap();
    assert_eq!(encounters.len(), 5);
    let sheet = wb.worksheet_range("encounters").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 1 + encounters.len());
    assert_eq!(text(&rows[0][0]), "id");
    assert_eq!(text(&rows[0][1]), "when_utc");
    for (row, e) in rows[1..].iter().zip(&encounters) {
        assert_eq!(text(&row[0]), e.id.to_string());
        let Data::DateTime(when) = &row[1] else { panic!("when is a date cell: {:?}", row[1]) };
        assert_eq!(when.as_datetime().unwrap(), e.when.naive_utc());
        assert_eq!(text(&row[2]), e.place);
        assert_eq!(row[3], Data::Bool(e.outside));
        assert_eq!(text(&row[4]), e.branch);
        assert_eq!(text(&row[6]), e.perspective.slug());
        let names: Vec<String> = e
            .partners
            .iter()
            .map(|p| if p.kind == PartnerKind::Citizen { PRIVATE_PERSON.into() } else { p.name.clone() })
            .collect();
        assert_eq!(text(&row[11]), names.join(", "));
    }
    assert!(rows[1..].iter().any(|r| text(&r[11]) == PRIVATE_PERSON), "the private person is not named");

    let partners = wb.worksheet_range("partners").unwrap();
    let prow: Vec<&[Data]> = partners.rows().collect();
    assert_eq!(prow.len(), 1 + 4);
    assert!(!prow[0].iter().any(|h| text(h) == "phone"), "no contact columns unless asked for");
    let Data::DateTime(created) = &prow[1][7] else { panic!("created is a date cell") };
    assert!(created.is_datetime());

    let r = report::build(
        &store,
        &ReportFilter {
            from: Some(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            to: Some(chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()),
            ..Default::default()
        },
    )
    .unwrap();
    let figures = wb.worksheet_range("report").unwrap();
    let find = |level: &str, figure: &str, key: &str| -> Data {
        figures
            .rows()
            .find(|r| text(&r[0]) == level && text(&r[1]) == figure && text(&r[2]) == key)
            .map(|r| r[3].clone())
            .unwrap_or_else(|| panic!("no {level}/{figure}/{key}"))
    };
    assert_eq!(find("personal", "encounters", ""), Data::Float(r.personal.encounters as f64));
    assert_eq!(find("personal", "co_creative_share", ""), Data::Float(0.6));
    assert_eq!(find("visibility", "month_partnership", "2026-03"), Data::Float(1.0));
    assert_eq!(find("visibility", "moves_down", ""), Data::Float(r.visibility.moves_down as f64));
    assert_eq!(find("relevance", "by_status", "running"), Data::Float(1.0));
    let Data::DateTime(from) = find("period", "from", "") else { panic!("the period is in date cells") };
    assert_eq!(from.as_datetime().unwrap().date(), r.period.from);
}

#[test]
fn csv_parses_back_to_the_records() {
    let (t, _s) = tablet();
    let out = t.path().join("encounters.csv");
    t.ok(&[
        "export",
        "--format",
        "csv",
        "--what",
        "encounters",
        "--slugs",
        "--separator",
        ";",
        "--out",
        out.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a byte-order mark, for Excel");
    let mut r = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header[..4], ["id", "when_utc", "place", "outside"]);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let store = crate::report::open(t.path());
    let encounters = samskap::store::export_rows::encounters(store.reader(), &all_scope()).unwrap();
    assert_eq!(rows.len(), 7);
    for (row, e) in rows.iter().zip(&encounters) {
        assert_eq!(&row[0], e.id.to_string());
        assert_eq!(&row[1], e.when.format("%Y-%m-%d %H:%M:%S").to_string(), "an ISO date-time Excel recognises");
        assert_eq!(&row[2], e.place);
        assert_eq!(&row[3], if e.outside { "yes" } else { "no" });
        assert_eq!(&row[4], e.branch);
        assert_eq!(&row[5], e.staff_name.as_deref().unwrap_or(""));
        assert_eq!(&row[6], e.perspective.slug());
        assert_eq!(&row[7], e.counterpart.slug());
        assert_eq!(&row[8], e.initiative.map_or("", |i| i.slug()));
        assert_eq!(&row[9], e.role.map_or("", |i| i.slug()));
        let outcomes: Vec<&str> = e.outcomes.iter().map(|o| o.slug()).collect();
        assert_eq!(&row[10], outcomes.join(", "));
    }
    drop(store);

    // The report's figures with decimal commas for Norwegian and Danish Excel.
    let out = t.path().join("report.csv");
    let mut args = vec!["export", "--format", "csv", "--what", "report", "--slugs", "--separator", ";", "--out"];
    args.push(out.to_str().unwrap());
    args.extend(QUARTER);
    t.ok(&args);
    let text = String::from_utf8(std::fs::read(&out).unwrap()[3..].to_vec()).unwrap();
    assert!(text.contains("personal;co_creative_share;;0,6\n"), "{text}");
    assert!(text.contains("period;from;;2026-01-01\n"));

    // Partners: the private person's name and contact details only when asked for.
    let out = t.path().join("partners.csv");
    t.ok(&["export", "--format", "csv", "--what", "partners", "--out", out.to_str().unwrap()]);
    let plain = String::from_utf8(std::fs::read(&out).unwrap()).unwrap();
    assert!(plain.contains(PRIVATE_PERSON) && !plain.contains("Áile Somby") && !plain.contains("915 55 555"));
    t.ok(&["export", "--format", "csv", "--what", "partners", "--personal", "--out", out.to_str().unwrap()]);
    let personal = String::from_utf8(std::fs::read(&out).unwrap()).unwrap();
    assert!(personal.contains("Áile Somby") && personal.contains("915 55 555"), "{personal}");
}

#[test]
fn json_and_html_reports() {
    let (t, _s) = tablet();
    let out = t.path().join("report.json");
    let mut args = vec!["export", "--format", "json", "--what", "report", "--out", out.to_str().unwrap()];
    args.extend(QUARTER);
    t.ok(&args);
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let mut args = vec!["report"];
    args.extend(QUARTER);
    assert_eq!(written, t.json(&args), "the JSON export is `report --json`");

    let out = t.path().join("report.html");
    let mut args = vec!["export", "--format", "html", "--out", out.to_str().unwrap()];
    args.extend(QUARTER);
    in_lang(&t, "en", &args);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert_eq!(html.matches("<svg").count(), 5, "a chart per level, two for the first");
    for banned in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(banned), "no external resources or scripts: {banned}");
    }
    assert!(html.contains("4 Visibility") && html.contains("Vadsø"));
    assert!(html.contains(r#"<html lang="en">"#) && !html.contains("Ingrid Haugen"), "no figures per staff member");
    let mut staff = args.clone();
    staff.push("--per-staff");
    in_lang(&t, "en", &staff);
    assert!(std::fs::read_to_string(&out).unwrap().contains("Ingrid Haugen"), "per staff only when asked for");
    for (lang, words) in [("nb", ["4 Synlighet", "Offentlig instans"]), ("da", ["4 Synlighed", "Offentlig myndighed"])]
    {
        in_lang(&t, lang, &args);
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.contains(&format!(r#"<html lang="{lang}">"#)), "{lang}");
        assert!(html.contains(words[0]), "{lang}: {}", words[0]);
        assert!(!html.contains("municipal-department") && !html.contains(">public-body<"), "kinds are words");
    }
}

#[test]
fn bad_export_options_write_nothing() {
    let (t, _s) = tablet();
    let out = t.path().join("x.csv");
    let o = out.to_str().unwrap();
    let err = t.fails(&["export", "--format", "pdf", "--out", o]);
    assert!(err.contains("unknown export format 'pdf'"), "{err}");
    let err = t.fails(&["export", "--format", "csv", "--out", o]);
    assert!(err.contains("--what"), "{err}");
    let err = t.fails(&["export", "--format", "csv", "--what", "encounters", "--separator", "|", "--out", o]);
    assert!(err.contains("separator"), "{err}");
    let nowhere = t.path().join("nowhere/x.xlsx");
    let out2 = t
        .cmd()
        .env("SAMSKAP_LANG", "en")
        .args(["export", "--format", "xlsx", "--out", nowhere.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8(out2.stderr).unwrap();
    assert!(!out2.status.success() && err.contains("no folder"), "{err}");
    let out2 = t
        .cmd()
        .env("SAMSKAP_LANG", "nb")
        .args(["export", "--format", "xlsx", "--out", nowhere.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8(out2.stderr).unwrap().contains("finnes ikke"), "in the reader's language");
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// What a partner holds that an export can carry, in a comparable order.
fn portable(p: &Partner) -> serde_json::Value {
    let mut contacts: Vec<_> =
        p.contacts.iter().map(|c| (c.name.clone(), c.role.clone(), c.phone.clone(), c.email.clone())).collect();
    contacts.sort();
    let mut tags = p.tags.clone();
    tags.sort();
    serde_json::json!({
        "id": p.id, "name": p.name, "kind": p.kind, "level": p.level, "place": p.place, "tags": tags,
        "note": p.note, "personal_note": p.personal_note, "phone": p.phone, "email": p.email, "contacts": contacts,
    })
}

fn all_partners(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let store = crate::report::open(dir);
    let rows =
        store.list_partners(&samskap::store::PartnerQuery { limit: Some(10_000), ..Default::default() }).unwrap();
    let mut v: Vec<serde_json::Value> =
        rows.iter().map(|r| portable(&store.get::<Partner>(r.id).unwrap().record)).collect();
    v.sort_by_key(|p| p["id"].as_str().unwrap().to_string());
    v
}

/// Partners with everything an office keeps: contact people, levels, tags,
/// notes, a number starting with `+` (which the CSV guards with `'`), Sámi
/// letters, and two partners that share name and kind.
fn rich_partners() -> Tablet {
    let t = Tablet::new("Ingrid Haugen", "Vadsø");
    let mut store = crate::report::open(t.path());
    let mut a = Partner::new("Guovdageaidnu girjerájus ustibat", PartnerKind::Association, Level::Partnership);
    a.place = "Guovdageaidnu".into();
    a.phone = Some("+47 915 00 001".into());
    a.email = Some("ustibat@example.no".into());
    a.tags = vec!["sámi".into(), "lesesirkel".into()];
    a.note = "- møtes første tirsdag\n=ikke en formel".into();
    a.personal_note = "Máret foretrekker SMS".into();
    a.contacts.push(Contact {
        id: item_id(),
        name: "Máret Ánte Sara".into(),
        role: "leder".into(),
        phone: Some("+47 915 00 002".into()),
        email: Some("maret@example.no".into()),
        basis: None,
    });
    a.contacts.push(Contact {
        id: item_id(),
        name: "Nils Aslak".into(),
        role: String::new(),
        phone: None,
        email: None,
        basis: None,
    });
    store.create(&a).unwrap();
    for (name, kind, level, place) in [
        ("Frivilligsentralen", PartnerKind::VolunteerGroup, Level::Collaboration, "Vadsø"),
        ("Frivilligsentralen", PartnerKind::VolunteerGroup, Level::Network, "Vadsø"),
        ("Vadsø kommune, kultur", PartnerKind::MunicipalDepartment, Level::Network, ""),
        ("Áile Somby", PartnerKind::Citizen, Level::Network, "Vadsø"),
    ] {
        let mut p = Partner::new(name, kind, level);
        p.place = place.into();
        store.create(&p).unwrap();
    }
    drop(store);
    t
}

#[test]
fn every_partner_export_reimports_losslessly_and_changes_nothing_at_home() {
    let home = rich_partners();
    let want = all_partners(home.path());
    assert_eq!(want.len(), 5);
    let exports: &[(&str, &[&str])] = &[
        ("partners.csv", &["--format", "csv", "--what", "partners"]),
        ("partners-semicolon.csv", &["--format", "csv", "--what", "partners", "--separator", ";"]),
        ("partners-slugs.csv", &["--format", "csv", "--what", "partners", "--slugs"]),
        ("partners.xlsx", &["--format", "xlsx", "--what", "partners"]),
        ("everything.xlsx", &["--format", "xlsx"]),
        ("partners.json", &["--format", "json", "--what", "partners"]),
        ("everything.json", &["--format", "json"]),
    ];
    for lang in ["nb", "da", "en"] {
        for (name, args) in exports {
            let file = home.path().join(name);
            let mut a = vec!["export", "--personal", "--out", file.to_str().unwrap()];
            a.extend_from_slice(args);
            in_lang(&home, lang, &a);
            let empty = Tablet::new("Mette Jensen", "Næstved");
            let got = in_lang(&empty, lang, &["import", "partners", file.to_str().unwrap(), "--json"]);
            let got: serde_json::Value = serde_json::from_str(&got).unwrap();
            assert_eq!(got["created"]["created"], 5, "{lang} {name}: {}", got["plan"]);
            assert!(got["plan"]["warnings"].as_array().unwrap().is_empty(), "{lang} {name}");
            assert_eq!(all_partners(empty.path()), want, "{lang} {name}: everything came back");
            let before = home.snapshot();
            let again = in_lang(&home, lang, &["import", "partners", file.to_str().unwrap(), "--json"]);
            let again: serde_json::Value = serde_json::from_str(&again).unwrap();
            assert_eq!(again["created"]["created"], 0, "{lang} {name}");
            assert_eq!(again["plan"]["skipped"].as_array().unwrap().len(), 5, "{lang} {name}: matched on id");
            assert_eq!(before, home.snapshot(), "{lang} {name}: importing it at home changes nothing");
        }
    }
}

#[test]
fn the_json_export_holds_whole_notes() {
    let (t, s) = tablet();
    let long = "Språkkafé med 14 deltakere. ".repeat(12);
    {
        let mut store = crate::report::open(t.path());
        store.update::<Encounter>(s.encounters[0], |e| e.note = long.clone()).unwrap();
    }
    let out = t.path().join("all.json");
    t.ok(&["export", "--format", "json", "--out", out.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let e = v["encounters"].as_array().unwrap().iter().find(|e| e["id"] == s.encounters[0].to_string()).unwrap();
    assert_eq!(e["note"], long.as_str(), "the whole note, not its start");
    assert!(e.get("note_start").is_none());
}

#[test]
fn xlsx_in_words_states_its_period_on_every_sheet() {
    let (t, _s) = tablet();
    let out = t.path().join("ord.xlsx");
    let mut args = vec!["export", "--format", "xlsx", "--out", out.to_str().unwrap()];
    args.extend(QUARTER);
    in_lang(&t, "nb", &args);
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["Møter", "Partnere", "Aktiviteter", "Rapport"]);
    for name in wb.sheet_names() {
        let sheet = wb.worksheet_range(&name).unwrap();
        let rows: Vec<&[Data]> = sheet.rows().collect();
        assert_eq!(text(&rows[0][0]), "Periode: 2026-01-01 – 2026-03-31", "{name}");
    }
    let enc = wb.worksheet_range("Møter").unwrap();
    let rows: Vec<&[Data]> = enc.rows().collect();
    assert_eq!(text(&rows[2][0]), "ID");
    assert_eq!(text(&rows[2][3]), "Utenfor biblioteksrommet");
    assert!(rows[3..].iter().all(|r| ["Ja", "Nei"].contains(&text(&r[3]).as_str())), "booleans are Ja/Nei");
    assert!(rows[3..].iter().any(|r| text(&r[6]) == "Samskapende"), "values are words");
    assert_eq!(rows.len(), 3 + 5, "the records cover the report's period: the quarter's five encounters");
    // Without --from, the records and the report both cover the last twelve months.
    let out2 = t.path().join("ord2.xlsx");
    in_lang(&t, "nb", &["export", "--format", "xlsx", "--out", out2.to_str().unwrap()]);
    let mut wb: Xlsx<_> = calamine::open_workbook(&out2).unwrap();
    let p = ReportFilter::default().period().unwrap();
    let want = format!("Periode: {} – {}", p.from, p.to);
    for name in wb.sheet_names() {
        let sheet = wb.worksheet_range(&name).unwrap();
        assert_eq!(text(&sheet.rows().next().unwrap()[0]), want, "{name}");
    }
}

/// A tool from apt: the tests that need it run in CI (`CI=true`) and are
/// skipped, loudly, only where it is missing outside CI.
fn tool(name: &str) -> bool {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var("CI").is_err(), "{name} is needed in CI (scripts/env.sh installs it)");
        eprintln!("\n*** SKIPPED: {name} is not installed (apt-get install it; scripts/env.sh does) ***\n");
    }
    found
}

/// Converts `file` with LibreOffice headless; returns the files it wrote.
fn soffice(
    file: &std::path::Path,
    infilter: Option<&str>,
    to: &str,
    outdir: &std::path::Path,
) -> Vec<std::path::PathBuf> {
    let profile = format!("-env:UserInstallation=file://{}", outdir.join("lo-profile").display());
    let mut cmd = std::process::Command::new("soffice");
    cmd.args([&profile, "--headless"]);
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    let st = cmd.args(["--convert-to", to, "--outdir"]).arg(outdir).arg(file).output().unwrap();
    assert!(st.status.success(), "soffice: {}", String::from_utf8_lossy(&st.stderr));
    let mut v: Vec<_> =
        std::fs::read_dir(outdir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file() && p != file).collect();
    v.sort();
    v
}

#[test]
fn libreoffice_reads_dates_as_dates_and_numbers_as_numbers() {
    if !tool("soffice") {
        return;
    }
    let (t, _s) = tablet();
    let work = tempfile::tempdir().unwrap();
    // XLSX: saved again by LibreOffice as CSV "as shown", every sheet: a
    // column too narrow for its dates would show ###.
    let xlsx = work.path().join("samskap.xlsx");
    let mut args = vec!["export", "--format", "xlsx", "--out", xlsx.to_str().unwrap()];
    args.extend(QUARTER);
    in_lang(&t, "nb", &args);
    let out = tempfile::tempdir().unwrap();
    let csvs = soffice(
        &xlsx,
        None,
        "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,-1",
        out.path(),
    );
    assert_eq!(csvs.len(), 4, "a CSV per sheet: {csvs:?}");
    for f in &csvs {
        let shown = std::fs::read_to_string(f).unwrap();
        assert!(!shown.contains("###"), "{}: a column is too narrow:\n{shown}", f.display());
    }
    let encounters = csvs.iter().find(|f| f.to_string_lossy().contains("Møter")).expect("the Møter sheet");
    let shown = std::fs::read_to_string(encounters).unwrap();
    assert!(shown.lines().nth(3).unwrap().split(';').nth(1).unwrap().starts_with("2026-0"), "{shown}");

    // The ';' CSV, opened by LibreOffice (as Norwegian Excel would) and saved
    // as XLSX: dates are date cells and numbers are number cells.
    let csv = work.path().join("partnere.csv");
    in_lang(
        &t,
        "nb",
        &["export", "--format", "csv", "--what", "partners", "--separator", ";", "--out", csv.to_str().unwrap()],
    );
    let out = tempfile::tempdir().unwrap();
    // As Norwegian Excel opens it: ';' between fields, UTF-8.
    let made = soffice(&csv, Some("CSV:59,34,76,1"), "xlsx", out.path());
    let mut wb: Xlsx<_> = calamine::open_workbook(&made[0]).unwrap();
    let name = wb.sheet_names()[0].clone();
    let sheet = wb.worksheet_range(&name).unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let col = |h: &str| rows[0].iter().position(|c| text(c) == h).unwrap_or_else(|| panic!("no {h}"));
    let (created, met) = (col("Opprettet"), col("Møter"));
    for r in &rows[1..] {
        assert!(matches!(r[created], Data::DateTime(_)), "a date cell: {:?}", r[created]);
        assert!(matches!(r[met], Data::Float(_) | Data::Int(_)), "a number cell: {:?}", r[met]);
    }
}

#[test]
fn the_report_prints_on_a4_without_a_nearly_empty_page() {
    if !tool("chromium") || !tool("pdftotext") {
        return;
    }
    let (t, _s) = tablet();
    let work = tempfile::tempdir().unwrap();
    for lang in ["nb", "da", "en"] {
        let html = work.path().join(format!("rapport-{lang}.html"));
        let pdf = work.path().join(format!("rapport-{lang}.pdf"));
        let mut args = vec!["export", "--format", "html", "--out", html.to_str().unwrap()];
        args.extend(QUARTER);
        in_lang(&t, lang, &args);
        let st = std::process::Command::new("chromium")
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
            .arg(format!("--user-data-dir={}", work.path().join("chromium").display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", html.display()))
            .output()
            .unwrap();
        assert!(st.status.success() && pdf.exists(), "chromium: {}", String::from_utf8_lossy(&st.stderr));
        let info = std::process::Command::new("pdfinfo").arg(&pdf).output().unwrap();
        let info = String::from_utf8(info.stdout).unwrap();
        let pages: usize =
            info.lines().find_map(|l| l.strip_prefix("Pages:")).map(|n| n.trim().parse().unwrap()).unwrap();
        assert!((2..=6).contains(&pages), "{lang}: {pages} pages");
        assert!(info.contains("(A4)"), "A4: {info}");
        for page in 1..=pages {
            // How far down the page its words reach (pdftotext's word boxes; chart labels count).
            let bbox = std::process::Command::new("pdftotext")
                .args(["-bbox", "-f", &page.to_string(), "-l", &page.to_string()])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            let bbox = String::from_utf8(bbox.stdout).unwrap();
            let attr = |name: &str| -> Vec<f64> {
                bbox.split(&format!("{name}=\"")).skip(1).filter_map(|r| r.split('"').next()?.parse().ok()).collect()
            };
            let height = attr("height").first().copied().unwrap_or(841.89);
            let reach = attr("yMax").into_iter().fold(0.0, f64::max) / height;
            let words = bbox.matches("<word ").count();
            // Every page but the last is filled at least to two thirds; the last has something on it.
            let least = if page == pages { 0.05 } else { 0.66 };
            assert!(
                reach >= least && words > 0,
                "{lang}: page {page} of {pages} is nearly empty (its text ends {:.0} % down)",
                reach * 100.0
            );
        }
    }
}
