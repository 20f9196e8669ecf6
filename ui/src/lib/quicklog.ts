// The quick-log form's state and the rules of the screen (not of the
// domain: the core validates the encounter). The form's state is the
// core's `QuickLogDraft`, so the autosaved draft is exactly what is shown.
import type {
  CounterpartKind, PartnerKind, PopupSession, QuickLog, QuickLogDraft, RecordId,
} from '../generated';
import { COUNTERPART_FOR_PARTNER } from '../generated';

export type Draft = QuickLogDraft;

export interface PickedPartner {
  id: RecordId;
  name: string;
  kind?: PartnerKind;
}

/** A fresh form; a pop-up session fills in its place, "outside" and the choices it keeps. */
export function emptyDraft(popup: PopupSession | null): Draft {
  return {
    perspective: popup?.perspective ?? null,
    counterpart: popup?.counterpart ?? null,
    partners: [],
    new_partners: [],
    place: popup?.place ?? '',
    outside: popup?.outside ?? false,
    note: '',
    tags: '',
    initiative: null,
    role: null,
    follow_up_text: '',
    follow_up_due: null,
    when: null,
  };
}

/** Whether the person has typed or chosen anything beyond what a fresh form holds. */
export function touched(d: Draft, popup: PopupSession | null): boolean {
  return JSON.stringify(d) !== JSON.stringify(emptyDraft(popup));
}

export const canSave = (d: Draft) => d.perspective !== null && d.counterpart !== null;

export function toForm(d: Draft): QuickLog {
  if (!d.perspective || !d.counterpart) throw new Error('perspective and counterpart are required');
  const hasFollowUp = d.follow_up_text.trim() !== '' || d.follow_up_due !== null;
  return {
    perspective: d.perspective,
    counterpart: d.counterpart,
    partners: d.partners.map((p) => p.id),
    new_partners: d.new_partners,
    place: d.place,
    outside: d.outside,
    note: d.note,
    tags: d.tags,
    initiative: d.initiative,
    role: d.role,
    follow_up: hasFollowUp ? { text: d.follow_up_text, due: d.follow_up_due } : null,
    when: d.when,
  };
}

/** Picking a chip that is already chosen clears it (for the optional ones). */
export function toggle<T>(current: T | null, value: T): T | null {
  return current === value ? null : value;
}

/** Adds a partner from the directory; its kind presets "who did you meet" if that is still open. */
export function addPartner(d: Draft, p: PickedPartner): Draft {
  if (d.partners.some((x) => x.id === p.id)) return d;
  const counterpart = d.counterpart ?? (p.kind ? COUNTERPART_FOR_PARTNER[p.kind] : null);
  return { ...d, counterpart, partners: [...d.partners, { id: p.id, name: p.name }] };
}

/** A partner typed into the picker: made by the core only when the encounter is saved. */
export function addNewPartner(d: Draft, name: string, kind: PartnerKind): Draft {
  const n = name.trim();
  if (!n || d.new_partners.some((x) => x.name.toLowerCase() === n.toLowerCase())) return d;
  const counterpart = d.counterpart ?? COUNTERPART_FOR_PARTNER[kind];
  return { ...d, counterpart, new_partners: [...d.new_partners, { name: n, kind, place: '' }] };
}

/** The kind a partner created inline most likely has, from whom the person met. */
export function kindFor(c: CounterpartKind | null): PartnerKind {
  switch (c) {
    case 'business':
    case 'school':
    case 'public-body':
    case 'municipal-department':
    case 'citizen':
    case 'association':
      return c;
    case 'volunteer':
      return 'volunteer-group';
    default:
      return 'association';
  }
}

/** Whether a typed name is exactly one of the found partners' (then "create" is not offered). */
export function exactMatch(text: string, names: readonly string[]): boolean {
  const t = text.trim().toLocaleLowerCase();
  return names.some((n) => n.trim().toLocaleLowerCase() === t);
}

export type WhenChoice = 'now' | 'earlier' | 'yesterday';

/** Local "HH:MM" of an instant. */
export function clock(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Reads a typed time: "9", "930", "9.30", "09:30" → "09:30"; null when it is not a time. */
export function parseClock(text: string): string | null {
  const m = text.trim().match(/^(\d{1,2})(?:[:.]?(\d{2}))?$/);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/**
 * The instant for "earlier today" or "yesterday" at a local time. Without a
 * time: an hour ago (earlier today) or the same time yesterday, to the
 * quarter hour. "Earlier today" never lies in the future.
 */
export function whenFor(choice: WhenChoice, time: string | null, now: Date = new Date()): string | null {
  if (choice === 'now') return null;
  const d = new Date(now);
  if (choice === 'yesterday') d.setDate(d.getDate() - 1);
  if (time) {
    const [h, m] = time.split(':').map(Number);
    d.setHours(h, m, 0, 0);
  } else {
    if (choice === 'earlier') d.setHours(d.getHours() - 1);
    d.setMinutes(Math.floor(d.getMinutes() / 15) * 15, 0, 0);
  }
  if (choice === 'earlier' && d > now) d.setTime(now.getTime());
  return d.toISOString();
}

/** Which chip an instant belongs to, seen from `now`. */
export function choiceOf(when: string | null, now: Date = new Date()): WhenChoice {
  if (!when) return 'now';
  const d = new Date(when);
  return d.toDateString() === now.toDateString() ? 'earlier' : 'yesterday';
}
