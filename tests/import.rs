//! Importing partners from messy spreadsheets (fixtures in
//! tests/fixtures/import/), through the real binary.

use std::path::PathBuf;

use crate::util::Tablet;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name).to_string_lossy().into_owned()
}

fn partner_names(t: &Tablet) -> Vec<String> {
    let mut v: Vec<String> = t
        .json(&["partner", "list", "--limit", "1000"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn an_excel_csv_with_bom_semicolons_blank_lines_duplicates_and_bad_rows() {
    let t = Tablet::new("Ingrid Haugen", "Vadsø");
    let file = fixture("partners-excel-nb.csv");
    let before = t.snapshot();
    let dry = t.json(&["import", "partners", &file, "--dry-run"]);
    assert_eq!(before, t.snapshot(), "a dry run changes nothing");
    let plan = &dry["plan"];
    assert_eq!(plan["detected"], "csv (;, utf-8)");
    assert_eq!(plan["rows"], 9, "blank lines are not rows");
    let lines =
        |key: &str| -> Vec<u64> { plan[key].as_array().unwrap().iter().map(|r| r["line"].as_u64().unwrap()).collect() };
    assert_eq!(lines("create"), [2, 3, 6, 9, 12]);
    assert_eq!(lines("skipped"), [7]);
    assert_eq!(plan["skipped"][0]["reason"], "same as line 2");
    assert_eq!(lines("bad"), [8, 10, 11]);
    let reasons: Vec<&str> = plan["bad"].as_array().unwrap().iter().map(|b| b["reason"].as_str().unwrap()).collect();
    assert!(reasons[0].contains("'sjakk@@example' is not an e-mail address"), "{reasons:?}");
    assert!(reasons[1].contains("'romskip' is not a kind of partner"), "{reasons:?}");
    assert!(reasons[2].contains("name is empty"), "{reasons:?}");
    assert_eq!(plan["ignored_columns"][0], "Farge");
    let text = t.ok(&["import", "partners", &file, "--dry-run"]);
    assert!(
        text.contains("Would create 5 partners") && text.contains("line    8") && text.contains("Nothing was changed")
    );

    let done = t.json(&["import", "partners", &file]);
    assert_eq!(done["created"]["created"], 5);
    assert_eq!(
        partner_names(&t),
        [
            "Coop Extra Vadsø",
            "Frivilligsentralen; Vadsø",
            "Guovdageaidnu girjerájus venner",
            "Kulturskolen",
            "Vadsø husflidslag"
        ]
    );
    let lag = t.json(&["partner", "list", "--find", "husflidslag"]);
    let id = lag[0]["id"].as_str().unwrap();
    let p = t.json(&["partner", "show", id]);
    assert_eq!(p["kind"], "association");
    assert_eq!(p["level"], "collaboration");
    assert_eq!(p["phone"], "915 00 001");
    assert_eq!(p["contacts"][0]["name"], "Máret Ánte Sara");
    assert_eq!(p["contacts"][0]["role"], "leder");
    assert_eq!(p["tags"], serde_json::json!(["håndverk", "strikk"]));

    // The same file again: nothing new.
    let again = t.json(&["import", "partners", &file]);
    assert_eq!(again["created"]["created"], 0);
    assert_eq!(again["plan"]["skipped"].as_array().unwrap().len(), 6);
    assert_eq!(partner_names(&t).len(), 5);
}

#[test]
fn a_danish_windows_1252_file() {
    let t = Tablet::new("Mette Jensen", "Næstved");
    let done = t.json(&["import", "partners", &fixture("partners-windows-1252-da.csv")]);
    assert_eq!(done["plan"]["detected"], "csv (,, windows-1252)");
    assert_eq!(done["created"]["created"], 3);
    assert_eq!(partner_names(&t), ["Blåbærforeningen", "Kommunens Ældreråd", "Søndergårds Skole"]);
    let kinds: Vec<String> =
        done["plan"]["create"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap().into()).collect();
    assert_eq!(kinds, ["association", "school", "municipal-department"]);
    let levels: Vec<String> =
        done["plan"]["create"].as_array().unwrap().iter().map(|p| p["level"].as_str().unwrap().into()).collect();
    assert_eq!(levels, ["network", "collaboration", "partnership"]);
}

#[test]
fn a_missing_required_column_imports_nothing() {
    let t = Tablet::new("Ingrid Haugen", "Vadsø");
    let before = t.snapshot();
    let err = t.fails(&["import", "partners", &fixture("partners-missing-kind.csv")]);
    assert!(err.contains("no kind column") && err.contains("Navn, Telefon, Sted"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(before, t.snapshot());
    let err = t.fails(&["import", "partners", &fixture("nope.csv")]);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn an_xlsx_file() {
    let t = Tablet::new("Ingrid Haugen", "Vadsø");
    let file = t.path().join("partnere.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows: &[&[&str]] = &[
        &["Name", "Kind", "Level", "Phone", "Email"],
        &["Hammerfest historielag", "association", "network", "", ""],
        &[],
        &["Storfjord skule", "School", "Collaboration", "", "post@skule.example.no"],
        &["Hammerfest historielag", "association", "", "", ""],
        &["Bad phone AS", "business", "", "ring meg", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    ws.write_string(5, 3, "ring meg").unwrap();
    wb.save(&file).unwrap();
    let done = t.json(&["import", "partners", file.to_str().unwrap()]);
    assert_eq!(done["plan"]["detected"], "xlsx (Sheet1)");
    assert_eq!(done["created"]["created"], 2);
    assert_eq!(done["plan"]["skipped"][0]["line"], 5);
    assert_eq!(done["plan"]["bad"][0]["line"], 6);
    assert!(done["plan"]["bad"][0]["reason"].as_str().unwrap().contains("not a phone number"));
    assert_eq!(partner_names(&t), ["Hammerfest historielag", "Storfjord skule"]);
}
