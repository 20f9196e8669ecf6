//! Stores for the targets that need one, in temporary folders (under
//! `TMPDIR`; `scripts/fuzz` points it at a scratch folder it removes, since
//! a fuzzer exits without dropping what a thread keeps).

use crate::demo::{self, DemoOptions};
use crate::store::{Durability, InitOptions, Store};

pub struct Fixture {
    // Dropped before the folder it lives in.
    pub store: Store,
    _dir: tempfile::TempDir,
}

impl Fixture {
    /// A new store with nothing in it but its user's profile.
    pub fn empty() -> Fixture {
        let dir = tempfile::Builder::new().prefix("samskap-fuzz-").tempdir().expect("a temporary folder");
        let opts =
            InitOptions { staff: "Ingrid Haugen".into(), branch: "Vadsø".into(), workspace_name: "Finnmark".into() };
        let store = Store::init(dir.path(), &opts).expect("a new store");
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
