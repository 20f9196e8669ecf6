// The activity page's logic: the edit form from a stored activity, and the
// three answers to "did it need extra resources?" (the model keeps "not
// known" apart from "no": the effect report counts them separately).
import type { Activity, ActivityEdit } from '../generated';

export function activityEditOf(a: Activity): ActivityEdit {
  return {
    title: a.title,
    status: a.status,
    partners: [...a.partners],
    from_encounters: [...a.from_encounters],
    outside: a.outside,
    place: a.place,
    extra_resources: a.extra_resources,
    note: a.note,
    tags: a.tags.join(' '),
  };
}

export type Answer = 'yes' | 'no' | 'unknown';
export const ANSWERS: Answer[] = ['yes', 'no', 'unknown'];
export const answerOf = (v: boolean | null): Answer => (v === null ? 'unknown' : v ? 'yes' : 'no');
export const valueOf = (a: Answer): boolean | null => (a === 'unknown' ? null : a === 'yes');

/** An instant as the navigation shows it: the time today, otherwise the day and time. */
export function shortWhen(iso: string, locale: string, now: Date = new Date()): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(locale, sameDay ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' }).format(d);
}
