import { describe, expect, it } from 'vitest';
import { csvSeparator, exportOptions, presetPeriod, termMaps } from '../../src/lib/effects';

describe('effects screen helpers', () => {
  const now = new Date(2026, 4, 17, 12);
  it('period presets are whole local days', () => {
    expect(presetPeriod('last12', now)).toEqual({ from: '2025-06-01', to: '2026-05-17' });
    expect(presetPeriod('thisYear', now)).toEqual({ from: '2026-01-01', to: '2026-05-17' });
    expect(presetPeriod('lastYear', now)).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(presetPeriod('last12', new Date(2026, 0, 5))).toEqual({ from: '2025-02-01', to: '2026-01-05' });
  });

  it('CSV follows the language: ; for Norwegian and Danish Excel', () => {
    expect(csvSeparator('nb')).toBe(59);
    expect(csvSeparator('da')).toBe(59);
    expect(csvSeparator('en')).toBe(44);
    const f = { from: '2026-01-01', to: '2026-03-31', branch: null, staff: null, partner_kind: null };
    expect(exportOptions('csv', null, 'nb', false, f).what).toBe('report');
    expect(exportOptions('html', 'partners', 'nb', false, f).what).toBe(null);
    expect(exportOptions('xlsx', null, 'en', true, f)).toEqual({
      format: 'xlsx', what: null, separator: 44, personal: true, per_staff: false, slugs: false, language: 'en', filter: f,
    });
    expect(exportOptions('html', null, 'da', false, f, { perStaff: true }).per_staff).toBe(true);
  });

  it('turns the choices for unknown terms into mappings, leaving out the unchosen', () => {
    expect(termMaps({ Galleri: 'business', 'Fast samarbeid': 'partnership', Romskip: '' })).toEqual([
      'Galleri=business', 'Fast samarbeid=partnership',
    ]);
  });
});
