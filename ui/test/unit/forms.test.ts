import { describe, expect, it } from 'vitest';
import {
  addNewPartner, addPartner, canSave, choiceOf, emptyDraft, exactMatch, kindFor, parseClock, toForm, toggle, touched, whenFor,
} from '../../src/lib/quicklog';
import { nextStatus } from '../../src/lib/board';
import { defaultChoices, toChoices } from '../../src/lib/conflicts';
import { periodSince } from '../../src/lib/period';
import { emptyTimeline, toFilter } from '../../src/lib/timeline';
import { latest } from '../../src/lib/debounce';
import type { ConflictedRecord } from '../../src/generated';

describe('quick log', () => {
  it('a pop-up session fills in the place, outside and the choices it keeps', () => {
    const popup = { place: 'Vadsø torg', outside: true, started_at: '2026-05-04T10:00:00Z', perspective: 'service' as const, counterpart: null };
    const d = emptyDraft(popup);
    expect([d.place, d.outside, d.perspective, d.counterpart]).toEqual(['Vadsø torg', true, 'service', null]);
    expect(emptyDraft(null).place).toBe('');
    expect(touched(d, popup)).toBe(false);
    expect(touched({ ...d, note: 'x' }, popup)).toBe(true);
  });

  it('a picked partner presets who you met from its kind, unless already chosen', () => {
    const d = emptyDraft(null);
    expect(addPartner(d, { id: 'p1', name: 'Sjakkvennene', kind: 'volunteer-group' }).counterpart).toBe('volunteer');
    expect(addPartner({ ...d, counterpart: 'citizen' }, { id: 'p1', name: 'Skolen', kind: 'school' }).counterpart).toBe('citizen');
    const typed = addNewPartner(addNewPartner(d, ' Kulturskolen ', 'municipal-department'), 'kulturskolen', 'school');
    expect(typed.new_partners).toEqual([{ name: 'Kulturskolen', kind: 'municipal-department', place: '' }]);
    expect(typed.counterpart).toBe('municipal-department');
    expect(toForm({ ...typed, perspective: 'service' }).new_partners).toHaveLength(1);
  });

  it('an exact name match (any case) hides "create"', () => {
    expect(exactMatch(' vadsø Husflidslag ', ['Vadsø husflidslag'])).toBe(true);
    expect(exactMatch('Vadsø husflid', ['Vadsø husflidslag'])).toBe(false);
  });

  it('"earlier today" and "yesterday" need no typing, and take a time when given one', () => {
    const now = new Date(2026, 4, 17, 15, 40);
    expect(whenFor('now', null, now)).toBeNull();
    expect(new Date(whenFor('earlier', null, now)!).getTime()).toBe(new Date(2026, 4, 17, 14, 30).getTime());
    expect(new Date(whenFor('yesterday', null, now)!).getTime()).toBe(new Date(2026, 4, 16, 15, 30).getTime());
    expect(new Date(whenFor('yesterday', '09:05', now)!).getTime()).toBe(new Date(2026, 4, 16, 9, 5).getTime());
    expect(new Date(whenFor('earlier', '18:00', now)!).getTime()).toBe(now.getTime()); // earlier today is never in the future
    expect(choiceOf(whenFor('yesterday', null, now), now)).toBe('yesterday');
    expect(choiceOf(whenFor('earlier', '08:00', now), now)).toBe('earlier');
    expect(['9', '930', '9.30', '09:30', '24:00', 'ni'].map(parseClock)).toEqual(['09:00', '09:30', '09:30', '09:30', null, null]);
  });

  it('needs a perspective and a counterpart before saving', () => {
    const d = emptyDraft(null);
    expect(canSave(d)).toBe(false);
    expect(canSave({ ...d, perspective: 'co-creative' })).toBe(false);
    expect(canSave({ ...d, perspective: 'co-creative', counterpart: 'citizen' })).toBe(true);
    expect(() => toForm(d)).toThrow();
  });

  it('becomes the QuickLog form, with a follow-up only when one was written', () => {
    const d = { ...emptyDraft(null), perspective: 'service' as const, counterpart: 'school' as const, note: 'Lesekvarter' };
    const f = toForm(addPartner(addPartner(d, { id: 'p1', name: 'A' }), { id: 'p1', name: 'A' }));
    expect(f.partners).toEqual(['p1']);
    expect(f.follow_up).toBeNull();
    expect(toForm({ ...d, follow_up_text: 'Ring', follow_up_due: null }).follow_up).toEqual({ text: 'Ring', due: null });
    expect(toForm({ ...d, follow_up_due: '2026-06-01' }).follow_up).toEqual({ text: '', due: '2026-06-01' });
  });

  it('optional chips toggle, and inline partners get a likely kind', () => {
    expect(toggle('citizen', 'citizen')).toBeNull();
    expect(toggle(null, 'library')).toBe('library');
    expect(kindFor('volunteer')).toBe('volunteer-group');
    expect(kindFor('school')).toBe('school');
    expect(kindFor(null)).toBe('association');
  });
});

describe('timeline filters', () => {
  it('periods start at local midnight', () => {
    const now = new Date(2026, 4, 17, 15, 30);
    expect(periodSince('all', now)).toBeNull();
    expect(new Date(periodSince('today', now)!).getTime()).toBe(new Date(2026, 4, 17).getTime());
    expect(new Date(periodSince('week', now)!).getTime()).toBe(new Date(2026, 4, 11).getTime());
    expect(new Date(periodSince('year', now)!).getTime()).toBe(new Date(2025, 4, 17).getTime());
  });

  it('blank filters are left out of the query', () => {
    const f = toFilter({ ...emptyTimeline(), text: '  ', place: ' Vadsø ', perspective: 'co-creative' }, 50);
    expect(f).toMatchObject({ text: null, place: 'Vadsø', perspective: 'co-creative', staff: null, partner: null, since: null, offset: 50 });
  });
});

describe('board and conflicts', () => {
  it('cards move idea → planned → running → ended', () => {
    expect(['idea', 'planned', 'running', 'ended', 'dropped'].map((s) => nextStatus(s as never))).toEqual(['planned', 'running', 'ended', null, null]);
  });

  it('each conflicted field sends the chosen version', () => {
    const r: ConflictedRecord = {
      id: 'x', kind: 'partner', title: 'Lag',
      conflicts: [{ field: 'phone', values: ['915 00 001', '915 00 002'] }, { field: 'place', values: ['Vadsø', 'Vardø'] }],
    };
    const picked = { ...defaultChoices(r), phone: 1 };
    expect(toChoices(r, picked)).toEqual([{ field: 'phone', value: '915 00 002' }, { field: 'place', value: 'Vadsø' }]);
  });
});

describe('search as you type', () => {
  it('drops answers to older queries', async () => {
    const slow = latest((q: string, ms: number) => new Promise<string>((r) => setTimeout(() => r(q), ms)));
    const [a, b] = await Promise.all([slow('str', 30), slow('strikk', 5)]);
    expect(a).toBeUndefined();
    expect(b).toBe('strikk');
  });
});
