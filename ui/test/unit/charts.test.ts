import { describe, expect, it } from 'vitest';
import { bandPoints, labelEvery, niceMax, percent, slotX, stack, ticks, yScale } from '../../src/lib/charts';

describe('chart scales', () => {
  it('rounds axis maxima up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 11, 99, 101, 4100].map(niceMax)).toEqual([1, 1, 5, 10, 20, 100, 200, 5000]);
    expect(niceMax(NaN)).toBe(1);
    expect(ticks(20)).toEqual([0, 4, 8, 12, 16, 20]);
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(2)).toEqual([0, 1, 2]);
    expect(ticks(1)).toEqual([0, 1]);
  });

  it('stacks series into running totals, missing values as zero', () => {
    expect(stack([[1, 2, 3], [10, 0, 1], [5]])).toEqual([[1, 2, 3], [11, 2, 4], [16, 2, 4]]);
    expect(stack([])).toEqual([]);
  });

  it('maps values and slots onto the drawing', () => {
    const y = yScale(10, 10, 110);
    expect([y(0), y(5), y(10)]).toEqual([110, 60, 10]);
    expect(yScale(0, 0, 100)(0)).toBe(100);
    expect([0, 1, 2].map((i) => slotX(i, 3, 0, 300))).toEqual([50, 150, 250]);
    expect(bandPoints([0, 10], [5, 5], [1, 2])).toBe('0.0,1.0 10.0,2.0 10.0,5.0 0.0,5.0');
    expect(labelEvery(24, 8)).toBe(3);
    expect(labelEvery(3, 8)).toBe(1);
    expect(percent(0.6)).toBe(60);
    expect(percent(0.33333)).toBe(33.3);
  });
});
