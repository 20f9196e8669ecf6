import { describe, expect, it } from 'vitest';
import { ANSWERS, activityEditOf, answerOf, shortWhen, valueOf } from '../../src/lib/activity';
import type { Activity } from '../../src/generated';

describe('the activity page', () => {
  it('keeps "not known" apart from "no" for extra resources', () => {
    expect(ANSWERS.map(valueOf)).toEqual([true, false, null]);
    for (const a of ANSWERS) expect(answerOf(valueOf(a))).toBe(a);
  });

  it('fills the edit form from the stored activity without sharing its lists', () => {
    const a: Activity = {
      id: 'a', title: 'Strikkekafé', status: 'running', outside: true, place: 'Vadsø torg', partners: ['p'],
      from_encounters: ['e'], extra_resources: null, note: 'Tirsdager', tags: ['strikk', 'marked'], starts_on: null,
      created_at: '2026-05-01T10:00:00Z', deleted: false,
    };
    const edit = activityEditOf(a);
    expect(edit).toEqual({
      title: 'Strikkekafé', status: 'running', partners: ['p'], from_encounters: ['e'], outside: true, place: 'Vadsø torg',
      extra_resources: null, note: 'Tirsdager', tags: 'strikk marked',
    });
    edit.partners.push('q');
    expect(a.partners).toEqual(['p']);
  });

  it('shows the last sync as a time today and with the day otherwise', () => {
    const now = new Date(2026, 4, 17, 15, 0);
    expect(shortWhen(new Date(2026, 4, 17, 9, 5).toISOString(), 'nb-NO', now)).toBe('09:05');
    expect(shortWhen(new Date(2026, 4, 16, 9, 5).toISOString(), 'nb-NO', now)).toMatch(/16\.05\.2026.*09:05/);
  });
});
