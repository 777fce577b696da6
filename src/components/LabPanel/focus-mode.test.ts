import { describe, expect, it } from 'vitest';
import type { KeyValueStorage } from '@site/src/runtime/persistence';
import { FOCUS_MODE_KEY, loadFocusMode, saveFocusMode } from './focus-mode';

function memory(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

describe('focus mode, remembered for the site', () => {
  it('is off until the learner turns it on, and stays as they left it', () => {
    const storage = memory();
    expect(loadFocusMode(storage)).toBe(false);
    saveFocusMode(storage, true);
    expect(storage.map.get(FOCUS_MODE_KEY)).toBe('on');
    expect(loadFocusMode(storage)).toBe(true);
    saveFocusMode(storage, false);
    expect(storage.map.has(FOCUS_MODE_KEY)).toBe(false);
    expect(loadFocusMode(storage)).toBe(false);
  });

  it('works without storage, or with storage that refuses', () => {
    const refusing: KeyValueStorage = {
      getItem: () => { throw new Error('SecurityError'); },
      setItem: () => { throw new Error('QuotaExceededError'); },
      removeItem: () => { throw new Error('SecurityError'); },
    };
    expect(loadFocusMode(null)).toBe(false);
    expect(loadFocusMode(refusing)).toBe(false);
    expect(() => saveFocusMode(refusing, true)).not.toThrow();
    expect(() => saveFocusMode(null, true)).not.toThrow();
  });
});
