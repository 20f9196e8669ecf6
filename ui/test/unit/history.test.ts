import { describe, expect, it } from 'vitest';
import type { HistoryLine } from '../../src/generated';
import { HISTORY_FIELDS, LANGUAGES } from '../../src/generated/values';
import { FIELD_LABELS } from '../../src/lib/i18n/fields';
import { deviceText, fieldLabel, fieldList, whatText, whenText, whoText } from '../../src/lib/history';

const line = (over: Partial<HistoryLine> = {}): HistoryLine => ({
  change: '00', at: '2026-05-17T10:00:00Z', device: '7b2d9e41-0000-4000-8000-000000000002', staff: null,
  staff_name: 'Nils Áilo Labba', this_device: false, action: 'edited', fields: [], ...over,
});

describe('record history in words', () => {
  it('every field the core can name has a label in every language, and no label is for a field that does not exist', () => {
    for (const l of LANGUAGES) {
      expect(Object.keys(FIELD_LABELS[l]).sort(), l).toEqual([...HISTORY_FIELDS].sort());
      for (const f of HISTORY_FIELDS) expect(FIELD_LABELS[l][f]?.trim(), `${l}.${f}`).toBeTruthy();
    }
  });

  it('names fields in the language, as a list, and a field from a newer version by its slug', () => {
    expect(fieldLabel('contacts.phone', 'nb')).toBe('kontaktpersonens telefon');
    expect(fieldLabel('contacts.phone', 'en')).toBe('contact person’s phone');
    expect(fieldLabel('photo_caption', 'da')).toBe('photo caption');
    expect(fieldList(['phone', 'place'], 'nb')).toBe('telefon og sted');
    expect(fieldList(['idea', 'outcomes', 'place'], 'en')).toBe('idea, outcomes and place');
    expect(fieldList(['idea', 'outcomes', 'place'], 'da')).toBe('idé, resultater og sted');
  });

  it('says what a change did, without any value', () => {
    expect(whatText(line({ fields: ['personal_note', 'phone'] }), 'nb')).toBe('endret personlig notat og telefon');
    expect(whatText(line({ action: 'created' }), 'en')).toBe('created the record');
    expect(whatText(line({ action: 'deleted' }), 'da')).toBe('slettede posten');
    expect(whatText(line({ action: 'restored', fields: ['note'] }), 'en')).toBe('restored the record; changed note');
    expect(whatText(line({ fields: [] }), 'nb')).toBe('lagret uten endringer');
  });

  it('names who and on which device; a device without a staff member is an unknown staff member', () => {
    expect(whoText(line(), 'nb')).toBe('Nils Áilo Labba');
    expect(whoText(line({ staff_name: null }), 'nb')).toBe('Ukjent ansatt');
    expect(whoText(line({ staff_name: null }), 'da')).toBe('Ukendt medarbejder');
    expect(deviceText(line(), 'en')).toBe('device 7b2d9e41');
    expect(deviceText(line({ this_device: true }), 'nb')).toBe('denne enheten');
  });

  it('recent changes are relative, older ones a date; a clock ahead of ours gets a date too', () => {
    const now = new Date(2026, 4, 17, 14, 0);
    const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
    expect(whenText(before(20e3), 'nb', now)).toBe('nå');
    expect(whenText(before(5 * 60e3), 'en', now)).toBe('5 minutes ago');
    expect(whenText(before(3 * 3600e3), 'da', now)).toBe('for 3 timer siden');
    expect(whenText(new Date(2026, 4, 16, 9, 0).toISOString(), 'nb', now)).toBe('i går');
    expect(whenText(new Date(2026, 4, 16, 9, 0).toISOString(), 'en', now)).toBe('yesterday');
    expect(whenText(new Date(2026, 4, 13, 9, 0).toISOString(), 'en', now)).toBe('4 days ago');
    expect(whenText(new Date(2026, 3, 2, 9, 5).toISOString(), 'nb', now)).toMatch(/2\. apr\. 2026.*09:05/);
    expect(whenText(new Date(2026, 4, 17, 18, 0).toISOString(), 'en', now)).toMatch(/17 May 2026.*18:00/);
  });
});
