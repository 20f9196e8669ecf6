//! Criterion benchmarks of the store. `samskap bench --json` prints the
//! same figures at 100,000 records with their plain-SQLite lower bounds.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use samskap::demo::{fill, DemoOptions};
use samskap::model::*;
use samskap::store::{EncounterQuery, InitOptions, Store};

fn store_with(records: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::init(
        dir.path(),
        &InitOptions { staff: "Bench".into(), branch: "Vadsø".into(), workspace_name: "bench".into() },
    )
    .unwrap();
    fill(&mut s, &DemoOptions { encounters: records, seed: 42 }).unwrap();
    (dir, s)
}

fn encounter() -> Encounter {
    let mut e = Encounter::new(Perspective::CoCreative, CounterpartKind::Association);
    e.place = "Vadsø torg".into();
    e.note = "Innbygger foreslo strikkekafé på lørdager, med frivillige fra husflidslaget.".into();
    e.tags = vec!["strikk".into()];
    e
}

fn logging(c: &mut Criterion) {
    let (_dir, mut store) = store_with(1_000);
    let mut g = c.benchmark_group("log one encounter (durable)");
    g.sample_size(60);
    g.bench_function("samskap store", |b| {
        b.iter_batched(encounter, |e| store.create(&e).unwrap(), BatchSize::SmallInput)
    });
    let plain_dir = tempfile::tempdir().unwrap();
    let plain = samskap_bench::plain_db(&plain_dir.path().join("plain.db")).unwrap();
    g.bench_function("plain sqlite insert", |b| {
        b.iter_batched(encounter, |e| samskap_bench::plain_insert(&plain, &e).unwrap(), BatchSize::SmallInput)
    });
    g.finish();
}

fn reading(c: &mut Criterion) {
    let (_dir, store) = store_with(20_000);
    let q = EncounterQuery { perspective: Some(Perspective::CoCreative), limit: Some(50), ..Default::default() };
    c.bench_function("list page of 50, filtered (20k encounters)", |b| b.iter(|| store.list_encounters(&q).unwrap()));
    c.bench_function("full-text search (20k encounters)", |b| b.iter(|| store.search("strikkekafé", 50).unwrap()));
}

criterion_group!(benches, logging, reading);
criterion_main!(benches);
