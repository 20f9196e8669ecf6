import { describe, expect, it } from 'vitest';
import { parseJoinLink, progressText } from '../../src/lib/sync';
import { editOf, fromLocalInput, toLocalInput, toggle } from '../../src/lib/encounter';
import { translate } from '../../src/lib/i18n/format';
import type { Encounter } from '../../src/generated';
import type { Key } from '../../src/lib/i18n/types';

const t = (key: Key, vars?: Record<string, string | number>) => translate('nb', key, vars);

describe('sync screen', () => {
  it('a pasted join link gives the address and the invite; anything else is left alone', () => {
    expect(parseJoinLink(' samskap:join?url=http://192.168.43.17:41873&invite=QRST-VWXY-2345 ')).toEqual({
      url: 'http://192.168.43.17:41873',
      invite: 'QRST-VWXY-2345',
    });
    expect(parseJoinLink('samskap:join?invite=X')).toBeNull();
    expect(parseJoinLink('http://192.168.43.17:41873')).toBeNull();
  });

  it('progress reads as counts while running and as a summary when done', () => {
    expect(progressText(null, t)).toBe('Kobler til …');
    const p = { round_trips: 2, sent: 3, received: 1200, new_changes: 1200, records_changed: 400, done: false };
    expect(progressText(p, t)).toBe('Synkroniserer … 2 runder, 3 sendt, 1\u00a0200 mottatt');
    expect(progressText({ ...p, done: true }, t)).toBe('Synkronisert: sendte 3 endringer, mottok 1\u00a0200 (400 poster oppdatert).');
  });
});

describe('encounter details', () => {
  const e: Encounter = {
    id: 'x', when: '2026-05-17T10:30:00Z', place: 'Kárášjohka torg', outside: true, staff: null, branch: 'Vadsø',
    colleagues: [], counterpart: 'association', partners: ['p1'], perspective: 'co-creative', initiative: 'citizen',
    role: null, idea: 'Strikkekafé', note: 'Møtes tirsdager', tags: ['strikking', 'marked'], follow_ups: [],
    outcomes: ['new-activity'], photo: null, deleted: false,
  };

  it('the edit form starts from the stored values, tags as text, lists copied', () => {
    const f = editOf(e);
    expect(f).toMatchObject({ place: 'Kárášjohka torg', outside: true, tags: 'strikking marked', idea: 'Strikkekafé' });
    f.partners.push('p2');
    f.outcomes.push('visibility');
    expect(e.partners).toEqual(['p1']);
    expect(e.outcomes).toEqual(['new-activity']);
  });

  it('local date-time inputs round-trip to the same instant', () => {
    const local = toLocalInput(e.when);
    expect(local).toMatch(/^2026-05-17T\d\d:30$/);
    expect(fromLocalInput(local)).toBe('2026-05-17T10:30:00.000Z');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('nonsense')).toBeNull();
  });

  it('outcome chips toggle', () => {
    expect(toggle(['visibility'], 'visibility')).toEqual([]);
    expect(toggle<string>([], 'visibility')).toEqual(['visibility']);
  });
});
