//! The command-line contract (later tests and scripts rely on it).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use samskap::model::*;

#[derive(Parser)]
#[command(
    name = "samskap",
    version,
    about = "Samskap: log everyday co-creation encounters, partners and activities — offline first."
)]
pub struct Cli {
    /// Store folder (default: the platform's data folder).
    #[arg(long, global = true, env = "SAMSKAP_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// Language of messages: nb (Norsk bokmål, the default), da (Dansk) or
    /// en (English); without it, SAMSKAP_LANG, LC_ALL, LC_MESSAGES or LANG.
    #[arg(long, global = true, value_name = "nb|da|en")]
    pub lang: Option<samskap::i18n::Language>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create a store on this device for a staff member. It is encrypted at
    /// rest with a key kept in the computer's key store (or SAMSKAP_DB_KEY).
    Init {
        #[arg(long)]
        staff: String,
        #[arg(long, default_value = "")]
        branch: String,
        #[arg(long, default_value = "")]
        workspace_name: String,
        /// Leave the store file unencrypted (training and demo copies).
        #[arg(long)]
        plain: bool,
    },
    #[command(subcommand)]
    Partner(PartnerCmd),
    #[command(subcommand)]
    Encounter(EncounterCmd),
    #[command(subcommand)]
    Activity(ActivityCmd),
    /// Delete a record (a tombstone; `restore` brings it back).
    Delete { id: RecordId },
    /// Undo a delete.
    Restore { id: RecordId },
    /// Revoke a lost or stolen device (its id is in `samskap status` on it,
    /// or in `hub devices`): LAN sessions hosted here refuse it at once; at
    /// the next sync the hub refuses it too and rotates the workspace key.
    Revoke { device: uuid::Uuid },
    /// Erase a record for good, on every replica it syncs with: its key,
    /// its history and its personal data (cannot be undone).
    Erase {
        id: RecordId,
        /// Erase only this contact person of the partner `id` (its id is in
        /// `partner show --json`): every copy of its history becomes unreadable.
        #[arg(long)]
        contact: Option<String>,
        /// Confirm: erasure cannot be undone.
        #[arg(long)]
        yes: bool,
    },
    /// Who changed what and when in a record, newest first. Personal
    /// fields show only that they changed, never their values.
    History { id: RecordId },
    /// Full-text search over encounters, partners and activities.
    Search {
        text: String,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Fill the store with realistic demo data.
    Demo {
        /// How many encounters (partners and activities scale with it).
        #[arg(long, default_value_t = 200)]
        records: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Measure the store's speed and size, sync, reports and encryption at
    /// rest: runs `samskap-bench` from this executable's folder with these
    /// arguments (`samskap bench --help` lists them).
    #[command(disable_help_flag = true)]
    Bench {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Forget partners' contact people after the retention period (also runs
    /// after every sync); `--months` sets the period first.
    Retention {
        #[arg(long)]
        months: Option<u32>,
    },
    /// Run or administer a hub that serves many workspaces.
    Hub(HubArgs),
    /// Join a workspace with an invite code from a hub or a LAN session.
    Join {
        #[arg(long)]
        hub: String,
        #[arg(long)]
        invite: String,
    },
    /// Sync with the joined hub, or with a LAN session's address.
    Sync {
        #[arg(long)]
        hub: Option<String>,
    },
    /// Host a LAN session: colleagues at a pop-up sync with this device.
    Serve {
        #[arg(long, default_value = "0.0.0.0:7878")]
        listen: std::net::SocketAddr,
    },
    /// Look for LAN sessions on this network (mDNS).
    Discover {
        /// Seconds to listen.
        #[arg(long, default_value_t = 3)]
        wait: u64,
    },
    /// Carry changes on a USB stick or by e-mail.
    #[command(subcommand)]
    Bundle(BundleCmd),
    /// This device, its workspace, peers last seen and pending changes.
    Status,
    /// Effect figures for a period (the four levels); `--json` prints every figure.
    Report(ReportArgs),
    /// Write records or the report to a CSV, XLSX, JSON or printable HTML file.
    Export(ExportArgs),
    /// Bring records in from the spreadsheets a library already keeps.
    #[command(subcommand)]
    Import(ImportCmd),
}

#[derive(Args, Clone)]
pub struct ReportArgs {
    /// First day (YYYY-MM-DD, inclusive); default: twelve calendar months back.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, inclusive); default: today.
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub branch: Option<String>,
    /// A staff member's id.
    #[arg(long)]
    pub staff: Option<RecordId>,
    #[arg(long)]
    pub partner_kind: Option<PartnerKind>,
}

#[derive(Args)]
pub struct ExportArgs {
    /// csv, xlsx, json or html (the printable report with charts).
    #[arg(long)]
    pub format: samskap::export::Format,
    /// The file to write (replaced if it exists).
    #[arg(long)]
    pub out: PathBuf,
    /// What to write; XLSX and HTML hold everything when left out.
    /// encounters, partners, activities or report.
    #[arg(long)]
    pub what: Option<samskap::export::What>,
    /// CSV field separator: ',' or ';' (Excel set to Norwegian or Danish wants ';').
    #[arg(long, default_value = ",")]
    pub separator: char,
    /// Include partners' personal data (names of private persons, phone,
    /// e-mail, contact persons). Off by default: it is your choice to export it.
    #[arg(long)]
    pub personal: bool,
    /// Figures per named staff member in the report (left out by default:
    /// a report to the municipality is not a staff appraisal).
    #[arg(long)]
    pub per_staff: bool,
    /// Slugs (`municipal-department`, `true`) and English headers instead of
    /// words in your language, for machines reading the file.
    #[arg(long)]
    pub slugs: bool,
    /// The period and filters of the report part.
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Subcommand)]
pub enum ImportCmd {
    /// Partners from a CSV (',' or ';', UTF-8 or Windows-1252), XLSX, ODS or XLS file.
    Partners {
        file: PathBuf,
        /// Show what would be created and every bad row; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// The sheet to read (default: the one with partner columns).
        #[arg(long)]
        sheet: Option<String>,
        /// Your word for a kind or level: --map "museum=public-body" (repeatable).
        #[arg(long = "map", value_name = "TERM=KIND")]
        maps: Vec<String>,
    },
}

#[derive(Args)]
pub struct HubArgs {
    /// Keep the hub's data in PostgreSQL (postgres://USER@HOST:PORT/DB), so
    /// several hub processes can serve it; without it, SQLite files in --data.
    #[arg(long, global = true, env = samskap::net::pg::DATABASE_ENV, hide_env_values = true)]
    pub database: Option<String>,
    #[command(subcommand)]
    pub cmd: HubCmd,
}

#[derive(Subcommand)]
pub enum HubCmd {
    /// Serve workspaces over HTTP (https with --cert and --key).
    Serve {
        #[arg(long)]
        listen: std::net::SocketAddr,
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
        #[arg(long, requires = "cert")]
        key: Option<PathBuf>,
        /// Connections one address may hold at once; behind a load balancer
        /// every device shares its address, so raise it there.
        #[arg(long, default_value_t = samskap::net::conn_limit::PER_ADDRESS)]
        connections_per_address: usize,
        /// Seconds a client has to send its request headers (and finish a TLS handshake).
        #[arg(long, default_value_t = 10)]
        header_timeout: u64,
    },
    /// Print one invite code line; creates the workspace if new.
    Invite {
        #[arg(long)]
        workspace: String,
    },
    /// Refuse a device from now on (a lost tablet).
    Revoke {
        #[arg(long)]
        device: uuid::Uuid,
    },
    /// List the devices of every workspace.
    Devices,
    /// Copy a SQLite hub (stopped) into a PostgreSQL database, so its
    /// devices keep syncing with hubs on that database without rejoining.
    Migrate {
        /// The SQLite hub's folder (its --data).
        #[arg(long)]
        from: PathBuf,
        /// The database: postgres://USER@HOST:PORT/DB.
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
pub enum BundleCmd {
    /// Write every change into FILE.
    Export { file: PathBuf },
    /// Check FILE whole, then apply it.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
pub enum PartnerCmd {
    /// Add a partner; prints its id.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        kind: PartnerKind,
        #[arg(long, default_value = "network")]
        level: Level,
        #[command(flatten)]
        fields: PartnerFields,
    },
    Update {
        id: RecordId,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        kind: Option<PartnerKind>,
        #[arg(long)]
        level: Option<Level>,
        #[command(flatten)]
        fields: PartnerFields,
    },
    Show {
        id: RecordId,
    },
    /// Merge DROP into KEEP: encounters, activities, agreements and
    /// evaluations move to KEEP; DROP is hidden and its links lead to KEEP.
    Merge {
        keep: RecordId,
        drop: RecordId,
    },
    List {
        #[arg(long)]
        level: Option<Level>,
        #[arg(long)]
        kind: Option<PartnerKind>,
        /// Name or text to look for.
        #[arg(long)]
        find: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Args)]
pub struct PartnerFields {
    /// A contact person: "NAME;ROLE;PHONE;EMAIL" (trailing parts optional).
    #[arg(long)]
    pub contact: Vec<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub place: Option<String>,
    #[arg(long)]
    pub tag: Vec<String>,
    #[arg(long)]
    pub remove_tag: Vec<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// Free text about private persons (sealed).
    #[arg(long)]
    pub personal_note: Option<String>,
    /// Remove an agreement by its id.
    #[arg(long)]
    pub remove_agreement: Vec<String>,
    /// Remove an evaluation by its id.
    #[arg(long)]
    pub remove_evaluation: Vec<String>,
}

#[derive(Subcommand)]
pub enum EncounterCmd {
    /// Log an encounter; prints its id.
    Add {
        #[arg(long)]
        perspective: Perspective,
        #[arg(long)]
        counterpart: CounterpartKind,
        #[command(flatten)]
        fields: EncounterFields,
    },
    Update {
        id: RecordId,
        #[arg(long)]
        perspective: Option<Perspective>,
        #[arg(long)]
        counterpart: Option<CounterpartKind>,
        #[command(flatten)]
        fields: EncounterFields,
    },
    Show {
        id: RecordId,
    },
    List {
        /// From this date (YYYY-MM-DD) or time (RFC 3339).
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        perspective: Option<Perspective>,
        #[arg(long)]
        partner: Option<RecordId>,
        #[arg(long)]
        place: Option<String>,
        #[arg(long)]
        find: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Args)]
pub struct EncounterFields {
    #[arg(long)]
    pub partner: Vec<RecordId>,
    #[arg(long)]
    pub remove_partner: Vec<RecordId>,
    #[arg(long)]
    pub place: Option<String>,
    /// Outside the library room.
    #[arg(long)]
    pub outside: bool,
    /// Inside the library room (to undo --outside).
    #[arg(long, conflicts_with = "outside")]
    pub inside: bool,
    #[arg(long)]
    pub initiative: Option<Initiative>,
    #[arg(long)]
    pub role: Option<Role>,
    /// When it happened (RFC 3339); default now.
    #[arg(long)]
    pub when: Option<String>,
    #[arg(long)]
    pub idea: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long)]
    pub tag: Vec<String>,
    #[arg(long)]
    pub remove_tag: Vec<String>,
    /// A follow-up task: "TEXT;YYYY-MM-DD" (the date is optional).
    #[arg(long)]
    pub follow_up: Vec<String>,
    #[arg(long)]
    pub outcome: Vec<Outcome>,
}

#[derive(Subcommand)]
pub enum ActivityCmd {
    /// Add an activity; prints its id.
    Add {
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "idea")]
        status: ActivityStatus,
        #[command(flatten)]
        fields: ActivityFields,
    },
    Update {
        id: RecordId,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        status: Option<ActivityStatus>,
        #[command(flatten)]
        fields: ActivityFields,
    },
    Show {
        id: RecordId,
    },
    List {
        #[arg(long)]
        status: Option<ActivityStatus>,
        #[arg(long)]
        partner: Option<RecordId>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Args)]
pub struct ActivityFields {
    #[arg(long)]
    pub outside: bool,
    #[arg(long, conflicts_with = "outside")]
    pub inside: bool,
    #[arg(long)]
    pub place: Option<String>,
    #[arg(long)]
    pub partner: Vec<RecordId>,
    #[arg(long)]
    pub from_encounter: Vec<RecordId>,
    /// Did it need extra resources? yes or no.
    #[arg(long)]
    pub extra_resources: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long)]
    pub tag: Vec<String>,
}
