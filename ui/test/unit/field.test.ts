import { describe, expect, it } from 'vitest';
import { readDay, showDay } from '../../src/lib/datefield';
import { formatMonth } from '../../src/lib/i18n/format';
import { parse } from '../../src/lib/router.svelte';
import { GUIDE } from '../../src/lib/guide';

describe('date field', () => {
  it('shows days as dd.mm.åååå in nb and da, and dd/mm/yyyy in en', () => {
    expect(showDay('2026-11-22', 'nb')).toBe('22.11.2026');
    expect(showDay('2026-11-22', 'da')).toBe('22.11.2026');
    expect(showDay('2026-11-22', 'en')).toBe('22/11/2026');
    expect(showDay(null, 'nb')).toBe('');
  });

  it('reads the day first, in any of the usual ways of typing it', () => {
    const now = new Date(2026, 4, 17);
    for (const typed of ['22.11.2026', '22/11/2026', '22-11-2026', '22.11.26', '2026-11-22', ' 22.11.2026 ']) {
      expect(readDay(typed, now), typed).toBe('2026-11-22');
    }
    expect(readDay('1.6.2026', now)).toBe('2026-06-01');
    expect(readDay('', now)).toBeNull();
  });

  it('refuses what is not a calendar day, rather than guessing', () => {
    for (const bad of ['31.02.2026', '11/22/2026', '2026-13-01', 'i morgen', '1.6']) expect(readDay(bad), bad).toBeUndefined();
  });
});

describe('chart months', () => {
  it('are words in the chosen language, not 2025-12', () => {
    expect(formatMonth('2025-12', 'nb')).toMatch(/^des\.? 2025$/);
    expect(formatMonth('2025-12', 'da')).toMatch(/^dec\.? 2025$/);
    expect(formatMonth('2025-12', 'en')).toBe('Dec 2025');
    expect(formatMonth('2026-03', 'nb', 'long')).toBe('mars 2026');
  });
});

describe('routes', () => {
  it('#/log?partner=<id> presets a partner on the quick log', () => {
    expect(parse('#/log?partner=0190f1f4')).toEqual({ screen: 'log', query: { partner: '0190f1f4' } });
    expect(parse('#/popup')).toEqual({ screen: 'popup' });
    expect(parse('#/partners/abc')).toEqual({ screen: 'partner', id: 'abc' });
  });
});

describe('guide', () => {
  it('has a text and an example for every choice in every language', () => {
    for (const g of Object.values(GUIDE)) {
      for (const group of [g.perspective, g.initiative, g.role]) {
        expect(group.intro.length).toBeGreaterThan(20);
        for (const [k, e] of Object.entries(group)) {
          if (k === 'intro' || typeof e === 'string') continue;
          expect(e.text.length, k).toBeGreaterThan(20);
          expect(e.example.length, k).toBeGreaterThan(20);
        }
      }
    }
    expect(GUIDE.nb.perspective['co-creative'].example).not.toBe(GUIDE.en.perspective['co-creative'].example);
  });
});
