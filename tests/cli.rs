//! The command-line contract, run through the real binary on real stores.

use crate::util::{Server, Tablet};

#[test]
fn a_day_at_the_branch() {
    let t = Tablet::new("Ingrid Haugen", "Vadsø");
    let lag = t.add(&[
        "partner",
        "add",
        "--name",
        "Vadsø husflidslag",
        "--kind",
        "association",
        "--contact",
        "Máret Ánte Sara;leder;915 00 001;maret@example.no",
        "--tag",
        "håndverk",
    ]);
    let e = t.add(&[
        "encounter",
        "add",
        "--perspective",
        "co-creative",
        "--counterpart",
        "association",
        "--partner",
        &lag,
        "--place",
        "Vadsø torg",
        "--outside",
        "--initiative",
        "citizen",
        "--role",
        "facilitating",
        "--when",
        "2026-05-04T10:30:00+02:00",
        "--note",
        "Vil starte strikkekafé",
        "--tag",
        "strikk",
        "--follow-up",
        "Sjekk nøkler;2026-05-11",
    ]);
    let shown = t.json(&["encounter", "show", &e]);
    assert_eq!(shown["id"], e.as_str());
    assert_eq!(shown["perspective"], "co-creative");
    assert_eq!(shown["counterpart"], "association");
    assert_eq!(shown["outside"], true);
    assert_eq!(shown["role"], "facilitating");
    assert_eq!(shown["when"], "2026-05-04T08:30:00Z");
    assert_eq!(shown["partners"][0], lag.as_str());
    assert_eq!(shown["follow_ups"][0]["due"], "2026-05-11");
    assert_eq!(shown["staff"].as_str().map(str::len), Some(36), "the logger is the signed-in staff member");
    assert_eq!(shown["branch"], "Vadsø");

    let act = t.add(&[
        "activity",
        "add",
        "--title",
        "Strikkekafé",
        "--status",
        "planned",
        "--partner",
        &lag,
        "--from-encounter",
        &e,
        "--extra-resources",
        "no",
    ]);
    t.ok(&["activity", "update", &act, "--status", "running"]);
    let a = t.json(&["activity", "show", &act]);
    assert_eq!(a["status"], "running");
    assert_eq!(a["extra_resources"], false);
    assert_eq!(t.json(&["activity", "list"]).as_array().unwrap().len(), 1);

    t.ok(&["partner", "update", &lag, "--level", "collaboration", "--phone", "+47 789 00 000"]);
    t.ok(&["partner", "update", &lag, "--level", "partnership"]);
    let p = t.json(&["partner", "show", &lag]);
    assert_eq!(p["level"], "partnership");
    let moves: Vec<_> =
        p["level_history"].as_array().unwrap().iter().map(|m| m["to"].as_str().unwrap().to_string()).collect();
    assert_eq!(moves, ["network", "collaboration", "partnership"]);
    assert_eq!(p["conflicts"], serde_json::json!([]));
    assert_eq!(p["contacts"][0]["name"], "Máret Ánte Sara");

    let list =
        t.json(&["encounter", "list", "--perspective", "co-creative", "--partner", &lag, "--since", "2026-05-01"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(t.json(&["encounter", "list", "--since", "2026-06-01"]).as_array().unwrap().len(), 0);
    assert_eq!(t.json(&["partner", "list", "--level", "partnership", "--kind", "association"])[0]["id"], lag.as_str());

    let hits = t.json(&["search", "strikkekafé"]);
    let kinds: Vec<_> = hits.as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"encounter") && kinds.contains(&"activity"), "{hits}");

    t.ok(&["delete", &e]);
    assert_eq!(t.json(&["encounter", "list"]).as_array().unwrap().len(), 0);
    assert_eq!(t.json(&["encounter", "show", &e])["deleted"], true);
}

#[test]
fn text_in_any_script_survives_the_round_trip() {
    let t = Tablet::new("Biret Gaup", "Guovdageaidnu");
    let note = "Ærlig talt, blåbærsyltetøy! Sámi: á č đ ŋ š ŧ ž Á Č Đ Ŋ Š Ŧ Ž — emoji 🦌🔥📚 — 日本語 — «sitat»";
    let place = "Čáhcesuolu lávvu, Guovdageaidnu";
    let e = t.add(&[
        "encounter",
        "add",
        "--perspective",
        "service",
        "--counterpart",
        "citizen",
        "--note",
        note,
        "--place",
        place,
        "--tag",
        "đuoddar",
    ]);
    let shown = t.json(&["encounter", "show", &e]);
    assert_eq!(shown["note"], note);
    assert_eq!(shown["place"], place);
    assert_eq!(shown["tags"][0], "đuoddar");
    let p = t.add(&[
        "partner",
        "add",
        "--name",
        "Sámi searvi Ŋ",
        "--kind",
        "association",
        "--contact",
        "Ánte Ŧ. Somby;jođiheaddji",
    ]);
    assert_eq!(t.json(&["partner", "show", &p])["contacts"][0]["name"], "Ánte Ŧ. Somby");
    assert_eq!(t.json(&["search", "Čáhcesuolu"])[0]["id"], e.as_str());
    assert!(t.ok(&["encounter", "show", &e]).contains("🦌🔥📚"));
}

#[test]
fn a_rejected_command_writes_nothing_and_says_why() {
    let t = Tablet::new("Ole Olsen", "Alta");
    let p = t.add(&["partner", "add", "--name", "Alta sjakklubb", "--kind", "association"]);
    let before = t.snapshot();

    let err = t.fails(&["encounter", "add", "--perspective", "friendly", "--counterpart", "citizen"]);
    assert!(
        err.contains("unknown perspective 'friendly'; valid: co-creative, professional, authority, service"),
        "{err}"
    );
    let err = t.fails(&["partner", "add", "--name", "X", "--kind", "club"]);
    assert!(
        err.contains(
            "valid: association, business, public-body, municipal-department, school, volunteer-group, citizen"
        ),
        "{err}"
    );
    let err = t.fails(&[
        "encounter",
        "add",
        "--perspective",
        "service",
        "--counterpart",
        "citizen",
        "--partner",
        "01a200df-0000-7000-8000-000000000000",
    ]);
    assert!(err.contains("there is no partner with id"), "{err}");
    let err = t.fails(&[
        "encounter",
        "add",
        "--perspective",
        "service",
        "--counterpart",
        "citizen",
        "--partner",
        &p,
        "--follow-up",
        "Ring;neste uke",
    ]);
    assert!(err.contains("is not a date; use YYYY-MM-DD"), "{err}");
    let err = t.fails(&["partner", "update", &p, "--email", "ikke-en-adresse", "--level", "partnership"]);
    assert!(err.contains("not an e-mail address"), "{err}");
    let err = t.fails(&["partner", "add", "--name", "Y", "--kind", "business", "--contact", ";leder"]);
    assert!(err.contains("contact name must not be empty"), "{err}");
    let err = t.fails(&["activity", "add", "--title", "Z", "--extra-resources", "kanskje"]);
    assert!(err.contains("is not yes or no"), "{err}");
    let err = t.fails(&["encounter", "show", &p]);
    assert!(err.contains("is a partner, not an encounter"), "{err}");
    let err = t.fails(&["delete", "not-an-id"]);
    assert!(err.contains("is not a record id"), "{err}");

    assert_eq!(t.snapshot(), before, "rejected commands changed the store");
    assert_eq!(t.json(&["partner", "show", &p])["level"], "network");
}

#[test]
fn not_a_store_and_busy_store_are_clear_errors() {
    let t = Tablet::new("Kari", "Hamar");
    let empty = tempfile::tempdir().unwrap();
    let out = t.cmd().env("SAMSKAP_DATA", empty.path()).args(["encounter", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Samskap store in"), "{out:?}");
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);

    std::fs::write(empty.path().join("samskap.db"), "hello").unwrap();
    let out = t.cmd().env("SAMSKAP_DATA", empty.path()).args(["encounter", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a Samskap store; nothing was changed"), "{out:?}");
    assert_eq!(std::fs::read(empty.path().join("samskap.db")).unwrap(), b"hello");

    // --data wins over the environment.
    let out = t.cmd().args(["--data", empty.path().to_str().unwrap(), "partner", "list"]).output().unwrap();
    assert!(!out.status.success());

    let err = t.fails(&["init", "--staff", "Kari"]);
    assert!(err.contains("already holds a Samskap store"), "{err}");

    let holder = samskap::store::Store::open(t.path()).unwrap();
    let err = t.fails(&["encounter", "list"]);
    assert!(err.contains("in use by another Samskap process"), "{err}");
    drop(holder);
    t.ok(&["encounter", "list"]);
}

#[test]
fn demo_fills_a_store_with_every_level() {
    let t = Tablet::new("Demo", "Tromsø");
    let made = t.json(&["demo", "--records", "400"]);
    assert_eq!(made["encounters"], 400);
    for level in ["network", "collaboration", "partnership"] {
        assert!(!t.json(&["partner", "list", "--level", level]).as_array().unwrap().is_empty(), "{level}");
    }
    assert_eq!(t.json(&["encounter", "list", "--limit", "50"]).as_array().unwrap().len(), 50);
    assert!(!t.json(&["activity", "list"]).as_array().unwrap().is_empty());
}

#[test]
fn history_names_who_changed_which_field_on_which_device() {
    let vadso = Tablet::new("Ingrid Haugen", "Vadsø");
    let alta = Tablet::new("Ole Olsen", "Alta");
    let lag = vadso.add(&[
        "partner",
        "add",
        "--name",
        "Vadsø husflidslag",
        "--kind",
        "association",
        "--phone",
        "+47 789 00 000",
    ]);
    // Alta joins Vadsø's LAN session and gets the partner.
    let mut lan = Server::start(vadso.path(), &["serve", "--listen", "127.0.0.1:0"], &[]);
    let invite = lan.stdout_line.clone().unwrap();
    alta.ok(&["join", "--hub", &lan.url, "--invite", &invite]);
    alta.ok(&["sync", "--hub", &lan.url]);
    lan.stop();

    // Apart again: each changes a different field; then they meet.
    vadso.ok(&["partner", "update", &lag, "--phone", "+47 789 55 999"]);
    alta.ok(&["partner", "update", &lag, "--place", "Vadsø sentrum", "--tag", "håndverk"]);
    let mut lan = Server::start(vadso.path(), &["serve", "--listen", "127.0.0.1:0"], &[]);
    alta.ok(&["sync", "--hub", &lan.url]);
    lan.stop();

    let h = vadso.json(&["history", &lag]);
    assert_eq!(h["kind"], "partner");
    let entries = h["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{h}");
    let by = |name: &str, action: &str| {
        entries
            .iter()
            .find(|e| e["staff_name"] == name && e["action"] == action)
            .unwrap_or_else(|| panic!("{name} {action}: {h}"))
    };
    assert_eq!(by("Ingrid Haugen", "created")["this_device"], true);
    assert_eq!(by("Ingrid Haugen", "edited")["fields"], serde_json::json!(["phone"]));
    let ole = by("Ole Olsen", "edited");
    assert_eq!(ole["fields"], serde_json::json!(["place", "tags"]));
    assert_eq!(ole["this_device"], false);
    assert_eq!(ole["device"], alta.json(&["status"])["device_id"]);
    assert_eq!(entries.last().unwrap()["action"], "created");
    // Hex change hashes may hold any digits, so look for the numbers as written.
    let shows_phone = |s: &str| s.contains("789 00 000") || s.contains("789 55 999");
    assert!(!shows_phone(&h.to_string()), "a personal field's value never shows: {h}");

    let text = vadso.ok(&["history", &lag]);
    assert!(text.contains("History of partner"), "{text}");
    assert!(text.contains("Ingrid Haugen (this device)  changed phone"), "{text}");
    assert!(text.contains("Ole Olsen (device "), "{text}");
    assert!(text.contains("changed place, tags"), "{text}");
    assert!(text.contains("created"), "{text}");
    assert!(!shows_phone(&text), "{text}");

    vadso.ok(&["erase", &lag, "--yes"]);
    let err = vadso.fails(&["history", &lag]);
    assert!(err.contains("was erased, and its history with it"), "{err}");
    let err = vadso.fails(&["history", "0190f1f4-8a1c-7cc3-9b8e-2f4f7d1a2b3c"]);
    assert!(err.contains("no record with id"), "{err}");
}

/// Runs a command that must be refused, in a locale; returns what it said.
fn refused(t: &Tablet, locale: &str, args: &[&str]) -> String {
    let out = t.in_locale(locale).args(args).output().unwrap();
    assert!(!out.status.success(), "samskap {args:?} under {locale} should have been refused");
    assert!(out.stdout.is_empty(), "a refused command prints nothing on stdout");
    String::from_utf8(out.stderr).unwrap()
}

const BAD_PERSPECTIVE: &[&str] = &["encounter", "add", "--perspective", "friendly", "--counterpart", "citizen"];
const NO_PERSPECTIVE: &[&str] = &["encounter", "add", "--counterpart", "citizen"];
const UNKNOWN_FLAG: &[&str] = &["encounter", "list", "--bogus"];

#[test]
fn a_refused_command_speaks_norwegian_under_a_norwegian_locale() {
    let t = Tablet::new("Áile Somby", "Karasjok");
    let before = t.snapshot();
    let err = refused(&t, "nb_NO.UTF-8", BAD_PERSPECTIVE);
    assert!(err.starts_with("feil: --perspective"), "{err}");
    assert!(err.contains("«friendly» er ikke en gyldig verdi for perspektiv; velg en av disse: co-creative, professional, authority, service"), "{err}");
    assert!(err.contains("Skriv --help"), "{err}");
    let err = refused(&t, "nb_NO.UTF-8", NO_PERSPECTIVE);
    assert!(err.starts_with("feil: Dette må være med: --perspective <PERSPECTIVE>"), "{err}");
    assert!(err.contains("Bruk: samskap encounter add"), "{err}");
    let err = refused(&t, "nb_NO.UTF-8", UNKNOWN_FLAG);
    assert!(err.starts_with("feil: Kjenner ikke til argumentet «--bogus»"), "{err}");
    let err =
        t.in_locale("nb_NO.UTF-8").args(["erase", &samskap::model::RecordId::new().to_string()]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&err.stderr).contains("kan ikke angres; kjør kommandoen igjen med --yes"),
        "{err:?}"
    );
    assert_eq!(t.snapshot(), before, "nothing was written");

    let empty = Tablet::bare();
    let err = refused(&empty, "nb_NO.UTF-8", &["encounter", "list"]);
    assert!(err.starts_with("feil: Det finnes ikke noe Samskap-lager i "), "{err}");
    assert!(err.contains("opprett det med `samskap init --staff NAVN`"), "{err}");
    for english in ["error", "unknown", "valid:", "required", "no Samskap store"] {
        assert!(!err.contains(english), "English {english:?} in {err}");
    }
}

#[test]
fn a_refused_command_speaks_danish_and_english_in_their_locales() {
    let t = Tablet::new("Mette Hansen", "Tønder");
    let err = refused(&t, "da_DK.UTF-8", BAD_PERSPECTIVE);
    assert!(err.contains("fejl: --perspective"), "{err}");
    assert!(err.contains("»friendly« er ikke en gyldig værdi for perspektiv; vælg en af disse:"), "{err}");
    let err = refused(&t, "da_DK.UTF-8", NO_PERSPECTIVE);
    assert!(err.starts_with("fejl: Dette skal være med: --perspective"), "{err}");
    assert!(err.contains("Brug: samskap encounter add"), "{err}");
    let err = refused(&t, "da_DK.UTF-8", UNKNOWN_FLAG);
    assert!(err.starts_with("fejl: Kender ikke argumentet »--bogus«"), "{err}");
    let err = refused(&Tablet::bare(), "da_DK.UTF-8", &["encounter", "list"]);
    assert!(err.starts_with("fejl: Der er intet Samskap-lager i "), "{err}");

    let err = refused(&t, "en_GB.UTF-8", BAD_PERSPECTIVE);
    assert!(err.contains("error: --perspective <PERSPECTIVE>: unknown perspective 'friendly'; valid:"), "{err}");
    let err = refused(&t, "en_GB.UTF-8", NO_PERSPECTIVE);
    assert!(err.starts_with("error: these arguments are required: --perspective"), "{err}");
    let err = refused(&t, "en_GB.UTF-8", UNKNOWN_FLAG);
    assert!(err.starts_with("error: unexpected argument '--bogus'"), "{err}");
    let err = refused(&Tablet::bare(), "en_GB.UTF-8", &["encounter", "list"]);
    assert!(err.starts_with("error: no Samskap store in "), "{err}");
}

#[test]
fn bokmal_is_the_default_and_lang_picks_another() {
    let t = Tablet::new("Ole Olsen", "Alta");
    // CI runs with LANG=C.UTF-8, which names none of our languages.
    let err = refused(&t, "C.UTF-8", NO_PERSPECTIVE);
    assert!(err.starts_with("feil: Dette må være med"), "{err}");
    let mut args = NO_PERSPECTIVE.to_vec();
    args.extend(["--lang", "da"]);
    let err = refused(&t, "nb_NO.UTF-8", &args);
    assert!(err.starts_with("fejl: Dette skal være med"), "{err}");
    let out = t.in_locale("en_GB.UTF-8").args(["--lang=nb", "demo", "--records", "3"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("La til 3 møter,"), "{out:?}");
    // Help and version are clap's, and succeed.
    let out = t.in_locale("nb_NO.UTF-8").arg("--version").output().unwrap();
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).starts_with("samskap "), "{out:?}");
    assert!(t.in_locale("nb_NO.UTF-8").args(["encounter", "add", "--help"]).output().unwrap().status.success());
}

/// `samskap bench …` runs `samskap-bench` from its own folder with the same
/// arguments (`--json` given before `bench` included) and fails as it fails;
/// without it, it says how to build it. A stand-in script plays the bench.
#[cfg(unix)]
#[test]
fn bench_runs_the_bench_executable_beside_it() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let samskap = dir.path().join("samskap");
    let built = assert_cmd::cargo::cargo_bin("samskap");
    // A hard link keeps the path this process sees as its own (a copy would too, slower).
    std::fs::hard_link(&built, &samskap).or_else(|_| std::fs::copy(&built, &samskap).map(drop)).unwrap();
    let run = |lang: &str, args: &[&str]| {
        let mut c = std::process::Command::new(&samskap);
        c.args(args).env("LANG", lang).env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("SAMSKAP_LANG");
        c.output().unwrap()
    };

    let out = run("en_GB.UTF-8", &["bench", "sync", "--records", "10"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{out:?}");
    assert!(err.contains("samskap-bench, which is not there"), "{err}");
    assert!(err.contains("cargo build --release -p samskap-bench"), "{err}");
    let err = String::from_utf8_lossy(&run("nb_NO.UTF-8", &["bench"]).stderr).to_string();
    assert!(err.starts_with("feil: `samskap bench` kjører "), "{err}");

    let bench = dir.path().join("samskap-bench");
    std::fs::write(&bench, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n[ \"$1\" != fail ]\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&bench, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = run("en_GB.UTF-8", &["--json", "bench", "sync", "--records", "10", "--help"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "sync\n--records\n10\n--help\n--json\n");
    let out = run("en_GB.UTF-8", &["bench", "report", "--json", "--work", "a b"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "report\n--json\n--work\na b\n");
    let out = run("en_GB.UTF-8", &["bench", "fail"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the benchmark stopped with exit code 1"), "{out:?}");
}
