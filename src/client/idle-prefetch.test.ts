import { describe, expect, it } from 'vitest';
import { idlePrefetch } from './idle-prefetch';

/** Idle callbacks that run when the test says, with the idle time it gives. */
function idleQueue() {
  const waiting: ((deadline: { didTimeout: boolean; timeRemaining(): number }) => void)[] = [];
  return {
    whenIdle: (run: (typeof waiting)[number]) => void waiting.push(run),
    runIdle(remainingMs: number[], didTimeout = false) {
      const run = waiting.shift();
      run?.({ didTimeout, timeRemaining: () => remainingMs.shift() ?? 0 });
    },
    get pending() {
      return waiting.length;
    },
  };
}

describe('link prefetches in idle time', () => {
  it('prefetches nothing in the observer\'s task, then as many as the idle time allows, once each', () => {
    const done: string[] = [];
    const idle = idleQueue();
    const prefetch = idlePrefetch((path) => (done.push(path), Promise.resolve([])), idle.whenIdle);
    for (const path of ['/a', '/b', '/a', '/c']) expect(prefetch(path)).toBe(false);
    expect(done).toEqual([]);
    expect(idle.pending).toBe(1);
    idle.runIdle([20, 5]); // room for one more after the first, then too little
    expect(done).toEqual(['/a', '/b']);
    idle.runIdle([], true); // waited too long: one, and the rest later
    expect(done).toEqual(['/a', '/b', '/c']);
    expect(idle.pending).toBe(0);
    prefetch('/d');
    expect(idle.pending).toBe(1);
  });

  it('goes on after a prefetch that fails, whether it throws or rejects', async () => {
    const done: string[] = [];
    const idle = idleQueue();
    const prefetch = idlePrefetch((path) => {
      done.push(path);
      if (path === '/throws') throw new Error('no such route');
      return Promise.reject(new Error('offline'));
    }, idle.whenIdle);
    for (const path of ['/throws', '/rejects', '/after']) prefetch(path);
    idle.runIdle([50, 50, 50]);
    await new Promise((resolve) => setTimeout(resolve, 0)); // an unhandled rejection would fail the test run
    expect(done).toEqual(['/throws', '/rejects', '/after']);
    expect(idle.pending).toBe(0);
  });
});
