// The current language, reactive: components that call t() re-render when it changes.
import type { Language } from '../../generated';
import type { Key } from './types';
import { labels } from './labels';
import { formatDateTime, formatDay, formatMonth, formatNumber, translate } from './format';

let current = $state<Language>('nb');

export function setLanguage(lang: Language) {
  current = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
export const lang = () => current;
export const t = (key: Key, vars?: Record<string, string | number>) => translate(current, key, vars);
export const L = () => labels[current];
export const dt = (iso: string) => formatDateTime(iso, current);
export const day = (d: string) => formatDay(d, current);
export const num = (n: number) => formatNumber(n, current);
export const monthName = (m: string, style: 'short' | 'long' = 'short') => formatMonth(m, current, style);
