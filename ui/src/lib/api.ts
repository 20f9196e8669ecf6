// Typed calls to the app's commands. The payload types, the command names
// and each command's arguments and result (`Commands`) are all generated
// from Rust (../generated, from src-tauri/src/command_list.rs).
import { invoke } from '@tauri-apps/api/core';
import type * as G from '../generated';
import type { CommandName, Commands } from '../generated';

export type { Commands };
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
