// A record's history in words, without the DOM: who, on which device, when
// (relative while recent), and what changed, with field names in the
// chosen language. The core sends field slugs, never values.
import type { HistoryLine, Language } from '../generated';
import { FIELD_LABELS } from './i18n/fields';
import { LOCALES, formatDateTime, translate } from './i18n/format';

/** A field slug's name; a slug from a newer version reads as itself. */
export function fieldLabel(slug: string, lang: Language): string {
  return FIELD_LABELS[lang][slug] ?? slug.replace(/[._]/g, ' ');
}

/** Fields as a list in the language: "telefon og sted". */
export function fieldList(slugs: readonly string[], lang: Language): string {
  const names = [...new Set(slugs.map((s) => fieldLabel(s, lang)))];
  return new Intl.ListFormat(LOCALES[lang], { style: 'long', type: 'conjunction' }).format(names);
}

/** What the change did, as the rest of a sentence after the person's name. */
export function whatText(line: HistoryLine, lang: Language): string {
  const changed = line.fields.length ? translate(lang, 'history.changed', { fields: fieldList(line.fields, lang) }) : '';
  switch (line.action) {
    case 'created':
      return translate(lang, 'history.created');
    case 'deleted':
      return [translate(lang, 'history.deleted'), changed].filter(Boolean).join('; ');
    case 'restored':
      return [translate(lang, 'history.restored'), changed].filter(Boolean).join('; ');
    default:
      return changed || translate(lang, 'history.unchanged');
  }
}

/** The staff member, or "unknown staff member" for a device without one. */
export function whoText(line: HistoryLine, lang: Language): string {
  return line.staff_name ?? translate(lang, 'history.unknownStaff');
}

/** "this device", or a colleague's device by the start of its id. */
export function deviceText(line: HistoryLine, lang: Language): string {
  return line.this_device ? translate(lang, 'history.thisDevice') : translate(lang, 'history.device', { id: line.device.slice(0, 8) });
}

/** Recent changes relative ("for 5 minutter siden", "i går"), older ones as a date and time. */
export function whenText(iso: string, lang: Language, now: Date = new Date()): string {
  const then = new Date(iso);
  const seconds = (now.getTime() - then.getTime()) / 1000;
  // A device whose clock ran ahead: no "in 3 hours", just the date.
  if (!(seconds >= 0)) return formatDateTime(iso, lang);
  const rtf = new Intl.RelativeTimeFormat(LOCALES[lang], { numeric: 'auto' });
  if (seconds < 60) return rtf.format(0, 'second');
  if (seconds < 3600) return rtf.format(-Math.floor(seconds / 60), 'minute');
  if (seconds < 86400) return rtf.format(-Math.floor(seconds / 3600), 'hour');
  // Whole calendar days in local time, so "yesterday" is yesterday's date.
  const midnight = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((midnight(now) - midnight(then)) / 86400e3);
  return days < 7 ? rtf.format(-days, 'day') : formatDateTime(iso, lang);
}
