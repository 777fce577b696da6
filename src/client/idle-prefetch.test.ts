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
    idle.runIdle([10, 2]); // room for one more after the first, then too little
    expect(done).toEqual(['/a', '/b']);
    idle.runIdle([], true); // waited too long: one, and the rest later
    expect(done).toEqual(['/a', '/b', '/c']);
    expect(idle.pending).toBe(0);
    prefetch('/d');
    expect(idle.pending).toBe(1);
  });

  it('swallows a failed prefetch, as Docusaurus does', async () => {
    const idle = idleQueue();
    const prefetch = idlePrefetch(() => Promise.reject(new Error('offline')), idle.whenIdle);
    prefetch('/a');
    idle.runIdle([50]);
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});
