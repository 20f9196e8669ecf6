// The one path from a caught error to words on the screen.
import { ApiFailure } from './api';
import type { Key } from './i18n/types';

type T = (key: Key, vars?: Record<string, string | number>) => string;

/** Codes of a form the core refused: its message names what to fix, in the app's language already. */
const FORM_CODES = new Set([
  'invalid', 'empty', 'too_long', 'bad_email', 'bad_phone', 'bad_date', 'bad_time', 'bad_format', 'bad_yes_no',
  'unknown_value', 'bad_period', 'bad_hub_url',
]);

/** Core error codes the UI has its own words for (`ERROR_KEYS[code]`). */
export const ERROR_KEYS: Readonly<Record<string, Key>> = {
  unreachable: 'errors.unreachable',
  unauthorized: 'errors.unauthorized',
  revoked: 'errors.revoked',
  insecure_url: 'errors.insecure_url',
  bad_url: 'errors.bad_url',
  not_joined: 'errors.not_joined',
  rate_limited: 'errors.rate_limited',
  wrong_workspace: 'errors.wrong_workspace',
  bad_bundle: 'errors.bad_bundle',
  disk_full: 'errors.disk_full',
  merge_same: 'errors.merge_same',
  already_merged: 'errors.already_merged',
  no_item: 'errors.no_item',
  erased: 'errors.erased',
};

/**
 * A failed command in the person's language: a code the UI knows in its
 * own words; a refused form in the core's words; anything else with its
 * code beside the message, for whoever helps them.
 */
export function errorText(e: unknown, t: T): string {
  if (!(e instanceof ApiFailure)) return t('errors.other', { code: 'ui', message: String(e) });
  const key = ERROR_KEYS[e.code];
  if (key) return t(key);
  if (FORM_CODES.has(e.code)) return e.message;
  return t('errors.other', { code: e.code, message: e.message });
}
