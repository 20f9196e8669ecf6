import type { Choice, ConflictedRecord } from '../generated';

/** By default every field keeps the version shown first (the current winner). */
export function defaultChoices(r: ConflictedRecord): Record<string, number> {
  return Object.fromEntries(r.conflicts.map((c) => [c.field, 0]));
}

/** The decisions to send: one value per conflicted field. */
export function toChoices(r: ConflictedRecord, picked: Record<string, number>): Choice[] {
  return r.conflicts.map((c) => ({ field: c.field, value: c.values[picked[c.field] ?? 0] ?? c.values[0] }));
}
