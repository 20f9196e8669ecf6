// Pure translation and formatting: dates and numbers in the locale's format.
import type { Language } from '../../generated';
import { en } from './en';
import { nb } from './nb';
import { da } from './da';
import type { Key, Strings } from './types';

type Tree = { readonly [k: string]: string | Tree };

/** `{ sync: { lan: { title: … } } }` as `{ 'sync.lan.title': … }`. */
export function flatten(tree: Tree, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out[prefix + k] = v;
    else flatten(v, `${prefix}${k}.`, out);
  }
  return out;
}

/** Every language's strings by dotted key. */
export const DICTIONARIES: Record<Language, Strings> = {
  nb: flatten(nb) as Strings,
  da: flatten(da) as Strings,
  en: flatten(en) as Strings,
};

/** Is `key` in the dictionaries? */
export const isKey = (key: string): key is Key => key in DICTIONARIES.nb;
export const LOCALES: Record<Language, string> = { nb: 'nb-NO', da: 'da-DK', en: 'en-GB' };

/** The string for `key`, with `{name}` placeholders filled in. */
export function translate(lang: Language, key: Key, vars?: Record<string, string | number>): string {
  let s: string = DICTIONARIES[lang][key] ?? DICTIONARIES.en[key];
  if (vars) {
    // `{n|møte|møter}`: the number and the noun in the form the language's plural rule asks for.
    s = s.replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (whole, k: string, one: string, other: string) => {
      const v = vars[k];
      if (v === undefined) return whole;
      const n = typeof v === 'number' ? v : Number(String(v).replace(/[\s\u00a0\u202f.,]/g, ''));
      const form = new Intl.PluralRules(LOCALES[lang]).select(n) === 'one' ? one : other;
      return `${typeof v === 'number' ? formatNumber(v, lang) : v} ${form}`;
    });
    for (const [k, v] of Object.entries(vars)) {
      s = s.replaceAll(`{${k}}`, typeof v === 'number' ? formatNumber(v, lang) : v);
    }
  }
  return s;
}

export function formatNumber(n: number, lang: Language, digits = 0): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits }).format(n);
}

/** An instant (RFC 3339) as a local date and time. */
export function formatDateTime(iso: string, lang: Language): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A calendar day (YYYY-MM-DD) in the locale's format. */
export function formatDay(day: string, lang: Language): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium' }).format(new Date(y, m - 1, d));
}

/** Today's date as YYYY-MM-DD in local time. */
export function localDay(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** A calendar month (YYYY-MM) as words in the language: "des. 2025", "dec. 2025", "Dec 2025". */
export function formatMonth(month: string, lang: Language, style: 'short' | 'long' = 'short'): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  return new Intl.DateTimeFormat(LOCALES[lang], { month: style, year: 'numeric' }).format(new Date(y, m - 1, 1));
}
