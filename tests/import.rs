//! Importing partners from spreadsheets as offices make them, through the
//! real binary. The fixtures in tests/fixtures/spreadsheets/ are made with
//! real tools (make.py: openpyxl, xlwt, LibreOffice); each test states the
//! kind and level every row must get: a row imported with the wrong kind
//! or level is worse than a refused one.

use std::path::PathBuf;

use serde_json::Value;

use crate::util::Tablet;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name).to_string_lossy().into_owned()
}

fn sheet(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/spreadsheets")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Runs the binary in a language (`SAMSKAP_LANG`): (success, stdout, stderr).
fn in_lang(t: &Tablet, lang: &str, args: &[&str]) -> (bool, String, String) {
    let out = t.cmd().env("SAMSKAP_LANG", lang).args(args).output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn json_in(t: &Tablet, lang: &str, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let (ok, out, err) = in_lang(t, lang, &a);
    assert!(ok, "samskap {args:?} failed: {err}");
    serde_json::from_str(&out).unwrap()
}

/// (line, name, kind, level) of every partner a plan creates.
fn created(plan: &Value) -> Vec<(u64, String, String, String)> {
    plan["create"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["name"].as_str().unwrap().to_string(),
                p["kind"].as_str().unwrap().to_string(),
                p["level"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn rows(v: &[(u64, &str, &str, &str)]) -> Vec<(u64, String, String, String)> {
    v.iter().map(|(l, n, k, v)| (*l, n.to_string(), k.to_string(), v.to_string())).collect()
}

fn lines(plan: &Value, key: &str) -> Vec<u64> {
    plan[key].as_array().unwrap().iter().map(|r| r["line"].as_u64().unwrap()).collect()
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
    let dry = json_in(&t, "en", &["import", "partners", &file, "--dry-run"]);
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
    assert!(reasons[1].contains("«romskip» is not a kind of partner"), "{reasons:?}");
    assert!(reasons[2].contains("name is empty"), "{reasons:?}");
    assert_eq!(plan["ignored_columns"][0], "Farge");
    let (_, text, _) = in_lang(&t, "en", &["import", "partners", &file, "--dry-run"]);
    assert!(
        text.contains("Would create 5 partners") && text.contains("line    8") && text.contains("Nothing was changed"),
        "{text}"
    );
    let (_, text, _) = in_lang(&t, "nb", &["import", "partners", &file, "--dry-run"]);
    assert!(text.contains("Ville opprette 5 partnere") && text.contains("rad    8") && text.contains("prøvekjøring"));
    assert!(text.contains("«romskip» er ikke en partnertype") && text.contains("--map \"romskip=public-body\""));
    let (_, text, _) = in_lang(&t, "da", &["import", "partners", &file, "--dry-run"]);
    assert!(text.contains("Ville oprette 5 partnere") && text.contains("»romskip« er ikke en partnertype"), "{text}");

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
    let (ok, _, err) = in_lang(&t, "en", &["import", "partners", &fixture("partners-missing-kind.csv")]);
    assert!(!ok && err.contains("no kind column") && err.contains("Navn, Telefon, Sted"), "{err}");
    assert!(err.contains("Nothing was imported"), "{err}");
    let (_, _, err) = in_lang(&t, "nb", &["import", "partners", &fixture("partners-missing-kind.csv")]);
    assert!(err.contains("ingen kolonne for type") && err.contains("Ingenting ble importert"), "{err}");
    assert_eq!(before, t.snapshot());
    let (_, _, err) = in_lang(&t, "en", &["import", "partners", &fixture("nope.csv")]);
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

#[test]
fn a_title_a_blank_row_two_phones_and_bokmal_terms() {
    let t = Tablet::new("Ingrid Haugen", "Vadsø");
    for file in ["title-rows-nb.xlsx", "title-rows-nb.xls"] {
        let plan = &json_in(&t, "en", &["import", "partners", &sheet(file), "--dry-run"])["plan"];
        assert_eq!(plan["header_line"], 3, "{file}: the header is under the title and a blank row");
        assert_eq!(
            created(plan),
            rows(&[
                (4, "Vadsø husflidslag", "association", "collaboration"),
                (5, "Coop Extra Vadsø AS", "business", "network"),
                (6, "Vadsø kulturskole", "municipal-department", "partnership"),
                (7, "Ruija kvenmuseum", "public-body", "network"),
                (8, "Troms og Finnmark fylkeskommune", "public-body", "collaboration"),
                (9, "Vadsø sokn", "association", "network"),
                (10, "Frivilligsentralen", "volunteer-group", "collaboration"),
                (11, "Frivilligsentralen", "volunteer-group", "network"),
                (12, "Helse og omsorg", "municipal-department", "network"),
            ]),
            "{file}"
        );
        assert!(plan["bad"].as_array().unwrap().is_empty() && plan["skipped"].as_array().unwrap().is_empty());
    }
    json_in(&t, "en", &["import", "partners", &sheet("title-rows-nb.xlsx")]);
    let found = t.json(&["partner", "list", "--find", "Frivilligsentralen"]);
    assert_eq!(found.as_array().unwrap().len(), 2, "same name, two places: two partners");
    // Both numbers kept: the office's in the partner, the mobile in its contact person …
    let lag = t.json(&["partner", "list", "--find", "husflidslag"]);
    let p = t.json(&["partner", "show", lag[0]["id"].as_str().unwrap()]);
    assert_eq!(p["phone"], "78 94 00 01");
    assert_eq!(p["contacts"][0]["name"], "Máret Ánte Sara");
    assert_eq!(p["contacts"][0]["phone"], "915 00 001");
    // … or, without a contact person, in the note under its own header.
    let helse = t.json(&["partner", "list", "--find", "omsorg"]);
    let p = t.json(&["partner", "show", helse[0]["id"].as_str().unwrap()]);
    assert_eq!(p["phone"], "78 94 00 09");
    assert_eq!(p["note"], "Mobil: 915 00 009");
    // Only a mobile: it is the partner's number.
    let fs = t.json(&["partner", "list", "--find", "Frivilligsentralen"]);
    let phones: Vec<Value> = fs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| t.json(&["partner", "show", r["id"].as_str().unwrap()])["phone"].clone())
        .collect();
    assert!(phones.contains(&Value::from("915 00 007")), "{phones:?}");
    // The old .xls of the same list adds nothing.
    let again = json_in(&t, "en", &["import", "partners", &sheet("title-rows-nb.xls")]);
    assert_eq!(again["created"]["created"], 0);
    assert_eq!(again["plan"]["skipped"].as_array().unwrap().len(), 9);
}

#[test]
fn nynorsk_swedish_and_danish_lists() {
    let t = Tablet::new("Kari Nes", "Ørsta");
    let plan = &json_in(&t, "en", &["import", "partners", &sheet("nynorsk.xlsx"), "--dry-run"])["plan"];
    assert_eq!(
        created(plan),
        rows(&[
            (2, "Ørsta mållag", "association", "collaboration"),
            (3, "Volda Sparebank", "business", "network"),
            (4, "Kultureininga", "municipal-department", "partnership"),
            (5, "Hovdebygda skule", "school", "collaboration"),
            (6, "Frivilligsentralen i Volda", "volunteer-group", "network"),
            (7, "Ivar Aasen-tunet", "public-body", "network"),
        ])
    );
    let plan = &json_in(&t, "en", &["import", "partners", &sheet("svenska.xlsx"), "--dry-run"])["plan"];
    assert_eq!(
        created(plan),
        rows(&[
            (2, "Tornedalingars riksförbund", "association", "collaboration"),
            (3, "Haparanda Bokhandel AB", "business", "network"),
            (4, "Kultur- och fritidsförvaltningen", "municipal-department", "partnership"),
            (5, "Aapua skola", "school", "network"),
            (6, "Övertorneå församling", "association", "collaboration"),
            (7, "Länsstyrelsen i Norrbotten", "public-body", "network"),
            (8, "Frivilligcentralen", "volunteer-group", "network"),
        ])
    );
    assert_eq!(plan["create"][0]["contact"], "Anna Keskitalo");
    let plan = &json_in(&t, "en", &["import", "partners", &sheet("dansk.ods"), "--dry-run"])["plan"];
    assert_eq!(plan["detected"], "ods (Partnere)");
    assert_eq!(
        created(plan),
        rows(&[
            (2, "Næstved Skakklub", "association", "collaboration"),
            (3, "Boghandleren ApS", "business", "network"),
            (4, "Brugsen A/S", "business", "network"),
            (5, "Børne- og ungeforvaltningen", "municipal-department", "partnership"),
            (6, "Næstved Museum", "public-body", "network"),
            (7, "Region Sjælland", "public-body", "collaboration"),
            (8, "Sankt Mortens Sogn", "association", "network"),
            (9, "Frivilligcenter Næstved", "volunteer-group", "collaboration"),
        ])
    );
}

#[test]
fn partners_behind_an_info_sheet_or_on_the_sheet_named() {
    let t = Tablet::new("Ingrid Haugen", "Hammerfest");
    let plan = &json_in(&t, "en", &["import", "partners", &sheet("info-sheet-first.xlsx"), "--dry-run"])["plan"];
    assert_eq!(plan["detected"], "xlsx (Partnere)");
    assert_eq!(
        created(plan),
        rows(&[
            (2, "Hammerfest historielag", "association", "collaboration"),
            (3, "Storfjord skule", "school", "network")
        ])
    );
    let plan =
        &json_in(&t, "en", &["import", "partners", &sheet("info-sheet-first.xlsx"), "--sheet", "Gamle", "--dry-run"])
            ["plan"];
    assert_eq!(created(plan), rows(&[(2, "Nedlagt lag", "association", "network")]));
    let (ok, _, err) = in_lang(&t, "en", &["import", "partners", &sheet("info-sheet-first.xlsx"), "--sheet", "Ark9"]);
    assert!(!ok && err.contains("no sheet named «Ark9»") && err.contains("Info, Partnere, Gamle"), "{err}");
}

#[test]
fn merged_cells_down_a_column_hold_for_every_row() {
    let t = Tablet::new("Ingrid Haugen", "Vadsø");
    let want = rows(&[
        (2, "Vadsø husflidslag", "association", "network"),
        (3, "Vadsø skiklubb", "association", "network"),
        (4, "Vadsø historielag", "association", "network"),
        (5, "Vadsø barneskole", "school", "network"),
        (6, "Vadsø videregående skole", "school", "network"),
    ]);
    for file in ["merged-kind.xlsx", "merged-kind.xls"] {
        let plan = &json_in(&t, "en", &["import", "partners", &sheet(file), "--dry-run"])["plan"];
        assert_eq!(created(plan), want, "{file}");
    }
    // calamine does not report an ODS file's merged areas: the rows under
    // a merged cell are refused for want of a kind, never given a wrong one.
    let plan = &json_in(&t, "en", &["import", "partners", &sheet("merged-kind.ods"), "--dry-run"])["plan"];
    let got = created(plan);
    assert!(got.iter().all(|r| want.contains(r)), "{got:?}");
    assert_eq!(got.len() + lines(plan, "bad").len(), 5);
}

#[test]
fn an_excel_table_sum_row_is_not_a_partner() {
    let t = Tablet::new("Ingrid Haugen", "Alta");
    let plan = &json_in(&t, "en", &["import", "partners", &sheet("table-with-sum.xlsx"), "--dry-run"])["plan"];
    assert_eq!(
        created(plan),
        rows(&[
            (2, "Alta bibliotekvenner", "association", "collaboration"),
            (3, "Alta kommune, kultur", "municipal-department", "partnership"),
        ])
    );
    assert_eq!(lines(plan, "skipped"), [4]);
    assert_eq!(plan["skipped"][0]["reason"], "a sum row");
    assert_eq!(plan["ignored_columns"], serde_json::json!(["Møter i fjor"]));
}

#[test]
fn letters_lost_to_windows_1252_are_warned_row_by_row() {
    let t = Tablet::new("Ingrid Haugen", "Guovdageaidnu");
    let plan = &json_in(&t, "en", &["import", "partners", &sheet("lossy-windows-1252.csv"), "--dry-run"])["plan"];
    assert_eq!(plan["detected"], "csv (;, windows-1252)");
    assert_eq!(lines(plan, "warnings"), [2, 3], "the husflidslag on line 4 lost nothing");
    let w = plan["warnings"][0]["message"].as_str().unwrap();
    assert!(w.contains("«Guovdageainnu o??a girjerájus» has «?» where a letter should be"), "{w}");
    assert!(w.contains("CSV UTF-8"), "{w}");
    let plan = &json_in(&t, "nb", &["import", "partners", &sheet("lossy-windows-1252.csv"), "--dry-run"])["plan"];
    assert!(plan["warnings"][1]["message"].as_str().unwrap().contains("der det skulle stått en bokstav"));
}

#[test]
fn unknown_and_ambiguous_terms_are_refused_until_mapped() {
    let t = Tablet::new("Ingrid Haugen", "Vadsø");
    let file = sheet("unknown-terms.csv");
    let plan = &json_in(&t, "en", &["import", "partners", &file, "--dry-run"])["plan"];
    assert!(created(plan).is_empty(), "nothing is guessed: {plan}");
    assert_eq!(lines(plan, "bad"), [2, 3, 4, 5]);
    let reason = |i: usize| plan["bad"][i]["reason"].as_str().unwrap().to_string();
    assert!(
        reason(0).contains("«Galleri» is not a kind of partner") && reason(0).contains("Public body (public-body)")
    );
    assert!(reason(1).contains("«kommunal skole» could mean Municipal department or School"), "{}", reason(1));
    assert!(reason(2).contains("«Fast samarbeid» is not a level"), "{}", reason(2));
    let terms: Vec<(String, String, Vec<u64>)> = plan["unknown_terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["field"].as_str().unwrap().into(),
                u["term"].as_str().unwrap().into(),
                u["lines"].as_array().unwrap().iter().map(|l| l.as_u64().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(
        terms,
        [
            ("kind".into(), "Galleri".into(), vec![2, 5]),
            ("kind".into(), "kommunal skole".into(), vec![3]),
            ("level".into(), "Fast samarbeid".into(), vec![4]),
        ]
    );
    let (_, text, _) = in_lang(&t, "nb", &["import", "partners", &file, "--dry-run"]);
    assert!(text.contains("Ukjent ord «Galleri»: importer på nytt med --map \"Galleri=public-body\""), "{text}");

    let mapped = json_in(
        &t,
        "en",
        &[
            "import",
            "partners",
            &file,
            "--map",
            "galleri=business",
            "--map",
            "Kommunal skole=school",
            "--map",
            "fast samarbeid=partnership",
        ],
    );
    assert_eq!(
        created(&mapped["plan"]),
        rows(&[
            (2, "Galleri Nord", "business", "network"),
            (3, "Vadsø kommunale skole", "school", "collaboration"),
            (4, "Kunstforeningen", "association", "partnership"),
            (5, "Galleri Syd", "business", "network"),
        ])
    );
    let (ok, _, err) = in_lang(&t, "en", &["import", "partners", &file, "--map", "galleri"]);
    assert!(!ok && err.contains("«galleri» is not a mapping"), "{err}");
    let (ok, _, err) = in_lang(&t, "en", &["import", "partners", &file, "--map", "galleri=romskip"]);
    assert!(!ok && err.contains("is not a mapping"), "{err}");
}

#[test]
fn no_name_column_says_what_row_one_holds() {
    let t = Tablet::new("Ingrid Haugen", "Vadsø");
    let before = t.snapshot();
    let (ok, _, err) = in_lang(&t, "nb", &["import", "partners", &sheet("no-name-column.xlsx")]);
    assert!(!ok);
    assert!(err.contains("overskriftsraden må ha en kolonne for navn"), "{err}");
    assert!(err.contains("rad 1 i arket «Ark1» inneholder «Partnerliste 2026 (ikke del utenfor huset)»"), "{err}");
    assert!(err.contains("de 10 første utfylte radene"), "{err}");
    let (_, _, err) = in_lang(&t, "en", &["import", "partners", &sheet("no-name-column.xlsx")]);
    assert!(err.contains("the header row must have a name column") && err.contains("first 10 filled rows"), "{err}");
    assert_eq!(before, t.snapshot(), "nothing was imported");
}
