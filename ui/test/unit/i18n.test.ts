import { describe, expect, it } from 'vitest';
import { DICTIONARIES, formatDay, formatDateTime, formatNumber, LOCALES, translate } from '../../src/lib/i18n/format';
import { labels } from '../../src/lib/i18n/labels';
import * as V from '../../src/generated/values';

const langs = V.LANGUAGES;

describe('translations', () => {
  it('every language has every string of nb, none empty, none left in English by accident', () => {
    const keys = Object.keys(DICTIONARIES.nb).sort();
    for (const l of langs) {
      expect(Object.keys(DICTIONARIES[l]).sort()).toEqual(keys);
      for (const k of keys) expect((DICTIONARIES[l] as Record<string, string>)[k].trim(), `${l}.${k}`).not.toBe('');
    }
    const same = keys.filter((k) => (DICTIONARIES.nb as Record<string, string>)[k] === (DICTIONARIES.en as Record<string, string>)[k]);
    // Words that are the same in both languages are few; a long list means a forgotten translation.
    expect(same.length, same.join(', ')).toBeLessThan(8);
  });

  it('placeholders are the same in every language', () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)(\|[^}]*)?\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(DICTIONARIES.nb) as (keyof typeof DICTIONARIES.nb)[]) {
      for (const l of langs) expect(holes(DICTIONARIES[l][k]), `${l}.${k}`).toEqual(holes(DICTIONARIES.nb[k]));
    }
  });

  it('every value of every Rust enum has a label in every language', () => {
    const lists: [keyof (typeof labels)['nb'], readonly string[]][] = [
      ['perspective', V.PERSPECTIVES], ['counterpart', V.COUNTERPARTS], ['partnerKind', V.PARTNER_KINDS],
      ['level', V.LEVELS], ['initiative', V.INITIATIVES], ['role', V.ROLES], ['status', V.ACTIVITY_STATUSES],
      ['outcome', V.OUTCOMES], ['degree', V.DEGREES], ['basis', V.CONSENT_BASES], ['kind', V.RECORD_KINDS],
      ['language', V.LANGUAGES],
    ];
    for (const l of langs) {
      for (const [group, values] of lists) {
        const table = labels[l][group] as Record<string, string>;
        expect(Object.keys(table).sort(), `${l}.${group}`).toEqual([...values].sort());
        for (const v of values) expect(table[v]?.trim(), `${l}.${group}.${v}`).toBeTruthy();
      }
    }
  });

  it('fills placeholders, with numbers in the locale format', () => {
    expect(translate('en', 'partnerPicker.createPartner', { name: 'Vadsø husflidslag' })).toBe('Create “Vadsø husflidslag” as a new partner');
    expect(translate('nb', 'partnerPicker.createPartner', { name: 'Kárášjoga searvi' })).toBe('Opprett «Kárášjoga searvi» som ny partner');
    expect(translate('en', 'sync.conflicts.checked', { n: 12345 })).toBe('12,345 records checked');
    expect(translate('nb', 'sync.conflicts.checked', { n: 12345 }).replace(/\s/g, ' ')).toBe('12 345 poster sjekket');
  });

  it('a count takes the noun in its singular or plural form', () => {
    expect(translate('nb', 'sync.conflicts.checked', { n: 1 })).toBe('1 post sjekket');
    expect(translate('da', 'effects.encountersCount', { n: 1 })).toBe('1 møde');
    expect(translate('da', 'effects.encountersCount', { n: 0 })).toBe('0 møder');
    const plan = { drop: 'A', keep: 'B', encounters: 1, activities: 2, agreements: 0, evaluations: 1, contacts: 1, moves: 3 };
    expect(translate('nb', 'partner.merge.moves', plan)).toBe(
      'Fra A til B: 1 møte, 2 aktiviteter, 0 avtaler og 1 evaluering. 1 kontaktperson og 3 nivåendringer vises på B.',
    );
    expect(translate('en', 'partnerPicker.hits', { n: '1' })).toBe('1 partner found');
    // Every count in every language has both forms.
    for (const l of langs) for (const v of Object.values(DICTIONARIES[l]) as string[]) {
      for (const m of v.matchAll(/\{\w+\|([^}]*)\}/g)) expect(m[1].split('|').map((f) => f.trim().length > 0), v).toEqual([true, true]);
    }
  });
});

describe('formats', () => {
  it('numbers follow the locale', () => {
    expect(formatNumber(1234.5, 'en', 1)).toBe('1,234.5');
    expect(formatNumber(1234.5, 'nb', 1).replace(/\s/g, ' ')).toBe('1 234,5');
    expect(formatNumber(1234.5, 'da', 1)).toBe('1.234,5');
  });

  it('days and times follow the locale', () => {
    expect(formatDay('2026-05-17', 'en')).toBe('17 May 2026');
    expect(formatDay('2026-05-17', 'nb')).toBe('17. mai 2026');
    expect(formatDay('2026-05-17', 'da')).toBe('17. maj 2026');
    const iso = new Date(2026, 4, 17, 14, 5).toISOString();
    expect(formatDateTime(iso, 'en')).toMatch(/17 May 2026.*14:05/);
    expect(formatDateTime(iso, 'nb')).toMatch(/17\. mai 2026.*14:05/);
    expect(formatDateTime(iso, 'da')).toMatch(/17\. maj 2026.*14[.:]05/);
    expect(Object.keys(LOCALES).sort()).toEqual([...langs].sort());
  });
});

describe('dictionary keys', () => {
  // Every source file but the dictionaries themselves, as text.
  const SOURCES = import.meta.glob(['../../src/**/*.{svelte,ts}', '!../../src/lib/i18n/{nb,da,en}.ts'], {
    query: '?raw', import: 'default', eager: true,
  }) as Record<string, string>;
  const all = Object.values(SOURCES).join('\n');
  const quoted = (k: string) => new RegExp(`['"\`]${k.replaceAll('.', '\\.')}['"\`]`);

  it('every key is used somewhere (a key nobody reads is a translation nobody checks)', () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(20);
    const unused = Object.keys(DICTIONARIES.nb).filter((k) => !quoted(k).test(all));
    expect(unused).toEqual([]);
  });

  it('every key the code asks for is in the dictionaries (tsc checks t(…); this catches the rest)', () => {
    const namespaces = new Set(Object.keys(DICTIONARIES.nb).map((k) => k.split('.')[0]));
    const asked = [...all.matchAll(/['"`]((\w+)\.[\w.]+)['"`]/g)].filter((m) => namespaces.has(m[2])).map((m) => m[1]);
    expect(asked.length).toBeGreaterThan(300);
    expect([...new Set(asked.filter((k) => !(k in DICTIONARIES.nb)))]).toEqual([]);
  });

  it('keys are grouped by screen: every key has a namespace, and nb, da and en have the same keys', () => {
    for (const k of Object.keys(DICTIONARIES.nb)) expect(k, k).toMatch(/^[a-z]\w*(\.\w+)+$/);
    for (const l of ['da', 'en'] as const) expect(Object.keys(DICTIONARIES[l]).sort()).toEqual(Object.keys(DICTIONARIES.nb).sort());
  });
});
