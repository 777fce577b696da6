/**
 * Can this browser run the lab in the page? A WebContainer needs shared memory (SharedArrayBuffer), which browsers
 * give only to cross-origin isolated pages. Its browser-support page lists Chrome and Chromium-based browsers as
 * fully supported, Firefox as beta, and Safari (on a Mac, iPhone and iPad) as beta from version 16.4, with no support
 * before. This says so before anything is downloaded, in words for the learner, and the page offers the local runner
 * instead; a browser in beta runs the lab with a word of caution.
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

export type Support = { supported: true; caution?: string } | { supported: false; reason: string };

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
  const safari = /Safari\//.test(ua) && /Version\//.test(ua) && !/Chrome|Chromium|Edg\/|OPR\/|Firefox/.test(ua);
  /** Every browser on iPhone and iPad uses Safari's engine, of the system's version. */
  const webkitVersion = iPhoneOrIPad ? (systemVersion(ua) ?? safariVersion(ua)) : safari ? safariVersion(ua) : null;
  let caution: string | undefined;
  if (iPhoneOrIPad || safari) {
    const where = iPhoneOrIPad ? 'Browsers on iPhone and iPad' : 'Safari';
    if (webkitVersion === null || webkitVersion < 1604) {
      return { supported: false, reason: `${where} can run the lab in the page only from Safari 16.4 on (iOS and iPadOS 16.4 on iPhone and iPad): update the system, or use another way. ${ELSEWHERE}` };
    }
    caution = `Safari's support for the in-browser lab is still in beta${iPhoneOrIPad ? ', and a phone or tablet may run short of memory' : ''}: if the lab misbehaves, run it on your own machine instead.`;
  }
  if (!facts.crossOriginIsolated) {
    return { supported: false, reason: `This page is not cross-origin isolated, so the browser withholds the shared memory the in-browser lab needs. The site's server must send the isolation headers; reloading the page once may help. ${ELSEWHERE}` };
  }
  if (!facts.hasSharedArrayBuffer) {
    return { supported: false, reason: `This browser does not offer shared memory (SharedArrayBuffer), which the in-browser lab needs: update it, or use another. ${ELSEWHERE}` };
  }
  return caution ? { supported: true, caution } : { supported: true };
}

/** `Version/16.4` -> 1604: Safari's own version, as major * 100 + minor. */
function safariVersion(ua: string): number | null {
  const match = /Version\/(\d+)(?:\.(\d+))?/.exec(ua);
  return match ? Number(match[1]) * 100 + Number(match[2] ?? 0) : null;
}

/** `iPhone OS 16_4` or `CPU OS 17_0` -> 1604, 1700: the system's version, which is its WebKit's. */
function systemVersion(ua: string): number | null {
  const match = /OS (\d+)_(\d+)/.exec(ua);
  return match ? Number(match[1]) * 100 + Number(match[2]) : null;
}

/** In the browser when it can, else on the learner's machine. */
export function chooseBackend(support: Support = detectSupport()): BackendKind {
  return support.supported ? 'webcontainer' : 'local';
}
