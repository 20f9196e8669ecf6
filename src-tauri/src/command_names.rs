// The app's IPC commands. Shared by build.rs (which generates an
// `allow-<name>` permission for each) and lib.rs (tests check that the
// handler, the capability and the generated TypeScript list agree).
pub const COMMANDS: &[&str] = &[
    "app_status",
    "init_store",
    "mark_interactive",
    "log_encounter",
    "list_encounters",
    "get_encounter",
    "list_staff",
    "list_partners",
    "create_partner",
    "get_partner",
    "move_partner",
    "add_contact",
    "add_agreement",
    "add_evaluation",
    "list_activities",
    "create_activity",
    "set_activity_status",
    "save_settings",
    "update_profile",
    "conflicts_inbox",
    "resolve_conflicts",
];
