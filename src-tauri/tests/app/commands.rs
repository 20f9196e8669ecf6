use serde_json::{json, Value};

use crate::util::app;

#[test]
fn without_a_store_the_app_asks_for_one_and_commands_say_so() {
    let a = app();
    let status: Value = a.call("app_status", json!({}));
    assert_eq!(status["ready"], false);
    assert_eq!(status["settings"]["language"], "nb");
    let err = a.call_raw("list_encounters", json!({"filter": {}})).unwrap_err();
    assert_eq!(err, json!({"code": "no_store", "message": "Det finnes ikke noe lager her ennå; opprett det først"}));
}

#[test]
fn a_logged_encounter_is_in_the_timeline_after_a_restart() {
    let a = app();
    let status = a.init();
    assert_eq!(status["ready"], true);
    assert_eq!(status["profile"]["name"], "Ingrid Haugen");
    let partner: Value = a.call(
        "create_partner",
        json!({"form": {"name": "Kárášjoga searvi", "kind": "association", "place": "Kárášjohka"}}),
    );
    let pid = partner["id"].as_str().unwrap().to_string();
    let logged: Value = a.call(
        "log_encounter",
        json!({"form": {
            "perspective": "co-creative", "counterpart": "association", "partners": [pid],
            "place": "Kárášjohka torg", "outside": true, "note": "Vil starte strikkekafé",
            "tags": "marked strikking", "initiative": "citizen", "role": null,
            "follow_up": {"text": "Sjekk nøkler", "due": "2026-06-01"}, "when": null
        }}),
    );
    let id = logged["encounter"].as_str().unwrap().to_string();
    let b = a.restart();
    let rows: Vec<Value> = b.call("list_encounters", json!({"filter": {"text": "strikkekafé"}}));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], id.as_str());
    assert_eq!(rows[0]["perspective"], "co-creative");
    assert_eq!(rows[0]["outside"], true);
    assert_eq!(rows[0]["staff_name"], "Ingrid Haugen");
    let by_partner: Vec<Value> = b.call("list_encounters", json!({"filter": {"partner": pid}}));
    assert_eq!(by_partner.len(), 1);
    let e: Value = b.call("get_encounter", json!({"id": id}));
    assert_eq!(e["follow_ups"][0]["due"], "2026-06-01");
    assert_eq!(e["conflicts"], json!([]));
}

#[test]
fn errors_cross_ipc_as_code_and_message() {
    let a = app();
    a.init();
    let err =
        a.call_raw("create_partner", json!({"form": {"name": " ", "kind": "association", "place": ""}})).unwrap_err();
    assert_eq!(err["code"], "invalid");
    assert_eq!(err["message"], "Fyll inn navn; feltet kan ikke stå tomt", "in Bokmål, the default language");
    let missing = "0190f1f4-8a1c-7cc3-9b8e-2f4f7d1a2b3c";
    let err = a.call_raw("get_partner", json!({"id": missing})).unwrap_err();
    assert_eq!(err["code"], "not_found");
    let err = a
        .call_raw(
            "save_settings",
            json!({"settings": {"language": "en", "hub_url": "http://hub.example.no", "popup": null}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "bad_hub_url");
}

#[test]
fn a_core_error_arrives_in_the_language_of_the_settings() {
    let a = app();
    a.init();
    let save = |language: &str| {
        let _: Value =
            a.call("save_settings", json!({"settings": {"language": language, "hub_url": null, "popup": null}}));
    };
    let missing = "0190f1f4-8a1c-7cc3-9b8e-2f4f7d1a2b3c";
    save("da");
    let err = a.call_raw("get_partner", json!({"id": missing})).unwrap_err();
    assert_eq!(err["code"], "not_found");
    assert_eq!(
        err["message"],
        format!("Fandt ingen post med id {missing}; den kan være slettet eller endnu ikke synkroniseret hertil")
    );
    let err =
        a.call_raw("create_partner", json!({"form": {"name": "", "kind": "association", "place": ""}})).unwrap_err();
    assert_eq!(err["message"], "Udfyld navn; feltet må ikke være tomt");
    save("en");
    let err = a.call_raw("get_partner", json!({"id": missing})).unwrap_err();
    assert_eq!(err["message"], format!("no record with id {missing}"));
    save("nb");
    let err = a.call_raw("get_partner", json!({"id": missing})).unwrap_err();
    assert!(err["message"].as_str().unwrap().starts_with("Fant ingen post med ID"), "{err}");
}

#[test]
fn partners_move_on_the_network_circle_and_keep_their_history() {
    let a = app();
    a.init();
    let p: Value =
        a.call("create_partner", json!({"form": {"name": "Vadsø husflidslag", "kind": "association", "place": ""}}));
    let id = p["id"].as_str().unwrap();
    a.call::<Value>("move_partner", json!({"id": id, "level": "collaboration"}));
    let p: Value = a.call("move_partner", json!({"id": id, "level": "partnership"}));
    assert_eq!(p["level"], "partnership");
    let moves: Vec<&str> = p["level_history"].as_array().unwrap().iter().map(|m| m["to"].as_str().unwrap()).collect();
    assert_eq!(moves, ["network", "collaboration", "partnership"]);
    let p: Value = a.call(
        "add_contact",
        json!({"id": id, "contact": {"name": "Máret Ánte Sara", "role": "leder", "phone": "915 00 001", "email": "", "basis": "consent"}}),
    );
    assert_eq!(p["contacts"][0]["name"], "Máret Ánte Sara");
    let p: Value = a.call(
        "add_evaluation",
        json!({"id": id, "evaluation": {"on": "2026-05-01", "rating": "high", "note": "Godt samarbeid"}}),
    );
    assert_eq!(p["evaluations"][0]["rating"], "high");
    let found: Vec<Value> = a.call("list_partners", json!({"filter": {"text": "husflid", "level": "partnership"}}));
    assert_eq!(found.len(), 1);
}

#[test]
fn activities_move_across_the_board() {
    let a = app();
    a.init();
    let act: Value = a.call(
        "create_activity",
        json!({"form": {"title": "Strikkekafé", "status": "idea", "partners": [], "from_encounters": [], "outside": false, "place": ""}}),
    );
    let id = act["id"].as_str().unwrap();
    a.call::<Value>("set_activity_status", json!({"id": id, "status": "running"}));
    let running: Vec<Value> = a.call("list_activities", json!({"filter": {"status": "running"}}));
    assert_eq!(running.len(), 1);
    let ideas: Vec<Value> = a.call("list_activities", json!({"filter": {"status": "idea"}}));
    assert!(ideas.is_empty());
}

#[test]
fn settings_and_profile_are_kept_across_restarts() {
    let a = app();
    a.init();
    a.call::<Value>(
        "save_settings",
        json!({"settings": {"language": "da", "hub_url": "https://hub.example.no",
               "popup": {"place": "Vadsø torg", "outside": true, "started_at": "2026-05-04T10:00:00Z"}}}),
    );
    a.call::<Value>("update_profile", json!({"edit": {"name": "Ingrid H. Haugen", "branch": "Vardø"}}));
    let b = a.restart();
    let s: Value = b.call("app_status", json!({}));
    assert_eq!(s["settings"]["language"], "da");
    assert_eq!(s["settings"]["popup"]["place"], "Vadsø torg");
    assert_eq!(s["profile"]["branch"], "Vardø");
    assert_eq!(s["workspace_name"], "Finnmark");
}

#[test]
fn the_conflicts_inbox_checks_the_store() {
    let a = app();
    a.init();
    a.call::<Value>("create_partner", json!({"form": {"name": "Lag", "kind": "association", "place": ""}}));
    let inbox: Value = a.call("conflicts_inbox", json!({}));
    assert_eq!(inbox["records"], json!([]));
    assert_eq!(inbox["checked"], 2);
}

#[test]
fn every_listed_command_is_handled_and_allowed_and_nothing_else() {
    let a = app();
    for cmd in samskap_app::COMMANDS {
        if let Err(e) = a.call_raw(cmd, json!({})) {
            let text = e.to_string();
            assert!(!text.contains("not found") && !text.contains("not allowed"), "{cmd}: {text}");
        }
    }
    let err = a.call_raw("no_such_command", json!({})).unwrap_err().to_string();
    assert!(err.contains("not found") || err.contains("not allowed"), "{err}");
    let cap: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/capabilities/default.json")).unwrap(),
    )
    .unwrap();
    let granted: Vec<&str> = cap["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    let wanted: Vec<String> = samskap_app::COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    assert_eq!(granted, wanted, "the capability grants exactly the app's commands");
}

#[test]
fn options_come_from_arguments_and_environment() {
    let o = samskap_app::Options::from_args(
        ["--window", "800x1280", "--data", "/tmp/x"].map(String::from),
        Some("/tmp/env".into()),
    );
    assert_eq!(o.window, Some((800.0, 1280.0)));
    assert_eq!(o.data_dir.unwrap().to_str(), Some("/tmp/x"));
    let o = samskap_app::Options::from_args(Vec::<String>::new(), Some("/tmp/env".into()));
    assert_eq!(o.data_dir.unwrap().to_str(), Some("/tmp/env"));
}

#[test]
fn a_store_still_held_by_a_closing_instance_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let opts = samskap::store::InitOptions {
        staff: "Ingrid Haugen".into(),
        branch: "Vadsø".into(),
        workspace_name: "Finnmark".into(),
    };
    let held = samskap::store::Store::init(dir.path(), &opts).unwrap();
    let closing = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(held);
    });
    let a = crate::util::app_in(dir);
    closing.join().unwrap();
    let status: Value = a.call("app_status", json!({}));
    assert_eq!(status["ready"], true, "{status}");
    assert_eq!(status["store_error"], Value::Null);
}

#[test]
fn the_effects_screen_reports_exports_and_imports() {
    let a = app();
    a.init();
    let _: Value = a.call(
        "log_encounter",
        json!({"form": {
            "perspective": "co-creative", "counterpart": "citizen", "partners": [],
            "place": "Vadsø torg", "outside": true, "note": "", "tags": "", "initiative": "citizen",
            "role": "facilitating", "follow_up": null, "when": "2026-03-04T10:00:00Z"
        }}),
    );
    let filter = json!({"from": "2026-03-01", "to": "2026-03-31"});
    let r: Value = a.call("report", json!({ "filter": filter }));
    assert_eq!(r["personal"]["encounters"], 1);
    assert_eq!(r["personal"]["role"]["facilitating"], 1);
    assert_eq!(r["months"], json!(["2026-03"]));
    let bad = a.call_raw("report", json!({"filter": {"from": "2026-04-01", "to": "2026-03-01"}})).unwrap_err();
    assert_eq!(bad["code"], "bad_period");

    let w: Value = a.call(
        "export",
        json!({"options": {"format": "html", "what": null, "separator": 59, "personal": false, "filter": filter}, "path": null}),
    );
    let path = w["path"].as_str().unwrap();
    assert!(path.ends_with("exports/samskap-effects-2026-03-01-2026-03-31.html"), "{path}");
    assert!(std::fs::read_to_string(path).unwrap().contains("<svg"));

    let csv = tempfile::NamedTempFile::with_suffix(".csv").unwrap();
    std::fs::write(csv.path(), "Navn;Type\nVadsø husflidslag;forening\n;skole\n").unwrap();
    let file = csv.path().to_str().unwrap();
    let plan: Value = a.call("preview_partner_import", json!({ "path": file }));
    assert_eq!(plan["create"].as_array().unwrap().len(), 1);
    assert_eq!(plan["bad"][0]["line"], 3);
    let rows: Vec<Value> = a.call("list_partners", json!({"filter": {}}));
    assert!(rows.is_empty(), "a preview changes nothing");
    let done: Value = a.call("import_partners", json!({ "path": file }));
    assert_eq!(done["created"], 1);
    let again: Value = a.call("import_partners", json!({ "path": file }));
    assert_eq!(again["created"], 0);
    let missing = a.call_raw("preview_partner_import", json!({"path": "/nowhere/x.csv"})).unwrap_err();
    assert_eq!(missing["code"], "io");
}

#[test]
fn an_encounter_is_edited_deleted_and_restored() {
    let a = app();
    a.init();
    let logged: Value = a.call(
        "log_encounter",
        json!({"form": {
            "perspective": "service", "counterpart": "citizen", "partners": [], "place": "Vadsø",
            "outside": false, "note": "", "tags": "", "initiative": null, "role": null,
            "follow_up": null, "when": null
        }}),
    );
    let id = logged["encounter"].as_str().unwrap().to_string();
    let e: Value = a.call("get_encounter", json!({"id": id}));
    let edited: Value = a.call(
        "update_encounter",
        json!({"id": id, "edit": {
            "when": e["when"], "place": "Čáhcesuolu", "outside": true, "perspective": "co-creative",
            "counterpart": "association", "partners": [], "initiative": "library", "role": "active",
            "idea": "Bokbytte", "note": "Ny idé", "tags": "bytte, bok", "outcomes": ["new-activity"]
        }}),
    );
    assert_eq!(edited["place"], "Čáhcesuolu");
    assert_eq!(edited["tags"], json!(["bok", "bytte"]));
    let rows: Vec<Value> = a.call("list_encounters", json!({"filter": {"text": "Bokbytte"}}));
    assert_eq!(rows.len(), 1);
    assert_eq!(a.call::<String>("delete_record", json!({"id": id})), "encounter");
    assert!(a.call::<Vec<Value>>("list_encounters", json!({"filter": {}})).is_empty());
    assert_eq!(a.call::<String>("restore_record", json!({"id": id})), "encounter");
    assert_eq!(a.call::<Vec<Value>>("list_encounters", json!({"filter": {}})).len(), 1);
}

#[test]
fn one_app_hosts_a_lan_session_and_another_joins_it() {
    let host = app();
    host.init();
    let guest = app();
    guest.init();
    let before: Value = guest.call("sync_status", json!({}));
    assert_eq!(before["member"], false);
    assert_eq!(before["peers"], json!([]));
    assert!(before["pending"].as_u64().unwrap() >= 1);

    assert_eq!(host.call::<Value>("lan_hosting", json!({})), Value::Null);
    let hosting: Value = host.call("host_lan", json!({}));
    let url = hosting["url"].as_str().unwrap();
    let invite = hosting["invite"].as_str().unwrap();
    assert!(hosting["qr_svg"].as_str().unwrap().contains("<svg"));
    assert_eq!(hosting["link"], format!("samskap:join?url={url}&invite={invite}"));
    // Asking again shows the same session.
    assert_eq!(host.call::<Value>("host_lan", json!({}))["invite"], invite);

    let bad = guest.call_raw("join_workspace", json!({"url": url, "invite": "NOPE"})).unwrap_err();
    assert_eq!(bad["code"], "unauthorized");
    let joined: Value = guest.call("join_workspace", json!({"url": url, "invite": invite}));
    assert_eq!(joined["member"], true);
    assert_eq!(joined["workspace_name"], "Finnmark");

    host.call::<Value>("stop_lan", json!({}));
    assert_eq!(host.call::<Value>("lan_hosting", json!({})), Value::Null);
    let gone = guest.call_raw("join_workspace", json!({"url": url, "invite": invite})).unwrap_err();
    assert_eq!(gone["code"], "unreachable");
}

#[test]
fn a_records_history_names_who_changed_which_fields() {
    let a = app();
    let status = a.init();
    let p: Value =
        a.call("create_partner", json!({"form": {"name": "Vadsø husflidslag", "kind": "association", "place": ""}}));
    let id = p["id"].as_str().unwrap();
    a.call::<Value>("move_partner", json!({"id": id, "level": "collaboration"}));
    a.call::<Value>(
        "add_contact",
        json!({"id": id, "contact": {"name": "Máret Ánte Sara", "role": "leder", "phone": "915 00 002", "email": "", "basis": "consent"}}),
    );
    let h: Value = a.call("record_history", json!({ "id": id }));
    assert_eq!(h["kind"], "partner");
    let entries = h["entries"].as_array().unwrap();
    let what: Vec<(&str, Value)> =
        entries.iter().map(|e| (e["action"].as_str().unwrap(), e["fields"].clone())).collect();
    assert_eq!(what, [("edited", json!(["contacts"])), ("edited", json!(["level"])), ("created", json!([]))]);
    for e in entries {
        assert_eq!(e["staff_name"], "Ingrid Haugen");
        assert_eq!(e["staff"], status["profile"]["id"]);
        assert_eq!(e["device"], status["device_id"]);
        assert_eq!(e["this_device"], true);
    }
    assert!(!h.to_string().contains("915 00"), "no personal value crosses IPC: {h}");
    let missing = a.call_raw("record_history", json!({"id": "0190f1f4-8a1c-7cc3-9b8e-2f4f7d1a2b3c"})).unwrap_err();
    assert_eq!(missing["code"], "not_found");
}

/// The encounter's id from `log_encounter`'s answer (`Logged`).
fn logged(answer: Value) -> String {
    answer["encounter"].as_str().expect("the logged encounter's id").to_string()
}

/// A quick-log form with a follow-up due on `due`.
fn with_follow_up(partners: Value, text: &str, due: &str) -> Value {
    json!({"form": {
        "perspective": "co-creative", "counterpart": "association", "partners": partners, "place": "Kárášjohka torg",
        "outside": true, "note": "Vil starte strikkekafé", "tags": "", "initiative": null, "role": null,
        "follow_up": {"text": text, "due": due}, "when": null
    }})
}

#[test]
fn an_activity_is_made_of_an_encounter_opened_and_edited() {
    let a = app();
    a.init();
    let p: Value =
        a.call("create_partner", json!({"form": {"name": "Kárášjoga searvi", "kind": "association", "place": ""}}));
    let e = logged(a.call("log_encounter", with_follow_up(json!([p["id"]]), "Ring", "2026-01-05")));
    let id: String = a.call("activity_from_encounter", json!({"id": e}));
    let act: Value = a.call("get_activity", json!({"id": id}));
    assert_eq!(act["title"], "Vil starte strikkekafé");
    assert_eq!((act["status"].as_str(), act["outside"].as_bool()), (Some("idea"), Some(true)));
    assert_eq!((act["from_encounters"].clone(), act["partners"].clone()), (json!([e]), json!([p["id"]])));

    let edit = json!({
        "title": " Strikkekafé på torget ", "status": "planned", "partners": [], "from_encounters": [e], "outside": false,
        "place": "Biblioteket", "extra_resources": false, "note": "Tirsdager", "tags": "strikk"
    });
    let edited: Value = a.call("update_activity", json!({"id": id, "edit": edit}));
    assert_eq!(edited["title"], "Strikkekafé på torget");
    assert_eq!((edited["extra_resources"].clone(), edited["partners"].clone()), (json!(false), json!([])));
    let with_partner: Vec<Value> = a.call("list_activities", json!({"filter": {"partner": p["id"]}}));
    assert!(with_partner.is_empty(), "the partner was taken off the activity");
    let planned: Vec<Value> = a.call("list_activities", json!({"filter": {"status": "planned"}}));
    assert_eq!(planned.len(), 1);

    let mut blank = edit.as_object().unwrap().clone();
    blank.insert("title".into(), json!(" "));
    let bad = a.call_raw("update_activity", json!({"id": id, "edit": blank}));
    assert_eq!(bad.unwrap_err()["code"], "invalid");
    assert_eq!(
        a.call::<Value>("get_activity", json!({"id": id}))["title"],
        "Strikkekafé på torget",
        "a refused edit changes nothing"
    );
}

#[test]
fn follow_ups_are_listed_counted_when_overdue_and_marked_done() {
    let a = app();
    a.init();
    let e = logged(a.call("log_encounter", with_follow_up(json!([]), "Ring Máret om nøklene", "2026-01-05")));
    assert_eq!(a.call::<u64>("overdue_follow_ups", json!({})), 1);
    let rows: Vec<Value> = a.call("list_follow_ups", json!({"filter": {}}));
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["text"].as_str(), rows[0]["overdue"].as_bool()), (Some("Ring Máret om nøklene"), Some(true)));
    assert_eq!(rows[0]["encounter"], e);
    let item = rows[0]["item"].as_str().unwrap();

    let missing = a.call_raw("set_follow_up_done", json!({"encounter": e, "item": "nope", "done": true}));
    assert_eq!(missing.unwrap_err()["code"], "no_follow_up");
    let done: Value = a.call("set_follow_up_done", json!({"encounter": e, "item": item, "done": true}));
    assert_eq!(done["follow_ups"][0]["done"], true);
    assert_eq!(a.call::<u64>("overdue_follow_ups", json!({})), 0);
    assert!(a.call::<Vec<Value>>("list_follow_ups", json!({"filter": {}})).is_empty());
    let all: Vec<Value> = a.call("list_follow_ups", json!({"filter": {"all": true, "include_done": true}}));
    assert_eq!(all[0]["done"], true);
}

#[test]
fn the_navigation_sync_state_counts_records_and_a_hosted_session_is_online() {
    let host = app();
    host.init();
    let guest = app();
    guest.init();
    let st: Value = host.call("sync_state", json!({}));
    assert_eq!((st["unshared_records"].as_u64(), st["online"].as_bool()), (Some(1), Some(false)));
    assert_eq!(st["last_sync"], Value::Null);
    let rows: Vec<Value> = guest.call("list_encounters", json!({"filter": {}}));
    assert!(rows.is_empty());
    let _: Value = guest.call("log_encounter", with_follow_up(json!([]), "Ring", "2026-12-30"));
    assert_eq!(guest.call::<Value>("sync_state", json!({}))["unshared_records"], 2);
    let rows: Vec<Value> = guest.call("list_encounters", json!({"filter": {}}));
    assert_eq!(rows[0]["local_only"], true);

    let hosting: Value = host.call("host_lan", json!({}));
    assert_eq!(host.call::<Value>("sync_state", json!({}))["online"], true, "hosting a LAN session is online");
    let _: Value = guest.call("join_workspace", json!({"url": hosting["url"], "invite": hosting["invite"]}));
    let _: Value = guest.call("sync_now", json!({"url": hosting["url"], "progress": "__CHANNEL__:7"}));
    let st: Value = guest.call("sync_state", json!({}));
    assert_eq!((st["unshared_records"].as_u64(), st["online"].as_bool()), (Some(0), Some(true)));
    assert!(st["last_sync"].is_string());
    let rows: Vec<Value> = guest.call("list_encounters", json!({"filter": {}}));
    assert_eq!(rows[0]["local_only"], false);
    let status: Value = guest.call("sync_status", json!({}));
    assert_eq!(status["sharing"]["unshared_records"], 0);

    host.call::<Value>("stop_lan", json!({}));
    assert_eq!(host.call::<Value>("sync_state", json!({}))["online"], false);
    let gone = guest.call_raw("join_workspace", json!({"url": hosting["url"], "invite": hosting["invite"]}));
    assert_eq!(gone.unwrap_err()["code"], "unreachable");
    assert_eq!(guest.call::<Value>("sync_state", json!({}))["online"], false, "the last attempt did not reach it");
}

#[test]
fn a_quick_log_saves_typed_partners_offers_them_again_undoes_and_keeps_its_draft() {
    let a = app();
    a.init();
    let draft = json!({"perspective": "service", "place": "Kárášjohka marked", "note": "halvferdig",
        "new_partners": [{"name": "Sjakkvennene", "kind": "volunteer-group", "place": ""}]});
    let () = a.call("save_draft", json!({ "draft": draft }));
    let b = a.restart();
    let kept: Value = b.call("load_draft", json!({}));
    assert_eq!(kept["note"], "halvferdig", "the draft survives a restart");
    assert_eq!(kept["new_partners"][0]["name"], "Sjakkvennene");
    let logged: Value = b.call(
        "log_encounter",
        json!({"form": {
            "perspective": "service", "counterpart": "volunteer", "partners": [],
            "new_partners": [{"name": "Sjakkvennene", "kind": "volunteer-group", "place": ""}],
            "place": "Kárášjohka marked", "outside": true, "note": "", "tags": "", "initiative": null,
            "role": null, "follow_up": null, "when": null
        }}),
    );
    let () = b.call("save_draft", json!({ "draft": null }));
    assert_eq!(b.call::<Value>("load_draft", json!({})), Value::Null);
    let picks: Value = b.call("quick_picks", json!({}));
    assert_eq!(picks["partners"][0]["name"], "Sjakkvennene");
    assert_eq!(picks["partners"][0]["counterpart"], "volunteer");
    assert_eq!(picks["places"][0], json!({"place": "Kárášjohka marked", "outside": true}));
    let () = b.call("undo_log", json!({ "logged": logged }));
    assert_eq!(b.call::<Vec<Value>>("list_encounters", json!({"filter": {}})).len(), 0);
    assert_eq!(b.call::<Vec<Value>>("list_partners", json!({"filter": {}})).len(), 0);
}

#[test]
fn partners_are_edited_merged_and_a_contact_erased_through_the_commands() {
    let a = app();
    a.init();
    let new = |name: &str| -> String {
        let p: Value = a.call("create_partner", json!({"form": {"name": name, "kind": "association", "place": ""}}));
        p["id"].as_str().unwrap().to_string()
    };
    let (kept, dup) = (new("Vadsø husflidslag"), new("Husflidslaget i Vadsø"));
    let edit = json!({"name": "Vadsø husflidslag", "kind": "volunteer-group", "place": "Vadsø", "phone": "+47 78 95 00 00",
        "email": "post@husflid.no", "tags": "strikking vev", "note": "Tirsdager", "personal_note": ""});
    let p: Value = a.call("update_partner", json!({"id": kept, "edit": edit}));
    assert_eq!((p["phone"].as_str(), p["kind"].as_str()), (Some("+47 78 95 00 00"), Some("volunteer-group")));
    let err = a
        .call_raw(
            "update_contact",
            json!({"id": kept, "edit": {"id": "nope", "contact":
        {"name": "X", "role": "", "phone": "", "email": "", "basis": null}}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "no_item", "an edit of a removed item says so and writes nothing");
    let p: Value = a.call(
        "add_contact",
        json!({"id": dup, "contact":
        {"name": "Áslat Somby", "role": "leder", "phone": "915 37 204", "email": "", "basis": "consent"}}),
    );
    let contact = p["contacts"][0]["id"].as_str().unwrap().to_string();
    a.call::<Value>(
        "log_encounter",
        json!({"form": {
        "perspective": "co-creative", "counterpart": "association", "partners": [dup], "place": "Vadsø torg",
        "outside": true, "note": "", "tags": "", "initiative": null, "role": null, "follow_up": null, "when": null}}),
    );

    let plan: Value = a.call("plan_merge", json!({"keep": kept, "drop": dup}));
    assert_eq!((plan["encounters"].as_u64(), plan["contacts"].as_u64()), (Some(1), Some(1)));
    assert_eq!(a.call_raw("merge_partners", json!({"keep": kept, "drop": kept})).unwrap_err()["code"], "merge_same");
    a.call::<Value>("merge_partners", json!({"keep": kept, "drop": dup}));
    let rows: Vec<Value> = a.call("list_partners", json!({"filter": {}}));
    assert_eq!(rows.len(), 1);
    assert!(rows[0]["last_met"].is_string());
    assert_eq!(a.call::<u64>("count_partners", json!({"filter": {}})), 1);
    let o: Value = a.call("partner_overview", json!({"id": kept}));
    assert_eq!(o["merged"][0]["contacts"][0]["name"], "Áslat Somby");

    let p: Value = a.call("erase_contact", json!({"id": dup, "contact": contact}));
    assert_eq!(p["contacts"], json!([]));
    let o: Value = a.call("partner_overview", json!({"id": kept}));
    assert_eq!(o["merged"][0]["contacts"], json!([]));
    let status: Option<Value> = a.call("erase_partner", json!({"id": dup}));
    assert_eq!(status.unwrap()["receipts"][0]["this_device"], true);
    assert_eq!(a.call::<Vec<Value>>("erasures", json!({})).len(), 1);
}

#[test]
fn settings_list_devices_refuse_revoking_this_one_and_keep_the_retention_period() {
    let a = app();
    let status = a.init();
    let devices: Vec<Value> = a.call("list_devices", json!({}));
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0]["this_device"], true);
    let me = status["device_id"].as_str().unwrap();
    assert_eq!(devices[0]["id"], me);
    assert_eq!(a.call_raw("revoke_device", json!({"device": me})).unwrap_err()["code"], "own_device");
    let lost = "7b2d9e41-0000-4000-8000-000000000002";
    let devices: Vec<Value> = a.call("revoke_device", json!({"device": lost}));
    assert!(devices.iter().any(|d| d["id"] == lost && d["revoked"] == true));
    assert_eq!(a.call::<u32>("retention_months", json!({})), 24);
    assert_eq!(a.call_raw("set_retention_months", json!({"months": 0})).unwrap_err()["code"], "invalid");
    assert_eq!(a.call::<u32>("set_retention_months", json!({"months": 36})), 36);
    assert_eq!(a.restart().call::<u32>("retention_months", json!({})), 36);
}
