//! Integration tests: one binary, a module per area (ripgrep's layout).

mod util;

mod at_rest;

mod cli;
mod convergence;
mod crash;
mod export;
mod faults;
mod field_day;
mod followups;
mod hub_limits;
mod hub_pg;
mod import;
mod layers;
mod long_history;
mod partners;
mod privacy;
mod report;
mod report_rollups;
mod sharing;
