// The timeline's filter state and the query it becomes.
import type { Perspective, RecordId, TimelineFilter } from '../generated';
import { periodSince, type Period } from './period';

export interface TimelineState {
  text: string;
  staff: RecordId | '';
  place: string;
  perspective: Perspective | '';
  partner: { id: RecordId; name: string } | null;
  period: Period;
}

export const PAGE = 50;

export const emptyTimeline = (): TimelineState => ({ text: '', staff: '', place: '', perspective: '', partner: null, period: 'all' });

export function toFilter(s: TimelineState, offset: number, now: Date = new Date()): TimelineFilter {
  const blank = (v: string) => (v.trim() === '' ? null : v.trim());
  return {
    staff: s.staff || null,
    place: blank(s.place),
    perspective: s.perspective || null,
    partner: s.partner?.id ?? null,
    since: periodSince(s.period, now),
    until: null,
    text: blank(s.text),
    limit: PAGE,
    offset,
  };
}
