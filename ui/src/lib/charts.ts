// Scales and shapes for the Effects charts: pure functions, tested by Vitest.

/** A "nice" upper bound (1, 2, 5 × 10^n) at or above `max`; at least 1. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  let step = 1;
  for (;;) {
    for (const m of [1, 2, 5]) if (step * m >= max) return step * m;
    step *= 10;
  }
}

/** Whole, evenly spaced axis values from 0 to a nice `max` (inclusive): 5, 4, 2 or 1 steps. */
export function ticks(max: number): number[] {
  const count = [5, 4, 2, 1].find((c) => Number.isInteger(max / c)) ?? 1;
  return Array.from({ length: count + 1 }, (_, i) => (max * i) / count);
}

/** Running totals: for each series, its top edge when stacked on the ones before it. */
export function stack(series: readonly (readonly number[])[]): number[][] {
  const n = Math.max(0, ...series.map((s) => s.length));
  const below = new Array<number>(n).fill(0);
  return series.map((s) => {
    const top = below.map((b, i) => b + (s[i] ?? 0));
    top.forEach((v, i) => (below[i] = v));
    return top;
  });
}

/** The centre of slot `i` of `n` across a width starting at `x0`. */
export function slotX(i: number, n: number, x0: number, width: number): number {
  return x0 + (width * (i + 0.5)) / Math.max(1, n);
}

/** A closed polygon's points between a lower and an upper line. */
export function bandPoints(xs: readonly number[], lower: readonly number[], upper: readonly number[]): string {
  const top = xs.map((x, i) => `${x.toFixed(1)},${upper[i].toFixed(1)}`);
  const bottom = xs.map((x, i) => `${x.toFixed(1)},${lower[i].toFixed(1)}`).reverse();
  return [...top, ...bottom].join(' ');
}

/** A linear scale from [0, max] onto [bottom, top] (SVG y grows downwards). */
export function yScale(max: number, top: number, bottom: number): (v: number) => number {
  const m = max > 0 ? max : 1;
  return (v) => bottom - ((bottom - top) * v) / m;
}

/** Which of `n` labels to show so that at most `room` fit. */
export function labelEvery(n: number, room: number): number {
  return Math.max(1, Math.ceil(n / Math.max(1, room)));
}

/** A share (0–1) as a whole percentage, for labels. */
export function percent(share: number): number {
  return Math.round(share * 1000) / 10;
}
