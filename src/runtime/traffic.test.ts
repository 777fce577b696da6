import { describe, expect, it } from 'vitest';
import { recentShares, trimHistory, type CountsAt } from './traffic';

const at = (time: number, counts: Record<string, number>): CountsAt => ({ time, counts: new Map(Object.entries(counts)) });

describe('recentShares', () => {
  it('shares the requests of the window, not of all time', () => {
    const history = [at(0, { a: 50, b: 50 }), at(10_000, { a: 50, b: 50 }), at(12_000, { a: 70, b: 50 })];
    expect(recentShares(history, 12_000, ['a', 'b'], 5_000)).toEqual(new Map([['a', 100], ['b', 0]]));
  });

  it('counts from the oldest sample while the lab is younger than the window', () => {
    const history = [at(0, { a: 0, b: 0 }), at(1_000, { a: 3, b: 1 })];
    expect(recentShares(history, 1_000, ['a', 'b'], 5_000)).toEqual(new Map([['a', 75], ['b', 25]]));
  });

  it('is null when the tier served nothing in the window', () => {
    const history = [at(0, { a: 10, b: 10 }), at(1_000, { a: 10, b: 10 })];
    expect(recentShares(history, 20_000, ['a', 'b'], 5_000)).toBeNull();
    expect(recentShares([], 0, ['a'], 5_000)).toBeNull();
  });

  it('ignores a count that went down (a server restarted before the supervisor summed it)', () => {
    const history = [at(0, { a: 10, b: 10 }), at(1_000, { a: 0, b: 14 })];
    expect(recentShares(history, 1_000, ['a', 'b'], 5_000)).toEqual(new Map([['a', 0], ['b', 100]]));
  });
});

describe('trimHistory', () => {
  it('keeps the last sample before the window and every sample in it', () => {
    const history = [at(0, {}), at(1_000, {}), at(7_000, {}), at(9_000, {})];
    expect(trimHistory(history, 10_000, 5_000).map((s) => s.time)).toEqual([1_000, 7_000, 9_000]);
  });

  it('keeps the latest sample when all are older than the window', () => {
    expect(trimHistory([at(0, {}), at(1_000, {})], 60_000, 5_000).map((s) => s.time)).toEqual([1_000]);
  });
});
