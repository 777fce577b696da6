/**
 * Focus mode: the lab fills the window, the steps beside the work area, as in TutorialKit or Killercoda. The choice
 * is the learner's for the whole site, not for one lab, and is kept in localStorage across reloads and chapters.
 * While it is on, the page behind neither scrolls nor takes the keyboard's focus (it is made inert), and Escape
 * leaves it.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { KeyValueStorage } from '@site/src/runtime/persistence';

export const FOCUS_MODE_KEY = 'scale-up:lab-focus-mode';

export function loadFocusMode(storage: KeyValueStorage | null): boolean {
  try {
    return storage?.getItem(FOCUS_MODE_KEY) === 'on';
  } catch {
    return false;
  }
}

export function saveFocusMode(storage: KeyValueStorage | null, on: boolean): void {
  try {
    if (on) storage?.setItem(FOCUS_MODE_KEY, 'on');
    else storage?.removeItem(FOCUS_MODE_KEY);
  } catch {
    // Storage is full or refused: focus mode works, it is only not remembered.
  }
}

interface Targets {
  /** The element that fills the window. */
  panel: RefObject<HTMLElement | null>;
  /** Where the keyboard's focus goes when focus mode starts: the panel's title. */
  entry: RefObject<HTMLElement | null>;
  /** Where it goes back to when focus mode ends: the toggle. */
  toggle: RefObject<HTMLElement | null>;
}

/** Whether focus mode is on, and the setter; the effects on the page follow the state. */
export function useFocusMode({ panel, entry, toggle }: Targets): [boolean, (on: boolean) => void] {
  const [focused, setFocused] = useState(() => loadFocusMode(localStorageOrNull()));
  const previous = useRef<boolean | null>(null);

  useEffect(() => {
    const left = previous.current === true && !focused;
    previous.current = focused;
    saveFocusMode(localStorageOrNull(), focused);
    if (!focused) {
      // Only when focus mode ends: when the panel first appears, the learner's focus stays where they left it.
      if (left) toggle.current?.focus();
      return undefined;
    }
    const element = panel.current;
    if (!element) return undefined;
    entry.current?.focus();
    const root = document.documentElement;
    const overflow = root.style.overflow;
    root.style.overflow = 'hidden';
    const restore = makeTheRestInert(element);
    const onKeyDown = (event: KeyboardEvent) => {
      // Escape in the terminal belongs to the program in it (a shell's line editor, vi); a widget that used the
      // key (the editor closing its search) marks it handled.
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (event.target instanceof Element && event.target.closest('.xterm')) return;
      setFocused(false);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      restore();
      root.style.overflow = overflow;
    };
  }, [focused, panel, entry, toggle]);

  return [focused, setFocused];
}

/**
 * Makes everything outside `element` inert: the navbar, the sidebar, the chapter around the lab. The keyboard and
 * screen readers then stay in the panel, as they would in a dialog. Returns the function that undoes it.
 */
function makeTheRestInert(element: HTMLElement): () => void {
  const made: HTMLElement[] = [];
  for (let node: HTMLElement | null = element; node && node !== document.body; node = node.parentElement) {
    for (const sibling of Array.from(node.parentElement?.children ?? [])) {
      if (sibling !== node && sibling instanceof HTMLElement && !sibling.inert) {
        sibling.inert = true;
        made.push(sibling);
      }
    }
  }
  return () => made.forEach((sibling) => (sibling.inert = false));
}

function localStorageOrNull(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
