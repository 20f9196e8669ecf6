import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../src/lib/api';
import { ERROR_KEYS, errorText } from '../../src/lib/errors';
import { translate } from '../../src/lib/i18n/format';
import type { Key } from '../../src/lib/i18n/types';

const t = (key: Key, vars?: Record<string, string | number>) => translate('nb', key, vars);

describe('errors in words', () => {
  it('core error codes become plain words; unknown codes keep code and message', () => {
    expect(ERROR_KEYS.unreachable).toBe('errors.unreachable');
    expect(ERROR_KEYS.bad_bundle).toBe('errors.bad_bundle');
    expect(ERROR_KEYS.database).toBeUndefined();
    expect(errorText(new ApiFailure({ code: 'unauthorized', message: 'not allowed: …' }), t)).toMatch(/Invitasjonskoden er feil/);
    expect(errorText(new ApiFailure({ code: 'database', message: 'locked' }), t)).toBe('Noe gikk galt (database): locked');
    expect(errorText(new Error('boom'), t)).toMatch(/\(ui\)/);
  });

  it('says known error codes in words and passes a refused form through', () => {
    const t = (k: string) => `[${k}]`;
    expect(errorText(new ApiFailure({ code: 'merge_same', message: 'x' }), t)).toBe('[errors.merge_same]');
    expect(errorText(new ApiFailure({ code: 'invalid', message: 'name must not be empty' }), t)).toBe('name must not be empty');
  });
});
