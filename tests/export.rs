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
    let mut args = vec!["export", "--format", "xlsx", "--out", out.to_str().unwrap()];
    args.extend(QUARTER);
    let printed = t.ok(&args);
    assert!(printed.contains("Wrote xlsx"), "{printed}");

    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["encounters", "partners", "activities", "report"]);

    let store = crate::report::open(t.path());
    let scope = ReportScope {
        from_ms: crate::report::t("2026-01-01T00:00:00Z").timestamp_millis(),
        to_ms: crate::report::t("2026-04-01T00:00:00Z").timestamp_millis(),
        ..Default::default()
    };
    let encounters = store.export_encounters(&scope).unwrap();
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
    let Data::DateTime(created) = &prow[1][6] else { panic!("created is a date cell") };
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
    t.ok(&["export", "--format", "csv", "--what", "encounters", "--separator", ";", "--out", out.to_str().unwrap()]);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a byte-order mark, for Excel");
    let mut r = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header[..4], ["id", "when_utc", "place", "outside"]);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let store = crate::report::open(t.path());
    let encounters = store.export_encounters(&all_scope()).unwrap();
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
    let mut args = vec!["export", "--format", "csv", "--what", "report", "--separator", ";", "--out"];
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
    t.ok(&args);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert_eq!(html.matches("<svg").count(), 5, "a chart per level, two for the first");
    for banned in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(banned), "no external resources or scripts: {banned}");
    }
    assert!(html.contains("4 Visibility") && html.contains("Vadsø"));
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
    let err = t.fails(&["export", "--format", "xlsx", "--out", t.path().join("nowhere/x.xlsx").to_str().unwrap()]);
    assert!(err.contains("no folder"), "{err}");
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
