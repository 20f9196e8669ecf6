import { describe, expect, it } from 'vitest';
import { confirms, mailHref, telHref } from '../../src/lib/partner';

describe('partner page helpers', () => {
  it('turns typed phone numbers into tel: links', () => {
    expect(telHref('+47 915 37 204')).toBe('tel:+4791537204');
    expect(telHref('78 95 00 00')).toBe('tel:78950000');
    expect(mailHref(' post@husflid.no ')).toBe('mailto:post@husflid.no');
  });

  it('confirms an erasure only when the name is typed', () => {
    expect(confirms('vadsø HUSFLIDSLAG ', 'Vadsø husflidslag')).toBe(true);
    expect(confirms('Vadsø', 'Vadsø husflidslag')).toBe(false);
    expect(confirms('  ', '')).toBe(false);
  });
});
