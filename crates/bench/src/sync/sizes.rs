//! What a workspace's records take, read from a replica's log through the
//! core's public API: the lower bound of a first sync (the chunks as
//! stored), and for reference each record's document saved on its own.

use std::collections::HashMap;

use samskap::model::RecordId;
use samskap::store::{log_dump, Store, StoreError, StoredChunk};

/// Chunks read per page.
const PAGE: usize = 2_000;

/// Bytes of every stored chunk, as the store keeps them (packed): what a
/// full sync must carry at least.
pub fn stored_change_bytes(store: &Store) -> Result<u64, StoreError> {
    let mut total = 0u64;
    each_chunk(store, |c| {
        total += c.packed.len() as u64;
        Ok::<_, StoreError>(())
    })?;
    Ok(total)
}

/// Bytes of every record's document saved on its own, uncompressed (what
/// naive per-document transfer costs). A document is its chunks in log
/// order; each is loaded once its last chunk has been read, so only
/// records whose chunks are still coming are held in memory.
pub fn separate_docs_bytes(store: &Store) -> anyhow::Result<u64> {
    let mut left: HashMap<RecordId, usize> = HashMap::new();
    each_chunk(store, |c| {
        *left.entry(c.doc).or_default() += 1;
        Ok::<_, StoreError>(())
    })?;
    let mut partial: HashMap<RecordId, Vec<u8>> = HashMap::new();
    let mut total = 0u64;
    each_chunk(store, |c| {
        partial.entry(c.doc).or_default().extend_from_slice(&c.bytes()?);
        let n = left.get_mut(&c.doc).expect("counted in the first pass");
        *n -= 1;
        if *n == 0 {
            let doc = automerge::Automerge::load(&partial.remove(&c.doc).unwrap_or_default())?;
            total += doc.save_nocompress().len() as u64;
        }
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(total)
}

/// Calls `f` with every chunk of the log, in log order.
fn each_chunk<E: From<StoreError>>(store: &Store, mut f: impl FnMut(&StoredChunk) -> Result<(), E>) -> Result<(), E> {
    let mut after = 0;
    loop {
        let page = log_dump::chunks(store.reader(), after, PAGE)?;
        let Some(last) = page.last() else { return Ok(()) };
        after = last.seq;
        page.iter().try_for_each(&mut f)?;
    }
}

#[cfg(test)]
mod tests {
    use samskap::model::*;
    use samskap::store::InitOptions;

    use super::*;

    /// Chunks of two records interleaved in the log (A, B, A, B): each
    /// document is still the concatenation of its own chunks.
    #[test]
    fn sizes_follow_each_record_through_an_interleaved_log() {
        let dir = tempfile::tempdir().unwrap();
        let opts = InitOptions { staff: "Kari".into(), branch: "Vadsø".into(), workspace_name: String::new() };
        let mut store = Store::init(dir.path(), &opts).unwrap();
        let a = store.create(&Encounter::new(Perspective::Service, CounterpartKind::Citizen)).unwrap();
        let b = store.create(&Encounter::new(Perspective::CoCreative, CounterpartKind::Association)).unwrap();
        store.update(a, |e: &mut Encounter| e.note = "lesesirkel".into()).unwrap();
        store.update(b, |e: &mut Encounter| e.note = "strikkekafé".into()).unwrap();

        let chunks = log_dump::chunks(store.reader(), 0, usize::MAX).unwrap();
        let packed: usize = chunks.iter().map(|c| c.packed.len()).sum();
        assert_eq!(stored_change_bytes(&store).unwrap(), packed as u64);
        // The staff member made at init is a record too.
        let mut ids: Vec<RecordId> = chunks.iter().map(|c| c.doc).collect();
        ids.sort();
        ids.dedup();
        assert!(ids.contains(&a) && ids.contains(&b) && ids.len() == 3, "{ids:?}");
        let mut expected = 0;
        for id in ids {
            let mut bytes = vec![];
            for c in chunks.iter().filter(|c| c.doc == id) {
                bytes.extend(c.bytes().unwrap());
            }
            expected += automerge::Automerge::load(&bytes).unwrap().save_nocompress().len() as u64;
        }
        assert!(chunks.iter().filter(|c| c.doc == a).count() >= 2, "the edit is a chunk of its own");
        assert_eq!(separate_docs_bytes(&store).unwrap(), expected);
    }
}
