/**
 * Can this browser run the lab in the page? A WebContainer needs shared memory (SharedArrayBuffer), which browsers
 * give only to cross-origin isolated pages, and it does not run in Safari or on iPhone and iPad. This says so
 * before anything is downloaded, in words for the learner, and the page offers the local runner instead.
 */
import type { BackendKind } from './types';

/** What the decision depends on, read from the browser (or given by a test). */
export interface BrowserFacts {
  crossOriginIsolated: boolean;
  hasSharedArrayBuffer: boolean;
  userAgent: string;
  /** iPadOS reports a Mac's user agent; its touch points give it away. */
  maxTouchPoints: number;
}

export type Support = { supported: true } | { supported: false; reason: string };

const ELSEWHERE = 'You can run the lab on your own machine instead, or open this page in Chrome, Edge or Firefox on a computer.';

/** The facts of the browser this code runs in; null outside a browser (server rendering, Node). */
export function browserFacts(scope: typeof globalThis = globalThis): BrowserFacts | null {
  if (typeof scope.navigator === 'undefined' || typeof scope.window === 'undefined') return null;
  return {
    crossOriginIsolated: scope.crossOriginIsolated === true,
    hasSharedArrayBuffer: typeof scope.SharedArrayBuffer === 'function',
    userAgent: scope.navigator.userAgent,
    maxTouchPoints: scope.navigator.maxTouchPoints ?? 0,
  };
}

export function detectSupport(facts: BrowserFacts | null = browserFacts()): Support {
  if (!facts) return { supported: false, reason: 'The lab runs in a web browser.' };
  const ua = facts.userAgent;
  const iPhoneOrIPad = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && facts.maxTouchPoints > 1);
  if (iPhoneOrIPad) {
    return { supported: false, reason: `Browsers on iPhone and iPad cannot run the lab in the page: they all use Safari's engine, which lacks what the in-browser lab needs. ${ELSEWHERE}` };
  }
  const safari = /Safari\//.test(ua) && /Version\//.test(ua) && !/Chrome|Chromium|Edg\/|OPR\/|Firefox/.test(ua);
  if (safari) {
    return { supported: false, reason: `Safari cannot run the lab in the page yet: it lacks what the in-browser lab needs. ${ELSEWHERE}` };
  }
  if (!facts.crossOriginIsolated) {
    return { supported: false, reason: `This page is not cross-origin isolated, so the browser withholds the shared memory the in-browser lab needs. The site's server must send the isolation headers; reloading the page once may help. ${ELSEWHERE}` };
  }
  if (!facts.hasSharedArrayBuffer) {
    return { supported: false, reason: `This browser does not offer shared memory (SharedArrayBuffer), which the in-browser lab needs: update it, or use another. ${ELSEWHERE}` };
  }
  return { supported: true };
}

/** In the browser when it can, else on the learner's machine. */
export function chooseBackend(support: Support = detectSupport()): BackendKind {
  return support.supported ? 'webcontainer' : 'local';
}
