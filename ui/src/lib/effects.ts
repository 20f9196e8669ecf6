// The Effects screen's period presets and defaults: pure, tested by Vitest.
import type { ExportOptions, Format, Language, ReportFilter, What } from '../generated';
import { localDay } from './i18n/format';

export type Preset = 'last12' | 'thisYear' | 'lastYear';
export const PRESETS: readonly Preset[] = ['last12', 'thisYear', 'lastYear'];

/** The first and last day (inclusive, YYYY-MM-DD) of a preset, in the local calendar. */
export function presetPeriod(p: Preset, now: Date = new Date()): { from: string; to: string } {
  const y = now.getFullYear();
  switch (p) {
    case 'last12':
      return { from: localDay(new Date(y, now.getMonth() - 11, 1)), to: localDay(now) };
    case 'thisYear':
      return { from: `${y}-01-01`, to: localDay(now) };
    case 'lastYear':
      return { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` };
  }
}

/** Excel set to Norwegian or Danish expects `;` in CSV files; English `,`. */
export function csvSeparator(lang: Language): number {
  return (lang === 'en' ? ',' : ';').charCodeAt(0);
}

export function exportOptions(
  format: Format, what: What | null, lang: Language, personal: boolean, filter: ReportFilter,
  extra: { perStaff?: boolean; slugs?: boolean } = {},
): ExportOptions {
  // A CSV file holds one table; default to the report's figures.
  const w = format === 'csv' && !what ? 'report' : what;
  return {
    format, what: format === 'html' ? null : w, separator: csvSeparator(lang), personal,
    per_staff: extra.perStaff ?? false, slugs: extra.slugs ?? false, language: lang, filter,
  };
}

/** `--map` entries from the choices made for unknown terms ("term=slug"), skipping the unchosen. */
export function termMaps(choices: Record<string, string>): string[] {
  return Object.entries(choices).filter(([, v]) => v).map(([term, v]) => `${term}=${v}`);
}
