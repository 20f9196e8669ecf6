// Typed calls to the app's commands. Payload types are generated from
// Rust (../generated); the command names too. `Commands` pairs each name
// with its arguments and result, and must cover exactly the generated list.
import { invoke, type Channel } from '@tauri-apps/api/core';
import type * as G from '../generated';
import type { CommandName } from '../generated';

export interface Commands {
  app_status: [{}, G.AppStatus];
  init_store: [{ input: G.InitInput }, G.AppStatus];
  mark_interactive: [{}, G.Interactive];
  log_encounter: [{ form: G.QuickLog }, G.Logged];
  list_encounters: [{ filter: G.TimelineFilter }, G.EncounterRow[]];
  get_encounter: [{ id: G.RecordId }, G.Loaded<G.Encounter>];
  list_staff: [{}, G.StaffRow[]];
  list_partners: [{ filter: G.PartnerFilter }, G.PartnerRow[]];
  create_partner: [{ form: G.NewPartner }, G.Loaded<G.Partner>];
  get_partner: [{ id: G.RecordId }, G.Loaded<G.Partner>];
  move_partner: [{ id: G.RecordId; level: G.Level }, G.Loaded<G.Partner>];
  add_contact: [{ id: G.RecordId; contact: G.NewContact }, G.Loaded<G.Partner>];
  add_agreement: [{ id: G.RecordId; agreement: G.NewAgreement }, G.Loaded<G.Partner>];
  add_evaluation: [{ id: G.RecordId; evaluation: G.NewEvaluation }, G.Loaded<G.Partner>];
  list_activities: [{ filter: G.ActivityFilter }, G.ActivityRow[]];
  create_activity: [{ form: G.NewActivity }, G.Loaded<G.Activity>];
  set_activity_status: [{ id: G.RecordId; status: G.ActivityStatus }, G.Loaded<G.Activity>];
  get_activity: [{ id: G.RecordId }, G.Loaded<G.Activity>];
  update_activity: [{ id: G.RecordId; edit: G.ActivityEdit }, G.Loaded<G.Activity>];
  activity_from_encounter: [{ id: G.RecordId }, G.RecordId];
  list_follow_ups: [{ filter: G.FollowUpFilter }, G.FollowUpRow[]];
  overdue_follow_ups: [{}, number];
  set_follow_up_done: [{ encounter: G.RecordId; item: string; done: boolean }, G.Loaded<G.Encounter>];
  save_settings: [{ settings: G.Settings }, G.Settings];
  update_profile: [{ edit: G.ProfileEdit }, G.StaffMember];
  conflicts_inbox: [{}, G.Inbox];
  resolve_conflicts: [{ id: G.RecordId; choices: G.Choice[] }, G.ConflictedRecord | null];
  effects_report: [{ filter: G.ReportFilter }, G.Report];
  export_effects: [{ options: G.ExportOptions; path: string | null }, G.Written];
  preview_partner_import: [{ path: string; options: G.ImportOptions | null }, G.ImportPlan];
  import_partners: [{ path: string; options: G.ImportOptions | null }, G.Imported];
  save_export: [{ options: G.ExportOptions }, G.Written | null];
  choose_partner_import: [{ options: G.ImportOptions | null }, G.ChosenImport | null];
  update_encounter: [{ id: G.RecordId; edit: G.EncounterEdit }, G.Loaded<G.Encounter>];
  delete_record: [{ id: G.RecordId }, G.RecordKind];
  restore_record: [{ id: G.RecordId }, G.RecordKind];
  record_history: [{ id: G.RecordId }, G.RecordHistory];
  sync_status: [{}, G.SyncStatus];
  sync_state: [{}, G.Sharing];
  sync_now: [{ url: string | null; progress: Channel<G.SyncProgress> }, G.SyncProgress];
  join_workspace: [{ url: string; invite: string }, G.SyncStatus];
  host_lan: [{}, G.LanHosting];
  lan_hosting: [{}, G.LanHosting | null];
  stop_lan: [{}, null];
  discover_lan: [{}, G.Found[]];
  export_bundle: [{}, number | null];
  import_bundle: [{ progress: Channel<G.ImportProgress> }, G.BundleImported | null];
  undo_log: [{ logged: G.Logged }, null];
  quick_picks: [{}, G.QuickPicks];
  popup_tally: [{ since: string }, G.PopupTally];
  load_draft: [{}, G.QuickLogDraft | null];
  save_draft: [{ draft: G.QuickLogDraft | null }, null];
  count_partners: [{ filter: G.PartnerFilter }, number];
  partner_overview: [{ id: G.RecordId }, G.PartnerOverview];
  update_partner: [{ id: G.RecordId; edit: G.PartnerEdit }, G.Loaded<G.Partner>];
  update_contact: [{ id: G.RecordId; edit: G.ContactEdit }, G.Loaded<G.Partner>];
  update_agreement: [{ id: G.RecordId; edit: G.AgreementEdit }, G.Loaded<G.Partner>];
  update_evaluation: [{ id: G.RecordId; edit: G.EvaluationEdit }, G.Loaded<G.Partner>];
  remove_partner_item: [{ id: G.RecordId; item: G.PartnerItem; itemId: string }, G.Loaded<G.Partner>];
  erase_contact: [{ id: G.RecordId; contact: string }, G.Loaded<G.Partner>];
  erase_partner: [{ id: G.RecordId }, G.ErasureStatus | null];
  erasures: [{}, G.ErasureStatus[]];
  plan_merge: [{ keep: G.RecordId; drop: G.RecordId }, G.MergePlan];
  merge_partners: [{ keep: G.RecordId; drop: G.RecordId }, G.MergePlan];
  list_devices: [{}, G.Device[]];
  revoke_device: [{ device: string }, G.Device[]];
  retention_months: [{}, number];
  set_retention_months: [{ months: number }, number];
}

// Compile-time check: the map covers every generated command name and no other.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const commandsCoverGenerated: Exact<keyof Commands, CommandName> = true;

export type Args<K extends CommandName> = Commands[K][0];
export type Result<K extends CommandName> = Commands[K][1];

/** A command's typed error: `code` is stable, `message` is for people. */
export class ApiFailure extends Error {
  code: string;
  constructor(e: G.ApiError) {
    super(e.message);
    this.code = e.code;
  }
}

function isApiError(e: unknown): e is G.ApiError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

export async function call<K extends CommandName>(cmd: K, args: Args<K>): Promise<Result<K>> {
  try {
    return await invoke<Result<K>>(cmd, args as Record<string, unknown>);
  } catch (e) {
    throw isApiError(e) ? new ApiFailure(e) : new ApiFailure({ code: 'ipc', message: String(e) });
  }
}
