//! Every core error has its words in all three languages. One value of
//! every variant of every error enum is listed below; `variant` is an
//! exhaustive `match` without a wildcard, so a new variant does not build
//! until it is listed here, and then its message is checked like the rest.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Language, Localize};
use crate::conflicts::ConflictError;
use crate::doc::DocError;
use crate::model::{RecordId, ValidationError};
use crate::net::NetError;
use crate::report::ReportError;
use crate::settings::SettingsError;
use crate::store::StoreError;
use crate::sync::SyncError;

/// One rendered error: which enum and variant, its code, and its words.
struct Case {
    name: String,
    code: String,
    words: [String; 3],
}

fn case<E: Localize + std::fmt::Debug>(e: &E, variant: usize, code: &str) -> Case {
    let name = format!("{}#{variant} {e:?}", std::any::type_name::<E>());
    let words = [Language::Nb, Language::Da, Language::En].map(|l| e.localize(l));
    Case { name, code: code.to_string(), words }
}

fn dir() -> PathBuf {
    PathBuf::from("/home/kari/samskap")
}

fn io() -> std::io::Error {
    std::io::Error::other("permission denied")
}

fn invalid() -> ValidationError {
    ValidationError::Empty { field: "name" }
}

fn validation() -> (Vec<ValidationError>, fn(&ValidationError) -> usize) {
    use ValidationError::*;
    let all = vec![
        UnknownValue { what: "perspective", given: "friendly".into(), valid: "co-creative, service".into() },
        BadId("abc".into()),
        Empty { field: "contact name" },
        TooLong { field: "note", len: 100_001, max: 100_000 },
        BadEmail("kari(at)bibliotek.no".into()),
        BadPhone("ring meg".into()),
        BadDate { given: "17. mai".into() },
        BadTime { given: "i går".into() },
        BadFormat { what: "contact", given: "a;b;c;d;e".into(), format: "NAME;ROLE;PHONE;EMAIL" },
        BadYesNo("kanskje".into()),
    ];
    fn variant(e: &ValidationError) -> usize {
        match e {
            UnknownValue { .. } => 0,
            BadId(_) => 1,
            Empty { .. } => 2,
            TooLong { .. } => 3,
            BadEmail(_) => 4,
            BadPhone(_) => 5,
            BadDate { .. } => 6,
            BadTime { .. } => 7,
            BadFormat { .. } => 8,
            BadYesNo(_) => 9,
        }
    }
    (all, variant)
}

fn doc() -> (Vec<DocError>, fn(&DocError) -> usize) {
    use DocError::*;
    let all = vec![
        Automerge(automerge::AutomergeError::Fail),
        WrongKind { expected: "partner", found: "encounter".into() },
        Missing { field: "when".into() },
        Invalid { field: "perspective".into(), value: "friendly".into() },
        Shape { field: "place".into(), expected: "text" },
        NoKey,
    ];
    fn variant(e: &DocError) -> usize {
        match e {
            Automerge(_) => 0,
            WrongKind { .. } => 1,
            Missing { .. } => 2,
            Invalid { .. } => 3,
            Shape { .. } => 4,
            NoKey => 5,
        }
    }
    (all, variant)
}

fn store() -> (Vec<StoreError>, fn(&StoreError) -> usize) {
    use StoreError::*;
    let id = RecordId::new();
    let all = vec![
        NotInitialized(dir()),
        AlreadyInitialized(dir()),
        NotAStore(dir()),
        Busy { dir: dir(), pid: Some(4242) },
        TooNew(dir(), 7),
        KeyNeeded(dir()),
        WrongKey(dir()),
        KeyStore("no secret service".into()),
        NotFound(id),
        WrongKind { id, expected: "partner", found: "activity" },
        MissingRef { id, kind: "staff" },
        Erased(id),
        BadBatch("unknown actor".into()),
        DiskFull,
        NoFollowUp { encounter: id, item: "f1".into() },
        NoItem { what: "contact person", id: "c1".into() },
        OwnDevice,
        Merge(crate::store::MergeError::Same),
        Merge(crate::store::MergeError::AlreadyMerged(id)),
        HubDatabase("connection refused".into()),
        Invalid(invalid()),
        Doc(DocError::NoKey),
        Sqlite(rusqlite::Error::QueryReturnedNoRows),
        Io(io()),
    ];
    fn variant(e: &StoreError) -> usize {
        match e {
            NotInitialized(_) => 0,
            AlreadyInitialized(_) => 1,
            NotAStore(_) => 2,
            Busy { .. } => 3,
            TooNew(..) => 4,
            KeyNeeded(_) => 5,
            WrongKey(_) => 6,
            KeyStore(_) => 7,
            NotFound(_) => 8,
            WrongKind { .. } => 9,
            MissingRef { .. } => 10,
            Erased(_) => 11,
            BadBatch(_) => 12,
            DiskFull => 13,
            Invalid(_) => 14,
            Doc(_) => 15,
            Sqlite(_) => 16,
            Io(_) => 17,
            NoFollowUp { .. } => 18,
            NoItem { .. } => 19,
            OwnDevice => 20,
            Merge(_) => 21,
            HubDatabase(_) => 22,
        }
    }
    (all, variant)
}

fn sync() -> (Vec<SyncError>, fn(&SyncError) -> usize) {
    use SyncError::*;
    let all = vec![
        TooShort(3),
        BadMagic,
        UnsupportedVersion(3, 2),
        UnknownKind(9),
        LengthMismatch { declared: 100, actual: 90 },
        TooLarge { len: 80_000_000, max: 64_000_000 },
        Checksum,
        Malformed("connection dropped".into()),
        Replayed { got: 4, last: 5 },
        Unexpected { got: 4, expected: 5 },
        WrongMessage { expected: "offer", got: "batch" },
        WrongWorkspace,
        Bundle("truncated".into()),
        Store(StoreError::DiskFull),
        Io(io()),
    ];
    fn variant(e: &SyncError) -> usize {
        match e {
            TooShort(_) => 0,
            BadMagic => 1,
            UnsupportedVersion(..) => 2,
            UnknownKind(_) => 3,
            LengthMismatch { .. } => 4,
            TooLarge { .. } => 5,
            Checksum => 6,
            Malformed(_) => 7,
            Replayed { .. } => 8,
            Unexpected { .. } => 9,
            WrongMessage { .. } => 10,
            WrongWorkspace => 11,
            Bundle(_) => 12,
            Store(_) => 13,
            Io(_) => 14,
        }
    }
    (all, variant)
}

fn net() -> (Vec<NetError>, fn(&NetError) -> usize) {
    use NetError::*;
    let all = vec![
        Unauthorized("that invite code has expired; ask for a new one"),
        Revoked,
        BadRequest("a workspace needs a name".into()),
        InsecureUrl("http://hub.example.no".into()),
        BadUrl("hub.example".into()),
        NotJoined,
        Unreachable { url: "https://hub.example.no".into(), why: "connection refused".into() },
        Peer { status: 500, code: "database".into(), message: "database: disk I/O error".into() },
        RateLimited,
        Sync(SyncError::WrongWorkspace),
        Store(StoreError::NotFound(RecordId::new())),
        Io(io()),
        Tls("unknown issuer".into()),
    ];
    fn variant(e: &NetError) -> usize {
        match e {
            Unauthorized(_) => 0,
            Revoked => 1,
            BadRequest(_) => 2,
            InsecureUrl(_) => 3,
            BadUrl(_) => 4,
            NotJoined => 5,
            Unreachable { .. } => 6,
            Peer { .. } => 7,
            RateLimited => 8,
            Sync(_) => 9,
            Store(_) => 10,
            Io(_) => 11,
            Tls(_) => 12,
        }
    }
    (all, variant)
}

fn report() -> (Vec<ReportError>, fn(&ReportError) -> usize) {
    use ReportError::*;
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 5, d).expect("a real day");
    let all = vec![
        BadDate("mai".into()),
        EmptyPeriod { from: day(20), to: day(2) },
        TooLong(1300),
        Store(StoreError::DiskFull),
    ];
    fn variant(e: &ReportError) -> usize {
        match e {
            BadDate(_) => 0,
            EmptyPeriod { .. } => 1,
            TooLong(_) => 2,
            Store(_) => 3,
        }
    }
    (all, variant)
}

fn conflict() -> (Vec<ConflictError>, fn(&ConflictError) -> usize) {
    use ConflictError::*;
    let all = vec![
        Unsupported("contacts".into()),
        BadValue { field: "perspective".into(), value: "friendly".into() },
        Store(StoreError::DiskFull),
    ];
    fn variant(e: &ConflictError) -> usize {
        match e {
            Unsupported(_) => 0,
            BadValue { .. } => 1,
            Store(_) => 2,
        }
    }
    (all, variant)
}

fn settings() -> (Vec<SettingsError>, fn(&SettingsError) -> usize) {
    use SettingsError::*;
    let all = vec![
        Corrupt("/home/kari/samskap/settings.json".into(), "expected value at line 1".into()),
        BadHubUrl("ftp://hub".into()),
        Invalid(invalid()),
        Io(io()),
    ];
    fn variant(e: &SettingsError) -> usize {
        match e {
            Corrupt(..) => 0,
            BadHubUrl(_) => 1,
            Invalid(_) => 2,
            Io(_) => 3,
        }
    }
    (all, variant)
}

/// Renders every listed value, after checking that the list names every variant.
fn cases<E: Localize + std::fmt::Debug>(
    (all, variant): (Vec<E>, fn(&E) -> usize),
    code: fn(&E) -> String,
) -> Vec<Case> {
    let seen: std::collections::BTreeSet<usize> = all.iter().map(variant).collect();
    let missing: Vec<usize> = (0..=*seen.last().unwrap_or(&0)).filter(|i| !seen.contains(i)).collect();
    assert!(missing.is_empty(), "{}: no example of variants {missing:?}", std::any::type_name::<E>());
    all.iter().map(|e| case(e, variant(e), &code(e))).collect()
}

fn every_variant() -> Vec<Case> {
    let mut out = vec![];
    out.extend(cases(validation(), |e| e.code().into()));
    out.extend(cases(doc(), |e| e.code().into()));
    out.extend(cases(store(), |e| e.code().into()));
    out.extend(cases(sync(), |e| e.code().into()));
    out.extend(cases(net(), |e| e.code().into()));
    out.extend(cases(report(), |e| e.code().into()));
    out.extend(cases(conflict(), |e| e.code().into()));
    out.extend(cases(settings(), |e| e.code().into()));
    out
}

/// Messages whose words are the same in a Scandinavian language and English
/// (none today; a message made only of a path or a code would go here).
const SAME_AS_ENGLISH: &[&str] = &[];

#[test]
fn every_error_speaks_bokmal_danish_and_english() {
    let mut by_code: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for Case { name, code, words } in every_variant() {
        let [nb, da, en] = &words;
        for w in &words {
            assert!(!w.trim().is_empty(), "{name}: an empty message");
            assert!(!w.contains('{') && !w.contains('}'), "{name}: a placeholder left in {w:?}");
        }
        if !SAME_AS_ENGLISH.contains(&code.as_str()) {
            assert_ne!(nb, en, "{name}: the Bokmål message is the English one");
            assert_ne!(da, en, "{name}: the Danish message is the English one");
        }
        assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{name}: code {code:?} is not snake_case");
        by_code.entry(code).or_default().push(nb.clone());
    }
    // The codes the UI and the CLI's exit path match on: each has been rendered.
    for code in [
        "not_initialized",
        "busy",
        "key_needed",
        "not_found",
        "invalid",
        "disk_full",
        "malformed",
        "unsupported_version",
        "wrong_workspace",
        "revoked",
        "unreachable",
        "bad_date",
        "bad_period",
        "unsupported_field",
        "settings_corrupt",
        "bad_hub_url",
        "empty",
        "unknown_value",
        "no_key",
    ] {
        assert!(by_code.contains_key(code), "no message rendered for code {code}");
    }
}

#[test]
fn wrapped_errors_speak_through_the_error_they_wrap() {
    let inner = invalid();
    for lang in [Language::Nb, Language::Da, Language::En] {
        let want = inner.localize(lang);
        assert_eq!(StoreError::Invalid(inner.clone()).localize(lang), want);
        assert_eq!(SettingsError::Invalid(inner.clone()).localize(lang), want);
        let store = || StoreError::Invalid(inner.clone());
        assert_eq!(SyncError::Store(store()).localize(lang), want);
        assert_eq!(NetError::Sync(SyncError::Store(store())).localize(lang), want);
        assert_eq!(ReportError::Store(store()).localize(lang), want);
        assert_eq!(ConflictError::Store(store()).localize(lang), want);
    }
    assert_eq!(invalid().localize(Language::Nb), "Fyll inn navn; feltet kan ikke stå tomt");
    assert_eq!(invalid().localize(Language::Da), "Udfyld navn; feltet må ikke være tomt");
}

#[test]
fn details_stay_and_names_are_translated() {
    let e = StoreError::WrongKind { id: RecordId::new(), expected: "partner", found: "encounter" };
    assert!(e.localize(Language::Nb).contains("er et møte, ikke en partner"), "{}", e.localize(Language::Nb));
    assert!(e.localize(Language::Da).contains("er et møde, ikke en partner"), "{}", e.localize(Language::Da));
    let e = StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows);
    assert!(e.localize(Language::Da).starts_with("Databasen svarede med en fejl: "));
    assert!(e.localize(Language::Da).contains(&rusqlite::Error::QueryReturnedNoRows.to_string()));
    let e = NetError::Peer { status: 403, code: "revoked".into(), message: "this device was revoked".into() };
    assert_eq!(e.localize(Language::Nb), NetError::Revoked.localize(Language::Nb));
}
