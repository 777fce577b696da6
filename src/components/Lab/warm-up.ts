/**
 * Getting a lab ready before the learner clicks "Start lab". The click needs the session's code (a few kilobytes)
 * and the lab's files (a few hundred kilobytes) before anything can start, and the panel's code (xterm.js,
 * CodeMirror) soon after; fetched at the click, they were a fifth of a lab's start. A learner sees the lab before
 * clicking it, so the page fetches the small things when the lab comes near the viewport, and the large panel code
 * when the learner points at or focuses the button, as a link's page is fetched on hover. A reader who never
 * scrolls to the lab pays nothing, and a reader who asked the browser to save data gets the files only on intent.
 */

/** How far ahead of the viewport a lab starts getting ready: about a screen's scroll. */
export const READY_AHEAD = '800px 0px';

/** The browser's hints about the connection; only Chromium has them. */
interface ConnectionHints {
  saveData?: boolean;
  effectiveType?: string;
}

/** True when the reader asked to save data, or the connection is too slow to spend on what may not be used. */
export function savesData(navigator: Navigator & { connection?: ConnectionHints }): boolean {
  const connection = navigator.connection;
  return connection?.saveData === true || /(^|-)2g$/.test(connection?.effectiveType ?? '');
}

/**
 * Calls `near` once, the first time `element` comes within READY_AHEAD of the viewport. Returns the cleanup.
 * Without IntersectionObserver it does nothing: the click still fetches everything.
 */
export function whenNear(element: Element, near: () => void): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    return () => undefined;
  }
  let called = false;
  const observer = new IntersectionObserver(
    (entries) => {
      if (!called && entries.some((entry) => entry.isIntersecting)) {
        called = true;
        observer.disconnect();
        near();
      }
    },
    { rootMargin: READY_AHEAD },
  );
  observer.observe(element);
  return () => observer.disconnect();
}
