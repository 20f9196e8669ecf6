//! Stores for the targets that need one, in temporary folders (under
//! `TMPDIR`; `scripts/fuzz` points it at a scratch folder it removes, since
//! a fuzzer exits without dropping what a thread keeps).

use crate::demo::{self, DemoOptions};
use crate::store::{Durability, Store};

pub struct Fixture {
    // Dropped before the folder it lives in.
    pub store: Store,
    _dir: tempfile::TempDir,
}

impl Fixture {
    /// A new store with nothing in it but its user's profile.
    pub fn empty() -> Fixture {
        let dir = tempfile::Builder::new().prefix("samskap-fuzz-").tempdir().expect("a temporary folder");
        let store = crate::testing::store_in(dir.path(), "Ingrid Haugen", "Vadsø");
        store.set_durability(Durability::Normal).expect("durability");
        Fixture { store, _dir: dir }
    }

    /// A store with the demo partners (and staff and activities) in it.
    pub fn with_partners() -> Fixture {
        let mut fx = Fixture::empty();
        demo::fill(&mut fx.store, &DemoOptions { encounters: 0, seed: 1 }).expect("demo partners");
        fx
    }
}
