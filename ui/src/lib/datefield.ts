// The app's own date field: dates shown and typed in the app's language
// (dd.mm.åååå in Norwegian and Danish, dd/mm/yyyy in English), whatever
// locale the web view's process runs in. Values are ISO days (YYYY-MM-DD).
import type { Language } from '../generated';

const SEP: Record<Language, string> = { nb: '.', da: '.', en: '/' };

/** An ISO day in the language's form: 2026-06-01 → 01.06.2026 (nb, da) or 01/06/2026 (en). */
export function showDay(iso: string | null, lang: Language): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  return [d, m, y].join(SEP[lang]);
}

/**
 * A typed day as ISO, day first in every language: "1.6.2026", "01/06/2026",
 * "1-6-26" and "2026-06-01" all read as 1 June 2026. Empty text is `null`;
 * text that is not a real calendar day is `undefined`.
 */
export function readDay(text: string, now: Date = new Date()): string | null | undefined {
  const s = text.trim();
  if (!s) return null;
  let y: number, m: number, d: number;
  const iso = s.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
  const dmy = s.match(/^(\d{1,2})[./\- ](\d{1,2})[./\- ](\d{2}|\d{4})$/);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dmy) {
    [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
    if (dmy[3].length === 2) y += Math.floor(now.getFullYear() / 100) * 100;
  } else return undefined;
  const date = new Date(y, m - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
