// The encounter details screen's logic: the edit form from a stored
// encounter, and instants to and from a local date-time input.
import type { Encounter, EncounterEdit } from '../generated';

/** The edit form, filled from the stored encounter. */
export function editOf(e: Encounter): EncounterEdit {
  return {
    when: e.when,
    place: e.place,
    outside: e.outside,
    perspective: e.perspective,
    counterpart: e.counterpart,
    partners: [...e.partners],
    initiative: e.initiative,
    role: e.role,
    idea: e.idea,
    note: e.note,
    tags: e.tags.join(' '),
    outcomes: [...e.outcomes],
  };
}

/** An instant (RFC 3339) as the value of an `<input type="datetime-local">`, in local time. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A local date-time input's value as an instant; `null` when it is not a time. */
export function fromLocalInput(value: string): string | null {
  const d = new Date(value);
  return value && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
}

/** Adds or removes `v` from a list (outcome chips). */
export function toggle<T>(list: T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}
