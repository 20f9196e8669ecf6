// Sync screen logic without the DOM: error codes from the core in plain
// words, the host's join link, and progress lines.
import type { SyncProgress } from '../generated';
import { ApiFailure } from './api';
import type { Key } from './i18n/en';

type T = (key: Key, vars?: Record<string, string | number>) => string;

/** Core error codes (NetError, SyncError, StoreError) the sync screen explains. */
const ERRORS: Record<string, Key> = {
  unreachable: 'errUnreachable',
  unauthorized: 'errUnauthorized',
  revoked: 'errRevoked',
  insecure_url: 'errInsecure',
  bad_url: 'errBadUrl',
  not_joined: 'errNotJoined',
  rate_limited: 'errRateLimited',
  wrong_workspace: 'errWrongWorkspace',
  bad_bundle: 'errBadBundle',
  disk_full: 'errDiskFull',
};

export function errorKey(code: string): Key | null {
  return ERRORS[code] ?? null;
}

/** A failed command in plain words, in the current language. */
export function errorText(e: unknown, t: T): string {
  if (e instanceof ApiFailure) {
    const key = errorKey(e.code);
    return key ? t(key) : t('errOther', { code: e.code, message: e.message });
  }
  return t('errOther', { code: 'ui', message: String(e) });
}

/** The link a host's QR code holds: `samskap:join?url=…&invite=…`; also accepts a bare address. */
export function parseJoinLink(text: string): { url: string; invite: string } | null {
  const s = text.trim();
  const m = /^samskap:join\?(.*)$/.exec(s);
  if (m) {
    const q = new URLSearchParams(m[1]);
    const url = q.get('url');
    return url ? { url, invite: q.get('invite') ?? '' } : null;
  }
  return null;
}

export function progressText(p: SyncProgress | null, t: T): string {
  if (!p) return t('syncStarting');
  if (p.done) return t('syncDone', { sent: p.sent, received: p.received, records: p.records_changed });
  return t('syncing', { n: p.round_trips, sent: p.sent, received: p.received });
}
