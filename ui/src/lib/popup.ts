// Pop-up mode: the session's counter and its closing summary, from the
// encounters this staff member logged since the session started.
import type { CounterpartKind, EncounterRow, Perspective } from '../generated';
import { COUNTERPARTS, PERSPECTIVES } from '../generated';

export interface Summary {
  count: number;
  minutes: number;
  byPerspective: [Perspective, number][];
  byCounterpart: [CounterpartKind, number][];
}

/** Counts by perspective and by counterpart (largest first, none left out that occurred), and the session's length. */
export function summarize(rows: readonly EncounterRow[], startedAt: string, now: Date = new Date()): Summary {
  const count = <T extends string>(all: readonly T[], of: (r: EncounterRow) => T): [T, number][] =>
    all.map((v) => [v, rows.filter((r) => of(r) === v).length] as [T, number]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return {
    count: rows.length,
    minutes: Math.max(0, Math.round((now.getTime() - Date.parse(startedAt)) / 60000)),
    byPerspective: count(PERSPECTIVES, (r) => r.perspective),
    byCounterpart: count(COUNTERPARTS, (r) => r.counterpart),
  };
}
