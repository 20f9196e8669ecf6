// WCAG 2.2 AA contrast of both themes, computed from app.css's custom
// properties: text 4.5:1 (SC 1.4.3); control edges, the focus ring and
// chips 3:1 against what they sit on (SC 1.4.11).
/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../src/app.css', import.meta.url), 'utf8');

function props(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} block in app.css`);
  const body = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})/g)].map((m) => [m[1], m[2]]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
export function ratio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const indoor = props(':root');
const themes = { indoor, outdoor: { ...indoor, ...props(":root[data-theme='outdoor']") } };

describe.each(Object.entries(themes))('the %s theme', (_, c) => {
  it.each([
    ['ink', 'bg'], ['ink', 'card'], ['ink', 'soft'], ['muted', 'bg'], ['muted', 'card'], ['brand', 'bg'], ['brand', 'card'],
    ['brand-ink', 'brand'], ['danger', 'bg'], ['danger', 'card'], ['accent-ink', 'accent'], ['card', 'ink'],
  ])('text %s on %s is at least 4.5:1', (fg, bg) => {
    expect(ratio(c[fg], c[bg])).toBeGreaterThanOrEqual(4.5);
  });

  it.each([
    ['line-strong', 'bg'], ['line-strong', 'card'], ['focus', 'bg'], ['focus', 'card'], ['brand', 'bg'], ['brand-ink', 'brand'],
  ])('control edge %s against %s is at least 3:1', (fg, bg) => {
    expect(ratio(c[fg], c[bg])).toBeGreaterThanOrEqual(3);
  });
});

it('the outdoor theme is stronger than the indoor one', () => {
  const o = themes.outdoor;
  expect(ratio(o['ink'], o['bg'])).toBeGreaterThan(ratio(indoor['ink'], indoor['bg']));
  expect(ratio(o['line-strong'], o['bg'])).toBeGreaterThan(ratio(indoor['line-strong'], indoor['bg']));
  expect(ratio('#6b7a75', '#f6f4ee')).toBeCloseTo(4.09, 1);
});
