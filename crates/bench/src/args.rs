//! The `samskap-bench` command line (`samskap bench …` passes its
//! arguments through unchanged).

use std::path::PathBuf;

use clap::{Args, Parser};

#[derive(Parser)]
#[command(
    name = "samskap-bench",
    version,
    about = "Measure Samskap: the store's speed and size, sync, reports and encryption at rest, \
             each beside its lower bound; `--json` prints every figure."
)]
pub struct Cli {
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// Accepted wherever `samskap` accepts it, and unused: the bench prints
    /// figures, not sentences.
    #[arg(long, global = true, hide = true, value_name = "nb|da|en")]
    pub lang: Option<String>,
    #[command(flatten)]
    pub bench: BenchArgs,
}

#[derive(Args)]
pub struct BenchArgs {
    /// What to measure: the store (default) or sync.
    #[arg(value_enum, default_value = "store")]
    pub what: BenchWhat,
    /// Devices in the hub load test (bench sync).
    #[arg(long, default_value_t = 200)]
    pub devices: usize,
    /// Sync rounds per device in the load test.
    #[arg(long, default_value_t = 5)]
    pub rounds: usize,
    /// How often each device syncs in the load test, in ms (jittered ±50%).
    #[arg(long, default_value_t = 1000)]
    pub interval_ms: u64,
    /// Documents in Automerge's per-document sync baseline (bench sync).
    #[arg(long, default_value_t = 10_000)]
    pub baseline_docs: usize,
    /// Encounters in the big store; several sizes (`10000,100000,1000000`)
    /// run the benchmark at each and print every figure's growth curve.
    #[arg(long, value_delimiter = ',', default_value = "100000")]
    pub records: Vec<usize>,
    /// bench history: how many times the partner's note is edited.
    #[arg(long, default_value_t = 10_000)]
    pub edits: usize,
    /// How many single-encounter writes to time.
    #[arg(long, default_value_t = 300)]
    pub writes: usize,
    /// Where to build the stores (default: a temporary folder).
    #[arg(long)]
    pub work: Option<PathBuf>,
    /// bench sync: also measure hubs on PostgreSQL, in a throwaway cluster
    /// of the bench's own (Debian's postgresql package).
    #[arg(long)]
    pub postgres: bool,
    /// bench sync: also measure hubs on PostgreSQL, in this empty database.
    #[arg(long, value_name = "URL", conflicts_with = "postgres")]
    pub database: Option<String>,
    /// bench sync: the `samskap` executable that runs the hubs (default:
    /// the one beside this executable).
    #[arg(long, value_name = "PATH")]
    pub hub_exe: Option<PathBuf>,
    /// Internal: open an existing store, list and search, report peak memory.
    #[arg(long, hide = true)]
    pub probe: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum BenchWhat {
    Store,
    Sync,
    /// The effect report and the XLSX export over a big store.
    Report,
    /// What encryption at rest costs: logging and a full sync, with and without.
    AtRest,
    /// A partner note edited for years by three tablets: edits, opening,
    /// stored size beside the compacted document, a tablet away through it all.
    History,
}
