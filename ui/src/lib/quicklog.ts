// The quick-log form's state and the rules of the screen (not of the
// domain: the core validates the encounter).
import type {
  CounterpartKind, Initiative, PartnerKind, Perspective, PopupSession, QuickLog, RecordId, Role,
} from '../generated';

export interface PickedPartner {
  id: RecordId;
  name: string;
}

export interface Draft {
  perspective: Perspective | null;
  counterpart: CounterpartKind | null;
  partners: PickedPartner[];
  place: string;
  outside: boolean;
  note: string;
  tags: string;
  initiative: Initiative | null;
  role: Role | null;
  followUpText: string;
  followUpDue: string;
}

/** A fresh form; a pop-up session fills in its place and "outside". */
export function emptyDraft(popup: PopupSession | null): Draft {
  return {
    perspective: null,
    counterpart: null,
    partners: [],
    place: popup?.place ?? '',
    outside: popup?.outside ?? false,
    note: '',
    tags: '',
    initiative: null,
    role: null,
    followUpText: '',
    followUpDue: '',
  };
}

export const canSave = (d: Draft) => d.perspective !== null && d.counterpart !== null;

export function toForm(d: Draft): QuickLog {
  if (!d.perspective || !d.counterpart) throw new Error('perspective and counterpart are required');
  const hasFollowUp = d.followUpText.trim() !== '' || d.followUpDue !== '';
  return {
    perspective: d.perspective,
    counterpart: d.counterpart,
    partners: d.partners.map((p) => p.id),
    place: d.place,
    outside: d.outside,
    note: d.note,
    tags: d.tags,
    initiative: d.initiative,
    role: d.role,
    follow_up: hasFollowUp ? { text: d.followUpText, due: d.followUpDue || null } : null,
    when: null,
  };
}

/** Picking a chip that is already chosen clears it (for the optional ones). */
export function toggle<T>(current: T | null, value: T): T | null {
  return current === value ? null : value;
}

export function addPartner(d: Draft, p: PickedPartner): Draft {
  return d.partners.some((x) => x.id === p.id) ? d : { ...d, partners: [...d.partners, p] };
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
