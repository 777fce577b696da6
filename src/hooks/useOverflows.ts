import {useEffect, useState, type RefObject} from 'react';

/**
 * True while the element's content is wider than the element, so that it scrolls sideways. A region that scrolls
 * must then be reachable with the keyboard (`tabIndex={0}`), and only then: a tab stop that scrolls nothing is noise.
 */
export function useOverflows(element: RefObject<HTMLElement | null>): boolean {
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const target = element.current;
    if (target === null || typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const measure = () => setOverflows(target.scrollWidth > target.clientWidth + 1);
    const observer = new ResizeObserver(measure);
    observer.observe(target);
    for (const child of Array.from(target.children)) {
      observer.observe(child);
    }
    return () => observer.disconnect();
  }, [element]);
  return overflows;
}
