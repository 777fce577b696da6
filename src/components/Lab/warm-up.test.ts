import { afterEach, describe, expect, it, vi } from 'vitest';
import { READY_AHEAD, savesData, whenNear } from './warm-up';

describe('savesData', () => {
  const reader = (connection?: object) => ({ connection }) as unknown as Navigator;
  it('is true when the reader asked to save data, or on a 2G connection', () => {
    expect(savesData(reader({ saveData: true, effectiveType: '4g' }))).toBe(true);
    expect(savesData(reader({ effectiveType: 'slow-2g' }))).toBe(true);
    expect(savesData(reader({ effectiveType: '2g' }))).toBe(true);
  });
  it('is false on a fast connection, and where the browser gives no hints', () => {
    expect(savesData(reader({ saveData: false, effectiveType: '4g' }))).toBe(false);
    expect(savesData(reader({ effectiveType: '3g' }))).toBe(false);
    expect(savesData(reader())).toBe(false);
  });
});

describe('whenNear', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('calls back once, the first time the element comes near, with the margin ahead', () => {
    const observers: { callback: (entries: { isIntersecting: boolean }[]) => void; options: IntersectionObserverInit; disconnect: ReturnType<typeof vi.fn> }[] = [];
    vi.stubGlobal('IntersectionObserver', class {
      disconnect = vi.fn();
      constructor(public callback: (entries: { isIntersecting: boolean }[]) => void, public options: IntersectionObserverInit) {
        observers.push(this as never);
      }
      observe() {}
    });
    const near = vi.fn();
    whenNear({} as Element, near);
    const [observer] = observers;
    expect(observer.options.rootMargin).toBe(READY_AHEAD);
    observer.callback([{ isIntersecting: false }]);
    expect(near).not.toHaveBeenCalled();
    observer.callback([{ isIntersecting: true }]);
    // A batch already queued when the observer was disconnected still arrives: it changes nothing.
    observer.callback([{ isIntersecting: true }]);
    expect(near).toHaveBeenCalledTimes(1);
    expect(observer.disconnect).toHaveBeenCalled();
  });

  it('does nothing where the browser has no IntersectionObserver', () => {
    vi.stubGlobal('IntersectionObserver', undefined);
    const near = vi.fn();
    whenNear({} as Element, near)();
    expect(near).not.toHaveBeenCalled();
  });
});
