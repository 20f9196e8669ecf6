//! Every input the fuzzers keep, replayed as a plain test (no fuzzer, no
//! nightly): the seed corpora in `fuzz/corpus/<target>/` and the inputs
//! that once crashed a target in `fuzz/regressions/<target>/`, through the
//! same functions the fuzz targets call (`samskap::fuzzing`). An error is
//! the right answer to garbage; a panic fails the test.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use samskap::fuzzing::{self, TARGETS};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The files in `fuzz/<kind>/<target>/`, by name.
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = root().join("fuzz").join(kind).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else { return vec![] };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    files
}

fn replay(name: &str) {
    let target = TARGETS.iter().find(|t| t.name == name).expect("a target of that name");
    let seeds = inputs("corpus", name);
    assert!(!seeds.is_empty(), "fuzz/corpus/{name}/ holds seeds");
    let mut panicked = vec![];
    for path in seeds.iter().chain(&inputs("regressions", name)) {
        let data = std::fs::read(path).unwrap();
        if catch_unwind(AssertUnwindSafe(|| (target.feed)(&data))).is_err() {
            panicked.push(path.strip_prefix(root()).unwrap().display().to_string());
        }
    }
    assert!(panicked.is_empty(), "{name}: these inputs panic: {panicked:#?}");
}

#[test]
fn sync_message() {
    replay("sync_message");
}

#[test]
fn bundle() {
    replay("bundle");
}

#[test]
fn import_csv() {
    replay("import_csv");
}

#[test]
fn import_xlsx() {
    replay("import_xlsx");
}

#[test]
fn ingest() {
    replay("ingest");
}

#[test]
fn change_view() {
    replay("change_view");
}

#[test]
fn every_target_is_replayed_and_every_folder_names_a_target() {
    let tested = ["sync_message", "bundle", "import_csv", "import_xlsx", "ingest", "change_view"];
    let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    assert_eq!(names, tested, "a new target needs its test above");
    let bin = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
    for name in &names {
        assert!(bin.contains(&format!("name = \"{name}\"")), "fuzz/Cargo.toml builds {name}");
    }
    for kind in ["corpus", "regressions"] {
        for entry in std::fs::read_dir(root().join("fuzz").join(kind)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                let dir = path.file_name().unwrap().to_string_lossy().into_owned();
                assert!(names.contains(&dir.as_str()), "fuzz/{kind}/{dir}/ is not a target's");
            }
        }
    }
}

/// Rewrites the seeds from fresh stores: `cargo test --test fuzz_regressions -- --ignored write_seeds`.
#[test]
#[ignore = "rewrites fuzz/corpus/; run by hand"]
fn write_seeds() {
    let written = fuzzing::write_seeds(root()).unwrap();
    let total: usize = written.iter().map(|(_, n)| n).sum();
    for (path, n) in &written {
        println!("{n:>8}  {}", path.strip_prefix(root()).unwrap().display());
    }
    println!("{total:>8}  in all");
}
