// Sync screen logic without the DOM: the host's join link, progress lines,
// and a sync that reports its progress.
import { Channel } from '@tauri-apps/api/core';
import type { SyncProgress } from '../generated';
import { call } from './api';
import type { Key } from './i18n/types';

type T = (key: Key, vars?: Record<string, string | number>) => string;

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
  if (!p) return t('sync.starting');
  if (p.done) return t('sync.done', { sent: p.sent, received: p.received, records: p.records_changed });
  return t('sync.syncing', { n: p.round_trips, sent: p.sent, received: p.received });
}

/** Syncs with the hub (`url` null) or a session, telling `onProgress` after each round trip. */
export async function syncWith(url: string | null, onProgress: (p: SyncProgress) => void): Promise<SyncProgress> {
  const channel = new Channel<SyncProgress>();
  channel.onmessage = onProgress;
  const done = await call('sync_now', { url, progress: channel });
  onProgress(done);
  return done;
}
